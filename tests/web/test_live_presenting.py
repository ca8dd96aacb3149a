"""Presenting in the room: the results hidden while answers are open, who has not answered yet, a
countdown, and the presenter view for the projector."""
from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import LiveQuestion

from ..factories import join_workshop, make_user, make_workshop
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
