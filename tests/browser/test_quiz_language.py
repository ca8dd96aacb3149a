"""The language switch in the middle of a quiz, on a phone: with JavaScript the header's switch
changes language at once, without it it leads to the form's own switch; either way every answer
given stays ticked."""
import pytest

from tests.factories import make_user

from .test_match_phone import sign_in

pytestmark = pytest.mark.browser

QUIZ = "trafficking-vs-smuggling"


def _answer_some(page) -> int:
    """Tick the first choice of the first three questions with radio buttons or checkboxes: how
    many are ticked. The draw is random, so the first questions may well be lists to classify."""
    answered = 0
    for fieldset in page.locator("form.quiz fieldset.question").all():
        if answered == 3:
            break
        choices = fieldset.locator("input[type=radio], input[type=checkbox]")
        if not choices.count():
            continue
        choices.first.check()
        answered += 1
    return page.locator("form.quiz input:checked").count()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_switching_language_mid_quiz_keeps_the_answers(browser, live_server, javascript):
    base, app = live_server
    with app.app_context():
        make_user(email="ana@example.org", language="fr")
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, base, "ana@example.org")
    page.goto(f"{base}/quizzes/{QUIZ}")
    page.locator("main form button.primary").click()
    page.wait_for_selector("form.quiz fieldset.question")  # the questions, answering "start"
    ticked = _answer_some(page)
    assert ticked >= 3

    page.locator("header a[data-switch-language]").click()
    if not javascript:  # the link leads to the form's own switch, which says what it keeps
        switch = page.locator("#switch-language")
        assert "keeping my answers" in switch.inner_text()
        switch.click()
    page.wait_for_selector("html[lang=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Submit my answers").is_visible()
    assert page.locator("form.quiz input:checked").count() == ticked
    if javascript:  # named by the attempt's address: a reload asks for it, not the switch again
        page.wait_for_url(lambda url: "/attempts/" in url and not url.endswith("/language"))
    context.close()
