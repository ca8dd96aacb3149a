"""What the records need to know about workshops (the workshop models), in one place: workshop
completion, the by-workshop report, attendance as learning records, a trainee's workshops."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import format_date
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import AttendanceMark, User, Workshop, WorkshopMember
from ..models.certificate import COURSE, Certificate, counted
from ..people import country_name
from ..workshops.services import normalise_code
from ..zones import workshop_today
from .completion import workshop_completed_at
from .xapi import Record

#: Workshop tables that ``export`` covers field by field (the others are exported as they are).
EXPORTED = {"workshop_member", "attendance_mark"}


class UnknownWorkshop(LookupError):
    pass


def _marks(user_id: int) -> dict[int, list[tuple[date, datetime]]]:
    marks: dict[int, list] = {}
    for workshop_id, day, at in db.session.execute(
            select(AttendanceMark.workshop_id, AttendanceMark.day, AttendanceMark.marked_at)
            .where(AttendanceMark.user_id == user_id)):
        marks.setdefault(workshop_id, []).append((day, at))
    return marks


def completed_workshops(user_id: int, course_done_at: datetime) -> list[tuple[int, datetime]]:
    """(workshop id, completed at) for each workshop this trainee belongs to and has completed: the
    workshop over (closed or past its last day), the course completed and the attendance threshold met, dated the later of the course completion and
    the day that met the threshold (two queries)."""
    workshops = db.session.scalars(
        select(Workshop).join(WorkshopMember, WorkshopMember.workshop_id == Workshop.id)
        .where(WorkshopMember.user_id == user_id)).all()
    if not workshops:
        return []
    marks = _marks(user_id)
    done = []
    for workshop in workshops:
        if not workshop.has_ended(workshop_today(workshop)):
            continue  # a workshop certificate is issued once the workshop is over
        ticked = dict(marks.get(workshop.id, []))
        at = workshop_completed_at(course_done_at, workshop.days, ticked, workshop.attendance_threshold,
                                   marked_at=ticked)
        if at is not None:
            done.append((workshop.id, at))
    return done


def titles() -> dict:
    """code -> (title, language) of every workshop."""
    return {code: (title, lang) for code, title, lang in db.session.execute(
        select(Workshop.join_code, Workshop.title, Workshop.language))}


def codes() -> dict:
    """id -> code of every workshop."""
    return dict(db.session.execute(select(Workshop.id, Workshop.join_code)).all())


def find(code: str) -> Workshop:
    workshop = db.session.scalar(select(Workshop).where(Workshop.join_code == normalise_code(code)))
    if workshop is None:
        raise UnknownWorkshop(code)
    return workshop


def member_ids(code: str):
    """A selectable of the user ids of the workshop's trainees; UnknownWorkshop if there is none."""
    workshop = find(code)
    return select(WorkshopMember.user_id).where(WorkshopMember.workshop_id == workshop.id).scalar_subquery()


def attendance_records(since: datetime | None = None, workshop: str | None = None) -> Iterator[Record]:
    """One 'attended' record per trainee and workshop day marked present, timed at the start of the
    day (UTC): the day itself is the fact, not when the facilitator ticked it."""
    stmt = (select(AttendanceMark.id, AttendanceMark.user_id, AttendanceMark.day, Workshop.join_code,
                   Workshop.language, User.country, User.profession)
            .join(Workshop, Workshop.id == AttendanceMark.workshop_id)
            .join(User, User.id == AttendanceMark.user_id).order_by(AttendanceMark.id))
    if since is not None:
        # A day's statement is stamped at its start: a day that starts before ``since`` is left out.
        first_day = since.date() if since.time() == time.min else since.date() + timedelta(days=1)
        stmt = stmt.where(AttendanceMark.day >= first_day)
    if workshop is not None:
        stmt = stmt.where(Workshop.join_code == normalise_code(workshop))
    for mid, uid, day, code, lang, country, profession in db.session.execute(stmt.execution_options(yield_per=1000)):
        yield Record("attendance", str(mid), uid, datetime.combine(day, time.min), "attended", "workshop_day",
                     f"{code}/{day.isoformat()}", lang, workshop=code, country=country, profession=profession)


def export(user_id: int) -> list:
    """Her workshops, for "download my data": which, when she joined, the days she was present."""
    marks = _marks(user_id)
    out = []
    for workshop, joined in db.session.execute(
            select(Workshop, WorkshopMember.joined_at).join(WorkshopMember, WorkshopMember.workshop_id == Workshop.id)
            .where(WorkshopMember.user_id == user_id).order_by(Workshop.start_date)):
        out.append({"code": workshop.join_code, "title": workshop.title, "city": workshop.city,
                    "country": workshop.country, "start": workshop.start_date.isoformat(),
                    "end": workshop.end_date.isoformat(), "joined_at": joined.isoformat(timespec="seconds") + "Z",
                    "days_present": sorted(day.isoformat() for day, _ in marks.get(workshop.id, []))})
    return out


@dataclass(frozen=True)
class Attended:
    title: str
    place: str
    start: date
    end: date
    days: list
    attended: set
    required: int
    id: int = 0


def for_trainee(user_id: int) -> list[Attended]:
    """The workshops this trainee belongs to, each with its days and the days she attended."""
    from ..i18n import lang
    marks = _marks(user_id)
    out = []
    for workshop in db.session.scalars(
            select(Workshop).join(WorkshopMember, WorkshopMember.workshop_id == Workshop.id)
            .where(WorkshopMember.user_id == user_id).order_by(Workshop.start_date.desc())):
        out.append(Attended(workshop.title, f"{workshop.city}, {country_name(workshop.country, lang())}",
                            workshop.start_date, workshop.end_date, workshop.days,
                            {day for day, _ in marks.get(workshop.id, [])}, workshop.required_days, workshop.id))
    return out


def describe(workshop_id: int, lang: str) -> str:
    """The workshop as a certificate names it: title, city, country and dates."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        return ""
    start, end = workshop.start_date, workshop.end_date
    dates = format_date(start, "long") if start == end else f"{format_date(start, 'long')} – {format_date(end, 'long')}"
    return f"{workshop.title}, {workshop.city} ({country_name(workshop.country, lang)}), {dates}"


@dataclass(frozen=True)
class WorkshopRow:
    code: str
    title: str
    city: str
    country: str
    start: date
    end: date
    trainees: int
    course_completed: int
    workshop_completed: int

    def csv_row(self) -> list:
        return [self.code, self.title, self.city, self.country, self.start.isoformat(), self.end.isoformat(),
                self.trainees, self.course_completed, self.workshop_completed]


def report(start: date, end: date) -> list[WorkshopRow]:
    """One row per workshop held (at least partly) over the range: its trainees, how many of them
    completed the course (at any time) and how many completed the workshop. One aggregate query."""
    course = aliased(Certificate)
    own = aliased(Certificate)
    # (user, scope) is unique: each join adds at most one row per member, so counts stay right.
    stmt = (select(Workshop.join_code, Workshop.title, Workshop.city, Workshop.country, Workshop.start_date,
                   Workshop.end_date, func.count(WorkshopMember.id), func.count(course.id), func.count(own.id))
            .outerjoin(WorkshopMember, WorkshopMember.workshop_id == Workshop.id)
            .outerjoin(course, and_(course.user_id == WorkshopMember.user_id, course.scope == COURSE,
                                    counted(course)))
            .outerjoin(own, and_(own.user_id == WorkshopMember.user_id, own.workshop_id == Workshop.id,
                                 counted(own)))
            .where(Workshop.start_date <= end, Workshop.end_date >= start)
            .group_by(Workshop.id).order_by(Workshop.start_date, Workshop.join_code))
    return [WorkshopRow(*row) for row in db.session.execute(stmt)]


def members_of(workshop_id: int):
    """A selectable of the user ids of a workshop's trainees."""
    return select(WorkshopMember.user_id).where(WorkshopMember.workshop_id == workshop_id).scalar_subquery()
