"""A blind trainee, JavaScript off, sends a form with mistakes: the page comes back with the focus on
what went wrong (the error summary, or the "wrong password" message), so her screen reader reads it
first and the next Tab goes to the first error's link."""
import pytest

from tests.factories import make_user

pytestmark = pytest.mark.browser


def focused(page) -> str:
    return page.evaluate("() => { const e = document.activeElement; return e.tagName + '.' + e.className; }")


def test_errors_take_the_focus_without_javascript(browser, live_server):
    base, app = live_server
    with app.app_context():
        make_user(email="awa@example.org", password="correct horse battery", language="fr")
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False,
                                  extra_http_headers={"Accept-Language": "fr"})
    page = context.new_page()
    page.goto(f"{base}/register")
    page.fill("#name", "Awa")
    page.press("#name", "Enter")
    page.wait_for_load_state()
    assert page.title().startswith("Erreur\u00a0: ")
    assert focused(page) == "DIV.error-summary"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#email"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "email"

    page.goto(f"{base}/login")
    page.fill("#email", "awa@example.org")
    page.fill("#password", "not her password")
    page.press("#password", "Enter")
    page.wait_for_load_state()
    assert page.title().startswith("Erreur\u00a0: ")
    assert focused(page) == "P.flash error"
    context.close()


def test_an_incomplete_live_answer_is_focused_without_javascript(browser, live_server):
    """In the room, her phone without JavaScript: a match answer sent with a line empty comes back with
    the focus on the message naming the line (a #fragment on the address used to cancel that)."""
    from webapp.extensions import db
    from webapp.workshops import live

    from .test_workshop_live import bank_question, sign_in, workshop_today
    base, app = live_server
    with app.app_context():
        workshop = workshop_today(app, [make_user(email="ana@example.org", language="fr")])
        live.open_question(workshop, bank_question(app, "match"))
        workshop_id = workshop.id
        db.session.remove()
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, "ana@example.org")
    page.goto(f"{base}/workshops/{workshop_id}")
    page.locator("form.live-answer input[type=radio]").first.check()
    page.locator("form.live-answer button.primary").click()
    page.wait_for_load_state()
    assert page.title().startswith("Erreur\u00a0: ")
    assert focused(page) == "P.flash error"
    assert "Les lignes 2, 3" in page.evaluate("document.activeElement.textContent")
    context.close()
