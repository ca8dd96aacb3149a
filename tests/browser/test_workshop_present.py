"""The presenter view on a 1920 x 1080 projector: large, accessible, current by itself, and run from
the keyboard (N next, C close, R reveal) while the trainees answer on their phones."""
import pytest

from tests.factories import join_workshop, make_user, make_workshop
from webapp.extensions import db

from .site import AXE
from .test_workshop_live import sign_in

pytestmark = pytest.mark.browser


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in found]


def test_the_presenter_view_is_large_accessible_and_driven_by_single_keys(browser, live_server):
    if not AXE.exists():
        pytest.skip("node_modules/axe-core is missing (make test runs npm ci)")
    base, app = live_server
    app.config["LIVE_POLL_SECONDS"] = 0.3
    with app.app_context():
        owner = make_user(email="fatou@example.org", role="facilitator", language="en")
        workshop = make_workshop(owner, lessons=("trafficking-vs-smuggling",))
        join_workshop(workshop, make_user(email="ana@example.org", language="en"))
        questions = app.extensions["catalog"].banks["trafficking-vs-smuggling"].questions
        first, second = questions[0], questions[1]
        url = f"{base}/workshops/{workshop.id}"
        db.session.remove()

    # bypass_csp: axe is injected as an inline script, which the site's CSP rightly refuses; the
    # page's own scripts are checked under the CSP in the second context below.
    audit = browser.new_context(viewport={"width": 1920, "height": 1080}, bypass_csp=True)
    projector = audit.new_page()
    sign_in(projector, base, "fatou@example.org")
    projector.goto(url + "/live/present")
    assert projector.locator(".present-join img.qr").is_visible()
    assert violations(projector) == []

    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    screen = context.new_page()
    errors = []  # a script error, a CSP refusal or a failed request would show here
    screen.on("console", lambda m: m.type == "error" and "Failed to load resource" not in m.text and errors.append(m.text))
    screen.on("pageerror", lambda error: errors.append(str(error)))
    screen.on("response", lambda r: r.status >= 400 and "favicon" not in r.url and errors.append(f"{r.status} {r.url}"))
    sign_in(screen, base, "fatou@example.org")
    screen.goto(url + "/live/present")
    assert screen.locator("#present-keys").is_visible()  # the script runs: the keys are announced

    screen.keyboard.press("n")  # the first question of the lessons
    screen.locator(".present-prompt").wait_for()
    assert first["prompt"]["en"][:30] in screen.locator(".present-prompt").inner_text()
    size = screen.locator(".present-prompt").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 40, size  # ~2.75rem: read from the back of the room
    assert screen.locator(".present-join").is_visible()  # joining is still open

    # The audited page follows by itself (no reload) and stays free of violations with a question up.
    projector.locator(".present-prompt").wait_for(timeout=10000)
    assert violations(projector) == []

    screen.keyboard.press("n")  # the next one, in course order
    screen.locator(".present-prompt", has_text=second["prompt"]["en"][:30]).wait_for()
    screen.keyboard.press("c")
    screen.locator("#present-heading", has_text="answers closed").wait_for()
    assert screen.locator("ul.bars").is_visible()  # once closed, the distribution shows
    screen.keyboard.press("r")
    screen.locator("#present-heading", has_text="answer shown").wait_for()
    assert screen.locator(".present-right").is_visible()
    screen.locator("#present-status", has_text="the answer is shown").wait_for()  # said to a screen reader
    assert errors == []
    context.close()
    audit.close()
