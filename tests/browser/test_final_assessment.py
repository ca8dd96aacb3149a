"""A trainee who failed the final, in a browser: she sees what to read again, never the answers, and
no way to try again before the wait is over (not even by going back)."""
import pytest
from werkzeug.datastructures import MultiDict

from webapp.content import catalog
from webapp.content.questions import QUESTION_TYPES
from webapp.quizzes import services

from ..factories import make_user
from ..web.test_quizzes import right_answers
from .site import sign_in

pytestmark = pytest.mark.browser


def failed_final(app):
    """A trainee and her failed final (every single-answer and case question wrong)."""
    with app.app_context():
        user = make_user(language="en")
        cat = catalog()
        attempt = services.start(cat, user.id, "final")
        form = right_answers(attempt.id, wrong={item["id"] for item in attempt.layout})
        services.submit(cat, attempt, MultiDict(form))
        assert attempt.passed is False
        keys = []
        for qid in attempt.question_ids:
            q = cat.question(qid)
            keys.append(q["explanation"]["en"])
            if q["type"] == "single":
                key = QUESTION_TYPES["single"].correct_answer(q)
                keys += [o["text"]["en"] for o in q["options"] if o["id"] == key]
        return user.get_id(), attempt.id, keys


def test_a_failed_final_shows_what_to_read_not_the_answers_and_no_retry_until_the_wait(browser, live_server):
    base, app = live_server
    user_id, attempt_id, keys = failed_final(app)
    context = browser.new_context(viewport={"width": 360, "height": 740}, extra_http_headers={"Accept-Language": "en"})
    sign_in(context, base, app, user_id)
    page = context.new_page()
    page.goto(f"{base}/records")
    page.get_by_role("link", name="Final assessment").first.click()
    main = page.locator("main").inner_text()
    assert "Your score per lesson" in main and "You can try again from" in main and "(Dakar, UTC)" in main  # her time zone, named
    assert not [key for key in keys if key in main], "a right answer or explanation is shown"
    assert page.get_by_role("button", name="Try again").count() == 0
    assert page.locator("main a[href*='/lessons/']").count() >= 1
    page.get_by_role("link", name="All my attempts").click()
    main = page.locator("main").inner_text()
    assert "You can try again from" in main and "attempts left" in main
    assert page.get_by_role("button", name="Start a new attempt").count() == 0
    # Back to the attempt itself: it leads to the same result, never to the graded questions.
    page.goto(f"{base}/attempts/{attempt_id}")
    assert "Your score per lesson" in page.locator("main").inner_text()
    page.go_back()
    assert not [key for key in keys if key in page.locator("main").inner_text()]
    context.close()
