"""A workshop test sat on paper and typed back in by the facilitator: the sheet's letters become an
ordinary sitting (an Attempt, graded like an online one), marked with the sheet's version, so that it
counts in the knowledge gain. One sitting per trainee and test: typing a sheet in again replaces the
paper sitting only when the facilitator confirms, and never one the trainee sat online."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from ..content import Catalog
from ..content.questions import QUESTION_TYPES
from ..extensions import db
from ..models import Attempt, AttemptAnswer, Workshop, WorkshopTest
from ..models.base import utcnow
from ..models.workshop import workshop_quiz_key
from . import pack, prepost


class Unreadable(ValueError):
    """Some answers cannot be read on this sheet: ``numbers`` are the questions' numbers on it."""

    def __init__(self, numbers: list[int]):
        super().__init__(numbers)
        self.numbers = numbers


def replaceable(attempt: Attempt) -> bool:
    """A paper sitting may be typed in again; an online one stands once she has sent it."""
    return attempt.on_paper or attempt.submitted_at is None


@dataclass
class AlreadyRecorded(Exception):
    """She has a sitting of this test already; ``attempt`` is it."""
    attempt: Attempt

    @property
    def replaceable(self) -> bool:
        return replaceable(self.attempt)


def sheet(cat: Catalog, workshop: Workshop, test: WorkshopTest, version: str) -> list[pack.PaperQuestion]:
    """The test as printed on paper in ``version``: the same numbers, letters and answer key."""
    questions = [q for q in (cat.question(qid) for qid in test.question_ids) if q is not None]
    return pack.paper_questions(questions, version, pack.test_series(workshop, test.kind))


def read(sheet_questions: list[pack.PaperQuestion], typed: dict) -> list[tuple[dict, object]]:
    """(question, answer) for each question of the sheet, from ``typed`` (number -> letters).
    Raises Unreadable naming every answer that cannot be read; a blank is an unanswered question."""
    answers, unreadable = [], []
    for pq in sheet_questions:
        q = pq.question
        try:
            answers.append((q, QUESTION_TYPES[q["type"]].paper_answer(q, pq.options, pq.rows,
                                                                     typed.get(pq.number, ""))))
        except ValueError:
            unreadable.append(pq.number)
    if unreadable:
        raise Unreadable(unreadable)
    return answers


def record(cat: Catalog, workshop: Workshop, test: WorkshopTest, user_id: int, version: str, typed: dict,
           replace: int | None = None) -> Attempt:
    """Grade and store one paper sheet as her sitting of the test. ``replace``: the id of the paper
    sitting the facilitator agreed to replace. Raises Unreadable, or AlreadyRecorded when she has
    another sitting (also one recorded a moment ago by a co-facilitator)."""
    existing = prepost.attempt_of(workshop, test.kind, user_id)
    if existing is not None and not (replaceable(existing) and existing.id == replace):
        raise AlreadyRecorded(existing)
    sheet_questions = sheet(cat, workshop, test, version)
    answers = read(sheet_questions, typed)
    credits = [QUESTION_TYPES[q["type"]].grade(q, a) for q, a in answers]
    now = utcnow()
    layout = [{"id": pq.question["id"], "shown": [option for _, option in pq.options],
               "tokens": {letter: option for letter, option in pq.options},
               **({"rows": list(pq.rows)} if pq.rows else {})} for pq in sheet_questions]
    score = round(sum(credits) / len(credits), 4) if credits else 0.0
    attempt = Attempt(user_id=user_id, quiz=workshop_quiz_key(workshop.id, test.kind), content_version=cat.version,
                      pass_mark=0.0, layout=layout, started_at=now, submitted_at=now, score=score, passed=True,
                      paper_version=version)
    try:
        with db.session.begin_nested():
            if existing is not None:
                # Set aside (kept, out of every figure) in the same transaction as its replacement.
                db.session.execute(update(Attempt).where(Attempt.id == existing.id, Attempt.abandoned_at.is_(None))
                                   .values(abandoned_at=now))
            db.session.add(attempt)
            db.session.flush()
            db.session.execute(insert(AttemptAnswer), [
                {"attempt_id": attempt.id, "position": n, "question_id": q["id"], "answer": a, "credit": c,
                 "graded_key": QUESTION_TYPES[q["type"]].correct_answer(q)}
                for n, ((q, a), c) in enumerate(zip(answers, credits))])
    except IntegrityError:  # a co-facilitator typed her sheet in at the same moment: that one stands
        db.session.rollback()
        found = prepost.attempt_of(workshop, test.kind, user_id)
        if found is None:
            raise
        raise AlreadyRecorded(found) from None
    db.session.commit()
    return attempt
