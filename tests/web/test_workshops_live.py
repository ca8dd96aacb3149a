"""Live questions in the room: the facilitator asks, trainees answer on their phones, the room sees
the anonymous distribution, then the right answer. Live answers count toward nothing."""
import re

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Attempt, LessonProgress, LiveAnswer, LiveQuestion

from ..factories import join_workshop, make_user, make_workshop
from .workshop_helpers import current_live, live_form, show_results, signed_in, text


def room(app, trainees=2):
    """A workshop, its facilitator's browser and each trainee's."""
    owner = make_user(role="facilitator", language="en", name="Fatou Sow")
    workshop = make_workshop(owner)
    people = [make_user(language="en", name=f"Trainee {chr(65 + n)}") for n in range(trainees)]
    join_workshop(workshop, *people)
    return workshop, signed_in(app, owner), [signed_in(app, p) for p in people]


def ask(facilitator, workshop, question_id):
    response = facilitator.post(f"/workshops/{workshop.id}/live", data={"question": question_id})
    assert response.status_code == 302
    return current_live(workshop.id)


def answers():
    return db.session.scalar(select(func.count()).select_from(LiveAnswer))


def test_trainees_see_the_open_question_answer_it_and_the_facilitator_sees_the_count(app):
    workshop, facilitator, (ana, ben) = room(app)
    page = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert "No question asked yet" in page and "fs-elements" in page  # the banks to pick from
    live = ask(facilitator, workshop, "fs-elements")
    page = text(ana.get(f"/workshops/{workshop.id}"))
    assert "How many elements has trafficking?" in page and "Send my answer" in page
    response = ana.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, "b"))
    assert response.headers["Location"] == f"/workshops/{workshop.id}#live-panel"
    assert "Your answer is saved" in text(ana.get(response.headers["Location"]))
    ben.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, "a"))
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert "2 of 2 answered" in screen and "answer (50 %)" not in screen  # hidden until she shows them
    show_results(facilitator, live)
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert "2 of 2 answered" in screen
    assert re.search(r'width="50"', screen) and screen.count("1 answer (50 %)") == 2
    assert "✓ right answer" not in screen and "Act, means" not in screen  # not before she shows it


def test_a_trainee_changes_her_answer_until_the_question_closes(app):
    workshop, facilitator, (ana, _ben) = room(app)
    live = ask(facilitator, workshop, "fs-elements")
    url = f"/workshops/{workshop.id}/live/{live.id}/answer"
    ana.post(url, data=live_form(live, "b"))
    ana.post(url, data=live_form(live, "a"))
    assert answers() == 1 and db.session.scalar(select(LiveAnswer.answer)) == "a"
    page = text(ana.get(f"/workshops/{workshop.id}"))
    token = live_form(live, "a")["q-fs-elements"]
    assert re.search(rf'value="{token}" checked', page) and "Change my answer" in page
    facilitator.post(f"/workshops/{workshop.id}/live/{live.id}/close")
    response = ana.post(url, data=live_form(live, "b"))
    assert response.status_code == 303
    assert db.session.scalar(select(LiveAnswer.answer)) == "a"
    page = text(ana.get(response.headers["Location"]))
    assert "This question is closed: your answer was not saved." in page and "Answers are closed." in page
    again = text(ana.get(f"/workshops/{workshop.id}"))
    assert "This question is closed" not in again and "Answers are closed." in again  # said once


def test_an_empty_answer_is_refused_and_her_page_says_so(app):
    workshop, facilitator, (ana, _ben) = room(app)
    live = ask(facilitator, workshop, "fs-elements")
    url = f"/workshops/{workshop.id}/live/{live.id}/answer"
    response = ana.post(url, data={})
    assert response.status_code == 303 and "Choose an answer, then send it." in text(ana.get(response.headers["Location"]))
    assert answers() == 0


FORGED = "This answer is not one of the question’s options: it was not saved."


def test_a_forged_answer_is_refused_her_question_shown_again_and_her_answer_kept(app):
    workshop, facilitator, (ana, _ben) = room(app)
    live = ask(facilitator, workshop, "fs-elements")
    url = f"/workshops/{workshop.id}/live/{live.id}/answer"
    response = ana.post(url, data={"q-fs-elements": "deadbeef"})  # a radio's value edited by hand
    page = text(response)
    assert response.status_code == 400 and FORGED in page
    assert "How many elements has trafficking?" in page and "Send my answer" in page  # to answer it properly
    assert 'http-equiv="refresh"' not in page  # the message stays until she has read it
    assert answers() == 0 and "0 of 2 answered" in text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert ana.post(url, data=live_form(live, "b")).status_code == 303
    response = ana.post(url, data={"q-fs-elements": "deadbeef"})
    page = text(response)
    assert response.status_code == 400 and FORGED in page
    token = live_form(live, "b")["q-fs-elements"]
    assert re.search(rf'value="{token}" checked', page) and "Change my answer" in page  # her answer stands
    assert answers() == 1 and db.session.scalar(select(LiveAnswer.answer)) == "b"
    show_results(facilitator, live)
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert "1 of 2 answered" in screen and "1 answer (100 %)" in screen
    assert FORGED not in text(ana.get(f"/workshops/{workshop.id}"))  # said once
    assert ana.post(url, data=live_form(live, "a")).status_code == 303  # a real answer still changes it
    assert db.session.scalar(select(LiveAnswer.answer)) == "a"


def _every_field_right(live) -> dict:
    """The form of an answer with every field holding a value the page offers."""
    layout, field = live.layout, f"q-{live.question_id}"
    token = {option: tok for tok, option in layout["tokens"].items()}
    if "rows" in layout:  # match
        return {f"{field}-{n}": token[left] for n, left in enumerate(layout["rows"])}
    if live.question_id == "ss-order":
        return {f"{field}-{n}": str(n + 1) for n in range(len(layout["shown"]))}
    return {field: token[layout["shown"][0]]}


@pytest.mark.parametrize("question, forged", [
    ("fs-elements", "deadbeef"), ("fs-forms", "deadbeef"), ("fs-border", "deadbeef"), ("fs-case", "deadbeef"),
    ("ss-match", "deadbeef"), ("ss-order", "4"), ("ss-order", "0"), ("ss-order", "first")])
def test_a_forged_value_is_refused_whatever_the_question_type(app, question, forged):
    workshop, facilitator, (ana, _ben) = room(app)
    live = ask(facilitator, workshop, question)
    url = f"/workshops/{workshop.id}/live/{live.id}/answer"
    right = _every_field_right(live)
    assert ana.post(url, data=right).status_code == 303
    saved = db.session.scalar(select(LiveAnswer.answer))
    field, value = next(iter(right.items()))
    # One field altered: for several answers, a forged value ticked beside a real one.
    response = ana.post(url, data={**right, field: [value, forged] if question == "fs-forms" else forged})
    assert response.status_code == 400 and FORGED in text(response)
    assert answers() == 1 and db.session.scalar(select(LiveAnswer.answer)) == saved


def test_the_refusal_of_a_forged_answer_is_in_her_language(app):
    workshop, facilitator, _ = room(app, trainees=0)
    french = make_user(language="fr")
    join_workshop(workshop, french)
    live = ask(facilitator, workshop, "fs-border")
    response = signed_in(app, french).post(f"/workshops/{workshop.id}/live/{live.id}/answer",
                                           data={"q-fs-border": "deadbeef"})
    assert response.status_code == 400
    assert "Cette réponse ne fait pas partie des choix de la question\u00a0: elle n’a pas été enregistrée." in text(response)


def test_the_facilitator_reveals_the_answer_and_everyone_sees_the_explanation(app):
    workshop, facilitator, (ana, ben) = room(app)
    live = ask(facilitator, workshop, "fs-elements")
    ana.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, "a"))
    assert "Act, means and purpose." not in text(ana.get(f"/workshops/{workshop.id}"))
    facilitator.post(f"/workshops/{workshop.id}/live/{live.id}/reveal")
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert "Act, means and purpose." in screen and "✓ right answer" in screen
    mine = text(ana.get(f"/workshops/{workshop.id}"))
    assert "You were right." in mine and "Act, means and purpose." in mine
    assert "How the room answered" in mine and "1 answer (100 %)" in mine
    assert "You did not answer this question." in text(ben.get(f"/workshops/{workshop.id}"))
    assert ben.post(f"/workshops/{workshop.id}/live/{live.id}/answer",
                    data=live_form(live, "b")).status_code == 303
    assert answers() == 1


@pytest.mark.engine_sensitive
def test_live_answers_never_count_toward_grades(app):
    workshop, facilitator, (ana, _ben) = room(app)
    for qid in ("fs-elements", "fs-case"):
        live = ask(facilitator, workshop, qid)
        right = "a" if qid == "fs-elements" else "smuggling"
        ana.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, right))
    assert answers() == 2
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0
    assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 0
    quizzes = text(ana.get("/quizzes"))
    assert "Passed" not in quizzes and "100 %" not in quizzes


def test_asking_a_new_question_closes_the_one_before(app):
    workshop, facilitator, (ana, _ben) = room(app)
    first = ask(facilitator, workshop, "fs-elements")
    second = ask(facilitator, workshop, "fs-border")
    states = dict(db.session.execute(select(LiveQuestion.id, LiveQuestion.state)).all())
    assert states == {first.id: "closed", second.id: "open"}
    page = text(ana.get(f"/workshops/{workshop.id}"))
    assert "Trafficking needs a border." in page and "Question 2" in page
    assert ana.post(f"/workshops/{workshop.id}/live/{first.id}/answer",
                    data=live_form(first, "a")).status_code == 303
    assert answers() == 0


@pytest.mark.engine_sensitive
def test_asking_the_open_question_again_keeps_it_open_for_those_answering(app):
    workshop, facilitator, (ana, _ben) = room(app)
    first = ask(facilitator, workshop, "fs-elements")
    again = ask(facilitator, workshop, "fs-elements")  # a double click on "Ask"
    assert again.id == first.id and db.session.scalar(select(func.count()).select_from(LiveQuestion)) == 1
    assert ana.post(f"/workshops/{workshop.id}/live/{first.id}/answer",
                    data=live_form(first, "a")).status_code in (200, 302, 303)


def test_a_question_with_several_answers_and_a_matching_question_show_fitting_bars(app):
    workshop, facilitator, (ana, ben) = room(app)
    live = ask(facilitator, workshop, "fs-forms")
    ana.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, "a", "b"))
    ben.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, "a", "c"))
    show_results(facilitator, live)
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert "2 answers (100 %)" in screen and screen.count("1 answer (50 %)") == 2
    live = ask(facilitator, workshop, "ss-match")
    token = {option: tok for tok, option in live.layout["tokens"].items()}
    rows = live.layout["rows"]
    ana.post(f"/workshops/{workshop.id}/live/{live.id}/answer",
             data={f"q-ss-match-{n}": token[left] for n, left in enumerate(rows)})
    show_results(facilitator, live)
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert "All right" in screen and "1 answer (100 %)" in screen


def test_the_facilitator_goes_back_to_earlier_questions_with_their_answers(app):
    workshop, facilitator, (ana, ben) = room(app)
    first = ask(facilitator, workshop, "fs-border")
    ana.post(f"/workshops/{workshop.id}/live/{first.id}/answer", data=live_form(first, "false"))
    ben.post(f"/workshops/{workshop.id}/live/{first.id}/answer", data=live_form(first, "true"))
    ask(facilitator, workshop, "fs-elements")
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    earlier = screen.split("Questions asked before", 1)[1]
    assert "Trafficking needs a border." in earlier and "50 %" in earlier
    assert f"/workshops/{workshop.id}/live/{first.id}" in earlier
    past = text(facilitator.get(f"/workshops/{workshop.id}/live/{first.id}"))
    assert "Question 1" in past and "2 of 2 answered" in past and "right answer" in past
    assert ana.get(f"/workshops/{workshop.id}/live/{first.id}").status_code == 403


def test_once_closed_a_trainee_still_sees_what_she_answered_whatever_the_question_type(app):
    workshop, facilitator, (ana, ben) = room(app)
    live = ask(facilitator, workshop, "fs-forms")
    ana.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, "a", "c"))
    facilitator.post(f"/workshops/{workshop.id}/live/{live.id}/close")
    page = text(ana.get(f"/workshops/{workshop.id}"))
    assert "Your answers:" in page and "Forced labour" in page and "A paid journey" in page
    assert "You did not answer this question." in text(ben.get(f"/workshops/{workshop.id}"))
    live = ask(facilitator, workshop, "ss-order")
    shown = live.layout["shown"]
    places = {"three": "1", "one": "2", "two": "3"}  # her order: Refer, Identify, Protect
    ana.post(f"/workshops/{workshop.id}/live/{live.id}/answer",
             data={f"q-ss-order-{n}": places[item] for n, item in enumerate(shown)})
    facilitator.post(f"/workshops/{workshop.id}/live/{live.id}/reveal")
    page = text(ana.get(f"/workshops/{workshop.id}"))
    mine = page.split("Your order:", 1)[1]
    assert mine.index("Refer") < mine.index("Identify") < mine.index("Protect")


def test_the_panel_changes_only_when_the_facilitator_acts_not_when_others_answer(app):
    workshop, facilitator, (ana, ben) = room(app)
    url = f"/workshops/{workshop.id}/live/panel"
    empty = ana.get(url)
    version = empty.headers["X-Live-Version"]
    assert ana.get(f"{url}?v={version}").status_code == 204
    live = ask(facilitator, workshop, "fs-elements")
    fresh = ana.get(f"{url}?v={version}")
    assert fresh.status_code == 200 and "How many elements" in text(fresh)
    version = fresh.headers["X-Live-Version"]
    screen_version = facilitator.get(url).headers["X-Live-Version"]
    ben.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, "a"))
    assert ana.get(f"{url}?v={version}").status_code == 204          # Ana's half-chosen answer stays
    moved = facilitator.get(f"{url}?v={screen_version}")
    assert moved.status_code == 200 and "1 of 2 answered" in text(moved)  # the screen shows the count
    assert "<html" not in text(moved)  # only the panel


def test_an_unknown_question_or_another_workshops_question_is_refused(app):
    workshop, facilitator, (ana, _ben) = room(app)
    response = facilitator.post(f"/workshops/{workshop.id}/live", data={"question": "no-such-question"})
    assert response.status_code == 400 and "Choose a question from the list." in text(response)
    assert db.session.scalar(select(func.count()).select_from(LiveQuestion)) == 0
    other = make_workshop(make_user(role="facilitator"))
    foreign = signed_in(app, other.owner)
    foreign.post(f"/workshops/{other.id}/live", data={"question": "fs-border"})
    live = current_live(other.id)
    assert ana.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, "true")).status_code == 404
    assert facilitator.post(f"/workshops/{workshop.id}/live/{live.id}/reveal").status_code == 404
    assert ana.post(f"/workshops/{other.id}/live/{live.id}/answer", data=live_form(live, "true")).status_code == 404
    assert answers() == 0 and current_live(other.id).state == "open"
