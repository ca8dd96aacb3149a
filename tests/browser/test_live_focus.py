"""A keyboard or screen-reader trainee is choosing her answer to a live question when the facilitator
closes it: the panel is swapped by live.js, and her focus stays in the panel (on its heading) instead
of falling back to the top of the page, where she would have to find her place again."""
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import join_workshop, make_user, make_workshop
from webapp.extensions import db
from webapp.models import Workshop
from webapp.workshops import live

from .test_workshop_live import sign_in

pytestmark = pytest.mark.browser


def test_the_focus_stays_in_the_live_panel_when_the_question_closes(browser, live_server):
    base, app = live_server
    app.config["LIVE_POLL_SECONDS"] = 0.3
    with app.app_context():
        owner = make_user(email="fatou@example.org", role="facilitator", language="fr")
        workshop = make_workshop(owner, lessons=("trafficking-vs-smuggling",),
                                 start=datetime.now(UTC).date() - timedelta(days=1), days=3)
        join_workshop(workshop, make_user(email="ana@example.org", language="fr"))
        question = next(q for q in app.extensions["catalog"].banks["trafficking-vs-smuggling"].questions
                        if q["type"] == "single")
        asked = live.open_question(workshop, question)
        workshop_id, live_id = workshop.id, asked.id
        db.session.remove()

    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, base, "ana@example.org")
    page.goto(f"{base}/workshops/{workshop_id}")
    page.locator("form.live-answer input[type=radio]").first.focus()
    page.keyboard.press("ArrowDown")  # choosing, not yet sent

    with app.app_context():
        live.close(db.session.get(type(asked), live_id))
        assert db.session.get(Workshop, workshop_id)
        db.session.remove()
    page.locator("#live-panel", has_text="Les réponses sont closes").wait_for(timeout=10000)
    assert page.evaluate("document.activeElement.id") == "live-heading"
    assert page.evaluate("document.getElementById('live-panel').contains(document.activeElement)")
    context.close()
