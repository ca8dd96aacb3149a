"""One-time links: password resets and registrations confirmed by email. No HTTP here.

A link carries a random token; the database keeps its SHA-256 only. A link works once (a conditional
UPDATE claims it, so two clicks at the same moment cannot both win) and until it expires; issuing a
new reset link, or a new password, cancels the user's older ones."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import User
from ..models.base import utcnow
from ..models.token import REGISTER, RESET, AccountToken


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _new(purpose: str, hours: int, commit: bool, **fields) -> str:
    raw = secrets.token_urlsafe(32)
    db.session.add(AccountToken(purpose=purpose, token_hash=digest(raw), expires_at=utcnow() + timedelta(hours=hours),
                                **fields))
    if commit:  # not when an email carries it: the outbox row is committed with it, both or neither
        db.session.commit()
    return raw


def cancel_resets(user: User) -> None:
    """Her unused reset links stop working (not committed: the caller commits it with what it goes with)."""
    db.session.execute(update(AccountToken).where(
        AccountToken.purpose == RESET, AccountToken.user_id == user.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow()))


def issue_reset(user: User, hours: int, issued_by: User | None = None, *, commit: bool = True) -> str:
    """A new reset link for ``user``; her earlier unused ones stop working."""
    cancel_resets(user)
    return _new(RESET, hours, commit, user_id=user.id, email=user.email, issued_by_id=issued_by.id if issued_by else None,
                handed_over=issued_by is not None)


def recent_resets(user: User, hours: int = 1) -> int:
    """How many reset links were made for ``user`` lately (to stop an email flood)."""
    since = utcnow() - timedelta(hours=hours)
    return db.session.scalar(select(func.count()).select_from(AccountToken).where(
        AccountToken.purpose == RESET, AccountToken.user_id == user.id, AccountToken.created_at >= since))


def issue_registration(email: str, payload: dict, hours: int, *, commit: bool = True) -> str:
    return _new(REGISTER, hours, commit, email=email, payload=payload)


def find(raw: str | None, purpose: str) -> AccountToken | None:
    """The token if it is of this purpose, unused and not expired; otherwise None."""
    if not raw or len(raw) > 200:
        return None
    token = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == digest(raw)))
    if token is None or token.purpose != purpose or token.used_at is not None or token.expires_at <= utcnow():
        return None
    return token


def claim(token: AccountToken) -> bool:
    """Mark the token used; True for the one caller that did it first (not committed: the caller
    commits it with what the link does, so that both happen or neither)."""
    return db.session.execute(update(AccountToken).where(
        AccountToken.id == token.id, AccountToken.used_at.is_(None), AccountToken.expires_at > utcnow())
        .values(used_at=utcnow())).rowcount == 1
