"""The printed pack: the decision aid's flowchart fits on one A4 page, in French and in English."""
import pytest

from tests.factories import make_user, make_workshop
from webapp.extensions import db

pytestmark = pytest.mark.browser

# A4 minus the pack's margins (14 mm each side, 14 mm top, 16 mm bottom), in CSS pixels (96 per inch).
PRINTABLE_WIDTH, PRINTABLE_HEIGHT = round(182 / 25.4 * 96), round(267 / 25.4 * 96)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_decision_aid_prints_on_one_page(browser, live_server, language):
    base, app = live_server
    with app.app_context():
        owner = make_user(email="fatou@example.org", role="facilitator", language="en")
        workshop_id = make_workshop(owner, language=language).id
        db.session.remove()
    context = browser.new_context(viewport={"width": PRINTABLE_WIDTH, "height": PRINTABLE_HEIGHT})
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("#email", "fatou@example.org")
    page.fill("#password", "correct horse battery")
    page.locator("main button.primary").click()
    page.wait_for_url(base + "/")
    page.emulate_media(media="print")
    page.goto(f"{base}/workshops/{workshop_id}/pack")
    assert page.locator("header.site").is_hidden() and page.locator(".no-print").first.is_hidden()
    box = page.locator("#pack-aid").bounding_box()
    assert box["height"] <= PRINTABLE_HEIGHT, box
    assert page.locator("#pack-aid ol.chart > li").count() == 8
    context.close()
