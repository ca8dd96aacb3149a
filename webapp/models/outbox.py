from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow

PENDING, SENT, DROPPED, FAILED = "pending", "sent", "dropped", "failed"
MESSAGE = "message"  # ready to send as stored; other kinds are written by a composer when sent


class OutboxEmail(db.Model):
    """An email to send, saved in the transaction of what caused it and sent from here by whichever
    process claims it first (``claimed_by`` until ``claimed_until``). Once it is sent, dropped or given
    up, the recipient, subject and body are blanked: what is left is bookkeeping, deleted after a while."""
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), default=MESSAGE)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    recipient: Mapped[str] = mapped_column(String(254), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]  # sent, dropped or given up

    __table_args__ = (Index("ix_outbox_email_status_next", "status", "next_attempt_at"),
                      Index("ix_outbox_email_finished_at", "finished_at"))
