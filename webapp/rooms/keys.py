"""The room's signing key: made by the central site when it issues a kit, carried in the kit, and kept
on the room laptop in ``ROOM_KEY_FILE`` (mode 600, beside the database, never in it). The central
site keeps only the public half (``RoomKit.public_jwk``) and accepts a bundle only if it verifies
against the kit it names."""
from __future__ import annotations

import json
import os
from pathlib import Path

from flask import current_app
from joserfc.jwk import OKPKey


class NoRoomKey(RuntimeError):
    """This server has no room key: it is not a room, or its kit was not installed."""


def new_room_key() -> OKPKey:
    return OKPKey.generate_key("Ed25519")


def private_jwk(key: OKPKey) -> dict:
    return key.as_dict(private=True)


def public_jwk_text(key: OKPKey) -> str:
    """The public half, as RoomKit.public_jwk keeps it."""
    return json.dumps(key.as_dict(private=False), sort_keys=True)


def public_key(jwk_text: str) -> OKPKey:
    return OKPKey.import_key(json.loads(jwk_text))


def key_file() -> Path:
    return Path(current_app.config["ROOM_KEY_FILE"])


def save_room_key(jwk: dict, path: Path | None = None) -> Path:
    """Write the room's private key (from the kit) where the room reads it, readable by its user only."""
    path = path or key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(jwk, out)
    return path


def room_key(path: Path | None = None) -> OKPKey:
    path = path or key_file()
    try:
        key = OKPKey.import_key(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError as error:
        raise NoRoomKey(f"No room key in {path}: install the room kit first (README, "
                        "\"Workshops without internet\").") from error
    except (ValueError, TypeError) as error:
        raise NoRoomKey(f"The room key in {path} cannot be read: {error}") from error
    if not key.is_private:
        raise NoRoomKey(f"The room key in {path} has no private half.")
    return key
