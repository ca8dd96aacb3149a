"""A certificate on a 360 px phone: its number, which an employer copies by hand, stays on one line
(it used to be cut inside a group, "61QP-FGGF-9A2" then "C-0Y1E") and the page never scrolls sideways."""
import pytest

from tests.factories import make_user
from tests.records_builders import complete_course
from webapp.certificates import services as certificates
from webapp.certificates.numbers import display

from .site import sign_in

pytestmark = pytest.mark.browser

LINES = """selector => {
  const range = document.createRange();
  range.selectNodeContents(document.querySelector(selector));
  return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size;
}"""


def test_the_certificate_number_is_never_cut_on_a_phone(phone, live_server):
    base, app = live_server
    with app.app_context():
        holder = make_user(email="awa@example.org", language="en")
        complete_course(holder)
        number = display(certificates.issue_due(holder.id)[0].number)
        holder_id = holder.get_id()
    sign_in(phone, base, app, holder_id)
    page = phone.new_page()
    assert page.goto(f"{base}/certificates/{number}").status == 200
    assert page.locator(".certificate-number").inner_text() == number
    assert page.evaluate(LINES, ".certificate-number") == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
