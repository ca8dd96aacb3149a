"""Whether this server is a workshop room (a laptop running a room kit, issue 17), for the domains
that behave differently there (certificates, quizzes, templates) without importing ``rooms``.

A room is a server whose database has a ``RoomInstall`` row. The answer is kept for the life of the
app (a server process): a kit is installed before the room server starts (`make room KIT=...`), an
install in the same process says so at once (``remember``), and a server never stops being a room.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from .extensions import db
from .models import RoomInstall

_KNOWN = "passerelle.is_room"


def is_room() -> bool:
    known = current_app.extensions.get(_KNOWN)
    if known is None:
        known = current_app.extensions[_KNOWN] = db.session.scalar(select(RoomInstall.id).limit(1)) is not None
    return known


def remember(room: bool) -> None:
    current_app.extensions[_KNOWN] = room
