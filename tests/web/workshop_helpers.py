"""Shared steps of the workshop tests: one signed-in client per person, and answers by option id."""
from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import LiveQuestion

PASSWORD = "correct horse battery"


def signed_in(app, user):
    """A browser of its own for ``user``, signed in."""
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def current_live(workshop_id) -> LiveQuestion:
    return db.session.scalar(select(LiveQuestion).where(LiveQuestion.workshop_id == workshop_id)
                             .order_by(LiveQuestion.id.desc()).limit(1))


def live_form(live: LiveQuestion, *options) -> dict:
    """The form a trainee sends when she picks these options (by option id)."""
    token = {option: tok for tok, option in live.layout["tokens"].items()}
    picked = [token[o] for o in options]
    return {f"q-{live.question_id}": picked if len(picked) > 1 else picked[0]}


def text(response) -> str:
    return response.get_data(as_text=True)


def show_results(facilitator, live: LiveQuestion, shown: bool = True):
    """The facilitator shows (or hides) the room's answers while they are open."""
    response = facilitator.post(f"/workshops/{live.workshop_id}/live/{live.id}/results",
                                data={"shown": "1" if shown else "0"})
    assert response.status_code == 303, response.status_code
    return response
