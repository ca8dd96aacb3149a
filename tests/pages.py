"""EVERY PAGE TYPE, for the budgets: no accessibility violation (axe-core, tests/browser/test_a11y.py)
and valid HTML (the Nu Html Checker, tests/web/test_html_valid.py), in French and English.

ADDING A PAGE? Add one line to PAGES:

    Page("roster", "workshops.roster", FACILITATOR),

a name, the endpoint, who looks at it (a role of tests/web/access_table.py), and, when it is not 200,
the status it answers (`fragment=True` for a piece of a page that a script fetches,
`reader_language=False` for a page in its object's language). Every lesson is checked too. URL parameters are filled from the world of tests/web/access_world.py (PARAMS
there, or OWN_PARAMS below, or keyword arguments: a function of the world); `query` adds a query
string. A line whose endpoint the app does not have yet is left out, so a line may come before its
route lands.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import update
from werkzeug.datastructures import MultiDict

from webapp.content import catalog
from webapp.extensions import db
from webapp.models import User
from webapp.quizzes import services as quizzes

from .web.access_table import ADMIN, ANON, FACILITATOR, OTHER_TRAINEE, PARAMS, PARAMS_FOR, TRAINEE
from .web.access_world import World, build_world, client_as  # noqa: F401  (client_as: for the tests)
from .web.test_quizzes import right_answers

LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Page:
    name: str
    endpoint: str | None  # None: an address no route answers (the 404 page)
    who: str = ANON
    status: int = 200
    query: str = ""
    params: dict = field(default_factory=dict)
    fragment: bool = False  # a piece of a page that a script fetches (checked as HTML, not by axe)
    reader_language: bool = True  # False: the page is in its object's language (a workshop's pack)

    def url(self, app: Flask, world: World) -> str:
        if self.endpoint is None:
            return "/no-such-page"
        rules = [r for r in app.url_map.iter_rules() if r.endpoint == self.endpoint]
        rule = next((r for r in rules if "GET" in r.methods), rules[0])  # POST only: the 405 page
        values = {}
        for name in rule.arguments:
            fill = (self.params.get(name) or OWN_PARAMS.get(name) or PARAMS_FOR.get(self.endpoint, {}).get(name)
                    or PARAMS[name])
            values[name] = fill(world)
        path = rule.build(values, append_unknown=False)[1]
        return path + (f"?{self.query}" if self.query else "")


def P(name: str, endpoint: str | None, who: str = ANON, status: int = 200, query: str = "",
      fragment: bool = False, reader_language: bool = True, **params: Callable[[World], object]) -> Page:
    return Page(name, endpoint, who, status, query, params, fragment, reader_language)


# The real course's first lesson and quiz (the access tests' PARAMS name the sample course's).
OWN_PARAMS = {
    "slug": lambda w: w.lesson,
    "quiz": lambda w: w.lesson,
}

PAGES = [
    # name                          endpoint                      who            status
    P("home",                       "main.home"),
    P("home, signed in",            "main.home",                  TRAINEE),
    P("lesson",                     "courses.lesson"),
    P("lesson, signed in",          "courses.lesson",             TRAINEE),
    P("glossary",                   "courses.glossary"),
    P("sources",                    "courses.sources"),
    P("what changed",               "courses.changes"),
    P("quizzes",                    "quizzes.index",              TRAINEE),
    P("quiz overview",              "quizzes.overview",           TRAINEE),
    P("quiz",                       "quizzes.attempt",            TRAINEE),
    P("quiz result",                "quizzes.result",             TRAINEE, attempt_id=lambda w: w.result.id),
    P("decision aid",               "decide.index"),
    P("decision aid result",        "decide.index",               query="child=yes&act=yes&purpose=yes"),
    P("decision aid, a step",       "decide.index",               query="child=no"),
    P("decision aid, smuggling",    "decide.index",               query="child=no&act=no&purpose=no&means=no&crossing=irregular&benefit=yes"),
    P("progress",                   "progress.index",             TRAINEE),
    P("sign-in",                    "auth.login"),
    P("registration",               "auth.register"),
    P("account",                    "auth.account",               TRAINEE),
    P("password change",            "auth.password",              TRAINEE),
    P("not found",                  None,                         status=404),
    P("forbidden",                  "admin.users",                TRAINEE,       403),
    P("bad request",                "admin.users",                ADMIN,         400, query="q=%00"),
    P("method not allowed",         "auth.logout",                TRAINEE,       405),
    P("server error",               "pages_crash",                status=500),
    P("forgotten password",         "auth.forgot"),
    P("new password (reset link)",  "auth.reset"),
    P("used or unknown link",       "auth.reset",                 status=404, token=lambda w: "no-such-link"),
    P("registration confirmation",  "auth.confirm"),
    P("reset links for trainees",   "auth.issue",                 FACILITATOR),
    P("workshops",                  "workshops.index",            TRAINEE),
    P("workshop join",              "workshops.join",             OTHER_TRAINEE),
    P("workshop join by code",      "workshops.join_by_code"),
    P("new workshop",               "workshops.new",              FACILITATOR),
    P("edit workshop",              "workshops.edit",             FACILITATOR),
    P("pre-test, taking it",        "workshops.test_take",        TRAINEE),
    P("post-test, her result",      "workshops.test_take",        TRAINEE,       kind=lambda w: "post"),
    P("facilitator dashboard",      "workshops.show",             FACILITATOR),
    P("workshop, trainee",          "workshops.show",             TRAINEE),
    P("live question",              "workshops.live_screen",      FACILITATOR),
    P("live question, search",      "workshops.live_screen",      FACILITATOR,   query="words=a&lesson=all&page=2"),
    P("live question, none found",  "workshops.live_screen",      FACILITATOR,   query="words=zzzz"),
    P("earlier live question",      "workshops.live_past",        FACILITATOR),
    P("question of her own",        "workshops.live_own",         FACILITATOR),
    P("live question, trainee",     "workshops.live_panel",       TRAINEE,       fragment=True),
    P("presenter view",             "workshops.live_present",     FACILITATOR),
    P("presenter view, its panel",  "workshops.live_present_panel", FACILITATOR, fragment=True),
    P("roster",                     "workshops.roster",           FACILITATOR),
    P("trainees of a workshop",     "workshops.people",           FACILITATOR),
    P("claim room records",         "rooms.claim",                TRAINEE),
    P("records from rooms",         "rooms.records",              FACILITATOR),
    P("remove a trainee",           "workshops.remove",           FACILITATOR),
    P("attendance",                 "workshops.attendance",       FACILITATOR),
    P("attendance day",             "workshops.attendance_day",   FACILITATOR),
    P("mark everyone present",      "workshops.attendance_everyone", FACILITATOR),
    P("item analysis",              "workshops.items",            FACILITATOR),
    P("pre/post tests",             "workshops.tests",            FACILITATOR),
    P("workshop pack",              "workshops.pack_page",        FACILITATOR,   reader_language=False),
    P("workshop pack, test sheets", "workshops.pack_page",        FACILITATOR,   reader_language=False,
      query="chosen=1&parts=tests&parts=aid&key=1"),
    P("type in paper sheets",       "workshops.paper_entry",      FACILITATOR),
    P("projector",                  "workshops.projector",        FACILITATOR),
    P("slips to hand out",          "workshops.slips",            FACILITATOR,   reader_language=False),
    P("room kits",                  "rooms.room_page",            FACILITATOR),
    P("revoke a room kit",          "rooms.revoke_kit",           FACILITATOR),
    P("my records",                 "records.mine",               TRAINEE),
    P("delete my account",          "records.delete",             TRAINEE),
    P("coordinator report",         "records.report",             ADMIN),
    P("certificate",                "certificates.show",          TRAINEE),
    P("verification",               "certificates.verify"),
    P("certificate lookup",         "certificates.lookup"),
    P("check a credential",         "credentials.check"),
    P("certificates (admin)",       "certificates.admin_list",    ADMIN),
    P("certificate (admin)",        "certificates.admin_detail",  ADMIN),
    P("accounts (admin)",           "admin.users",                ADMIN),
]


def pages_of(app: Flask) -> list[Page]:
    """The lines of PAGES whose route the app has, and every other lesson of the course (content
    brings tables, figures and notes that the first lesson may not have)."""
    lessons = [P(f"lesson {lesson.slug}", "courses.lesson", slug=lambda w, s=lesson.slug: s)
               for lesson in catalog().lessons[1:]]
    return [p for p in PAGES if p.endpoint is None or p.endpoint in app.view_functions] + lessons


def build_pages_world() -> World:
    """The access tests' world, on the real course, plus a graded attempt with its answers."""
    world = build_world()
    cat = catalog()
    world.objects["lesson"] = cat.lessons[0].slug
    trainee = world.users[TRAINEE]
    first = cat.lessons[0].slug
    graded = quizzes.start(cat, trainee.id, first, random.Random(7))  # the world's open one, if on it
    form = right_answers(graded.id, wrong=[graded.layout[0]["id"]])
    quizzes.submit(cat, graded, MultiDict([(k, v) for k, vs in form.items()
                                           for v in (vs if isinstance(vs, list) else [vs])]))
    world.objects["result"] = graded
    world.attempt = quizzes.start(cat, trainee.id, first, random.Random(8))  # and one still open
    _tests_under_way(world, cat)
    return world


def _tests_under_way(world: World, cat) -> None:
    """The workshop's pre-test open and started by the trainee; its post-test sat and submitted."""
    from webapp.workshops import prepost
    workshop, trainee = world.workshop, world.users[TRAINEE]
    pre = prepost.tests_of(workshop.id)["pre"]
    prepost.set_open(pre, True)
    prepost.start(cat, workshop, pre, trainee.id, random.Random(9))
    post = prepost.compose(cat, workshop, "post", per_lesson=1)
    prepost.set_open(post, True)
    sat = prepost.start(cat, workshop, post, trainee.id, random.Random(10))
    form = right_answers(sat.id)
    quizzes.submit(cat, sat, MultiDict([(k, v) for k, vs in form.items()
                                        for v in (vs if isinstance(vs, list) else [vs])]))


def add_crash_route(app: Flask) -> None:
    """A page that fails, to check the 500 page like the others."""
    def crash():
        raise RuntimeError("a failure for the 500 page")
    app.add_url_rule("/_pages/crash", "pages_crash", crash)


def speak(world: World, lang: str) -> None:
    """Every user of the world reads in ``lang`` (a signed-in user's language is her account's)."""
    db.session.execute(update(User).where(User.id.in_([u.id for u in world.users.values()])).values(language=lang))
    db.session.commit()
