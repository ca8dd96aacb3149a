"""Accounts as an administrator sees them: search, and roles."""
from __future__ import annotations

from sqlalchemy import func, or_, select

from ..auth import handover
from ..extensions import db
from ..models import User
from ..models.user import ROLES

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


def set_role(user: User, role: str) -> None:
    if role not in ROLES:
        raise ValueError(role)
    if user.role != role:
        handover.cancel_on_role_change(user)
    user.role = role
    db.session.commit()
