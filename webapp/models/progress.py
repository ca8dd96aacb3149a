from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import uid_column, utcnow


class LessonProgress(db.Model):
    """One trainee's reading of one lesson, keyed by the lesson's slug (never its title)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = uid_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    lesson_slug: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: when she passed the lesson's quiz (the completion rule: webapp/progress/services.py)
    completed_at: Mapped[datetime | None]
    #: when she said she had read it ("Mark as read"): reading progress, not completion
    read_at: Mapped[datetime | None]
    last_section: Mapped[str] = mapped_column(String(80), default="")
    visited_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    __table_args__ = (UniqueConstraint("user_id", "lesson_slug"),)
