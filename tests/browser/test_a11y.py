"""axe-core (npm package, injected into the page) finds no accessibility violation on any page type of
tests/pages.py, in French and English, on a 360 px phone and a 1280 px screen.

CI (REQUIRE_BROWSER=1) fails instead of skipping when node_modules/axe-core is missing."""
from __future__ import annotations

import os
from collections import defaultdict

import pytest

from webapp.extensions import db

from ..pages import ANON, LANGUAGES, build_pages_world, pages_of, speak
from .site import AXE, serve, sign_in

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not AXE.exists():
        if os.environ.get("REQUIRE_BROWSER", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{AXE} is missing (make test runs npm ci)")
        pytest.skip("node_modules/axe-core is missing (make test runs npm ci)")
    with serve(tmp_path_factory.mktemp("a11y")) as (base, app, recorder):
        with app.app_context():
            world = build_pages_world()
            pages = [(p, p.url(app, world)) for p in pages_of(app) if not p.fragment]
            assert len(pages) > 20
            ids = {role: user.get_id() for role, user in world.users.items()}
            db.session.remove()
        yield base, app, world, pages, ids


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    found = []
    for v in result:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        found.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return found


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_accessibility_violation_on_any_page_type(browser, site, lang, viewport):
    base, app, world, pages, ids = site
    with app.app_context():
        speak(world, lang)
        db.session.remove()
    by_role = defaultdict(list)
    for page_line, url in pages:
        by_role[page_line.who].append((page_line, url))
    problems = []
    for role, lines in by_role.items():
        # bypass_csp: axe is injected as an inline script, which the site's CSP rightly refuses.
        context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True,
                                      extra_http_headers={"Accept-Language": lang})
        context.add_cookies([{"name": "lang", "value": lang, "url": base}])
        if role != ANON:
            sign_in(context, base, app, ids[role])
        tab = context.new_page()
        for page_line, url in lines:
            response = tab.goto(base + url)
            assert response.status == page_line.status, f"{page_line.name} ({url}) as {role}: {response.status}"
            if page_line.reader_language:
                assert tab.locator("html").get_attribute("lang") == lang, page_line.name
            problems += [f"{page_line.name} ({url}): {v}" for v in _violations(tab)]
            # Reflow (WCAG 1.4.10): nothing needs sideways scrolling, whatever the screen.
            width = tab.evaluate("document.documentElement.scrollWidth")
            if width > VIEWPORTS[viewport]["width"]:
                problems.append(f"{page_line.name} ({url}): the page is {width} px wide: it scrolls sideways")
        context.close()
    assert not problems, f"axe-core, {lang}, {viewport}:\n" + "\n".join(problems)
