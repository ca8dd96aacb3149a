"""A live question in the room: the facilitator opens it on her screen, two trainees answer on their
phones, and the bars on her screen move without anyone reloading a page."""
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import join_workshop, make_user, make_workshop
from webapp.extensions import db

pytestmark = pytest.mark.browser

BANK = "trafficking-vs-smuggling"


def sign_in(page, base, email):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", "correct horse battery")
    page.locator("main button.primary").click()
    page.wait_for_url(base + "/")


def workshop_today(app, trainees, language="fr"):
    """A workshop in its second of three days, run by fatou@example.org, with ``trainees`` (accounts
    made for it) in it."""
    owner = make_user(email="fatou@example.org", role="facilitator", language=language)
    workshop = make_workshop(owner, lessons=(BANK,), start=datetime.now(UTC).date() - timedelta(days=1), days=3)
    join_workshop(workshop, *trainees)
    return workshop


def bank_question(app, kind):
    """The first question of ``kind`` in the lesson quiz the live tests ask from."""
    return next(q for q in app.extensions["catalog"].banks[BANK].questions if q["type"] == kind)


def test_the_facilitator_asks_two_trainees_answer_and_the_bars_update_by_themselves(browser, live_server):
    base, app = live_server
    app.config["LIVE_POLL_SECONDS"] = 0.3
    with app.app_context():
        owner = make_user(email="fatou@example.org", role="facilitator", language="en")
        workshop = make_workshop(owner, lessons=("trafficking-vs-smuggling",))
        trainees = [make_user(email=f"{name}@example.org", language="en") for name in ("ana", "ben")]
        join_workshop(workshop, *trainees)
        question = next(q for q in app.extensions["catalog"].banks["trafficking-vs-smuggling"].questions
                        if q["type"] == "single")
        url = f"{base}/workshops/{workshop.id}"
        db.session.remove()

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    screen = desk.new_page()
    errors = []  # a script error, a CSP refusal or a failed request of the live panel would show here
    screen.on("console", lambda m: m.type == "error" and "Failed to load resource" not in m.text and errors.append(m.text))
    screen.on("pageerror", lambda error: errors.append(str(error)))
    screen.on("response", lambda r: r.status >= 400 and "favicon" not in r.url and errors.append(f"{r.status} {r.url}"))
    sign_in(screen, base, "fatou@example.org")
    phones = []
    for name in ("ana", "ben"):
        context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
        page = context.new_page()
        sign_in(page, base, f"{name}@example.org")
        page.goto(url)
        assert "No question is open" in page.locator("#live-panel").inner_text()
        phones.append((context, page))

    screen.goto(url + "/live")
    screen.fill("#words", question["id"])  # the picker finds a question by its id too
    screen.get_by_role("button", name="Search", exact=True).click()
    screen.locator(f"button[name=question][value='{question['id']}']").click()
    panel = screen.locator("#live-panel")
    assert "0 of 2 answered" in panel.inner_text()
    screen.get_by_role("button", name="Show results").click()  # hidden by default while answers are open
    screen.get_by_role("button", name="Hide results").wait_for()

    # The question reaches both phones by itself; each trainee picks a different option.
    for n, (_context, page) in enumerate(phones):
        page.locator("form.live-answer input[type=radio]").nth(n).wait_for(timeout=10000)
        page.locator("form.live-answer input[type=radio]").nth(n).check()
        page.get_by_role("button", name="Send my answer").click()
        page.locator("text=Your answer is saved").first.wait_for()
        # ...and the facilitator's bars follow, without a reload.
        screen.locator("#live-panel .answered", has_text=f"{n + 1} of 2 answered").wait_for(timeout=10000)

    widths = sorted(screen.locator("#live-panel svg.bar rect").evaluate_all(
        "rects => rects.map(r => r.getAttribute('width'))"), key=int)
    assert widths[-2:] == ["50", "50"] and set(widths[:-2]) <= {"0"}
    assert screen.locator("#live-panel").get_by_text(re.compile(r"1 answer \(50 %\)")).count() == 2

    screen.get_by_role("button", name="Show the right answer").click()
    assert "✓ right answer" in screen.locator("#live-panel").inner_text()
    for _context, page in phones:
        page.locator("#live-panel", has_text="How the room answered").wait_for(timeout=10000)
        assert re.search(r"You were right\.|Your answer was not right\.", page.locator("#live-panel").inner_text())
    assert errors == []
    for context, _page in phones:
        context.close()
    desk.close()
