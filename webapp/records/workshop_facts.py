"""What the records need to know about workshops (the workshop models), in one place: workshop
completion, the by-workshop report, attendance as learning records, a trainee's workshops."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from ..achievements.workshops import attendance_marks
from ..extensions import db
from ..models import AttendanceMark, User, Workshop, WorkshopMember
from ..models.certificate import COURSE, Certificate, counted
from ..people import country_name
from ..workshops.services import normalise_code
from .xapi import Record

#: Workshop tables that ``export`` covers field by field (the others are exported as they are).
EXPORTED = {"workshop_member", "attendance_mark"}


class UnknownWorkshop(LookupError):
    pass


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
    marks = attendance_marks(user_id)
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
    marks = attendance_marks(user_id)
    out = []
    for workshop in db.session.scalars(
            select(Workshop).join(WorkshopMember, WorkshopMember.workshop_id == Workshop.id)
            .where(WorkshopMember.user_id == user_id).order_by(Workshop.start_date.desc())):
        out.append(Attended(workshop.title, f"{workshop.city}, {country_name(workshop.country, lang())}",
                            workshop.start_date, workshop.end_date, workshop.days,
                            {day for day, _ in marks.get(workshop.id, [])}, workshop.required_days, workshop.id))
    return out


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


def distinct_trainees(start: date, end: date) -> int:
    """How many different people the workshops held over the range have: a trainee in two of them is
    one person, though each workshop's row counts her."""
    return db.session.scalar(
        select(func.count(func.distinct(WorkshopMember.user_id)))
        .join(Workshop, Workshop.id == WorkshopMember.workshop_id)
        .where(Workshop.start_date <= end, Workshop.end_date >= start)) or 0


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
