"""Accounts as an administrator sees them: search, and roles."""
from __future__ import annotations

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import aliased

from ..auth import handover
from ..extensions import db
from ..models import User
from ..models.user import ADMIN, ROLES

PAGE_SIZE = 50


def search(text: str, page: int = 1) -> tuple[list[User], int]:
    """Accounts whose name, email or organisation contains ``text`` (any case), a page at a time,
    and how many there are in all."""
    query = select(User)
    text = (text or "").strip()
    if text:
        pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(func.lower(User.name).like(pattern, escape="\\"),
                                func.lower(User.email).like(pattern, escape="\\"),
                                func.lower(User.organisation).like(pattern, escape="\\")))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    users = db.session.scalars(query.order_by(User.name, User.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    return list(users), total


class LastAdministrator(Exception):
    """The change would leave the site without an administrator."""


def set_role(user: User, role: str) -> None:
    """Give ``user`` the role; raise LastAdministrator rather than demote the last administrator,
    also when two administrators demote each other at the same moment."""
    if role not in ROLES:
        raise ValueError(role)
    if user.role == role:
        return
    # The administrators' rows are locked (PostgreSQL; SQLite writes one at a time anyway), so that of
    # two simultaneous demotions the second counts after the first and finds one administrator left.
    db.session.scalars(select(User.id).where(User.role == ADMIN).with_for_update()).all()
    handover.cancel_on_role_change(user)
    other = aliased(User)
    others = select(func.count()).select_from(other).where(other.role == ADMIN, other.id != user.id)
    changed = db.session.execute(
        update(User).where(User.id == user.id, or_(User.role != ADMIN, others.scalar_subquery() > 0))
        .values(role=role)).rowcount
    if not changed:
        db.session.rollback()
        raise LastAdministrator(user.email)
    db.session.commit()
    db.session.refresh(user)
