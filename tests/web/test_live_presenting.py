"""Presenting in the room: the results hidden while answers are open, who has not answered yet, a
countdown, and the presenter view for the projector."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select, update

from webapp.extensions import db
from webapp.models import LiveAnswer, LiveQuestion
from webapp.models.base import utcnow

from ..factories import join_workshop, make_user, make_workshop
from .test_own_questions import ask_own, own
from .workshop_helpers import current_live, live_form, show_results, signed_in, text


def room(app, names=("Trainee A", "Trainee B")):
    """A workshop, its facilitator's browser and each trainee's."""
    owner = make_user(role="facilitator", language="en", name="Fatou Sow")
    workshop = make_workshop(owner)
    people = [make_user(language="en", name=name) for name in names]
    join_workshop(workshop, *people)
    return workshop, signed_in(app, owner), [signed_in(app, p) for p in people]


def ask(facilitator, workshop, question_id, **form):
    response = facilitator.post(f"/workshops/{workshop.id}/live", data={"question": question_id, **form})
    assert response.status_code == 302, response.status_code
    return current_live(workshop.id)


def answer(phone, live, *options):
    return phone.post(f"/workshops/{live.workshop_id}/live/{live.id}/answer", data=live_form(live, *options))


def panel(client, workshop, version=None):
    url = f"/workshops/{workshop.id}/live/panel" + (f"?v={version}" if version else "")
    return client.get(url)


# Results hidden while answers are open -------------------------------------------------------------

def test_while_answers_are_open_the_facilitator_sees_the_count_not_the_bars_until_she_shows_them(app):
    workshop, facilitator, (ana, ben) = room(app)
    live = ask(facilitator, workshop, "fs-elements")
    answer(ana, live, "a")
    answer(ben, live, "b")
    for seen in (text(facilitator.get(f"/workshops/{workshop.id}/live")), text(panel(facilitator, workshop))):
        assert "2 of 2 answered" in seen and "The results are hidden while answers are open" in seen
        assert "answer (50 %)" not in seen and 'class="bars"' not in seen and "Show results" in seen
    hidden = panel(facilitator, workshop).headers["X-Live-Version"]
    response = show_results(facilitator, live)
    assert response.headers["Location"] == f"/workshops/{workshop.id}/live#live-panel"
    show_results(facilitator, live)  # the same button twice: still shown
    shown = panel(facilitator, workshop, hidden)
    assert shown.status_code == 200 and shown.headers["X-Live-Version"] != hidden  # polling screens follow
    assert text(shown).count("1 answer (50 %)") == 2 and "Hide results" in text(shown)
    assert "✓ right answer" not in text(shown)  # showing the results is not revealing the answer
    # The trainees see no distribution before the reveal, shown results or not.
    for phone in (ana, ben):
        seen = text(phone.get(f"/workshops/{workshop.id}")) + text(panel(phone, workshop))
        assert "answer (50 %)" not in seen and "How the room answered" not in seen
    show_results(facilitator, live, shown=False)
    again = panel(facilitator, workshop, shown.headers["X-Live-Version"])
    assert again.status_code == 200 and "answer (50 %)" not in text(again) and "Show results" in text(again)


def test_once_closed_the_distribution_shows_without_asking(app):
    workshop, facilitator, (ana, _ben) = room(app)
    live = ask(facilitator, workshop, "fs-elements")
    answer(ana, live, "a")
    assert facilitator.post(f"/workshops/{workshop.id}/live/{live.id}/close").status_code == 303
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert "1 answer (100 %)" in screen and "Show results" not in screen and "are hidden" not in screen
    assert db.session.scalar(select(LiveQuestion.results_shown)) is False


def test_a_new_question_starts_with_its_results_hidden(app):
    workshop, facilitator, (ana, _ben) = room(app)
    first = ask(facilitator, workshop, "fs-elements")
    show_results(facilitator, first)
    second = ask(facilitator, workshop, "fs-border")
    answer(ana, second, "true")
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert "1 of 2 answered" in screen and "answer (100 %)" not in screen and "Show results" in screen


# Who has not answered yet --------------------------------------------------------------------------

def test_the_facilitator_sees_who_has_not_answered_by_name_and_nobody_else_does(app):
    workshop, facilitator, (zoe, ana, bea) = room(app, names=("Zoé Traoré", "ana Diallo", "Bea Keita"))
    live = ask(facilitator, workshop, "fs-elements")
    answer(bea, live, "a")
    for seen in (text(facilitator.get(f"/workshops/{workshop.id}/live")), text(panel(facilitator, workshop))):
        waiting = seen.split("2 have not answered yet:", 1)[1].split("</ul>", 1)[0]
        assert waiting.index("ana Diallo") < waiting.index("Zoé Traoré") and "Bea Keita" not in waiting
    for phone in (zoe, ana, bea):
        seen = text(phone.get(f"/workshops/{workshop.id}")) + text(panel(phone, workshop))
        assert "not answered yet" not in seen and "Diallo" not in seen and "Traoré" not in seen
    present = text(facilitator.get(f"/workshops/{workshop.id}/live/present"))
    present += text(facilitator.get(f"/workshops/{workshop.id}/live/present/panel"))
    assert "Question 1" in present and "not answered yet" not in present and "Diallo" not in present
    answer(ana, live, "b")
    answer(zoe, live, "b")
    assert "not answered yet" not in text(facilitator.get(f"/workshops/{workshop.id}/live"))  # everyone has
    ask(facilitator, workshop, "fs-border")
    assert "3 have not answered yet:" in text(facilitator.get(f"/workshops/{workshop.id}/live"))
    facilitator.post(f"/workshops/{workshop.id}/live/{current_live(workshop.id).id}/close")
    assert "not answered yet" not in text(facilitator.get(f"/workshops/{workshop.id}/live"))  # answers stopped


# A countdown -----------------------------------------------------------------------------------------

def run_out(live):
    """The countdown ends: its end moved into the past (no waiting in a test)."""
    db.session.execute(update(LiveQuestion).where(LiveQuestion.id == live.id)
                       .values(closes_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def test_a_countdown_shows_the_time_left_and_at_zero_answers_are_refused_as_when_closed(app):
    workshop, facilitator, (ana, ben) = room(app)
    live = ask(facilitator, workshop, "fs-elements", timer="60")
    assert timedelta(seconds=58) < live.closes_at - live.opened_at <= timedelta(seconds=61)
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert re.search(r'Time left: <span role="timer" data-seconds-left="(59|60)">(0:59|1:00)</span>', screen)
    phone = text(ana.get(f"/workshops/{workshop.id}"))
    assert "Time left:" in phone and "Send my answer" in phone
    assert answer(ana, live, "a").status_code == 303
    screen_version = panel(facilitator, workshop).headers["X-Live-Version"]
    phone_version = panel(ben, workshop).headers["X-Live-Version"]
    run_out(live)
    # Nobody clicked "Close": the answer is refused all the same, and nothing is saved.
    response = answer(ben, live, "b")
    assert response.status_code == 303  # back to her page, never a form to post again
    assert "This question is closed: your answer was not saved." in text(ben.get(response.headers["Location"]))
    assert db.session.scalar(select(func.count()).select_from(LiveAnswer)) == 1
    # The polls see it closed (the phone's quick check agrees with its panel), and so does the history.
    moved = panel(ben, workshop, phone_version)
    assert moved.status_code == 200 and "Answers are closed." in text(moved) and "Time left" not in text(moved)
    assert panel(ben, workshop, moved.headers["X-Live-Version"]).status_code == 204
    closed = panel(facilitator, workshop, screen_version)
    assert closed.status_code == 200 and "answers closed" in text(closed) and "1 answer (100 %)" in text(closed)
    db.session.expire_all()
    row = db.session.get(LiveQuestion, live.id)
    assert row.state == "closed" and row.closed_at == row.closes_at
    assert answer(ana, live, "b").status_code == 303  # refused: her answer stays as it was
    assert db.session.scalar(select(LiveAnswer.answer)) == "a"


def test_a_countdown_ends_for_the_quick_poll_even_before_anything_closes_it(app):
    workshop, facilitator, (ana, _ben) = room(app)
    live = ask(facilitator, workshop, "fs-border", timer="custom", seconds="45")
    version = panel(ana, workshop).headers["X-Live-Version"]
    assert panel(ana, workshop, version).status_code == 204
    run_out(live)
    assert panel(ana, workshop, version).status_code == 200  # the version changed: her phone reloads


def test_the_countdown_is_optional_and_a_typed_one_is_checked(app):
    workshop, facilitator, _ = room(app)
    assert ask(facilitator, workshop, "fs-elements", timer="").closes_at is None
    assert "Time left" not in text(facilitator.get(f"/workshops/{workshop.id}/live"))
    typed = ask(facilitator, workshop, "fs-border", timer="", seconds="90")  # typed, list left on none
    assert typed.closes_at is not None
    for form in ({"timer": "custom", "seconds": "4"}, {"timer": "custom", "seconds": "3601"},
                 {"timer": "custom", "seconds": ""}, {"timer": "custom", "seconds": "-10"},
                 {"timer": "ten", "seconds": ""}, {"timer": "custom", "seconds": "١٠"}):
        response = facilitator.post(f"/workshops/{workshop.id}/live", data={"question": "fs-case", **form})
        page = text(response)
        assert response.status_code == 400 and "Enter a countdown from 5 to 3600 seconds, or choose none." in page
        assert 'aria-invalid="true"' in page
    assert current_live(workshop.id).id == typed.id  # nothing asked
    french = make_user(role="facilitator", language="fr")
    other = make_workshop(french)
    response = signed_in(app, french).post(f"/workshops/{other.id}/live",
                                           data={"question": "fs-case", "timer": "custom", "seconds": "2"})
    assert response.status_code == 400 and "Indiquez un compte à rebours de 5 à 3600\u00a0secondes" in text(response)


def test_questions_of_her_own_are_still_asked_without_a_countdown(app):
    workshop, facilitator, _ = room(app)
    live = ask_own(facilitator, workshop, own("poll", "Ready?"))
    assert live.own is not None and live.closes_at is None and live.state == "open"


# The presenter view --------------------------------------------------------------------------------

def present(client, workshop):
    return text(client.get(f"/workshops/{workshop.id}/live/present"))


def press(facilitator, live, action, **form):
    response = facilitator.post(f"/workshops/{live.workshop_id}/live/{live.id}/{action}", data={"back": "present", **form})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/workshops/{live.workshop_id}/live/present"
    return response


def test_the_presenter_view_shows_the_join_code_then_the_question_for_the_room(app):
    workshop, facilitator, (ana, ben) = room(app)
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert f'href="/workshops/{workshop.id}/live/present" target="_blank"' in screen
    page = present(facilitator, workshop)
    assert '<header class="site">' not in page and "<footer" not in page and 'class="subnav"' not in page
    assert workshop.join_code[:3] in page.replace("-", "").replace(" ", "") and f"/workshops/{workshop.id}/qr.svg" in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert 'aria-keyshortcuts="n"' in page and "Keys: N next question" in page
    live = ask(facilitator, workshop, "fs-elements", timer="120")
    answer(ana, live, "a")
    page = present(facilitator, workshop)
    assert "How many elements has trafficking?" in page and 'class="present-prompt"' in page
    assert "1 of 2 answered" in page and "Time left:" in page
    assert "<input type=\"radio\"" not in page and 'type="checkbox"' not in page  # text only, no answering here
    assert "answer (100 %)" not in page and 'class="bars"' not in page  # results hidden by default
    assert "✓ right answer" not in page and "Act, means and purpose." not in page
    assert "Trainee B" not in page and "not answered yet" not in page  # no names on the projector
    press(facilitator, live, "results", shown="1")
    page = present(facilitator, workshop)
    assert "1 answer (100 %)" in page and "Hide results" in page and "✓ right answer" not in page
    press(facilitator, live, "close")
    page = present(facilitator, workshop)
    assert "answers closed" in page and "1 answer (100 %)" in page and "Time left" not in page
    press(facilitator, live, "reveal")
    page = present(facilitator, workshop)
    assert "✓ right answer" in page and "Right answer:" in page and "Act, means and purpose." in page
    assert 'data-key="c"' not in page and 'data-key="r"' not in page and 'data-key="n"' in page


def test_the_presenter_view_keeps_the_join_code_only_while_joining_is_open(app):
    workshop, facilitator, _ = room(app)
    ask(facilitator, workshop, "fs-elements")
    assert "Join the workshop" in present(facilitator, workshop)
    assert facilitator.post(f"/workshops/{workshop.id}/joining", data={"open": "0"}).status_code == 302
    page = present(facilitator, workshop)
    assert "Join the workshop" not in page and "How many elements" in page


def test_the_presenter_panel_answers_204_until_something_the_room_sees_changes(app):
    workshop, facilitator, (ana, _ben) = room(app)
    url = f"/workshops/{workshop.id}/live/present/panel"
    first = facilitator.get(url)
    assert first.status_code == 200 and "<html" not in text(first)
    version = first.headers["X-Live-Version"]
    assert facilitator.get(f"{url}?v={version}").status_code == 204
    live = ask(facilitator, workshop, "fs-elements")
    asked = facilitator.get(f"{url}?v={version}")
    assert asked.status_code == 200 and "How many elements" in text(asked)
    versions = [asked.headers["X-Live-Version"]]
    for step in (lambda: answer(ana, live, "a"), lambda: press(facilitator, live, "results", shown="1"),
                 lambda: press(facilitator, live, "results", shown="0"), lambda: press(facilitator, live, "close"),
                 lambda: press(facilitator, live, "reveal")):
        step()
        moved = facilitator.get(f"{url}?v={versions[-1]}")
        assert moved.status_code == 200, step
        versions.append(moved.headers["X-Live-Version"])
    assert all(a != b for a, b in zip(versions, versions[1:]))
    assert ana.get(url).status_code == 403  # the room's screen is run by its facilitators


def test_next_asks_the_workshops_bank_questions_in_course_order_skipping_those_asked(app):
    workshop, facilitator, _ = room(app)
    cat = app.extensions["catalog"]
    ordered = [q["id"] for slug in workshop.lessons for q in cat.banks[slug].questions]
    assert len(ordered) >= 3
    ask(facilitator, workshop, ordered[1])  # asked from the live screen: "Next" skips it later
    asked = [ordered[1]]

    def next_question():
        after = current_live(workshop.id)
        response = facilitator.post(f"/workshops/{workshop.id}/live/present/next",
                                    data={"after": str(after.id) if after else ""})
        assert response.status_code == 303 and response.headers["Location"] == f"/workshops/{workshop.id}/live/present"
        return response

    for _ in ordered[1:]:
        next_question()
        asked.append(current_live(workshop.id).question_id)
    assert asked == ordered[1:] + ordered[:1]  # after the current one, then the one before it
    assert len(set(asked)) == len(ordered)
    last = current_live(workshop.id)
    next_question()
    assert current_live(workshop.id).id == last.id  # none left: nothing asked
    page = present(facilitator, workshop)
    assert "Every question of this workshop&#39;s lessons has been asked." in page


def test_next_sent_twice_asks_one_question(app):
    workshop, facilitator, _ = room(app)
    live = ask(facilitator, workshop, "fs-elements")
    for _ in range(2):  # the key pressed twice, or the page sent again from history
        facilitator.post(f"/workshops/{workshop.id}/live/present/next", data={"after": str(live.id)})
    assert db.session.scalar(select(func.count()).select_from(LiveQuestion)) == 2


def test_trainees_and_strangers_cannot_open_the_presenter_view(app):
    workshop, _facilitator, (ana, _ben) = room(app)
    assert ana.get(f"/workshops/{workshop.id}/live/present").status_code == 403
    assert ana.post(f"/workshops/{workshop.id}/live/present/next", data={"after": ""}).status_code == 403
    stranger = signed_in(app, make_user(role="facilitator"))
    assert stranger.get(f"/workshops/{workshop.id}/live/present").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(LiveQuestion)) == 0
