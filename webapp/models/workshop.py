"""Facilitator-led workshops: the cohort, its facilitators, attendance, live questions, pre/post tests.

Content is referred to by slug and question id, never copied: the catalog stays the only source.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import JSON, Date, ForeignKey, Index, String, UniqueConstraint, false, or_, select, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import uid_column, utcnow
from .user import User

PRE, POST = "pre", "post"
TEST_KINDS = (PRE, POST)
OPEN, CLOSED, REVEALED = "open", "closed", "revealed"  # the states of a live question


def workshop_quiz_key(workshop_id: int, kind: str) -> str:
    """The ``Attempt.quiz`` of a workshop's pre- or post-test (lesson quizzes use the slug)."""
    return f"workshop-{workshop_id}-{kind}"


def parse_workshop_quiz_key(quiz: str) -> tuple[int, str] | None:
    """(workshop id, kind) of a workshop's pre- or post-test key; None for any other quiz."""
    parts = quiz.split("-")
    if len(parts) == 3 and parts[0] == "workshop" and parts[1].isdigit() and parts[2] in TEST_KINDS:
        return int(parts[1]), parts[2]
    return None


def is_diagnostic(quiz: str) -> bool:
    """Pre- and post-tests measure what a group knows; nobody passes or fails them."""
    return parse_workshop_quiz_key(quiz) is not None


class Workshop(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = uid_column()
    title: Mapped[str] = mapped_column(String(160))
    city: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(5), default="fr")
    #: the slugs of the lessons in scope, in course order
    lessons: Mapped[list] = mapped_column(JSON, default=list)
    due_date: Mapped[date | None] = mapped_column(Date)
    #: days a trainee must attend; None means every day of the workshop
    attendance_threshold: Mapped[int | None]
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    joining_open: Mapped[bool] = mapped_column(default=True)
    #: A random key put in the "new workshop" form: the same form sent twice (a double click, Back and
    #: send again, two requests at once) is one workshop, by the unique (owner, key) pair.
    creation_key: Mapped[str | None] = mapped_column(String(32))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: when a facilitator declared it over (else it is over once its last day has passed)
    closed_at: Mapped[datetime | None]

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    cofacilitators: Mapped[list[WorkshopFacilitator]] = relationship(
        cascade="all, delete-orphan", back_populates="workshop")

    __table_args__ = (Index("uq_workshop_creation_key", "owner_id", "creation_key", unique=True),)

    @property
    def days(self) -> list[date]:
        """Every calendar day of the workshop, first to last."""
        return [self.start_date + timedelta(days=n) for n in range((self.end_date - self.start_date).days + 1)]

    def has_ended(self, today: date) -> bool:
        """Over: a facilitator closed it, or its last day has passed (``today`` where it is held)."""
        return self.closed_at is not None or today > self.end_date

    @property
    def required_days(self) -> int:
        """Days a trainee must attend (the threshold, else every day), within 1..number of days."""
        days = len(self.days)
        return days if self.attendance_threshold is None else min(max(self.attendance_threshold, 1), days)


class WorkshopFacilitator(db.Model):
    """A co-facilitator: sees and runs the workshop like its owner."""
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True)

    workshop: Mapped[Workshop] = relationship(back_populates="cofacilitators")
    user: Mapped[User] = relationship()


def run_by(user_id: int):
    """The condition "this workshop is run by the user" (its owner or a co-facilitator), for a query
    on Workshop: the workshops domain and the reset links handed over (auth) both ask it."""
    return or_(Workshop.owner_id == user_id,
               Workshop.id.in_(select(WorkshopFacilitator.workshop_id).where(WorkshopFacilitator.user_id == user_id)))


class CofacilitatorInvitation(db.Model):
    """An address a facilitator asked to co-run her workshop. It gives nothing until a facilitator
    signed in with that address accepts it (so typing an address reveals nothing about its account,
    and nobody is made to run a workshop she did not agree to)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    workshop: Mapped[Workshop] = relationship()
    __table_args__ = (UniqueConstraint("workshop_id", "email", name="uq_cofacilitator_invitation"),)


class WorkshopMember(db.Model):
    """A trainee in a workshop; joining twice finds this row (the pair is unique)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = uid_column()
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("workshop_id", "user_id", name="uq_workshop_member"),)


class AttendanceMark(db.Model):
    """A trainee present on one day of a workshop (no row: not marked present)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = uid_column()
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    __table_args__ = (UniqueConstraint("workshop_id", "user_id", "day", name="uq_attendance_day"),)


class LiveQuestion(db.Model):
    """A question asked in the room: from the bank, or typed by the facilitator. Its answers never
    count toward any grade."""
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = uid_column()
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(80))
    #: a question she typed in the room, whole (the bank's are read from the catalog by question_id)
    own: Mapped[dict | None] = mapped_column(JSON)
    #: option order and form tokens, as drawing.layout() makes them (the same for every trainee)
    layout: Mapped[dict] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default=OPEN)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    #: the facilitator shows the room's answers while they are still open (hidden by default, so that
    #: the first answers on a projected screen do not sway the others)
    results_shown: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: a countdown: answers stop at this time (naive UTC) even if nobody clicks "Close"
    closes_at: Mapped[datetime | None]

    # One open question per workshop, also when two "Ask" clicks (or two co-facilitators) race.
    __table_args__ = (Index("ix_live_question_workshop", "workshop_id", "id"),
                      Index("uq_live_question_open", "workshop_id", unique=True,
                            sqlite_where=text("state = 'open'"), postgresql_where=text("state = 'open'")))

    def question_in(self, cat) -> dict | None:
        """The question asked: hers as she typed it, else the bank's (None if it left the course)."""
        return self.own or cat.question(self.question_id)


class SavedQuestion(db.Model):
    """A question a facilitator typed in the room and kept to ask again in her next workshops: hers
    alone (nobody else sees or asks it)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: the question, as LiveQuestion.own keeps it (its id is made anew each time it is asked)
    question: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LiveAnswer(db.Model):
    """One trainee's answer to a live question: one row, changed until the question closes."""
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = uid_column()
    live_question_id: Mapped[int] = mapped_column(ForeignKey("live_question.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    answer: Mapped[dict | list | str | None] = mapped_column(JSON)
    credit: Mapped[float]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("live_question_id", "user_id", name="uq_live_answer"),)


class WorkshopTest(db.Model):
    """The pre- or post-test of a workshop: which questions, and whether trainees may take it now.
    Each trainee's sitting is an ordinary Attempt whose quiz is ``workshop_quiz_key(workshop, kind)``."""
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(4))
    question_ids: Mapped[list] = mapped_column(JSON)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("workshop_id", "kind", name="uq_workshop_test_kind"),)

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None


class CodeLookup(db.Model):
    """A join code typed (or a join link opened) that found no open workshop, kept in the database so
    that every worker and every app server counts the same guesses. A look-up that finds its workshop
    deletes its row; rows older than the window are deleted when a new one is written."""
    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    # (address, at): one client's recent failures; (at): the site's, and deleting the old ones.
    __table_args__ = (Index("ix_code_lookup_address_at", "address", "at"), Index("ix_code_lookup_at", "at"))
