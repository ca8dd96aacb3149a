"""Setting a workshop up in a browser: the attendance threshold follows the dates as they are typed."""
import pytest

from tests.factories import make_user
from webapp.extensions import db

pytestmark = pytest.mark.browser


def test_the_threshold_list_offers_only_what_the_typed_dates_allow(browser, live_server):
    base, app = live_server
    with app.app_context():
        make_user(email="awa@example.org", role="facilitator", language="en")
        db.session.remove()
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("#email", "awa@example.org")
    page.fill("#password", "correct horse battery")
    page.locator("main button.primary").click()
    page.wait_for_url(base + "/")
    page.goto(base + "/workshops/new")
    page.fill("#start_date", "2026-03-24")
    page.fill("#end_date", "2026-03-26")
    page.locator("#end_date").dispatch_event("change")
    options = page.locator("#attendance_threshold option").all_inner_texts()
    assert options == ["Every day of the workshop", "At least 1 day", "At least 2 days"]
    page.fill("#end_date", "2026-03-24")
    page.locator("#end_date").dispatch_event("change")
    assert page.locator("#attendance_threshold option").all_inner_texts() == ["Every day of the workshop"]
    context.close()
