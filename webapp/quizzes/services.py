"""Attempts: start (or resume), read answers from a form, grade once, history. Scoring happens here,
on the server only."""
from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ..content import Catalog
from ..content.questions import QUESTION_TYPES
from ..database import not_waiting_for_the_disk
from ..extensions import db
from ..models import Attempt, AttemptAnswer
from ..models.base import new_uid, utcnow
from ..progress import services as progress
from . import drawing, final_rules


@dataclass(frozen=True)
class Submission:
    status: str  # "submitted" | "already" | "incomplete" | "too_soon"
    attempt: Attempt
    unanswered: tuple = ()


def _commit_keeping_loaded() -> None:
    """Commit without expiring what this request holds: the attempt and her account are read again
    right after (the redirect's address, whether she passed, her certificates), and each reload was
    one more statement, a round trip on PostgreSQL, for values this request has just written."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


# A sitting's statements, built once (building one costs about what SQLite takes to run it) and run
# through the tables: the ORM's unit of work and bulk update cost more than the statements themselves.
_ATTEMPTS = Attempt.__table__
_OPEN = select(_ATTEMPTS).where(_ATTEMPTS.c.user_id == bindparam("user_id"), _ATTEMPTS.c.quiz == bindparam("quiz"),
                                _ATTEMPTS.c.submitted_at.is_(None), _ATTEMPTS.c.abandoned_at.is_(None))
_BY_ID = select(_ATTEMPTS).where(_ATTEMPTS.c.id == bindparam("id"))
_OPEN_ONE = insert(_ATTEMPTS)
# The guard of a submission: only the first of several concurrent ones finds the attempt still open.
_CLAIM = (update(_ATTEMPTS).where(_ATTEMPTS.c.id == bindparam("attempt_id"), _ATTEMPTS.c.submitted_at.is_(None),
                                  _ATTEMPTS.c.abandoned_at.is_(None))
          .values(submitted_at=bindparam("at"), score=bindparam("scored"), passed=bindparam("pass")))
_STORE_ANSWERS = insert(AttemptAnswer.__table__)


def attempt_by_id(attempt_id: int) -> Attempt | None:
    """``db.session.get(Attempt, attempt_id)``, for a third of the time: read at every submission."""
    held = db.session.identity_map.get(identity_key(Attempt, attempt_id))
    if held is not None:
        return held
    row = db.session.execute(_BY_ID, {"id": attempt_id}).mappings().first()
    return None if row is None else _as_loaded(Attempt(**row))


def _open_attempt(user_id: int, quiz: str) -> Attempt | None:
    row = db.session.execute(_OPEN, {"user_id": user_id, "quiz": quiz}).mappings().first()
    return None if row is None else _as_loaded(Attempt(**row))


#: An attempt's columns that opening it leaves empty.
NOT_YET = {"submitted_at": None, "score": None, "passed": None, "abandoned_at": None, "paper_version": None,
           "room_kit_id": None}


def _as_loaded(attempt: Attempt) -> Attempt:
    """An attempt read or just inserted through its table, in the session as if the ORM had loaded
    it: the unit of work's flush cost a fifth of opening an attempt for its one row, and reading it
    back would be one more statement."""
    held = db.session.identity_map.get(identity_key(Attempt, attempt.id))
    if held is not None:  # this session has it already: the one copy, as a query would give
        return held
    make_transient_to_detached(attempt)
    db.session.add(attempt)
    return attempt


class TooSoon(Exception):
    """The final may not be sat now; ``standing.next_try`` says when."""

    def __init__(self, standing: final_rules.Standing):
        super().__init__(standing.next_try)
        self.standing = standing


def final_standing(user_id: int, rules: final_rules.Rules, now=None) -> final_rules.Standing:
    failures = list(db.session.scalars(
        select(Attempt.submitted_at).where(Attempt.user_id == user_id, Attempt.quiz == drawing.FINAL,
                                           Attempt.submitted_at.is_not(None), Attempt.passed.is_not(True))))
    return final_rules.standing(failures, now or utcnow(), rules)


def _previous_questions(user_id: int, quiz: str) -> frozenset:
    last = db.session.scalar(
        select(Attempt).where(Attempt.user_id == user_id, Attempt.quiz == quiz, Attempt.submitted_at.is_not(None))
        .order_by(Attempt.submitted_at.desc()).limit(1))
    return frozenset(last.question_ids) if last else frozenset()


def start(cat: Catalog, user_id: int, quiz: str, rng: random.Random | None = None,
          rules: final_rules.Rules | None = None) -> Attempt:
    """The open attempt at this quiz, or a new one: a double click on "start", or fifty requests at
    once, make one attempt (the database allows one open attempt per quiz and trainee).
    For the final, raises TooSoon while her failed attempts make her wait (``rules``)."""
    if quiz == drawing.FINAL and rules is not None:
        standing = final_standing(user_id, rules)
        if not standing.may_start:
            raise TooSoon(standing)
    rng = rng or random.Random()
    for _ in range(3):
        open_attempt = _open_attempt(user_id, quiz)
        if open_attempt and all(cat.question(qid) for qid in open_attempt.question_ids):
            return open_attempt  # a reload, a double click: nothing written
        with not_waiting_for_the_disk():  # an attempt opened is nobody's saved work yet: a reload reopens it
            if open_attempt:  # its questions left the content: set it aside (never submitted) for a new one
                db.session.execute(update(Attempt).where(Attempt.id == open_attempt.id, Attempt.submitted_at.is_(None))
                                   .values(abandoned_at=utcnow()))
            avoid = _previous_questions(user_id, quiz) if quiz == drawing.FINAL else frozenset()
            questions = drawing.draw(cat, quiz, rng, avoid)
            values = {"uid": new_uid(), "user_id": user_id, "quiz": quiz, "content_version": cat.version,
                      "pass_mark": drawing.pass_mark(cat, quiz), "layout": [drawing.layout(q, rng) for q in questions],
                      "started_at": utcnow()}
            try:
                if open_attempt:  # keep its setting aside if another request opens one first
                    with db.session.begin_nested():
                        attempt_id = db.session.execute(_OPEN_ONE, values).inserted_primary_key[0]
                else:  # nothing else written yet: no savepoint (two statements, two round trips)
                    attempt_id = db.session.execute(_OPEN_ONE, values).inserted_primary_key[0]
            except IntegrityError:  # another request opened one first: use it
                if not open_attempt:
                    db.session.rollback()
                continue
            _commit_keeping_loaded()
        return _as_loaded(Attempt(id=attempt_id, **values, **NOT_YET))
    db.session.commit()
    return _open_attempt(user_id, quiz)


def read_answer(question: dict, item: dict, form) -> object:
    """The answer to one question from the submitted form, in the JSON shape graders take."""
    return QUESTION_TYPES[question["type"]].read_answer(question, item, form)


def submit(cat: Catalog, attempt: Attempt, form, rules: final_rules.Rules | None = None) -> Submission:
    """Grade and record an attempt exactly once, whatever the number of (double, replayed,
    concurrent) submissions. Refuses an incomplete one, naming the unanswered questions, and a final
    sent while her failed attempts make her wait (one opened in another tab before a failure)."""
    if attempt.submitted_at is not None or attempt.abandoned_at is not None:
        return Submission("already", attempt)
    if attempt.quiz == drawing.FINAL and rules is not None:
        if not final_standing(attempt.user_id, rules).may_start:
            return Submission("too_soon", attempt)
    answers, unanswered = [], []
    for item in attempt.layout:
        question = cat.question(item["id"])
        answer = read_answer(question, item, form)
        if not QUESTION_TYPES[question["type"]].is_answered(question, answer):
            unanswered.append(item["id"])
        answers.append((question, answer))
    if unanswered:
        return Submission("incomplete", attempt, tuple(unanswered))
    credits = [QUESTION_TYPES[q["type"]].grade(q, a) for q, a in answers]
    score = round(sum(credits) / len(credits), 4)
    # The conditional update is the guard: only the first of several concurrent submissions wins. Through
    # the table: the ORM's bulk update would look for copies to refresh, which are set by hand below.
    now, passed = utcnow(), score >= attempt.pass_mark - 1e-9
    claimed = db.session.execute(_CLAIM, {"attempt_id": attempt.id, "at": now, "scored": score,
                                          "pass": passed}).rowcount
    if not claimed:
        db.session.rollback()
        db.session.refresh(attempt)
        return Submission("already", attempt)
    # One statement for all the answers, however many questions (a class submits at once).
    db.session.execute(_STORE_ANSWERS, [
        {"attempt_id": attempt.id, "position": n, "question_id": q["id"], "answer": a, "credit": c,
         "graded_key": QUESTION_TYPES[q["type"]].correct_answer(q)}
        for n, ((q, a), c) in enumerate(zip(answers, credits))])
    if passed and cat.lesson(attempt.quiz) is not None:
        # Passing a lesson's quiz is what completes the lesson (a button would certify nothing): in the
        # same transaction as the attempt, so that one is never stored without the other.
        progress.complete_by_quiz(attempt.user_id, attempt.quiz, now)
    for name, value in (("submitted_at", now), ("score", score), ("passed", passed)):
        set_committed_value(attempt, name, value)  # what the UPDATE above stored
    _commit_keeping_loaded()
    return Submission("submitted", attempt)


def history(user_id: int, quiz: str) -> list[Attempt]:
    return list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user_id, Attempt.quiz == quiz, Attempt.submitted_at.is_not(None),
                              Attempt.abandoned_at.is_(None))
        .order_by(Attempt.submitted_at.desc())))


def best_scores(user_id: int) -> dict:
    """{quiz: (best score, passed at least once)} for every quiz the user has submitted."""
    rows = db.session.execute(
        select(Attempt.quiz, func.max(Attempt.score), func.max(func.coalesce(Attempt.passed, False).cast(db.Integer)))
        .where(Attempt.user_id == user_id, Attempt.submitted_at.is_not(None), Attempt.abandoned_at.is_(None))
        .group_by(Attempt.quiz))
    return {quiz: (best, bool(passed)) for quiz, best, passed in rows}


@dataclass(frozen=True)
class Topic:
    lesson: str          # lesson slug
    score: float         # share of the credit earned on this lesson's questions
    questions: int
    review: tuple        # (slug, anchor) of the sections taught by the questions not fully right


def topics(cat: Catalog, attempt: Attempt) -> list[Topic]:
    """Her score per lesson and the sections to read again: what a failed final shows instead of the
    answers (which options were right would turn the next attempt into a memory test)."""
    by_lesson: dict[str, list] = {}
    for row in attempt.answers:
        question = cat.question(row.question_id)
        if question is not None:
            by_lesson.setdefault(question["lesson"], []).append((question, row.credit))
    order = list(cat.banks)
    result = []
    for lesson in sorted(by_lesson, key=lambda s: order.index(s) if s in order else len(order)):
        rows = by_lesson[lesson]
        review = []
        for question, credit in rows:
            see = question.get("see", "")
            place = tuple(see.split("#", 1)) if "#" in see else (lesson, see)
            if credit < 1 and place not in review:
                review.append(place)
        result.append(Topic(lesson, round(sum(c for _, c in rows) / len(rows), 4), len(rows), tuple(review)))
    return result


def shows_answers(attempt: Attempt) -> bool:
    """Lesson quizzes are practice and teach in full; the final shows its answers only once passed."""
    return attempt.quiz != drawing.FINAL or bool(attempt.passed)
