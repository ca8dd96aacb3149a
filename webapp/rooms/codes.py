"""Room codes: how a member of the kit signs in on the room laptop the first time, with no password
(no password or hash ever leaves the central site).

The central site draws one code per member when it makes a kit, and the kit carries them. On the
room the database keeps only their SHA-256 (``RoomCode``); the plain codes, for the facilitator to
print, are written to a file beside the room key (``codes_file()``, mode 600), never to the database:
a copy of the database (a backup, a record sent home) then reveals no code, and the file is as
protected as the key that signs the room's records. A code works once: the member then chooses a
password for the room.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
from pathlib import Path

from sqlalchemy import select, update

from ..extensions import db
from ..models import RoomCode, User
from ..models.base import utcnow
from ..workshops.services import CODE_ALPHABET
from . import keys

#: 23**10 (about 4e13) codes, the same unambiguous letters as join codes: a code signs someone in, so
#: it is longer than a join code; wrong codes are counted and slowed like wrong passwords.
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise(text: str) -> str:
    """What she typed, as the code is kept: capitals, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t\u00a0")


def grouped(code: str) -> str:
    """ABCDE-FGHJK: easier to read out and to type."""
    code = normalise(code)
    return f"{code[:5]}-{code[5:]}" if len(code) > 5 else code


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("utf-8", "surrogatepass")).hexdigest()


def codes_file() -> Path:
    """Beside the room key: ``room-key.json`` keeps its codes in ``room-key-codes.json``."""
    key = keys.key_file()
    return key.with_name(f"{key.stem}-codes.json")


def save_plain_codes(codes: dict[str, str], path: Path | None = None) -> Path:
    """The plain codes by member uid, for printing, readable by the laptop's user only."""
    path = path or codes_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(codes, out)
    return path


def plain_codes(path: Path | None = None) -> dict[str, str]:
    """{member uid: code}; empty when the file is missing or unreadable (the page then says so)."""
    try:
        data = json.loads((path or codes_file()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def store(user_id: int, code: str) -> None:
    """Keep a member's code, hashed (the caller commits)."""
    db.session.add(RoomCode(user_id=user_id, code_hash=code_hash(code)))


def used_by(user_ids) -> set[int]:
    """Which of these members have already used their code."""
    return set(db.session.scalars(select(RoomCode.user_id).where(
        RoomCode.user_id.in_(list(user_ids)), RoomCode.used_at.is_not(None))))


def redeem(text: str) -> User | None | bool:
    """Use a code: the member it belongs to (the code is now used up); False when it was already used;
    None when no member has it. Marked used in one UPDATE, so that two phones typing the same code at
    once sign in only one of them."""
    code = normalise(text)
    if len(code) != CODE_LENGTH:
        return None
    row = db.session.scalar(select(RoomCode).where(RoomCode.code_hash == code_hash(code)))
    if row is None:
        return None
    done = db.session.execute(update(RoomCode).where(RoomCode.id == row.id, RoomCode.used_at.is_(None))
                              .values(used_at=utcnow()))
    db.session.commit()
    if done.rowcount != 1:
        return False
    return db.session.get(User, row.user_id)
