"""The question picker with JavaScript: the list narrows as the facilitator types, without her pressing
Search, and asking from it works as without the script."""
import pytest

from tests.factories import make_user, make_workshop
from webapp.extensions import db

from .test_workshop_live import sign_in

pytestmark = pytest.mark.browser


def test_the_list_narrows_as_she_types_and_a_result_is_asked(browser, live_server):
    base, app = live_server
    with app.app_context():
        owner = make_user(email="fatou@example.org", role="facilitator", language="en")
        workshop = make_workshop(owner, lessons=("trafficking-vs-smuggling",))
        question = next(q for q in app.extensions["catalog"].banks["trafficking-vs-smuggling"].questions
                        if q["type"] == "single")
        url = f"{base}/workshops/{workshop.id}/live"
        db.session.remove()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []  # a script error or a CSP refusal would show here
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, base, "fatou@example.org")
    page.goto(url)
    results = page.locator("ol.picker-results > li")
    before = results.count()
    assert before > 1
    page.locator("#words").press_sequentially(question["id"], delay=20)
    page.locator("#picker-count", has_text="1 question matches").wait_for(timeout=10000)
    assert results.count() == 1 and page.url.startswith(url + "?words=")  # no Search pressed
    page.locator(f"button[name=question][value='{question['id']}']").click()
    page.locator("#live-panel .tag", has_text="answers open").wait_for()
    assert question["prompt"]["en"][:40] in page.locator("#live-panel").inner_text()
    assert results.count() == 1  # the same list, for the next question
    assert errors == []
    context.close()
