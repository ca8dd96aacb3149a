from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow

RESET, REGISTER = "reset", "register"


class AccountToken(db.Model):
    """A one-time link: a password reset for a user, or a registration waiting for its email to be
    confirmed (``payload`` holds the form, with the password already hashed). Only the SHA-256 of the
    token is stored: a copy of the database opens no account."""
    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    payload: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: made by a facilitator or an administrator for someone else (webapp/auth/handover.py)
    handed_over: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: when the holder was told that someone made this link for her
    holder_notified_at: Mapped[datetime | None]


class SentEmail(db.Model):
    """A registration email sent to an address, counted to send at most a few an hour (anyone can type
    anyone's address). The address is kept as its SHA-256 only; rows older than an hour are deleted
    when a new one is recorded."""
    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_sent_email_recipient_at", "recipient", "at"), Index("ix_sent_email_at", "at"))
