"""Budgets for old phones on slow, metered lines, measured in Debian's Chromium: a lesson's first visit
is at most 30 KB transferred in at most 5 requests, all to this site, with no web font, and reads
with JavaScript off; a repeat visit fetches only the page (a 304 when it has not changed)."""
from __future__ import annotations

import pytest

from webapp.content import catalog

from .site import serve, sign_in

pytestmark = pytest.mark.browser

FIRST_VISIT_BYTES = 30 * 1024
FIRST_VISIT_REQUESTS = 5
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("budgets")) as running:
        yield running


@pytest.fixture(scope="module")
def lessons(site):
    _, app, _ = site
    with app.app_context():
        return [lesson.slug for lesson in catalog().lessons]


def _visit(context, url: str):
    """Load ``url`` as a reader would; return the requests the browser made, finished."""
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, finished


def _transferred(requests) -> int:
    total = 0
    for request in requests:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_lesson_first_visit_fits_the_budget_on_a_phone(browser, site, lessons, lang):
    base, _, _ = site
    over = []
    for slug in lessons:
        context = browser.new_context(**PHONE, extra_http_headers={"Accept-Language": lang})
        page, requests = _visit(context, f"{base}/lessons/{slug}")
        assert page.locator("html").get_attribute("lang") == lang
        size, count = _transferred(requests), len(requests)
        strangers = [r.url for r in requests if not r.url.startswith(base + "/")]
        fonts = [r.url for r in requests if r.resource_type == "font"]
        assert not strangers, f"{slug}: requests to other sites {strangers}"
        assert not fonts and page.evaluate("document.fonts.size") == 0, f"{slug}: web fonts {fonts}"
        encodings = {r.response().headers.get("content-encoding") for r in requests if r.resource_type in
                     ("document", "stylesheet", "script")}
        assert encodings == {"gzip"}, f"{slug}: not all text compressed {encodings}"
        if size > FIRST_VISIT_BYTES or count > FIRST_VISIT_REQUESTS:
            over.append(f"{slug}: {size} bytes in {count} requests {[r.url for r in requests]}")
        context.close()
    assert not over, f"over {FIRST_VISIT_BYTES} bytes or {FIRST_VISIT_REQUESTS} requests:\n" + "\n".join(over)


def test_signed_in_lesson_first_visit_fits_the_budget_too(browser, site, lessons):
    base, app, _ = site
    from webapp.extensions import db

    from ..factories import make_user
    with app.app_context():
        user_id = make_user(email="budget-reader@example.org", language="fr").get_id()
        db.session.remove()
    context = browser.new_context(**PHONE)
    sign_in(context, base, app, user_id)
    page, requests = _visit(context, f"{base}/lessons/{lessons[-1]}")
    assert page.get_by_role("button", name="Marquer comme lue").is_visible()
    assert _transferred(requests) <= FIRST_VISIT_BYTES and len(requests) <= FIRST_VISIT_REQUESTS
    assert all(r.url.startswith(base + "/") for r in requests)
    context.close()


def test_a_repeat_visit_fetches_only_the_page_and_gets_a_304(browser, site, lessons):
    base, _, recorder = site
    context = browser.new_context(**PHONE, extra_http_headers={"Accept-Language": "en"})
    first, _ = _visit(context, f"{base}/lessons/{lessons[0]}")
    first.close()
    other, _ = _visit(context, f"{base}/glossary")  # somewhere else, then back by a link
    del recorder.hits[:]
    other.get_by_role("link", name="Course", exact=True).click()
    other.wait_for_load_state("networkidle")
    other.get_by_role("link", name=catalog_title(site, lessons[0])).first.click()
    other.wait_for_load_state("networkidle")
    lesson_hits = [h for h in recorder.hits if h.path.startswith("/lessons/")]
    static_hits = [h for h in recorder.hits if h.path.startswith("/static/")]
    assert not static_hits, f"static files fetched again: {static_hits}"
    assert [(h.status, h.conditional) for h in lesson_hits] == [(304, True)], recorder.hits
    assert other.locator("h1").inner_text() == catalog_title(site, lessons[0])  # shown from the cache
    context.close()


def catalog_title(site, slug: str) -> str:
    _, app, _ = site
    with app.app_context():
        return catalog().lesson(slug).text("en").title


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_lesson_reads_with_javascript_off(browser, site, lessons, lang):
    base, app, _ = site
    context = browser.new_context(**PHONE, java_script_enabled=False, extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    page.goto(f"{base}/lessons/{lessons[0]}")
    with app.app_context():
        text = catalog().lesson(lessons[0]).text(lang)
    assert page.locator("h1").inner_text() == text.title
    body = page.locator("article .body")
    assert body.is_visible() and len(body.inner_text()) > 2000
    for section in [s for s in text.sections if s.level == 2][:3]:
        assert page.locator(f"h2#{section.anchor}").is_visible()
    # The stylesheet applies (system fonts, no sideways scrolling on a 360 px screen).
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
