"""The main journey with the keyboard only (Tab, Shift+Tab, Space, arrows, Enter, typing), on a phone:
skip to the content, register, read a lesson and complete it, see progress and resume, take a quiz
and read its result, use the decision aid, switch language and sign out. Every element that takes
the focus shows it (an outline)."""
import re

import pytest

pytestmark = pytest.mark.browser

FOCUSED = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  return {tag: e.tagName, id: e.id, type: e.type || '', name: e.name || '',
          text: (e.innerText || e.value || '').trim().replace(/\\s+/g, ' '),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0}; }"""


class Keyboard:
    def __init__(self, page):
        self.page, self.unmarked = page, set()

    def focused(self) -> dict:
        return self.page.evaluate(FOCUSED)

    def tab_to(self, match, limit: int = 150) -> dict:
        """Tab until the focused element satisfies ``match`` (a dict -> bool); note focus without outline."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            element = self.focused()
            if element["tag"] != "BODY" and not element["outline"]:
                self.unmarked.add(f"{element['tag']} {element['id'] or element['text'][:40]}")
            if match(element):
                return element
        raise AssertionError(f"Tab never reached the element on {self.page.url}")

    def activate(self, text: str, tag: str | None = None) -> None:
        """Tab to the link or button whose text starts with ``text``, press Enter, wait for the page."""
        self.tab_to(lambda e: e["text"].startswith(text) and (tag is None or e["tag"] == tag))
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def fill(self, field_id: str, text: str) -> None:
        self.tab_to(lambda e: e["id"] == field_id)
        self.page.keyboard.type(text)


def test_the_main_journey_with_the_keyboard_only(browser, live_server):
    base, app = live_server
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    keys = Keyboard(page)
    page.goto(base + "/")

    # The first Tab reaches the skip link; Enter moves the focus to the content.
    keys.tab_to(lambda e: e["text"] == "Skip to content", limit=1)
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'main'")

    keys.activate("Register", "A")
    page.wait_for_url(re.compile(r"/register"))
    keys.fill("name", "Kadiatou Keita")
    keys.fill("email", "kadiatou@example.org")
    keys.fill("password", "une phrase assez longue")
    keys.fill("confirm", "une phrase assez longue")
    keys.fill("organisation", "Inspection du travail")
    keys.fill("country", "Mali")  # a closed select takes the letters typed
    keys.tab_to(lambda e: e["id"] == "profession")
    page.keyboard.press("ArrowDown")
    keys.tab_to(lambda e: e["id"] == "language")
    assert page.locator("#country").input_value() == "ML"
    keys.activate("Create my account", "BUTTON")
    page.wait_for_url(base + "/")

    # Read the first lesson, mark it as read: the next lesson opens (its quiz will complete it).
    keys.activate("Start the course")
    assert page.locator("h1").inner_text().startswith("Trafficking or smuggling?")
    keys.activate("Mark as read", "BUTTON")
    page.wait_for_url(re.compile(r"/lessons/scale-and-forms$"))

    keys.activate("My progress", "A")
    assert "0 of 8 lessons completed" in page.locator("main").inner_text()
    keys.activate("Continue where you left off")
    page.wait_for_url(re.compile(r"/lessons/scale-and-forms"))

    # The lesson's quiz: start, answer every question, submit, read the result.
    keys.activate("Test yourself")
    keys.activate("Start the quiz", "BUTTON")
    page.wait_for_url(re.compile(r"/attempts/\d+$"))  # "start" answered with the form, named by its address
    drawn = page.locator("fieldset.question").evaluate_all("all => all.map(f => f.id)")
    attempt_url = page.url
    page.reload()  # a GET of the attempt, not "start" posted again: the same questions
    assert page.url == attempt_url
    assert page.locator("fieldset.question").evaluate_all("all => all.map(f => f.id)") == drawn
    answered = set()
    while True:
        element = keys.tab_to(lambda e: e["tag"] in ("INPUT", "SELECT", "BUTTON"))
        if element["type"] in ("radio", "checkbox") and element["name"] not in answered:
            page.keyboard.press("Space")
            answered.add(element["name"])
        elif element["tag"] == "SELECT":
            page.keyboard.press("ArrowDown")
        elif element["tag"] == "BUTTON" and element["text"] == "Submit my answers":
            with page.expect_navigation():
                page.keyboard.press("Enter")
            break
    page.wait_for_url(re.compile(r"/result$"))
    assert "Your score:" in page.locator("h2#score").inner_text()
    keys.activate("Review this in the lesson")
    page.wait_for_url(re.compile(r"/lessons/"))
    page.go_back()
    keys.activate("All my attempts")
    assert page.locator("table tbody tr").count() == 1

    if "decide.index" in app.view_functions:
        # The decision aid: a radio per question, then Next, until the result.
        keys.activate("Trafficking or smuggling?", "A")
        for _ in range(8):
            if page.locator("input[type=radio]").count() == 0:
                break
            keys.tab_to(lambda e: e["type"] == "radio")
            page.keyboard.press("Space")
            keys.activate("Next", "BUTTON")
        assert page.locator("input[type=radio]").count() == 0 and page.locator("h1").count() == 1

    # Switch to French, then sign out: both are buttons of the header.
    keys.activate("Français", "BUTTON")
    assert page.locator("html").get_attribute("lang") == "fr"
    keys.activate("Se déconnecter", "BUTTON")
    assert page.get_by_role("link", name="Se connecter").first.is_visible()

    assert not keys.unmarked, f"focused without a visible outline: {sorted(keys.unmarked)}"
    context.close()
