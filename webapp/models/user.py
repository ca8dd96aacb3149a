from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import uid_column, utcnow

TRAINEE, FACILITATOR, ADMIN = "trainee", "facilitator", "admin"
ROLES = (TRAINEE, FACILITATOR, ADMIN)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = uid_column()
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    organisation: Mapped[str] = mapped_column(String(160), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    profession: Mapped[str] = mapped_column(String(32), default="other")
    language: Mapped[str] = mapped_column(String(5), default="fr")
    #: an IANA zone she chose; empty: her country's (webapp/zones.py)
    time_zone: Mapped[str] = mapped_column(String(64), default="", server_default="")
    role: Mapped[str] = mapped_column(String(16), default=TRAINEE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Bumped on password change so that other sessions and remember-me cookies stop working.
    session_token: Mapped[int] = mapped_column(default=0)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_facilitator(self) -> bool:
        return self.role in (FACILITATOR, ADMIN)


class LoginAttempt(db.Model):
    """A failed sign-in (or current-password check), kept in the database so that every app process
    sees the same count; rows older than the window are deleted when a failure is recorded."""
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    # (key, at): counting one key's recent failures; (at): deleting the old ones.
    __table_args__ = (Index("ix_login_attempt_key_at", "key", "at"), Index("ix_login_attempt_at", "at"))


class UserSession(db.Model):
    """A signed-in browser. The session cookie names one of these rows, and only a cookie whose row
    exists signs anyone in: signing out deletes the row, so a copied cookie dies with it."""
    id: Mapped[str] = mapped_column(String(43), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
