from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import uid_column, utcnow

FINAL = "final"  # the quiz key of the final assessment; lesson quizzes use the lesson slug
#: Workshop pre- and post-tests are keyed ``workshop-<id>-pre|post`` (models/workshop.py).
_OPEN = text("submitted_at IS NULL AND abandoned_at IS NULL")
_SITTING = text("quiz LIKE 'workshop-%' AND abandoned_at IS NULL")


class Attempt(db.Model):
    """One sitting of a quiz: the questions drawn (fixed at start), the answers, the score.

    It stores the content version and the pass mark in force, so editing content never rewrites a
    trainee's history."""
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = uid_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    quiz: Mapped[str] = mapped_column(String(80))
    content_version: Mapped[str] = mapped_column(String(40))
    pass_mark: Mapped[float]
    #: [{"id": question id, "shown": [option ids in display order], "tokens": {token: option id}}]
    layout: Mapped[list] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    score: Mapped[float | None]
    passed: Mapped[bool | None]
    #: Set on a sitting that no longer counts: an open attempt replaced by a fresh one (its questions
    #: left the content), or a duplicate made by concurrent "start" requests before the database
    #: refused them. It is never submitted, and a submitted duplicate stays out of every figure.
    abandoned_at: Mapped[datetime | None]
    #: A workshop test answered on a printed sheet and typed in by a facilitator: the sheet's version
    #: ("A", "B"; its option order is in ``layout``). Empty for a sitting online.
    paper_version: Mapped[str | None] = mapped_column(String(8))
    #: An attempt made in a workshop room: the kit it came home with (its content_version may be an
    #: older edition than the site's; pages say which it was graded against).
    room_kit_id: Mapped[int | None] = mapped_column(ForeignKey("room_kit.id", ondelete="SET NULL"), index=True)

    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="AttemptAnswer.position")

    # The database keeps the "one of" rules, whatever the number of concurrent requests: one open
    # attempt per quiz and trainee, and one sitting of each workshop test.
    __table_args__ = (Index("ix_attempt_user_quiz", "user_id", "quiz"),
                      Index("uq_attempt_open", "user_id", "quiz", unique=True,
                            sqlite_where=_OPEN, postgresql_where=_OPEN),
                      Index("uq_attempt_workshop_sitting", "user_id", "quiz", unique=True,
                            sqlite_where=_SITTING, postgresql_where=_SITTING))

    @property
    def is_workshop_test(self) -> bool:
        return self.quiz.startswith("workshop-")

    @property
    def on_paper(self) -> bool:
        return self.paper_version is not None

    @property
    def question_ids(self) -> list[str]:
        return [item["id"] for item in self.layout]


class AttemptAnswer(db.Model):
    """One question's answer in a submitted attempt: kept in rows so that item analysis is a query."""
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    question_id: Mapped[str] = mapped_column(String(80), index=True)
    answer: Mapped[dict | list | str | None] = mapped_column(JSON)
    credit: Mapped[float]
    #: The right answer this answer was graded against. A question whose right answer changes is a
    #: new edition of it: her result keeps the answer she was graded on. Empty on answers recorded
    #: before this was kept (December 2026); no right answer had changed by then.
    graded_key: Mapped[dict | list | str | None] = mapped_column(JSON, nullable=True)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
