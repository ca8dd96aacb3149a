"""Questions of her own: a facilitator types a quick question in the room (single or multiple choice,
a yes/no poll, a few words of free text), the room answers it like a bank question, free text is for
her eyes only, and the questions she saves come back in her next workshop (hers alone)."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import LiveAnswer, LiveQuestion, SavedQuestion

from ..factories import join_workshop, make_user, make_workshop
from .workshop_helpers import current_live, live_form, show_results, signed_in, text

NO_BREAK = "\u00a0"


def room(app, trainees=2, language="en"):
    owner = make_user(role="facilitator", language=language, name="Fatou Sow", email="fatou@example.org")
    workshop = make_workshop(owner)
    people = [make_user(language="en", name=f"Trainee {chr(65 + n)}") for n in range(trainees)]
    join_workshop(workshop, *people)
    return owner, workshop, signed_in(app, owner), [signed_in(app, p) for p in people]


def own(kind, prompt, *options, right=(), save=False, key="0123456789abcdef") -> dict:
    form = {"kind": kind, "prompt": prompt, "key": key, "right": [str(n) for n in right]}
    form.update({f"option-{n}": text for n, text in enumerate(options)})
    if save:
        form["save"] = "1"
    return form


def ask_own(facilitator, workshop, form):
    response = facilitator.post(f"/workshops/{workshop.id}/live/own", data=form)
    assert response.status_code == 302, text(response)
    assert response.headers["Location"] == f"/workshops/{workshop.id}/live#live-panel"
    return current_live(workshop.id)


def answer(phone, workshop, live, data):
    return phone.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=data)


def saved_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SavedQuestion))


# Asking each kind ----------------------------------------------------------------------------------

def test_a_single_choice_question_typed_in_the_room_is_answered_and_revealed(app):
    _owner, workshop, facilitator, (ana, ben) = room(app)
    assert "Ask a question of your own" in text(facilitator.get(f"/workshops/{workshop.id}/live"))
    live = ask_own(facilitator, workshop, own("single", "Who leads the national referral?", "The police",
                                              "The social services", "", "", right=(1,)))
    assert live.own["options"][1]["correct"] and len(live.own["options"]) == 2  # empty rows dropped
    page = text(ana.get(f"/workshops/{workshop.id}"))
    assert "Who leads the national referral?" in page and "The social services" in page
    assert answer(ana, workshop, live, live_form(live, "b")).status_code == 303
    assert answer(ben, workshop, live, live_form(live, "a")).status_code == 303
    show_results(facilitator, live)
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert "2 of 2 answered" in screen and screen.count("1 answer (50 %)") == 2
    facilitator.post(f"/workshops/{workshop.id}/live/{live.id}/reveal")
    assert "You were right." in text(ana.get(f"/workshops/{workshop.id}"))
    ben_page = text(ben.get(f"/workshops/{workshop.id}"))
    assert "Your answer was not right." in ben_page and "Right answer:</strong> The social services" in ben_page
    assert "Why:" not in ben_page  # she typed no explanation: no empty "Why"
    assert sorted(db.session.scalars(select(LiveAnswer.credit))) == [0.0, 1.0]


def test_a_multiple_choice_question_gives_partial_credit(app):
    _owner, workshop, facilitator, (ana, _ben) = room(app)
    live = ask_own(facilitator, workshop, own("multiple", "Which are means?", "Threat", "Deception",
                                              "Crossing a border", right=(0, 1)))
    assert 'type="checkbox"' in text(ana.get(f"/workshops/{workshop.id}"))
    answer(ana, workshop, live, live_form(live, "a"))
    assert db.session.scalar(select(LiveAnswer.credit)) == 0.5


def test_a_yes_no_poll_has_no_right_answer_and_shows_the_room_its_results(app):
    _owner, workshop, facilitator, (ana, ben) = room(app)
    live = ask_own(facilitator, workshop, own("poll", "Has your service met a smuggled migrant this year?",
                                              "ignored", "ignored", right=(0,)))
    assert [o["id"] for o in live.own["options"]] == ["yes", "no"]
    page = text(ana.get(f"/workshops/{workshop.id}"))
    assert re.search(r"> Yes</label>", page) and re.search(r"> No</label>", page)
    answer(ana, workshop, live, live_form(live, "yes"))
    answer(ben, workshop, live, live_form(live, "yes"))
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert "Show the results to the room" in screen and "Show the right answer" not in screen
    facilitator.post(f"/workshops/{workshop.id}/live/{live.id}/reveal")
    page = text(ana.get(f"/workshops/{workshop.id}"))
    assert "there is no right answer" in page and "2 answers (100 %)" in page
    assert "You were right" not in page and "not right" not in page and "✓" not in page


def test_a_poll_reads_oui_non_for_a_trainee_reading_french(app):
    _owner, workshop, facilitator, _ = room(app)
    french = make_user(language="fr")
    join_workshop(workshop, french)
    ask_own(facilitator, workshop, own("poll", "Avez-vous déjà rencontré ce cas ?"))
    page = text(signed_in(app, french).get(f"/workshops/{workshop.id}"))
    assert "> Oui</label>" in page and "> Non</label>" in page


def test_free_text_is_for_the_facilitators_eyes_only_and_escaped(app):
    _owner, workshop, facilitator, (ana, ben) = room(app)
    live = ask_own(facilitator, workshop, own("free_text", "One word for what you felt?"))
    page = text(ana.get(f"/workshops/{workshop.id}"))
    assert "<textarea" in page and "Answer in a few words." in page
    field = f"q-{live.question_id}"
    hostile = '<script>alert("x")</script> Fear fear, and trust'
    assert answer(ana, workshop, live, {field: hostile}).status_code == 303
    assert answer(ben, workshop, live, {field: "  Trust   the  team  "}).status_code == 303
    assert "Trust the team" in db.session.scalars(select(LiveAnswer.answer))
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert "2 of 2 answered" in screen and "Only you see these answers" in screen
    assert "<script>alert" not in screen and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Fear fear, and trust" in screen
    assert "Trust the team" in screen
    words = dict(re.findall(r'<span class="word">([^<]+)</span> \((\d+) answers?\)', screen))
    assert words["trust"] == "2" and words["fear"] == "1" and "and" not in words and "the" not in words
    assert "Show the right answer" not in screen and "Show the results" not in screen  # nothing to show the room
    # A trainee sees her own answer, never the others'; neither does the panel her phone polls.
    facilitator.post(f"/workshops/{workshop.id}/live/{live.id}/close")
    for phone, mine, other in ((ana, "Fear fear", "Trust the team"), (ben, "Trust the team", "Fear fear")):
        seen = text(phone.get(f"/workshops/{workshop.id}")) + text(phone.get(f"/workshops/{workshop.id}/live/panel"))
        assert mine in seen and other not in seen and "<script>alert" not in seen
    facilitator.post(f"/workshops/{workshop.id}/live/{live.id}/reveal")  # a forged reveal shows nothing more
    seen = text(ben.get(f"/workshops/{workshop.id}"))
    assert "Fear" not in seen and "How the room answered" not in seen
    # Later, on the page of the earlier question, she reads them again.
    past = text(facilitator.get(f"/workshops/{workshop.id}/live/{live.id}"))
    assert "Trust the team" in past and "&lt;script&gt;" in past


def test_a_free_text_answer_left_empty_is_refused_and_a_long_one_cut(app):
    _owner, workshop, facilitator, (ana, _ben) = room(app)
    live = ask_own(facilitator, workshop, own("free_text", "One word?"))
    field = f"q-{live.question_id}"
    response = answer(ana, workshop, live, {field: "   "})
    assert response.status_code == 303 and "Choose an answer, then send it." in text(ana.get(response.headers["Location"]))
    answer(ana, workshop, live, {field: "x" * 5000})
    assert len(db.session.scalar(select(LiveAnswer.answer))) == 300


def test_a_forged_poll_answer_is_refused_and_a_question_mark_typed_as_free_text_is_kept(app):
    _owner, workshop, facilitator, (ana, _ben) = room(app)
    poll = ask_own(facilitator, workshop, own("poll", "Did you sleep well?"))
    answer(ana, workshop, poll, live_form(poll, "yes"))
    response = answer(ana, workshop, poll, {f"q-{poll.question_id}": "maybe"})
    assert response.status_code == 400 and "not one of the question’s options" in text(response)
    assert db.session.scalars(select(LiveAnswer.answer)).all() == ["yes"]
    words = ask_own(facilitator, workshop, own("free_text", "One word?", key="fedcba9876543210"))
    # A free text offers no options: whatever she types is hers, a lone "?" too.
    assert answer(ana, workshop, words, {f"q-{words.question_id}": "?"}).status_code == 303
    assert db.session.scalar(select(LiveAnswer.answer).where(LiveAnswer.live_question_id == words.id)) == "?"


def test_the_same_form_sent_twice_asks_one_question(app):
    _owner, workshop, facilitator, (ana, _ben) = room(app)
    form = own("single", "Twice?", "Yes", "No", right=(0,))
    first = ask_own(facilitator, workshop, form)
    answer(ana, workshop, first, live_form(first, "a"))
    second = ask_own(facilitator, workshop, form)
    assert second.id == first.id and second.state == "open"
    assert db.session.scalar(select(func.count()).select_from(LiveQuestion)) == 1


# Validation ----------------------------------------------------------------------------------------

def test_what_is_missing_is_said_and_nothing_typed_is_lost(app):
    _owner, workshop, facilitator, _ = room(app)
    url = f"/workshops/{workshop.id}/live/own"
    cases = [
        (own("single", "", "A one", "B one", right=(0,)), "Type the question."),
        (own("single", "Only one option?", "Lonely option", right=(0,)), "Give at least two options."),
        (own("multiple", "x" * 301, "First", "Second", right=(0,)),
         "The question is too long: at most 300 characters (it has 301)."),
        (own("single", "Long option?", "y" * 151, "Second", right=(1,)),
         "Option A is too long: at most 150 characters."),
        (own("single", "Which is right?", "First", "Second"), "Tick the right answer."),
        (own("single", "Two right?", "First", "Second", right=(0, 1)),
         "A single-choice question has one right answer"),
        (own("essay", "What kind?"), "Choose the kind of question."),
    ]
    for form, message in cases:
        response = facilitator.post(url, data=form)
        page = text(response)
        assert response.status_code == 400 and message in page, message
        if form["prompt"] and form["kind"] != "essay":
            assert form["prompt"] in page  # the question typed is shown again
        for n in range(6):
            if form.get(f"option-{n}"):
                assert f'value="{form[f"option-{n}"]}"' in page
        for n in form["right"]:
            assert re.search(rf'value="{n}" checked', page)
    assert db.session.scalar(select(func.count()).select_from(LiveQuestion)) == 0
    kept = text(facilitator.post(url, data=own("multiple", "", "Keep me", "And me", right=(1,), save=True)))
    assert 'value="multiple" checked' in kept and 'name="save" value="1" checked' in kept


def test_the_messages_are_in_her_language(app):
    _owner, workshop, facilitator, _ = room(app, language="fr")
    response = facilitator.post(f"/workshops/{workshop.id}/live/own", data=own("single", "", "A"))
    page = text(response)
    assert response.status_code == 400
    assert "Tapez la question." in page and "Donnez au moins deux options." in page
    assert "La question n’a pas été posée" in page


# Saved questions -----------------------------------------------------------------------------------

def test_a_saved_question_is_asked_again_in_her_next_workshop(app):
    owner, workshop, facilitator, _ = room(app)
    ask_own(facilitator, workshop, own("single", "Saved for later?", "Yes, kept", "No", right=(0,), save=True))
    ask_own(facilitator, workshop, own("single", "Saved for later?", "Yes, kept", "No", right=(0,), save=True,
                                       key="fedcba9876543210"))
    assert saved_count() == 1  # the same question saved twice is kept once
    nxt = make_workshop(owner, title="Atelier de Porto")
    trainee = make_user(language="en")
    join_workshop(nxt, trainee)
    page = text(facilitator.get(f"/workshops/{nxt.id}/live/own"))
    assert "Saved for later?" in page and "Yes, kept" in page
    saved = db.session.scalar(select(SavedQuestion))
    assert facilitator.post(f"/workshops/{nxt.id}/live/saved/{saved.id}").status_code == 302
    live = current_live(nxt.id)
    assert live.own["prompt"]["en"] == "Saved for later?" and live.state == "open"
    phone = signed_in(app, trainee)
    assert "Yes, kept" in text(phone.get(f"/workshops/{nxt.id}"))
    answer(phone, nxt, live, live_form(live, "a"))
    assert db.session.scalar(select(LiveAnswer.credit).where(LiveAnswer.live_question_id == live.id)) == 1.0
    # "Change it, then ask" fills the form with it.
    form = text(facilitator.get(f"/workshops/{nxt.id}/live/own?edit={saved.id}"))
    assert ">Saved for later?</textarea>" in form and 'value="Yes, kept"' in form


def test_saved_questions_are_hers_alone(app):
    owner, workshop, facilitator, _ = room(app)
    ask_own(facilitator, workshop, own("poll", "Fatou's own poll?", save=True))
    saved = db.session.scalar(select(SavedQuestion))
    colleague = make_user(role="facilitator", language="en", email="colleague@example.org")
    theirs = make_workshop(colleague, title="Their workshop")
    other = signed_in(app, colleague)
    assert "Fatou's own poll?" not in text(other.get(f"/workshops/{theirs.id}/live/own"))
    assert other.post(f"/workshops/{theirs.id}/live/saved/{saved.id}").status_code == 404
    assert other.post(f"/workshops/{theirs.id}/live/saved/{saved.id}/delete").status_code == 404
    assert other.get(f"/workshops/{theirs.id}/live/own?edit={saved.id}").status_code == 404
    # A co-facilitator of her workshop still sees only her own saved questions.
    assert "Fatou's own poll?" not in text(other.get(f"/workshops/{theirs.id}/live/own"))
    assert saved_count() == 1 and current_live(theirs.id) is None


def test_she_deletes_a_saved_question_and_what_was_asked_stays(app):
    _owner, workshop, facilitator, (ana, _ben) = room(app)
    live = ask_own(facilitator, workshop, own("single", "Delete me later?", "One", "Two", right=(0,), save=True))
    answer(ana, workshop, live, live_form(live, "a"))
    saved_id = db.session.scalar(select(SavedQuestion.id))
    response = facilitator.post(f"/workshops/{workshop.id}/live/saved/{saved_id}/delete")
    assert response.status_code == 302 and saved_count() == 0
    assert "No saved question yet" in text(facilitator.get(response.headers["Location"]))
    assert "Delete me later?" in text(facilitator.get(f"/workshops/{workshop.id}/live/{live.id}"))
    assert facilitator.post(f"/workshops/{workshop.id}/live/saved/{saved_id}").status_code == 404


def test_trainees_cannot_ask_questions_of_their_own(app):
    _owner, workshop, _facilitator, (ana, _ben) = room(app)
    assert ana.get(f"/workshops/{workshop.id}/live/own").status_code == 403
    assert ana.post(f"/workshops/{workshop.id}/live/own", data=own("poll", "Me?")).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(LiveQuestion)) == 0


def test_her_free_text_goes_with_her_account_and_her_choices_stay_anonymous(app):
    from webapp.models import User
    from webapp.records import erasure
    _owner, workshop, facilitator, (ana, ben) = room(app)
    words = ask_own(facilitator, workshop, own("free_text", "One word for what you felt?"))
    field = f"q-{words.question_id}"
    answer(ana, workshop, words, {field: "I am Ana Diallo from the Dakar office"})
    answer(ben, workshop, words, {field: "Trust"})
    poll = ask_own(facilitator, workshop, own("poll", "Did you sleep well?", key="fedcba9876543210"))
    answer(ana, workshop, poll, live_form(poll, "yes"))
    user = db.session.scalar(select(User).where(User.name == "Trainee A"))
    erasure.erase_account(user)
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live/{words.id}"))
    assert "Ana Diallo" not in screen and "Trust" in screen
    # Her yes to the poll says nothing about her: it still counts in the room's results.
    assert db.session.scalar(select(func.count()).select_from(LiveAnswer)
                             .where(LiveAnswer.live_question_id == poll.id)) == 1
