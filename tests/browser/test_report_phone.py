"""The coordinator's report and certificate list on a 360 px phone: its tables scroll in their own frame, so a country, a
profession or "Total" stays a whole word instead of being cut letter by letter to squeeze six columns
into the screen, and the page itself never scrolls sideways."""
from datetime import date, datetime

import pytest

from tests.factories import join_workshop, make_user, make_workshop
from tests.records_builders import complete_course
from webapp.certificates import services as certificates

from .site import sign_in

pytestmark = pytest.mark.browser

# Cells of one word, cut inside the word when a cell may break anywhere.
CUT = """() => Array.from(document.querySelectorAll('table.report th, table.report td'))
  .filter(cell => /^[^\\s-]+$/.test(cell.textContent.trim()))
  .filter(cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size > 1;
  })
  .map(cell => cell.textContent.trim())"""


def test_the_report_keeps_its_words_whole_on_a_phone(phone, live_server):
    base, app = live_server
    with app.app_context():
        admin = make_user(email="coord@example.org", role="admin", language="fr", country="SN")
        owner = make_user(email="fac@example.org", role="facilitator", language="fr")
        workshop = make_workshop(owner, start=date(2026, 3, 2))
        for country, profession in (("MA", "labour_inspector"), ("CI", "social_worker"), ("BF", "prosecutor")):
            trainee = make_user(country=country, profession=profession)
            join_workshop(workshop, trainee)
            complete_course(trainee, at=datetime(2026, 3, 10, 10, 0))
            certificates.issue_due(trainee.id)
        admin_id = admin.get_id()
    sign_in(phone, base, app, admin_id)
    page = phone.new_page()
    assert page.goto(base + "/admin/reports?start=2026-01-01&end=2026-12-31").status == 200
    assert page.locator("table.report").count() >= 6
    assert page.evaluate(CUT) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.goto(base + "/admin/certificates").status == 200  # "Valide", "Non", "Révoqué": whole
    assert page.locator("table.report tbody tr").count() == 3
    assert page.evaluate(CUT) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
