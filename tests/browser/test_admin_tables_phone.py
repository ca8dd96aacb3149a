"""The accounts table on an administrator's 320 px phone keeps every word whole ("Organisation", not
"Organisa/tion"; an email address on one line), scrolling in its own frame like a trainee's tables,
and the page itself never scrolls sideways."""
import pytest

from tests.factories import make_user

from .test_trainee_tables_phone import CUT_WORDS
from .test_workshop_live import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_accounts_table_keeps_its_words_whole_at_320_px(browser, live_server, language):
    base, app = live_server
    with app.app_context():
        make_user(email="admin@example.org", role="admin", language=language)
        make_user(name="Aminata Diallo-Traoré", email="aminata.diallo-traore@justice.gouv.sn",
                  organisation="Direction générale de la police nationale", role="facilitator")
        make_user(name="Jean-Baptiste Ngoma", email="jb.ngoma@example.org", organisation="Ministère de la Justice")
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, "admin@example.org")
    assert page.goto(f"{base}/admin/users").status == 200
    assert page.locator("main table tbody tr").count() == 3
    assert page.evaluate(CUT_WORDS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
