"""Workshops a trainee has completed, as certificates need them: the attendance she has, the
workshops she completed and when, and how a certificate names a workshop. Certificates and the
records both ask; neither owns it."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from ..extensions import db
from ..models import AttendanceMark, Workshop, WorkshopMember
from ..people import country_name
from ..zones import local_date, workshop_today
from .rules import workshop_completed_at


def attendance_marks(user_id: int) -> dict[int, list[tuple[date, datetime]]]:
    marks: dict[int, list] = {}
    for workshop_id, day, at in db.session.execute(
            select(AttendanceMark.workshop_id, AttendanceMark.day, AttendanceMark.marked_at)
            .where(AttendanceMark.user_id == user_id)):
        marks.setdefault(workshop_id, []).append((day, at))
    return marks


def completed_workshops(user_id: int, course_done_at: datetime) -> list[tuple[int, datetime, date]]:
    """(workshop id, completed at, its last day) for each workshop this trainee belongs to and has completed: the
    workshop over (closed or past its last day), the course completed and the attendance threshold met, dated the later of the course completion and
    the day that met the threshold (two queries)."""
    workshops = db.session.scalars(
        select(Workshop).join(WorkshopMember, WorkshopMember.workshop_id == Workshop.id)
        .where(WorkshopMember.user_id == user_id)).all()
    if not workshops:
        return []
    marks = attendance_marks(user_id)
    done = []
    for workshop in workshops:
        if not workshop.has_ended(workshop_today(workshop)):
            continue  # a workshop certificate is issued once the workshop is over
        ticked = dict(marks.get(workshop.id, []))
        at = workshop_completed_at(course_done_at, workshop.days, ticked, workshop.attendance_threshold,
                                   marked_at=ticked)
        if at is not None:
            done.append((workshop.id, at, workshop.end_date))
    return done


def describe(workshop_id: int, lang: str) -> str:
    """The workshop as a certificate names it: title, city, country and dates."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        return ""
    start, end = workshop.start_date, workshop.end_date
    dates = local_date(start, "long") if start == end else f"{local_date(start, 'long')} – {local_date(end, 'long')}"
    return f"{workshop.title}, {workshop.city} ({country_name(workshop.country, lang)}), {dates}"


def members_of(workshop_id: int):
    """A selectable of the user ids of a workshop's trainees."""
    return select(WorkshopMember.user_id).where(WorkshopMember.workshop_id == workshop_id).scalar_subquery()
