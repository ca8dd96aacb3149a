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
    assert answer(ana, live, "a").status_code == 302
    screen_version = panel(facilitator, workshop).headers["X-Live-Version"]
    phone_version = panel(ben, workshop).headers["X-Live-Version"]
    run_out(live)
    # Nobody clicked "Close": the answer is refused all the same, and nothing is saved.
    response = answer(ben, live, "b")
    assert response.status_code == 409 and "This question is closed: your answer was not saved." in text(response)
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
    assert answer(ana, live, "b").status_code == 409  # her answer stays as it was
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
