"""A trainee whose phone runs no JavaScript follows the room all the same: the facilitator asks, the
question appears on her page by itself, she answers, the answer shown and the next question appear by
themselves too; and reloading her page after answering sends nothing again."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import join_workshop, make_user, make_workshop
from webapp.extensions import db
from webapp.models import LiveAnswer

from .test_workshop_live import sign_in

pytestmark = pytest.mark.browser

WAIT = 15000  # ms: a meta refresh comes every 3 s at the most frequent


def stored_answers(app) -> int:
    """How many live answers the database holds, read outside the server's requests."""
    with app.app_context():
        try:
            return db.session.scalar(select(func.count()).select_from(LiveAnswer))
        finally:
            db.session.remove()


def test_a_trainee_without_javascript_sees_each_question_and_answer_without_touching_her_page(browser, live_server):
    base, app = live_server
    app.config["LIVE_POLL_SECONDS"] = 0.3  # the refresh is never under 3 s: the test takes a few of them
    with app.app_context():
        owner = make_user(email="fatou@example.org", role="facilitator", language="en")
        workshop = make_workshop(owner, lessons=("trafficking-vs-smuggling",),
                                 start=datetime.now(UTC).date() - timedelta(days=1), days=3)
        join_workshop(workshop, make_user(email="ana@example.org", language="en"))
        first, second = [q for q in app.extensions["catalog"].banks["trafficking-vs-smuggling"].questions
                         if q["type"] == "single"][:2]
        url = f"{base}/workshops/{workshop.id}"
        db.session.remove()

    def answers() -> int:
        return stored_answers(app)

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    screen = desk.new_page()
    sign_in(screen, base, "fatou@example.org")
    screen.goto(url + "/live")

    def ask(question):
        screen.fill("#words", question["id"])
        screen.get_by_role("button", name="Search", exact=True).click()
        screen.locator(f"button[name=question][value='{question['id']}']").click()
        screen.locator("#live-panel .tag", has_text="answers open").wait_for()

    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, java_script_enabled=False)
    phone = context.new_page()
    navigations = []
    phone.on("request", lambda r: r.is_navigation_request() and navigations.append(r.method))
    sign_in(phone, base, "ana@example.org")
    phone.goto(url)
    navigations.clear()  # from here, the only form she sends is her answer
    panel = phone.locator("#live-panel")
    assert "No question is open" in panel.inner_text() and "This page refreshes by itself." in panel.inner_text()

    # The question reaches her page by itself; while she chooses, the page stays still.
    ask(first)
    phone.locator("form.live-answer").wait_for(timeout=WAIT)
    assert phone.locator("meta[http-equiv=refresh]").count() == 0
    assert "This page will refresh by itself once you have sent your answer." in panel.inner_text()
    phone.locator("form.live-answer input[type=radio]").first.check()
    phone.get_by_role("button", name="Send my answer").click()
    phone.locator(".flash.success", has_text="Your answer is saved").wait_for()
    assert answers() == 1 and navigations.count("POST") == 1

    # A reload shows her page again and sends nothing (the answer ended on a GET by a 303).
    before = len(navigations)
    response = phone.reload()
    assert response.request.method == "GET" and response.status == 200
    assert navigations[before:] == ["GET"] and navigations.count("POST") == 1 and answers() == 1
    assert phone.locator(".flash.error").count() == 0 and "closed" not in panel.inner_text()
    screen.locator("#live-panel .answered", has_text="1 of 1 answered").wait_for(timeout=WAIT)

    # The right answer shown, then the next question: each appears on her page by itself.
    screen.get_by_role("button", name="Show the right answer").click()
    phone.locator("#live-panel", has_text="How the room answered").wait_for(timeout=WAIT)
    assert "You were right." in panel.inner_text() or "Your answer was not right." in panel.inner_text()
    ask(second)
    phone.locator("#live-panel .prompt", has_text=second["prompt"]["en"][:40]).wait_for(timeout=WAIT)
    assert phone.locator("form.live-answer").count() == 1 and navigations.count("POST") == 1
    context.close()
    desk.close()
