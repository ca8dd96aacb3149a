"""Certificates: issue exactly once on completion, look up by number, revoke. No HTTP here."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, not_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..achievements import rules as completion
from ..achievements import workshops as workshop_facts
from ..content import catalog
from ..extensions import db
from ..models import Attempt, LessonProgress, User
from ..models.attempt import FINAL
from ..models.base import utcnow
from ..models.certificate import COURSE, REVOKED_ACCOUNT_DELETED, REVOKED_BY_ADMIN, Certificate, counted
from ..people import is_erased
from ..room_state import is_room
from ..zones import day_in, user_zone
from . import numbers

VALID, REVOKED, NOT_FOUND, MALFORMED = "valid", "revoked", "not_found", "malformed"


@dataclass(frozen=True)
class Due:
    scope: str
    workshop_id: int | None
    completed_at: datetime
    not_before: date | None = None  # a workshop's last day: its certificate is never dated earlier


def workshop_scope(workshop_id: int) -> str:
    return f"workshop:{workshop_id}"


def _lessons_done(user_id: int) -> dict:
    return dict(db.session.execute(
        select(LessonProgress.lesson_slug, LessonProgress.completed_at)
        .where(LessonProgress.user_id == user_id, LessonProgress.completed_at.is_not(None))).all())


def course_completed_at(user_id: int) -> datetime | None:
    """When this trainee completed the course, from her records (two queries), or None."""
    first_pass = db.session.scalar(
        select(func.min(Attempt.submitted_at))
        .where(Attempt.user_id == user_id, Attempt.quiz == FINAL, Attempt.passed.is_(True)))
    return completion.course_completed_at([lesson.slug for lesson in catalog().lessons], _lessons_done(user_id),
                                          [first_pass] if first_pass else [])


def lessons_left(user_id: int) -> list[str]:
    """The lessons whose quiz she has still to pass before her course certificate, in course order:
    the completion rule's own count, so that what she is told never disagrees with what is issued."""
    return completion.lessons_missing([lesson.slug for lesson in catalog().lessons], _lessons_done(user_id))


def course_certificate(user_id: int) -> Certificate | None:
    """Her course certificate, if she holds one that stands (not revoked)."""
    return db.session.scalar(select(Certificate).where(
        Certificate.user_id == user_id, Certificate.scope == COURSE, Certificate.revoked_at.is_(None)).limit(1))


def due(user_id: int) -> list[Due]:
    """Every certificate this trainee has earned: the course's, and each completed workshop's.

    An administrator's revocation of her course certificate withdraws the course completion that
    every workshop completion rests on: no workshop certificate is due then. (A certificate revoked
    because its holder deleted her account is not such a withdrawal; ``issue_due`` stops earlier.)"""
    done_at = course_completed_at(user_id)
    if done_at is None:
        return []
    earned = [Due(COURSE, None, done_at)]
    if _course_withdrawn(user_id):
        return earned
    for workshop_id, at, last_day in workshop_facts.completed_workshops(user_id, done_at):
        earned.append(Due(workshop_scope(workshop_id), workshop_id, at, last_day))
    return earned


def _course_withdrawn(user_id: int) -> bool:
    return db.session.scalar(select(Certificate.id).where(
        Certificate.user_id == user_id, Certificate.scope == COURSE, not_(counted()))) is not None


def issue_due(user_id: int) -> list[Certificate]:
    """Issue the certificates this trainee has earned and not yet received; return the new ones.

    Idempotent: call it after anything that may complete something. Exactly once, also when two
    requests race: the unique (user, scope) constraint lets only one insert win.

    Never on a workshop room (a laptop running a room kit): certificates are the central site's, issued
    there once the room's records arrive; a number drawn on a laptop would be one the central site
    does not know, and no one could verify it."""
    if is_room():
        return []
    user = db.session.get(User, user_id)
    if user is None or is_erased(user):
        return []
    have = set(db.session.scalars(select(Certificate.scope).where(Certificate.user_id == user_id)))
    new = []
    for item in due(user_id):
        if item.scope not in have:
            cert = _insert(user, item)
            if cert is not None:
                new.append(cert)
    db.session.commit()
    return new


def _insert(user: User, item: Due) -> Certificate | None:
    # Dated in her zone now, once: also when the records come from a room, whose moments they carry.
    day = day_in(item.completed_at, user_zone(user))
    if item.not_before is not None:
        # Workshop days are calendar days, kept as midnight UTC: west of Greenwich that midnight is
        # still the day before, and a workshop certificate certifies the whole workshop.
        day = max(day, item.not_before)
    version = version_tested_on(user.id, item.completed_at)
    for _ in range(3):  # a clash of two random 80-bit numbers is all but impossible; retry anyway
        cert = Certificate(number=numbers.new_number(), user_id=user.id, scope=item.scope,
                           workshop_id=item.workshop_id, holder_name=user.name, completed_at=item.completed_at,
                           completed_on=day, content_version=version)
        try:
            with db.session.begin_nested():
                db.session.add(cert)
        except IntegrityError:
            taken = db.session.scalar(select(Certificate.id).where(
                Certificate.user_id == user.id, Certificate.scope == item.scope))
            if taken:
                return None  # another request issued it meanwhile
            continue
        return cert
    return None


def find(text: str | None) -> tuple[str, Certificate | None]:
    """(status, certificate) for a number as someone typed it: valid, revoked, not_found or malformed."""
    number = numbers.canonical(text)
    if number is None:
        return MALFORMED, None
    cert = db.session.scalar(select(Certificate).where(Certificate.number == number))
    if cert is None:
        return NOT_FOUND, None
    return (VALID if cert.is_valid else REVOKED), cert


def version_tested_on(user_id: int, completed_at: datetime) -> str | None:
    """The content version she was last tested on by ``completed_at``: that of her newest quiz
    submitted by then (each attempt stores the version it was graded against). None when none is kept.
    Stored on the certificate when it is issued (``Certificate.content_version``)."""
    return db.session.scalar(
        select(Attempt.content_version)
        .where(Attempt.user_id == user_id, Attempt.submitted_at.is_not(None),
               Attempt.submitted_at <= completed_at, Attempt.abandoned_at.is_(None))
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc()).limit(1))


def revoke(cert: Certificate, *, by: User | None, reason: str, kind: str = REVOKED_BY_ADMIN) -> bool:
    """Revoke a certificate; False (and nothing changed) when it already was."""
    if cert.revoked_at is not None:
        return False
    cert.revoked_at = utcnow()
    cert.revoked_kind = kind
    cert.revoked_reason = reason.strip()[:500]
    cert.revoked_by_id = by.id if by else None
    db.session.commit()
    return True


def for_user(user_id: int) -> list[Certificate]:
    return list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == user_id).order_by(Certificate.completed_at)))


def search(query: str = "", limit: int = 50) -> list[Certificate]:
    """Certificates for the admin list, newest first: by number (any form) or part of the holder's
    name (as on the certificate or as on her account now), ignoring case and accents in any script (done here: SQLite's lower() knows only ASCII)."""
    stmt = (select(Certificate).options(selectinload(Certificate.user))  # each is dated in its holder's zone
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc()).limit(limit))
    query = (query or "").strip()
    if not query:
        return list(db.session.scalars(stmt))
    number = numbers.canonical(query)
    if number:
        return list(db.session.scalars(stmt.where(Certificate.number == number)))
    wanted = _folded(query)
    # The name on the certificate, or the one on her account now (she married, corrected a typo): an
    # employer asks by the name she goes by today.
    ids = [cid for cid, name, current in db.session.execute(
               select(Certificate.id, Certificate.holder_name, User.name).join(User, User.id == Certificate.user_id))
           if wanted in _folded(name) or wanted in _folded(current or "")]
    return list(db.session.scalars(stmt.where(Certificate.id.in_(ids)))) if ids else []


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def backfill() -> int:
    """Issue every certificate already earned (for records made before certificates existed)."""
    ids = db.session.scalars(select(Attempt.user_id).where(Attempt.quiz == FINAL, Attempt.passed.is_(True))
                             .distinct()).all()
    return sum(len(issue_due(user_id)) for user_id in ids)


def revoke_all_for_erasure(user_id: int) -> None:
    """On account deletion: every certificate shows as revoked and no longer carries the name."""
    now = utcnow()
    for cert in db.session.scalars(select(Certificate).where(Certificate.user_id == user_id)):
        if cert.revoked_at is None:
            cert.revoked_at, cert.revoked_kind, cert.revoked_reason = now, REVOKED_ACCOUNT_DELETED, ""
        cert.holder_name = ""


def issue_for_workshop(workshop_id: int) -> list[Certificate]:
    """After a workshop's attendance or threshold changed: issue the workshop certificates its
    trainees have now earned (only those who completed the course can have earned one)."""
    members = workshop_facts.members_of(workshop_id)
    completed = db.session.scalars(select(Certificate.user_id).where(
        Certificate.scope == COURSE, Certificate.user_id.in_(members))).all()
    return [cert for user_id in completed for cert in issue_due(user_id)]
