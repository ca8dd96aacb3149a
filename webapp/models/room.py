"""Workshops without internet (issue 17): the room kits the central site issues, and, on a room
laptop, the kit it was installed from.

A kit lets one laptop run one workshop offline and send its records home. The central site keeps
only the kit's public key: the private key travels in the kit file and signs the room's bundles.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import uid_column, utcnow
from .workshop import Workshop


class RoomKit(db.Model):
    """Central side: a kit issued for a workshop (one per laptop; two co-facilitators, two kits)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = uid_column()
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: what the facilitator calls the laptop ("Aminata's laptop"), to tell her kits apart
    label: Mapped[str] = mapped_column(String(120), default="")
    #: the room's Ed25519 public key, a JWK as JSON text: bundles signed by anything else are refused
    public_jwk: Mapped[str] = mapped_column(Text)
    #: the content edition the kit was made from (Catalog.version)
    content_version: Mapped[str] = mapped_column(String(40))
    #: SHA-256 of the one-time link that `flask room fetch` downloads the kit from; cleared once used
    fetch_token_hash: Mapped[str | None] = mapped_column(String(64))
    #: a stolen laptop: nothing signed by this kit is accepted any more
    revoked_at: Mapped[datetime | None]
    last_synced_at: Mapped[datetime | None]
    synced_records: Mapped[int] = mapped_column(default=0)

    workshop: Mapped[Workshop] = relationship()


class RoomInstall(db.Model):
    """Room side: the kit this laptop was installed from (one row). Its private key is not here but
    in a file beside the database (``ROOM_KEY_FILE``), like the credential signing key."""
    id: Mapped[int] = mapped_column(primary_key=True)
    kit_uid: Mapped[str] = mapped_column(String(36), unique=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    central_url: Mapped[str] = mapped_column(String(300))
    content_version: Mapped[str] = mapped_column(String(40))
    kit_issued_at: Mapped[datetime]
    installed_at: Mapped[datetime] = mapped_column(default=utcnow)


class RoomCode(db.Model):
    """Room side: a kit member's single-use room code, hashed (SHA-256 of the code without spaces or
    dashes). The plain codes, for printing, stay in a file beside the room key, never in the database."""
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None]
