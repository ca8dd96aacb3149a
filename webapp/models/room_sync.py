"""Sync of a room's records (issue 17): what the room sent and the central site acknowledged (room
side), the bundles the central site applied and the accounts made in a room (central side)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class SentRecord(db.Model):
    """Room side: a record the central site acknowledged, as it was then (its digest). A record whose
    digest changed since (progress moved on) is sent again; one with no row was never sent."""
    uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    digest: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class RoomClaimCode(db.Model):
    """Room side: the code printed for a trainee who made her account in the room. Only its hash
    leaves the laptop; she types the code on the central site to take her room records home."""
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    made_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReceivedBundle(db.Model):
    """Central side: a bundle applied, written in the same transaction as its records, so that the
    same bundle sent again is recognised and changes nothing."""
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    kit_id: Mapped[int] = mapped_column(ForeignKey("room_kit.id", ondelete="CASCADE"), index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: the room's clock when it made the bundle (as the room said)
    made_at: Mapped[datetime]
    records: Mapped[int] = mapped_column(default=0)
    #: how far ahead of the central clock the room's clock was (seconds), when it was (else None)
    clock_ahead_seconds: Mapped[int | None]
    #: dates in the bundle later than the central clock: replaced by the time of the sync
    future_dated: Mapped[int] = mapped_column(default=0)


class ReceivedRecord(db.Model):
    """Central side: a record (by uid) a kit has brought, so that a record the room sends again in a
    new bundle (its earlier answer was lost, or the record changed) is not counted twice on the
    "Records from workshop rooms" page: that page counts distinct records per laptop."""
    kit_id: Mapped[int] = mapped_column(ForeignKey("room_kit.id", ondelete="CASCADE"), primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), primary_key=True)


class RoomAccount(db.Model):
    """Central side: an account a trainee made in a room. It arrives as a placeholder user that
    cannot sign in and whose email is not the one she typed (that may be someone else's account);
    she claims its records with the code the room printed for her."""
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    kit_id: Mapped[int | None] = mapped_column(ForeignKey("room_kit.id", ondelete="SET NULL"))
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop.id", ondelete="SET NULL"))
    #: the address she typed in the room, kept apart from the placeholder's own
    typed_email: Mapped[str] = mapped_column(String(254), default="")
    #: SHA-256 of her claim code (made and printed in the room; the code itself never travels)
    claim_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None]
