"""Reset links handed over by a person (a facilitator or an administrator) rather than emailed to the
account holder. Such a link borrows the issuer's authority, so it must never outlive it: the rule that
allows issuing it is checked again when it is used, changes of role or membership cancel it, a staff
account never accepts one, and the holder is told that it was made and by whom. No HTTP here."""
from __future__ import annotations

from sqlalchemy import or_, select, update

from ..extensions import db
from ..models import User
from ..models.base import utcnow
from ..models.token import RESET, AccountToken
from ..models.workshop import Workshop, WorkshopMember, run_by


def may_issue_for(actor: User | None, user: User | None) -> bool:
    """An administrator for any trainee; a facilitator for the trainees of the workshops she runs.
    Never for a facilitator or administrator account, nor for oneself: staff reset their own password
    by email or with the server's `reset-link` command, so that a handed-over link can never open an
    account with more power than a trainee's."""
    if actor is None or user is None or actor.id == user.id or user.is_facilitator:
        return False
    if actor.is_admin:
        return True
    if not actor.is_facilitator:
        return False
    return db.session.scalar(
        select(WorkshopMember.id).join(Workshop, Workshop.id == WorkshopMember.workshop_id)
        .where(WorkshopMember.user_id == user.id, run_by(actor.id)).limit(1)) is not None


def still_valid(token: AccountToken, holder: User | None) -> bool:
    """Whether a link may still be used: always for one the holder asked for herself; for a handed-over
    one, only while its issuer exists and could issue it now."""
    if not token.handed_over:
        return True
    issuer = db.session.get(User, token.issued_by_id) if token.issued_by_id else None
    return may_issue_for(issuer, holder)


def _cancel(*where) -> None:
    db.session.execute(update(AccountToken).where(
        AccountToken.purpose == RESET, AccountToken.handed_over.is_(True), AccountToken.used_at.is_(None), *where)
        .values(used_at=utcnow()))


def cancel_on_role_change(user: User) -> None:
    """Her role changed: links handed over for her, and those she handed over, stop working
    (not committed: the caller commits it with the change)."""
    _cancel(or_(AccountToken.user_id == user.id, AccountToken.issued_by_id == user.id))


def cancel_for_member(user_id: int) -> None:
    """She left a workshop: links handed over for her stop working (not committed)."""
    _cancel(AccountToken.user_id == user_id)


def notices_for(user: User) -> list[tuple[str, object]]:
    """The handed-over links made for her that she has not been told of yet, as (issuer's name, when);
    marked as told (not committed: the caller commits)."""
    rows = db.session.execute(select(AccountToken.id, AccountToken.created_at, User.name)
                              .outerjoin(User, User.id == AccountToken.issued_by_id)
                              .where(AccountToken.user_id == user.id, AccountToken.handed_over.is_(True),
                                     AccountToken.holder_notified_at.is_(None))
                              .order_by(AccountToken.created_at)).all()
    if rows:
        db.session.execute(update(AccountToken).where(AccountToken.id.in_([r.id for r in rows]))
                           .values(holder_notified_at=utcnow()))
    return [(r.name, r.created_at) for r in rows]
