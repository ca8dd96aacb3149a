"""Attendance on a phone: each tick is saved as it is made, without pressing "Save"."""
import pytest

from tests.factories import join_workshop, make_user, make_workshop
from webapp.extensions import db

pytestmark = pytest.mark.browser


def test_each_tick_is_saved_as_the_facilitator_goes(browser, live_server):
    base, app = live_server
    with app.app_context():
        owner = make_user(email="fatou@example.org", role="facilitator", language="en")
        workshop = make_workshop(owner)
        ana, ben = make_user(name="Ana Diallo"), make_user(name="Ben Sow")
        join_workshop(workshop, ana, ben)
        url = f"{base}/workshops/{workshop.id}/attendance/{workshop.start_date.isoformat()}"
        db.session.remove()
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("#email", "fatou@example.org")
    page.fill("#password", "correct horse battery")
    page.locator("main button.primary").click()
    page.wait_for_url(base + "/")
    page.goto(url)
    page.get_by_label("Ben Sow").tap()
    page.locator("#save-state", has_text="Saved.").wait_for()
    page.get_by_label("Ana Diallo").tap()
    page.get_by_label("Ana Diallo").tap()  # ticked by mistake, then unticked
    page.wait_for_load_state("networkidle")
    page.reload()  # never pressed "Save"
    assert page.get_by_label("Ben Sow").is_checked() and not page.get_by_label("Ana Diallo").is_checked()
    context.close()


def _sign_in(page, base, email):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", "correct horse battery")
    page.locator("main button.primary").click()
    page.wait_for_url(base + "/")


def test_a_day_that_has_not_come_cannot_be_ticked_and_the_last_day_closes_the_workshop(browser, live_server):
    from datetime import timedelta

    from webapp.zones import today_in
    base, app = live_server
    with app.app_context():
        owner = make_user(email="awa@example.org", role="facilitator", language="en")
        today = today_in("Africa/Dakar")
        workshop = make_workshop(owner, start=today, days=2)
        join_workshop(workshop, make_user(name="Ana Diallo"))
        attendance = f"{base}/workshops/{workshop.id}/attendance"
        tomorrow = (today + timedelta(days=1)).isoformat()
        db.session.remove()
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    _sign_in(page, base, "awa@example.org")
    page.goto(attendance)
    assert page.get_by_text("not yet: attendance is taken on the day").is_visible()
    assert page.locator(f"a[href$='/attendance/{tomorrow}']").count() == 0
    assert page.get_by_role("button", name="Close the workshop and issue its certificates").count() == 0
    page.goto(f"{attendance}/{tomorrow}")
    assert page.get_by_text("has not come yet: its attendance can be taken from that day.").is_visible()
    assert page.get_by_label("Ana Diallo").count() == 0
    context.close()
