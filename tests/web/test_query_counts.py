"""Pages that list people or results load in a constant number of SQL statements: the same count
with one trainee's worth of rows as with many more (no query per row, "N+1").

ADDING A PAGE? One line in LISTING (a Page of tests/pages.py); if the rows it lists are new, make
`grow` add some."""
from __future__ import annotations

import random
from contextlib import contextmanager
from datetime import date, datetime

import pytest
from sqlalchemy import event
from werkzeug.datastructures import MultiDict

from webapp import models
from webapp.content import catalog
from webapp.extensions import db
from webapp.models import LessonProgress, User
from webapp.quizzes import services as quizzes

from ..pages import ADMIN, FACILITATOR, TRAINEE, P, build_pages_world, client_as
from .test_quizzes import right_answers

pytestmark = pytest.mark.engine_sensitive  # query counts differ by engine

LISTING = [
    P("progress",                 "progress.index",            TRAINEE),
    P("quizzes",                  "quizzes.index",             TRAINEE),
    P("quiz overview",            "quizzes.overview",          TRAINEE),
    P("quiz result",              "quizzes.result",            TRAINEE, attempt_id=lambda w: w.result.id),
    P("home, signed in",          "main.home",                 TRAINEE),
    P("facilitator dashboard",    "workshops.show",            FACILITATOR),
    P("roster",                   "workshops.roster",          FACILITATOR),
    P("trainees of a workshop",   "workshops.people",          FACILITATOR),
    P("attendance",               "workshops.attendance",      FACILITATOR),
    P("attendance day",           "workshops.attendance_day",  FACILITATOR),
    P("mark everyone present",    "workshops.attendance_everyone", FACILITATOR),
    P("item analysis",            "workshops.items",           FACILITATOR),
    P("pre/post tests",           "workshops.tests",           FACILITATOR),
    P("live question",            "workshops.live_screen",     FACILITATOR),
    P("workshop pack",            "workshops.pack_page",       FACILITATOR),
    P("my records",               "records.mine",              TRAINEE),
    P("coordinator report",       "records.report",            ADMIN),
    P("certificates (admin)",     "certificates.admin_list",   ADMIN),
    P("accounts (admin)",         "admin.users",               ADMIN),
]


@contextmanager
def counting():
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _submit(user_id: int, quiz: str, seed: int):
    cat = catalog()
    attempt = quizzes.start(cat, user_id, quiz, random.Random(seed))
    form = right_answers(attempt.id)
    quizzes.submit(cat, attempt, MultiDict([(k, v) for k, vs in form.items()
                                            for v in (vs if isinstance(vs, list) else [vs])]))
    return attempt


def grow(world, people: int) -> None:
    """More of everything the pages list: the trainee's own progress and attempts, and ``people``
    more trainees in the workshop, each with progress, attempts, attendance, a live answer and a
    certificate."""
    cat = catalog()
    trainee = world.users[TRAINEE]
    for lesson in cat.lessons:
        if not db.session.scalar(db.select(LessonProgress).filter_by(user_id=trainee.id, lesson_slug=lesson.slug)):
            db.session.add(LessonProgress(user_id=trainee.id, lesson_slug=lesson.slug, completed_at=datetime(2026, 3, 2)))
    db.session.commit()
    for n in range(3):
        for quiz in cat.banks:
            _submit(trainee.id, quiz, 100 + n)
    world.attempt = quizzes.start(cat, trainee.id, cat.lessons[0].slug, random.Random(99))
    for n in range(people):
        user = User(email=f"grown-{world.users[TRAINEE].id}-{n}@example.org", name=f"Grown {n}",
                    password_hash="x", organisation="Police", country="ML", profession="judge", language="fr")
        db.session.add(user)
        db.session.commit()
        for lesson in cat.lessons:
            db.session.add(LessonProgress(user_id=user.id, lesson_slug=lesson.slug, completed_at=datetime(2026, 3, 3)))
        db.session.commit()
        for quiz in cat.banks:
            _submit(user.id, quiz, n)
        if hasattr(models, "Workshop") and "workshop" in world.objects:
            _workshop_rows(world, user, cat)
        if hasattr(models, "Certificate"):
            from webapp.certificates import numbers
            db.session.add(models.Certificate(number=numbers.new_number(), user_id=user.id, scope="course",
                                              holder_name=user.name, completed_at=datetime(2026, 3, 4),
                                              completed_on=date(2026, 3, 4)))
        db.session.commit()


def _workshop_rows(world, user, cat) -> None:
    from webapp.content.questions import QUESTION_TYPES
    workshop = world.workshop
    db.session.add(models.WorkshopMember(workshop_id=workshop.id, user_id=user.id))
    for day in workshop.days:
        db.session.add(models.AttendanceMark(workshop_id=workshop.id, user_id=user.id, day=day))
    if "live" in world.objects:
        question = cat.question(world.live.question_id)
        db.session.add(models.LiveAnswer(live_question_id=world.live.id, user_id=user.id, credit=1.0,
                                         answer=QUESTION_TYPES[question["type"]].correct_answer(question)))


def _counts(app, world, pages) -> dict:
    counts = {}
    for page in pages:
        url = page.url(app, world)
        client = client_as(app, world, page.who)
        assert client.get(url).status_code == 200, page.name  # warm: session, caches
        with counting() as statements:
            response = client.get(url)
        assert response.status_code == page.status, f"{page.name} ({url}): {response.status_code}"
        counts[page.name] = len(statements)
    return counts


def test_pages_that_list_people_or_results_take_a_constant_number_of_queries(app):
    pages = [p for p in LISTING if p.endpoint in app.view_functions]
    world = build_pages_world()
    small = _counts(app, world, pages)
    grow(world, people=5)
    large = _counts(app, world, pages)
    grown = {name: (small[name], large[name]) for name in small if small[name] != large[name]}
    assert not grown, f"statements per page (few rows, many rows) that grow with the rows: {grown}"


@pytest.mark.parametrize("page", [p for p in LISTING if p.name in ("progress", "quiz result")], ids=lambda p: p.name)
def test_the_counter_sees_the_queries_of_a_page(app, page):
    world = build_pages_world()
    counts = _counts(app, world, [page])
    assert 1 <= counts[page.name] <= 12
