"""Reading progress: started, completed, the place to resume. Keyed by lesson slug."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import g, has_request_context, request
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..models import LessonProgress
from ..models.base import utcnow

#: Where ``auth.sessions.load`` leaves her reading rows, read with her account, for ``rows_by_slug``.
PRELOADED = "reading_rows"

NOT_STARTED, IN_PROGRESS, COMPLETED = "not_started", "in_progress", "completed"


@dataclass(frozen=True)
class Resume:
    slug: str
    section: str
    quiz: bool = False  # every lesson read: what is left here is passing its quiz


def _get_or_create(user_id: int, slug: str) -> LessonProgress:
    row = db.session.scalar(select(LessonProgress).filter_by(user_id=user_id, lesson_slug=slug))
    return row or _create(user_id, slug)


def _create(user_id: int, slug: str) -> LessonProgress:
    _written(user_id)
    row = LessonProgress(user_id=user_id, lesson_slug=slug)
    try:
        with db.session.begin_nested():  # two tabs opening the same lesson at once
            db.session.add(row)
    except IntegrityError:
        row = db.session.scalar(select(LessonProgress).filter_by(user_id=user_id, lesson_slug=slug))
    return row


#: A repeat view of the lesson she is already reading writes nothing; its "last visit" time is
#: refreshed at most this often (the facilitator's "last activity" needs no finer grain).
VISIT_REFRESH = timedelta(minutes=5)


def record_visit(user_id: int, slug: str) -> dict:
    """She opens a lesson. Written only when something changes: the first visit, a return from
    another lesson (resume follows the lesson read most recently), or a last visit older than
    VISIT_REFRESH. Returns her reading rows by slug (read once, in the same statement)."""
    rows = rows_by_slug(user_id)
    row, now = rows.get(slug), utcnow()
    if row is None:
        rows[slug] = _create(user_id, slug)  # just read: not there
        db.session.commit()
    elif row.visited_at < now - VISIT_REFRESH or any(
            other.visited_at > row.visited_at for other in rows.values() if other is not row):
        _touch(row.id, now)
        set_committed_value(row, "visited_at", now)
    return rows


def _touch(row_id: int, now, **values) -> None:
    """One UPDATE and its commit, without loading or flushing anything else."""
    db.session.execute(update(LessonProgress).where(LessonProgress.id == row_id).values(visited_at=now, **values))
    db.session.commit()


def record_place(user_id: int, slug: str, section: str) -> None:
    """Where she is in a lesson (the script reports each new section): written only when it moves."""
    _written(user_id)
    row = db.session.scalar(select(LessonProgress).filter_by(user_id=user_id, lesson_slug=slug))
    if row is None:
        row = _get_or_create(user_id, slug)
        row.last_section = section
        db.session.commit()
    elif row.last_section != section or row.visited_at < utcnow() - VISIT_REFRESH:
        _touch(row.id, utcnow(), last_section=section)


def mark_read(user_id: int, slug: str) -> bool:
    """She says she has read the lesson; True the first time (idempotent). Reading progress only:
    a lesson is completed by passing its quiz (``complete_by_quiz``), not by saying so."""
    _written(user_id)
    row = _get_or_create(user_id, slug)
    first = row.read_at is None
    if first:
        row.read_at = utcnow()
    row.visited_at = utcnow()
    db.session.commit()
    return first


def complete_by_quiz(user_id: int, slug: str, at) -> bool:
    """The lesson is completed when its quiz is passed (the bank's pass mark): dated by the first pass.
    True the first time; a later pass changes nothing (not committed: the caller commits)."""
    _written(user_id)
    row = _get_or_create(user_id, slug)
    if row.completed_at is not None:
        return False
    row.completed_at = at
    return True


def rows_by_slug(user_id: int) -> dict:
    """Her reading rows by lesson slug. On a GET, the first call takes those read with her account
    (``auth.sessions.load``): no query of its own. Later calls, and any after a write, read again."""
    if has_request_context() and request.method in ("GET", "HEAD"):
        preloaded = g.get(PRELOADED, {}).pop(user_id, None)
        if preloaded is not None:
            return preloaded
    rows = db.session.scalars(select(LessonProgress).where(LessonProgress.user_id == user_id))
    return {row.lesson_slug: row for row in rows}


def _written(user_id: int) -> None:
    """Rows read earlier in this request may be out of date now."""
    if has_request_context():
        g.get(PRELOADED, {}).pop(user_id, None)


def status_of(row: LessonProgress | None) -> str:
    if row is None:
        return NOT_STARTED
    return COMPLETED if row.completed_at else IN_PROGRESS


def overview(lessons, rows: dict) -> dict:
    """Each lesson's status and the share of the course completed."""
    statuses = {lesson.slug: status_of(rows.get(lesson.slug)) for lesson in lessons}
    done = sum(1 for s in statuses.values() if s == COMPLETED)
    percent = round(100 * done / len(statuses)) if statuses else 0
    return {"statuses": statuses, "done": done, "total": len(statuses), "percent": percent}


def resume_point(lessons, rows: dict) -> Resume | None:
    """Where to continue: the last place in the lesson read most recently, or, when she has read
    that one, the first lesson of the course she has not read; once she has read them all, the
    quiz of the first lesson not completed. None before any reading, and once all are completed."""
    if not rows:
        return None
    def done_reading(row):
        return row is not None and (row.completed_at or row.read_at)
    latest = max(rows.values(), key=lambda r: r.visited_at)
    if not done_reading(latest):
        return Resume(latest.lesson_slug, latest.last_section)
    for lesson in lessons:
        row = rows.get(lesson.slug)
        if not done_reading(row):
            return Resume(lesson.slug, row.last_section if row else "")
    for lesson in lessons:
        if not rows[lesson.slug].completed_at:
            return Resume(lesson.slug, "", quiz=True)
    return None
