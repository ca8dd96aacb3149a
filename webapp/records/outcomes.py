"""What became of the trainees of the workshops held over a range: enrolled, in progress, completed,
the final assessment's pass rate and the knowledge gain, by country and by profession.

A trainee in two workshops counts once (enrolled, in progress, completed, final); her knowledge gain
counts once per workshop whose pre- and post-test she sat. Five queries, whatever the numbers.
Rates and gains from fewer than INDICATIVE_BELOW people are flagged as only indicative, as in the
facilitator's item analysis."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, select, union

from ..extensions import db
from ..models import Attempt, LessonProgress, User, Workshop, WorkshopMember
from ..models.attempt import FINAL
from ..models.certificate import COURSE, Certificate, counted
from ..models.workshop import POST, PRE, parse_workshop_quiz_key
from ..workshops.dashboards import INDICATIVE_BELOW

COUNTRY, PROFESSION = "country", "profession"


@dataclass
class Outcome:
    """The figures of one group of trainees (a country, a profession, or all)."""
    key: str
    enrolled: int = 0
    in_progress: int = 0
    completed: int = 0
    final_sat: int = 0
    final_passed: int = 0
    gains: list = field(default_factory=list)  # post minus pre (-1..1), one per workshop and trainee

    @property
    def pass_rate(self) -> float | None:
        return self.final_passed / self.final_sat if self.final_sat else None

    @property
    def gain(self) -> float | None:
        return sum(self.gains) / len(self.gains) if self.gains else None

    @property
    def pass_rate_indicative(self) -> bool:
        return 0 < self.final_sat < INDICATIVE_BELOW

    @property
    def gain_indicative(self) -> bool:
        return 0 < len(self.gains) < INDICATIVE_BELOW


@dataclass
class Outcomes:
    by_country: list
    by_profession: list
    total: Outcome
    threshold: int = INDICATIVE_BELOW

    def by(self, dimension: str) -> list:
        return self.by_country if dimension == COUNTRY else self.by_profession


def outcomes(start: date, end: date) -> Outcomes:
    """The trainees of the workshops held (at least partly) from ``start`` to ``end``."""
    in_range = and_(Workshop.start_date <= end, Workshop.end_date >= start)
    memberships = db.session.execute(
        select(WorkshopMember.workshop_id, User.id, User.country, User.profession)
        .join(Workshop, Workshop.id == WorkshopMember.workshop_id).join(User, User.id == WorkshopMember.user_id)
        .where(in_range)).all()
    member_ids = (select(WorkshopMember.user_id).join(Workshop, Workshop.id == WorkshopMember.workshop_id)
                  .where(in_range))
    people = {uid: (country or "", profession or "") for _, uid, country, profession in memberships}
    pairs = {(wid, uid) for wid, uid, _, _ in memberships}

    completed = set(db.session.scalars(
        select(Certificate.user_id).where(Certificate.scope == COURSE, counted(), Certificate.user_id.in_(member_ids))))
    started = set(db.session.scalars(union(
        select(LessonProgress.user_id).where(LessonProgress.user_id.in_(member_ids)),
        select(Attempt.user_id).where(Attempt.user_id.in_(member_ids), ~Attempt.quiz.like("workshop-%")))))
    finals = dict(db.session.execute(
        select(Attempt.user_id, func.max(case((Attempt.passed.is_(True), 1), else_=0)))
        .where(Attempt.quiz == FINAL, Attempt.submitted_at.is_not(None), Attempt.abandoned_at.is_(None),
               Attempt.user_id.in_(member_ids))
        .group_by(Attempt.user_id)).all())
    scores: dict[tuple[int, int], dict] = {}
    for uid, quiz, score in db.session.execute(
            select(Attempt.user_id, Attempt.quiz, Attempt.score)
            .where(Attempt.quiz.like("workshop-%"), Attempt.submitted_at.is_not(None),
                   Attempt.abandoned_at.is_(None), Attempt.user_id.in_(member_ids))):
        parsed = parse_workshop_quiz_key(quiz)
        if parsed and (parsed[0], uid) in pairs and score is not None:
            scores.setdefault((parsed[0], uid), {})[parsed[1]] = score

    groups = {COUNTRY: {}, PROFESSION: {}}
    total = Outcome("")

    def rows_of(uid):
        country, profession = people[uid]
        return (groups[COUNTRY].setdefault(country, Outcome(country)),
                groups[PROFESSION].setdefault(profession, Outcome(profession)), total)

    for uid in people:
        for row in rows_of(uid):
            row.enrolled += 1
            if uid in completed:
                row.completed += 1
            elif uid in started:
                row.in_progress += 1
            if uid in finals:
                row.final_sat += 1
                row.final_passed += finals[uid]
    for (_, uid), tests in scores.items():
        if PRE in tests and POST in tests:
            for row in rows_of(uid):
                row.gains.append(tests[POST] - tests[PRE])

    def ordered(found):
        return sorted(found.values(), key=lambda o: (-o.enrolled, o.key == "", o.key))

    return Outcomes(ordered(groups[COUNTRY]), ordered(groups[PROFESSION]), total)
