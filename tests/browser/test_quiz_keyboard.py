"""A trainee takes a quiz with the keyboard only: Tab, Space, arrows and Enter."""
import pytest

from tests.factories import make_user
from webapp.extensions import db

pytestmark = pytest.mark.browser


def test_a_quiz_can_be_taken_with_the_keyboard_only(browser, live_server):
    base, app = live_server
    with app.app_context():
        make_user(email="keys@example.org", language="en")
        db.session.remove()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "/login")
    page.keyboard.press("Tab")  # skip link
    while page.evaluate("document.activeElement.id") != "email":
        page.keyboard.press("Tab")
    page.keyboard.type("keys@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")

    page.goto(base + "/quizzes/trafficking-vs-smuggling")
    page.focus("form button.primary")
    page.keyboard.press("Enter")
    page.wait_for_url("**/attempts/*")

    seen_groups = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            return {tag: e.tagName, type: e.type || '', name: e.name || '', text: e.textContent || ''}; }""")
        if focused["tag"] == "INPUT" and focused["type"] == "radio" and focused["name"] not in seen_groups:
            page.keyboard.press("Space")
            seen_groups.add(focused["name"])
        elif focused["tag"] == "INPUT" and focused["type"] == "checkbox":
            page.keyboard.press("Space")
        elif focused["tag"] == "SELECT":
            page.keyboard.press("ArrowDown")
        elif focused["tag"] == "BUTTON" and "Submit" in focused["text"]:
            page.keyboard.press("Enter")
            break
    page.wait_for_url("**/result")
    assert "Your score:" in page.locator("h2#score").inner_text()
    assert page.locator("li.result-item").count() == 10
    context.close()
