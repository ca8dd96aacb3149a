"""Workshops: creating and editing them, join codes, who may see what, joining, attendance.
No HTTP here: routes turn the outcomes into pages."""
from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError

from ..auth import handover
from ..extensions import db
from ..models import AttendanceMark, User, Workshop, WorkshopFacilitator, WorkshopMember
from ..models.base import utcnow
from ..models.user import ADMIN, FACILITATOR
from ..models.workshop import run_by

#: Letters nobody confuses when read from a projector or typed on a phone: no I, L or O (nor digits,
#: so no 0 or 1 either).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ"
#: 23**8 (about 78 billion) codes: with the look-up limits, guessing one of a few hundred workshops
#: would take decades. Codes made before were six letters long; they keep working.
CODE_LENGTH = 8
MAX_DAYS = 14

FACILITATING, ATTENDING = "facilitator", "member"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def unused_code() -> str:
    """A code no workshop has (a clash is all but impossible, and then we draw again)."""
    while True:
        code = new_code()
        if db.session.scalar(select(Workshop.id).where(Workshop.join_code == code)) is None:
            return code


def grouped(code: str) -> str:
    """The code in groups of four (three for the older six-letter ones), to read aloud and type:
    ABCD-EFGH. The dash is dropped again when it is typed."""
    size = 3 if len(code) == 6 else 4
    return "-".join(code[i:i + size] for i in range(0, len(code), size))


def normalise_code(text: str) -> str:
    """What a trainee typed, as a code: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t")


def find_by_code(code: str) -> Workshop | None:
    code = normalise_code(code)
    if not code or len(code) > 12:
        return None
    return db.session.scalar(select(Workshop).where(Workshop.join_code == code))


def facilitator_users(emails) -> tuple[list[User], list[str]]:
    """The facilitator accounts with these emails, and the emails that name none."""
    wanted = sorted({e.strip().lower() for e in emails if e.strip()})
    if not wanted:
        return [], []
    found = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(wanted)))}
    users = [found[e] for e in wanted if e in found and found[e].role in (FACILITATOR, ADMIN)]
    return users, [e for e in wanted if e not in found or found[e].role not in (FACILITATOR, ADMIN)]


def save(workshop: Workshop | None, owner: User, data: dict, cofacilitators: list[User],
         creation_key: str | None = None) -> Workshop:
    """Create (``workshop`` None) or update a workshop from checked form data. Creating with the
    ``creation_key`` of a form already saved (sent twice, or twice at once) returns that workshop."""
    creating = workshop is None
    if creating:
        workshop = Workshop(owner_id=owner.id, join_code=unused_code(), creation_key=creation_key or None)
    for key in ("title", "city", "country", "start_date", "end_date", "language", "lessons", "due_date",
                "attendance_threshold"):
        setattr(workshop, key, data[key])
    wanted = {u.id for u in cofacilitators if u.id != workshop.owner_id}
    workshop.cofacilitators = ([c for c in workshop.cofacilitators if c.user_id in wanted]
                               + [WorkshopFacilitator(user_id=uid) for uid in sorted(wanted)
                                  if uid not in {c.user_id for c in workshop.cofacilitators}])
    if creating:
        for _ in range(3):
            try:
                with db.session.begin_nested():
                    db.session.add(workshop)
                break
            except IntegrityError:
                twin = created_with(owner, creation_key)
                if twin is not None:
                    return twin
                workshop.join_code = unused_code()  # two new workshops drew the same code
    db.session.commit()
    return workshop


def close(workshop: Workshop) -> None:
    """Declare the workshop over: its certificates may be issued (see records/workshop_facts.py)."""
    mark_closed(workshop, utcnow())
    db.session.commit()


def mark_closed(workshop: Workshop, at: datetime) -> bool:
    """The workshop is over since ``at``, unless it was closed already (the first closure stands);
    True when this closed it. Not committed: a room's closure is written with the rest of its bundle."""
    if workshop.closed_at is not None:
        return False
    workshop.closed_at = at
    return True


def created_with(owner: User, creation_key: str | None) -> Workshop | None:
    if not creation_key:
        return None
    return db.session.scalar(select(Workshop).where(Workshop.owner_id == owner.id,
                                                    Workshop.creation_key == creation_key))


def set_joining(workshop: Workshop, is_open: bool) -> None:
    workshop.joining_open = is_open
    db.session.commit()


def _facilitated_clause(user: User):
    return run_by(user.id)


# Built once: every live poll asks it, and building it cost as much as running it.
_ROLE = select(Workshop, run_by(bindparam("user")),
               select(WorkshopMember.id).where(WorkshopMember.workshop_id == Workshop.id,
                                               WorkshopMember.user_id == bindparam("user")).exists()
               ).where(Workshop.id == bindparam("workshop"))


def role_in(workshop_id: int, user: User) -> tuple[Workshop | None, str | None]:
    """The workshop and the user's part in it (facilitator, member or None), in one query.
    Administrators may open every workshop, as facilitators, to help. A facilitator made a trainee
    again loses her workshops: her role is read on every request, not only when she was added."""
    row = db.session.execute(_ROLE, {"workshop": workshop_id, "user": user.id}).first()
    if row is None:
        return None, None
    workshop, facilitating, attending = row
    if user.role == ADMIN or (facilitating and user.role == FACILITATOR):
        return workshop, FACILITATING
    return workshop, (ATTENDING if attending else None)


def facilitated(user: User) -> list[Workshop]:
    if user.role not in (FACILITATOR, ADMIN):
        return []
    query = select(Workshop).order_by(Workshop.start_date.desc(), Workshop.id.desc())
    if user.role != ADMIN:
        query = query.where(_facilitated_clause(user))
    return list(db.session.scalars(query))


def attended(user: User) -> list[Workshop]:
    return list(db.session.scalars(
        select(Workshop).join(WorkshopMember, WorkshopMember.workshop_id == Workshop.id)
        .where(WorkshopMember.user_id == user.id).order_by(Workshop.start_date.desc())))


def join(workshop: Workshop, user: User) -> bool:
    """Add the user to the workshop: True if she joined now, False if she already had (harmless)."""
    exists = select(WorkshopMember.id).where(WorkshopMember.workshop_id == workshop.id,
                                             WorkshopMember.user_id == user.id)
    if db.session.scalar(exists):
        return False
    try:
        with db.session.begin_nested():  # two taps on "join" at once: the unique pair keeps one
            db.session.add(WorkshopMember(workshop_id=workshop.id, user_id=user.id))
    except IntegrityError:
        return False
    db.session.commit()
    return True


def members(workshop_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).join(WorkshopMember, WorkshopMember.user_id == User.id)
        .where(WorkshopMember.workshop_id == workshop_id).order_by(User.name, User.id)))


def member_ids_query(workshop_id: int):
    return select(WorkshopMember.user_id).where(WorkshopMember.workshop_id == workshop_id)


# Attendance ---------------------------------------------------------------------------------------

def attendance(workshop_id: int) -> dict[int, set[date]]:
    """{trainee id: the days she was marked present}."""
    result: dict[int, set[date]] = {}
    for user_id, day in db.session.execute(
            select(AttendanceMark.user_id, AttendanceMark.day).where(AttendanceMark.workshop_id == workshop_id)):
        result.setdefault(user_id, set()).add(day)
    return result


def mark(workshop: Workshop, user_id: int, day: date, present: bool, by: User) -> None:
    """Mark one trainee present or absent on one day; repeating a mark changes nothing."""
    where = (AttendanceMark.workshop_id == workshop.id, AttendanceMark.user_id == user_id, AttendanceMark.day == day)
    if not present:
        db.session.execute(delete(AttendanceMark).where(*where))
    elif db.session.scalar(select(AttendanceMark.id).where(*where)) is None:
        try:
            with db.session.begin_nested():
                db.session.add(AttendanceMark(workshop_id=workshop.id, user_id=user_id, day=day, marked_by_id=by.id))
        except IntegrityError:
            pass  # ticked twice at once: present either way
    db.session.commit()


def save_day(workshop: Workshop, day: date, present_ids: set[int], by: User) -> None:
    """The whole checklist of one day at once (the form sent without JavaScript)."""
    member_ids = set(db.session.scalars(member_ids_query(workshop.id)))
    present_ids &= member_ids
    already = set(db.session.scalars(select(AttendanceMark.user_id).where(
        AttendanceMark.workshop_id == workshop.id, AttendanceMark.day == day)))
    if already - present_ids:
        db.session.execute(delete(AttendanceMark).where(
            AttendanceMark.workshop_id == workshop.id, AttendanceMark.day == day,
            AttendanceMark.user_id.in_(already - present_ids)))
    new = sorted(present_ids - already)
    try:  # the whole room in one savepoint
        with db.session.begin_nested():
            db.session.add_all(AttendanceMark(workshop_id=workshop.id, user_id=uid, day=day, marked_by_id=by.id)
                               for uid in new)
    except IntegrityError:  # a tick from the script (or a co-facilitator) saved one of them meanwhile
        for uid in new:
            try:
                with db.session.begin_nested():
                    db.session.add(AttendanceMark(workshop_id=workshop.id, user_id=uid, day=day,
                                                  marked_by_id=by.id))
            except IntegrityError:
                pass  # present either way
    db.session.commit()


def mark_present(workshop: Workshop, day: date, user_ids: set[int], by: User) -> None:
    """Mark these trainees present on this day (those who are members), keeping everyone's other marks."""
    already = set(db.session.scalars(select(AttendanceMark.user_id).where(
        AttendanceMark.workshop_id == workshop.id, AttendanceMark.day == day)))
    save_day(workshop, day, already | set(user_ids), by)


def remove_member(workshop: Workshop, user_id: int) -> bool:
    """Take a trainee out of a workshop (joined by mistake, or a stranger with a photo of the code):
    her membership and her attendance there go; her lessons, quizzes and certificates are hers and stay."""
    where_member = (WorkshopMember.workshop_id == workshop.id, WorkshopMember.user_id == user_id)
    removed = db.session.execute(delete(WorkshopMember).where(*where_member)).rowcount
    db.session.execute(delete(AttendanceMark).where(AttendanceMark.workshop_id == workshop.id,
                                                    AttendanceMark.user_id == user_id))
    handover.cancel_for_member(user_id)
    db.session.commit()
    return bool(removed)


def new_join_code(workshop: Workshop) -> str:
    """A fresh code: the old one (and its link and QR code) stops working, members stay."""
    for _ in range(3):
        code = unused_code()
        try:
            with db.session.begin_nested():  # the unique code, should another workshop take it meanwhile
                workshop.join_code = code
                db.session.flush()
            break
        except IntegrityError:
            continue
    db.session.commit()
    return workshop.join_code


def recent_duplicate(owner: User, data: dict, seconds: int = 120) -> Workshop | None:
    """The same workshop saved by the same person a moment ago: a double click on "Create"."""
    return db.session.scalar(select(Workshop).where(
        Workshop.owner_id == owner.id, Workshop.title == data["title"], Workshop.city == data["city"],
        Workshop.start_date == data["start_date"], Workshop.created_at >= utcnow() - timedelta(seconds=seconds))
        .order_by(Workshop.id.desc()).limit(1))


def is_member(workshop_id: int, user_id: int) -> bool:
    return db.session.scalar(select(WorkshopMember.id).where(
        WorkshopMember.workshop_id == workshop_id, WorkshopMember.user_id == user_id)) is not None
