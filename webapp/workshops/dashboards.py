"""The facilitator's dashboards: the roster and the item analysis, each in a fixed number of queries
whatever the size of the workshop (members are selected by a subquery, never one by one)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select, union_all

from ..content import Catalog
from ..content.questions import QUESTION_TYPES
from ..extensions import db
from ..models import (
    Attempt,
    AttemptAnswer,
    AttendanceMark,
    Certificate,
    LessonProgress,
    LiveAnswer,
    User,
    Workshop,
    WorkshopMember,
)
from ..models.attempt import FINAL
from ..models.workshop import POST, PRE, workshop_quiz_key
from ..progress.services import COMPLETED, IN_PROGRESS, NOT_STARTED
from . import services

INDICATIVE_BELOW = 10  # fewer answers than this: the figures are only indicative
SORTS = ("name", "organisation", "progress", "attendance", "activity", "pre", "post", "gain", "final",
         "certificate")
STATUS_RANK = {NOT_STARTED: 0, IN_PROGRESS: 1, COMPLETED: 2}
#: The final assessment on the roster: passed (at any attempt), failed (every attempt so far), not taken.
FINAL_PASSED, FINAL_FAILED, FINAL_NONE = "passed", "failed", "none"
#: The workshop certificate on the roster.
CERT_ISSUED, CERT_REVOKED, CERT_NONE = "issued", "revoked", "none"


@dataclass
class Sitting:
    """A pre- or post-test sitting on the roster: its score (0..1) and whether it was typed in from paper."""
    score: float
    paper: bool


@dataclass
class RosterRow:
    user: User
    joined_at: datetime
    statuses: dict          # slug -> not_started | in_progress | completed
    best: dict              # slug -> best score of the lesson quiz (0..1), absent if never submitted
    days_present: set       # of dates
    last_activity: datetime | None
    tests: dict = None      # PRE / POST -> Sitting, absent if not sat
    final: str = FINAL_NONE
    final_best: float | None = None
    certificate: str = CERT_NONE

    @property
    def completed(self) -> int:
        return sum(1 for s in self.statuses.values() if s == COMPLETED)

    @property
    def pre(self) -> Sitting | None:
        return (self.tests or {}).get(PRE)

    @property
    def post(self) -> Sitting | None:
        return (self.tests or {}).get(POST)

    @property
    def gain(self) -> float | None:
        """Post-test score minus pre-test score (-1..1), when she sat both."""
        return None if self.pre is None or self.post is None else self.post.score - self.pre.score


def roster(workshop: Workshop, sort: str = "name", descending: bool = False) -> list[RosterRow]:
    """Trainees x lessons in scope: reading status, best quiz score, pre- and post-test scores,
    the final assessment, the workshop certificate, attendance, last activity.
    Six queries, whatever the number of trainees."""
    member_ids = services.member_ids_query(workshop.id)
    slugs = list(workshop.lessons)
    people = db.session.execute(
        select(User, WorkshopMember.joined_at).join(WorkshopMember, WorkshopMember.user_id == User.id)
        .where(WorkshopMember.workshop_id == workshop.id)).all()
    rows = {u.id: RosterRow(u, joined, {s: NOT_STARTED for s in slugs}, {}, set(), None, {})
            for u, joined in people}

    for user_id, slug, completed_at in db.session.execute(
            select(LessonProgress.user_id, LessonProgress.lesson_slug, LessonProgress.completed_at)
            .where(LessonProgress.user_id.in_(member_ids), LessonProgress.lesson_slug.in_(slugs))):
        rows[user_id].statuses[slug] = COMPLETED if completed_at else IN_PROGRESS

    # Lesson quizzes, the final and the two tests in one query (a test has one sitting a trainee).
    tests = {workshop_quiz_key(workshop.id, PRE): PRE, workshop_quiz_key(workshop.id, POST): POST}
    for user_id, quiz, best, passed, paper in db.session.execute(
            select(Attempt.user_id, Attempt.quiz, func.max(Attempt.score),
                   func.max(case((Attempt.passed.is_(True), 1), else_=0)), func.max(Attempt.paper_version))
            .where(Attempt.user_id.in_(member_ids), Attempt.quiz.in_([*slugs, FINAL, *tests]),
                   Attempt.submitted_at.is_not(None), Attempt.abandoned_at.is_(None))
            .group_by(Attempt.user_id, Attempt.quiz)):
        row = rows[user_id]
        if quiz == FINAL:
            row.final, row.final_best = (FINAL_PASSED if passed else FINAL_FAILED), best
        elif quiz in tests:
            row.tests[tests[quiz]] = Sitting(best or 0.0, paper is not None)
        else:
            row.best[quiz] = best

    for user_id, revoked in db.session.execute(
            select(Certificate.user_id, Certificate.revoked_at)
            .where(Certificate.workshop_id == workshop.id, Certificate.user_id.in_(member_ids))):
        rows[user_id].certificate = CERT_ISSUED if revoked is None else CERT_REVOKED

    for user_id, day in db.session.execute(
            select(AttendanceMark.user_id, AttendanceMark.day).where(AttendanceMark.workshop_id == workshop.id)):
        if user_id in rows:
            rows[user_id].days_present.add(day)

    # The last activity anywhere in the course: reading, quizzes, live answers.
    activity = union_all(
        select(LessonProgress.user_id.label("user_id"), LessonProgress.visited_at.label("at"))
        .where(LessonProgress.user_id.in_(member_ids)),
        select(Attempt.user_id, func.coalesce(Attempt.submitted_at, Attempt.started_at))
        .where(Attempt.user_id.in_(member_ids)),
        select(LiveAnswer.user_id, LiveAnswer.answered_at).where(LiveAnswer.user_id.in_(member_ids)),
    ).subquery()
    for user_id, at in db.session.execute(
            select(activity.c.user_id, func.max(activity.c.at)).group_by(activity.c.user_id)):
        if user_id in rows and at is not None:
            rows[user_id].last_activity = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))

    return sort_rows(list(rows.values()), sort, descending)


def sort_rows(rows: list[RosterRow], sort: str, descending: bool) -> list[RosterRow]:
    """Sort by a column (``lesson:<slug>`` for a lesson: status, then best score); unknown: by name."""
    def by_name(r):
        return (r.user.name.casefold(), r.user.id)

    if sort.startswith("lesson:"):
        slug = sort[7:]
        key = lambda r: (STATUS_RANK.get(r.statuses.get(slug), 0), r.best.get(slug, -1))  # noqa: E731
    else:
        key = {
            "organisation": lambda r: r.user.organisation.casefold(),
            "progress": lambda r: (r.completed, sum(r.best.values())),
            "attendance": lambda r: len(r.days_present),
            "activity": lambda r: r.last_activity or datetime.min,
            "pre": lambda r: r.pre.score if r.pre else -1,
            "post": lambda r: r.post.score if r.post else -1,
            "gain": lambda r: -2 if r.gain is None else r.gain,
            "final": lambda r: ({FINAL_FAILED: 1, FINAL_PASSED: 2}.get(r.final, 0), r.final_best or 0),
            "certificate": lambda r: {CERT_REVOKED: 1, CERT_ISSUED: 2}.get(r.certificate, 0),
        }.get(sort)
    rows = sorted(rows, key=by_name)
    return sorted(rows, key=key, reverse=descending) if key else (rows[::-1] if descending else rows)


# Item analysis ------------------------------------------------------------------------------------

@dataclass
class Item:
    question: dict
    answers: int
    correct: int
    mean_credit: float
    wrong: tuple | None      # the most chosen wrong answer (see wrong_choices), or None
    wrong_count: int

    @property
    def percent_correct(self) -> int:
        return round(100 * self.correct / self.answers) if self.answers else 0

    @property
    def indicative(self) -> bool:
        return self.answers < INDICATIVE_BELOW


def wrong_choices(question: dict, answer) -> list[tuple]:
    """The wrong parts of one answer, as keys to count: ("option", id) chosen wrongly,
    ("missed", id) a right option not ticked, ("pair", left, right), ("place", item, position)."""
    return QUESTION_TYPES[question["type"]].wrong_parts(question, answer)


def items(cat: Catalog, workshop: Workshop, test_question_ids=()) -> list[Item]:
    """Per question used in the workshop's quizzes (its lessons' quizzes, the final assessment's
    questions on those lessons, the pre- and post-test), taken by its trainees: one query.
    The least-well answered come first: they are the ones to discuss."""
    slugs = set(workshop.lessons)
    quizzes = list(slugs) + [FINAL, workshop_quiz_key(workshop.id, PRE), workshop_quiz_key(workshop.id, POST)]
    tested = set(test_question_ids)
    found: dict[str, list] = {}
    for qid, answer, credit in db.session.execute(
            select(AttemptAnswer.question_id, AttemptAnswer.answer, AttemptAnswer.credit)
            .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
            .where(Attempt.user_id.in_(services.member_ids_query(workshop.id)), Attempt.quiz.in_(quizzes),
                   Attempt.submitted_at.is_not(None), Attempt.abandoned_at.is_(None))):
        question = cat.question(qid)
        if question is not None and (question["lesson"] in slugs or qid in tested):
            found.setdefault(qid, []).append((answer, credit))
    result = []
    for qid, answers in found.items():
        question = cat.question(qid)
        wrong = Counter(key for answer, credit in answers if credit < 1 for key in wrong_choices(question, answer))
        top = wrong.most_common(1)
        result.append(Item(question, len(answers), sum(1 for _, c in answers if c >= 1),
                           sum(c for _, c in answers) / len(answers), top[0][0] if top else None,
                           top[0][1] if top else 0))
    order = {q["id"]: n for n, q in enumerate(cat.all_questions())}
    return sorted(result, key=lambda i: (i.mean_credit, order.get(i.question["id"], 0)))
