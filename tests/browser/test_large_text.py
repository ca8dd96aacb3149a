"""A trainee whose old phone is set to large text (150 %, 200 %) reads the site at 320 px without
scrolling sideways: the header's language and sign-out buttons wrap, and an order question's
fieldset no longer grows to its widest content (a fieldset's default minimum width)."""
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import join_workshop, make_user, make_workshop
from webapp.extensions import db
from webapp.workshops import live

from .test_workshop_live import sign_in

pytestmark = pytest.mark.browser


def width_with_text_at(page, size: str) -> int:
    page.evaluate("(size) => { document.documentElement.style.fontSize = size; }", size)
    return page.evaluate("document.documentElement.scrollWidth")


def test_large_text_never_makes_a_320_px_page_scroll_sideways(browser, live_server):
    base, app = live_server
    with app.app_context():
        owner = make_user(email="fatou@example.org", role="facilitator", language="fr")
        workshop = make_workshop(owner, lessons=("trafficking-vs-smuggling",),
                                 start=datetime.now(UTC).date() - timedelta(days=1), days=3)
        join_workshop(workshop, make_user(email="awa@example.org", language="fr"))
        order = next(q for q in app.extensions["catalog"].banks["trafficking-vs-smuggling"].questions
                     if q["type"] == "order")
        live.open_question(workshop, order)
        workshop_id = workshop.id
        db.session.remove()
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, "awa@example.org")
    for path in ("/", "/decide", "/glossary"):
        page.goto(base + path)
        assert width_with_text_at(page, "150%") <= 320, path
    page.goto(f"{base}/workshops/{workshop_id}")
    assert page.locator("form.live-answer select").count() > 1
    assert width_with_text_at(page, "200%") <= 320
    context.close()
