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


@pytest.fixture(scope="module")
def room_site(tmp_path_factory):
    """A room laptop (a second server, its own database) with a real kit installed, issued by a
    central site: the pages that answer only on a room, and the room's side of shared ones."""
    if not AXE.exists():
        pytest.skip("node_modules/axe-core is missing (make test runs npm ci)")
    from webapp.auth import services as accounts
    from webapp.rooms import install, kits
    from webapp.workshops import services as workshops

    from ..factories import join_workshop, make_user, make_workshop
    tmp = tmp_path_factory.mktemp("a11y-room")
    (tmp / "central").mkdir()
    (tmp / "room").mkdir()
    with serve(tmp / "central") as (_central_base, central, _recorder):
        with central.app_context():
            owner = make_user(email="fatou@example.org", role="facilitator", name="Fatou Sow")
            workshop = make_workshop(owner)
            join_workshop(workshop, make_user(email="amina@example.org", name="Amina Diallo"))
            with central.test_request_context():
                _kit, content = kits.issue_file(workshop, owner, "Fatou's laptop")
            db.session.remove()
    with serve(tmp / "room") as (base, app, _recorder):
        with app.app_context():
            install.install(content, tmp / "room-content")
            room_workshop = db.session.get(type(workshop), content["workshop"]["id"])
            newcomer = accounts.register(name="Nadia Newcomer", email="nadia@example.org", password="a room password",
                                         organisation="ONG", country="NE", profession="ngo", language="fr")
            workshops.join(room_workshop, newcomer)
            db.session.commit()
            from webapp.models import User
            users = {email: db.session.scalar(db.select(User).where(User.email == email))
                     for email in ("fatou@example.org", "amina@example.org")}
            ids = {"facilitator": users["fatou@example.org"].get_id(), "trainee": users["amina@example.org"].get_id()}
            wid = room_workshop.id
            db.session.remove()
        pages = {
            ANON: [("room code sign-in", "/room/code")],
            "trainee": [("room password", "/room/password"), ("my records on a room", "/records")],
            "facilitator": [("room codes to print", f"/workshops/{wid}/room/codes"), ("send records home", "/rooms/send"),
                            ("claim codes to print", "/rooms/claim-codes"), ("room kit page on a room", f"/workshops/{wid}/room")],
        }
        yield base, app, pages, ids


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_accessibility_violation_on_the_room_pages(browser, room_site, lang, viewport):
    base, app, pages, ids = room_site
    problems = []
    for role, lines in pages.items():
        context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True,
                                      extra_http_headers={"Accept-Language": lang})
        context.add_cookies([{"name": "lang", "value": lang, "url": base}])
        if role != ANON:
            sign_in(context, base, app, ids[role])
        tab = context.new_page()
        for name, url in lines:
            response = tab.goto(base + url)
            assert response.status == 200, f"{name} ({url}) as {role}: {response.status}"
            problems += [f"{name} ({url}): {v}" for v in _violations(tab)]
            width = tab.evaluate("document.documentElement.scrollWidth")
            if width > VIEWPORTS[viewport]["width"]:
                problems.append(f"{name} ({url}): the page is {width} px wide: it scrolls sideways")
        context.close()
    assert not problems, f"axe-core, room pages, {lang}, {viewport}:\n" + "\n".join(problems)
