"""The whole room at once, as a facilitator runs it: her laptop with the controls, the presenter view
on the projector, and three trainees (a phone with JavaScript, a desktop, a phone without
JavaScript). Each sees the question and the answer shown without touching the page; the projector
counts the answers as they come, hides the bars while answers are open, and nobody's reload sends
anything twice."""

import pytest

from tests.factories import make_user
from webapp.extensions import db

from .test_room_nojs import stored_answers
from .test_workshop_live import bank_question, sign_in, workshop_today

pytestmark = pytest.mark.browser

WAIT = 15000  # ms: a no-script page refreshes every 3 s at the most frequent
TRAINEES = (("ana@example.org", "Ana Diallo"), ("ben@example.org", "Ben Osei"), ("chloe@example.org", "Chloé Martin"))


def test_a_facilitator_a_projector_and_three_trainees_follow_one_question(browser, live_server):
    base, app = live_server
    app.config["LIVE_POLL_SECONDS"] = 0.3
    with app.app_context():
        workshop = workshop_today(app, [make_user(email=e, name=n, language="en") for e, n in TRAINEES], language="en")
        question = bank_question(app, "single")
        url = f"{base}/workshops/{workshop.id}"
        db.session.remove()

    def answers() -> int:
        return stored_answers(app)

    contexts = []

    def page(email, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        tab = context.new_page()
        sign_in(tab, base, email)
        return tab

    laptop = page("fatou@example.org", viewport={"width": 1280, "height": 900})
    projector = page("fatou@example.org", viewport={"width": 1920, "height": 1080})
    phone = page("ana@example.org", viewport={"width": 360, "height": 740}, is_mobile=True)
    desktop = page("ben@example.org", viewport={"width": 1280, "height": 900})
    no_script = page("chloe@example.org", viewport={"width": 360, "height": 740}, is_mobile=True,
                     java_script_enabled=False)
    posts = []
    no_script.on("request", lambda r: r.is_navigation_request() and r.method == "POST" and posts.append(r.url))
    laptop.goto(url + "/live")
    projector.goto(url + "/live/present")
    for trainee in (phone, desktop, no_script):
        trainee.goto(url)

    # She asks from her laptop, with a countdown; the projector and every trainee follow by themselves.
    laptop.fill("#words", question["id"])
    laptop.get_by_role("button", name="Search", exact=True).click()
    laptop.select_option("#timer", "120")
    laptop.locator(f"button[name=question][value='{question['id']}']").click()
    prompt = question["prompt"]["en"][:40]
    projector.locator(".present-prompt", has_text=prompt).wait_for(timeout=WAIT)
    assert "0 of 3 answered" in projector.inner_text("main")
    for trainee in (phone, desktop, no_script):
        trainee.locator("#live-panel .prompt", has_text=prompt).wait_for(timeout=WAIT)
    assert laptop.locator(".time-left").count() >= 1
    laptop.locator(".not-answered", has_text="3 have not answered yet").wait_for(timeout=WAIT)
    assert all(name in laptop.inner_text(".not-answered") for _, name in TRAINEES)

    # They answer one by one: the projector counts, the bars stay hidden while answers are open.
    for n, trainee in enumerate((phone, desktop, no_script), start=1):
        trainee.locator("form.live-answer input[type=radio]").first.check()
        trainee.get_by_role("button", name="Send my answer").click()
        trainee.locator(".flash.success", has_text="Your answer is saved").wait_for()
        projector.locator("main", has_text=f"{n} of 3 answered").wait_for(timeout=WAIT)
    assert answers() == 3 and len(posts) == 1
    assert projector.locator("ul.bars").count() == 0
    laptop.locator("#live-panel", has_text="3 of 3 answered").wait_for(timeout=WAIT)  # her screen follows too
    assert laptop.locator(".not-answered").count() == 0
    assert "Ana Diallo" not in projector.inner_text("main")  # names stay on her screen alone

    # A reload on the phone without script sends nothing again.
    response = no_script.reload()
    assert response.request.method == "GET" and len(posts) == 1 and answers() == 3

    # She shows the answer from the projector's keyboard: everyone sees it without touching the page.
    projector.keyboard.press("r")
    projector.locator(".present-right").wait_for(timeout=WAIT)
    assert projector.locator("ul.bars").is_visible()
    for trainee in (phone, desktop, no_script):
        trainee.locator("#live-panel", has_text="How the room answered").wait_for(timeout=WAIT)
    assert len(posts) == 1 and answers() == 3
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    for context in contexts:
        context.close()
