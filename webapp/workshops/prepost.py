"""Pre-test and post-test, and the knowledge gain per lesson topic.

A test is a list of bank questions drawn from the lessons in scope; each trainee sits it once, as an
ordinary Attempt whose quiz is ``workshop-<id>-pre`` or ``-post``, graded by the quiz machinery."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..content import Catalog
from ..extensions import db
from ..models import Attempt, AttemptAnswer, Workshop, WorkshopTest
from ..models.base import utcnow
from ..models.workshop import POST, PRE, workshop_quiz_key
from ..quizzes import drawing
from . import services

PER_LESSON_CHOICES = (1, 2, 3)
SAME, PARALLEL = "same", "parallel"


class TestLocked(Exception):
    """The test's questions cannot change: trainees have started it."""


def tests_of(workshop_id: int) -> dict[str, WorkshopTest]:
    return {t.kind: t for t in db.session.scalars(select(WorkshopTest).where(WorkshopTest.workshop_id == workshop_id))}


def has_attempts(workshop: Workshop, kind: str) -> bool:
    return db.session.scalar(select(Attempt.id).where(Attempt.quiz == workshop_quiz_key(workshop.id, kind)).limit(1)) \
        is not None


def compose(cat: Catalog, workshop: Workshop, kind: str, per_lesson: int, mode: str = SAME,
            rng: random.Random | None = None) -> WorkshopTest:
    """Draw the test's questions: ``per_lesson`` from each lesson in scope. A post-test asks the
    pre-test's questions again (SAME) or others from the same lessons (PARALLEL) where the bank
    has enough. Raises TestLocked once a trainee has started it."""
    rng = rng or random.Random()
    tests = tests_of(workshop.id)
    test = tests.get(kind)
    if test is not None and has_attempts(workshop, kind):
        raise TestLocked(kind)
    pre = tests.get(PRE)
    if kind == POST and mode == SAME and pre is not None:
        ids = list(pre.question_ids)
    else:
        avoid = set(pre.question_ids) if kind == POST and pre is not None else set()
        ids = []
        for slug in workshop.lessons:
            bank = cat.banks.get(slug)
            if bank is None:
                continue
            fresh = [q["id"] for q in bank.questions if q["id"] not in avoid]
            pool = fresh if len(fresh) >= per_lesson else [q["id"] for q in bank.questions]
            ids += rng.sample(pool, min(per_lesson, len(pool)))
    if test is None:
        try:  # two first clicks at once (two co-facilitators): the unique pair keeps one test
            with db.session.begin_nested():
                test = WorkshopTest(workshop_id=workshop.id, kind=kind, question_ids=ids)
                db.session.add(test)
        except IntegrityError:
            test = tests_of(workshop.id)[kind]
            test.question_ids = ids
    else:
        test.question_ids = ids
    db.session.commit()
    return test


def set_open(test: WorkshopTest, is_open: bool) -> None:
    if is_open:
        test.opened_at, test.closed_at = utcnow(), None
    elif test.opened_at is not None:
        test.closed_at = utcnow()
    db.session.commit()


def attempt_of(workshop: Workshop, kind: str, user_id: int) -> Attempt | None:
    return db.session.scalar(select(Attempt).where(Attempt.user_id == user_id,
                                                   Attempt.quiz == workshop_quiz_key(workshop.id, kind),
                                                   Attempt.abandoned_at.is_(None)))


def start(cat: Catalog, workshop: Workshop, test: WorkshopTest, user_id: int,
          rng: random.Random | None = None) -> Attempt:
    """The trainee's one sitting of this test, made on her first visit (options shuffled for her).
    One, whatever the number of concurrent "start" requests: the database refuses a second."""
    attempt = attempt_of(workshop, test.kind, user_id)
    if attempt is not None:
        return attempt
    rng = rng or random.Random()
    questions = [cat.question(qid) for qid in test.question_ids if cat.question(qid) is not None]
    attempt = Attempt(user_id=user_id, quiz=workshop_quiz_key(workshop.id, test.kind), content_version=cat.version,
                      pass_mark=0.0, layout=[drawing.layout(q, rng) for q in questions])
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # another request made her sitting first: that one is hers
        attempt = attempt_of(workshop, test.kind, user_id)
    db.session.commit()
    return attempt


# Knowledge gain ----------------------------------------------------------------------------------

@dataclass
class Scores:
    """Mean credit per lesson (and "all") in one test, 0..1."""
    by_lesson: dict = field(default_factory=dict)
    overall: float | None = None


@dataclass
class TraineeGain:
    user: object
    pre: Scores | None
    post: Scores | None

    def gain(self, lesson: str | None = None) -> float | None:
        if self.pre is None or self.post is None:
            return None
        if lesson is None:
            return self.post.overall - self.pre.overall
        a, b = self.pre.by_lesson.get(lesson), self.post.by_lesson.get(lesson)
        return None if a is None or b is None else b - a


@dataclass
class GroupGain:
    lessons: list
    trainees: list       # of TraineeGain
    pre: Scores          # means over the trainees who sat the pre-test
    post: Scores         # ... the post-test
    gain: Scores         # means over the trainees who sat both


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _scores(credits: list[tuple[str, float]]) -> Scores:
    by_lesson: dict[str, list[float]] = {}
    for lesson, credit in credits:
        by_lesson.setdefault(lesson, []).append(credit)
    return Scores({k: sum(v) / len(v) for k, v in by_lesson.items()}, sum(c for _, c in credits) / len(credits))


def gains(cat: Catalog, workshop: Workshop, only_user_id: int | None = None) -> GroupGain:
    """Each trainee's pre and post scores per lesson topic, and the group's, in two queries."""
    keys = {workshop_quiz_key(workshop.id, PRE): PRE, workshop_quiz_key(workshop.id, POST): POST}
    users = services.members(workshop.id)
    if only_user_id is not None:
        users = [u for u in users if u.id == only_user_id]
    query = (select(Attempt.user_id, Attempt.quiz, AttemptAnswer.question_id, AttemptAnswer.credit)
             .join(AttemptAnswer, AttemptAnswer.attempt_id == Attempt.id)
             .where(Attempt.quiz.in_(list(keys)), Attempt.submitted_at.is_not(None), Attempt.abandoned_at.is_(None),
                    Attempt.user_id.in_(services.member_ids_query(workshop.id))))
    if only_user_id is not None:
        query = query.where(Attempt.user_id == only_user_id)
    credits: dict[tuple[int, str], list] = {}
    for user_id, quiz, qid, credit in db.session.execute(query):
        question = cat.question(qid)
        if question is not None:
            credits.setdefault((user_id, keys[quiz]), []).append((question["lesson"], credit))
    trainees = [TraineeGain(u, _scores(credits[(u.id, PRE)]) if (u.id, PRE) in credits else None,
                            _scores(credits[(u.id, POST)]) if (u.id, POST) in credits else None) for u in users]
    seen = {lesson for rows in credits.values() for lesson, _ in rows}
    lessons = [s for s in workshop.lessons if s in seen] + sorted(seen - set(workshop.lessons))
    both = [t for t in trainees if t.pre and t.post]

    def group(pick, people):
        return Scores({s: _mean(pick(t, s) for t in people) for s in lessons}, _mean(pick(t, None) for t in people))

    def score(kind):
        return lambda t, s: (getattr(t, kind).overall if s is None else getattr(t, kind).by_lesson.get(s))

    return GroupGain(lessons, trainees, group(score("pre"), [t for t in trainees if t.pre]),
                     group(score("post"), [t for t in trainees if t.post]),
                     group(lambda t, s: t.gain(s), both))
