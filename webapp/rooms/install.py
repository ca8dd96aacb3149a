"""Room side: reading a kit file and installing it on the room laptop's database. No HTTP here.

Installing creates the workshop with the same id and uid as on the central site (its pre/post-test
attempts are keyed by the id), its members with the same uids and a password that can never match
(they sign in with their room code, then choose a room password), the room codes (hashed), the
``RoomInstall`` row, the room key (a file beside the database) and the content the room serves
(``instance/room-content``, which `make room` then uses as CONTENT_DIR). Installing the same kit
again changes nothing; another kit over an installed one is refused.
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from .. import room_state
from ..auth.services import normalise_email
from ..content import ContentError, load_catalog
from ..extensions import db
from ..models import RoomInstall, User, Workshop, WorkshopFacilitator, WorkshopMember, WorkshopTest
from ..models.user import ROLES
from . import codes, keys, kits

#: The stored password of a kit member until she chooses one: werkzeug reads a hash as
#: "method$salt$hash", so a text without "$" never matches any password (check_password_hash is False).
UNUSABLE_PASSWORD = "!room-code-only"
MEMBER_FIELDS = ("uid", "name", "email", "role")
WORKSHOP_FIELDS = ("id", "uid", "title", "start_date", "end_date", "language", "lessons", "join_code")
SAFE_PATH = re.compile(r"^(lessons/[0-9a-z-]+/[A-Za-z0-9_-]+\.md|lessons/[A-Za-z0-9_.-]+\.yaml|quizzes/[A-Za-z0-9_.-]+\.yaml)$")


class KitError(Exception):
    """A kit that cannot be installed here, with what to do about it (for the terminal)."""


@dataclass
class Outcome:
    already: bool  # this kit was installed before: nothing changed
    workshop: Workshop
    facilitators: list = field(default_factory=list)  # [(name, plain code)] to sign in first


def installed() -> RoomInstall | None:
    """The kit this server was installed from, or None: it is not a room (or not yet)."""
    return db.session.scalar(select(RoomInstall).limit(1))


def is_room() -> bool:
    """Whether this server is a room (answered once per server process: webapp/room_state.py)."""
    return room_state.is_room()


def unusable(user: User) -> bool:
    """Whether she has not chosen a room password yet (a kit member who signs in with her code)."""
    return user.password_hash == UNUSABLE_PASSWORD


def room_content_dir() -> Path:
    return Path(current_app.instance_path) / "room-content"


def read_kit(path: Path) -> dict:
    """The kit in a file, checked; KitError says what is wrong in words (never a traceback)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise KitError(f"Cannot read {path}: {error.strerror or error}.") from error
    return parse_kit(raw, str(path))


def parse_kit(raw: bytes, name: str = "the kit") -> dict:
    try:
        kit = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise KitError(f"{name} is not a room kit: it is not text. Download the kit again from the "
                       "workshop's room page.") from error
    except ValueError as error:
        raise KitError(f"{name} is not a room kit, or it is cut short ({error.msg}, at character {error.pos}). "
                       "Download the kit again from the workshop's room page.") from error
    check(kit, name)
    return kit


def check(kit, name: str = "the kit") -> None:
    if not isinstance(kit, dict) or "format" not in kit:
        raise KitError(f"{name} is not a room kit (it has no \"format\").")
    if kit["format"] != kits.FORMAT:
        raise KitError(f"{name} is a room kit of format {kit['format']!r}, which this version of Passerelle "
                       f"does not read (it reads format {kits.FORMAT}). Update Passerelle on this laptop, or "
                       "issue a new kit.")
    missing = [key for key in ("kit", "issued_at", "central_url", "room_key", "workshop", "members", "codes",
                               "content_version", "content") if key not in kit]
    workshop = kit.get("workshop")
    if not missing and not isinstance(workshop, dict):
        missing = ["workshop"]
    if not missing:
        missing = [f"workshop.{key}" for key in WORKSHOP_FIELDS if key not in workshop]
    if not missing and (not isinstance(kit["members"], list) or not isinstance(kit["codes"], dict)
                        or not isinstance(kit["content"], dict) or not isinstance(kit["room_key"], dict)):
        missing = ["members, codes, content or room_key (of the wrong kind)"]
    if not missing:
        for member in kit["members"]:
            if not isinstance(member, dict) or any(key not in member for key in MEMBER_FIELDS):
                missing = ["a member's uid, name, email or role"]
                break
            if member["uid"] not in kit["codes"]:
                missing = [f"the room code of {member['name']}"]
                break
    if missing:
        raise KitError(f"{name} is damaged or incomplete: it lacks {', '.join(missing)}. "
                       "Download the kit again from the workshop's room page.")
    bad = [path for path in kit["content"] if not SAFE_PATH.match(path) or ".." in path]
    if bad:
        raise KitError(f"{name} carries content files where none belong ({bad[0]}): it was not made by Passerelle.")


def install(kit: dict, content_dir: Path | None = None) -> Outcome:
    """Install ``kit`` (checked by read_kit) on this database; KitError when it cannot be."""
    content_dir = content_dir or room_content_dir()
    here = installed()
    if here is not None:
        if here.kit_uid != kit["kit"]:
            raise KitError(f"This laptop already runs another room kit ({here.kit_uid}, workshop {here.workshop_id}). "
                           "A room runs one kit: install this one on a fresh database (another folder, or "
                           "move instance/passerelle.db away after sending its records home).")
        _restore_files(kit, content_dir)
        return Outcome(True, db.session.get(Workshop, here.workshop_id), _facilitator_codes(kit))
    if db.session.scalar(select(func.count(Workshop.id))):
        raise KitError("This database already holds workshops: a room kit is installed on a fresh database "
                       "(the one `make room` makes in a new copy of Passerelle).")
    _write_content(kit, content_dir)
    try:
        workshop = _create(kit)
        db.session.commit()
        room_state.remember(True)
    except KitError:
        db.session.rollback()
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        db.session.rollback()
        raise KitError(f"The kit is damaged ({type(error).__name__}: {error}). Download it again.") from error
    keys.save_room_key(kit["room_key"])
    codes.save_plain_codes(kit["codes"])
    return Outcome(False, workshop, _facilitator_codes(kit))


def _restore_files(kit: dict, content_dir: Path) -> None:
    """Installing the same kit again: the database is left as it is; files deleted by mistake come back."""
    if not keys.key_file().exists():
        keys.save_room_key(kit["room_key"])
    if not codes.codes_file().exists():
        codes.save_plain_codes(kit["codes"])
    if not content_dir.is_dir():
        _write_content(kit, content_dir)


def _write_content(kit: dict, content_dir: Path) -> None:
    """The kit's lessons and question banks, written next to the folder then swapped in, and checked:
    the room must serve exactly the edition the kit names."""
    fresh = content_dir.with_name(content_dir.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    for rel, text in kit["content"].items():
        path = fresh / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(str(text).encode("utf-8"))
    try:
        version = load_catalog(fresh).version
    except ContentError as error:
        shutil.rmtree(fresh, ignore_errors=True)
        raise KitError(f"The course content in the kit does not load: {error}") from error
    if version != kit["content_version"]:
        shutil.rmtree(fresh, ignore_errors=True)
        raise KitError(f"The course content in the kit is not the edition it names ({version}, not "
                       f"{kit['content_version']}): the kit is damaged. Download it again.")
    shutil.rmtree(content_dir, ignore_errors=True)
    fresh.rename(content_dir)


def _create(kit: dict) -> Workshop:
    data = kit["workshop"]
    users = {member["uid"]: _user(member) for member in kit["members"]}
    owner = next((users[m["uid"]] for m in kit["members"] if m["role"] == kits.OWNER), None)
    if owner is None:
        raise KitError("The kit names no owner for the workshop: it is damaged. Download it again.")
    try:
        workshop = Workshop(
            id=int(data["id"]), uid=data["uid"], title=data["title"], city=data.get("city", ""),
            country=data.get("country", ""), start_date=date.fromisoformat(data["start_date"]),
            end_date=date.fromisoformat(data["end_date"]), language=data["language"], lessons=list(data["lessons"]),
            due_date=date.fromisoformat(data["due_date"]) if data.get("due_date") else None,
            attendance_threshold=data.get("attendance_threshold"), join_code=data["join_code"],
            joining_open=bool(data.get("joining_open", True)), owner_id=owner.id,
            closed_at=_when(data.get("closed_at")))
        if data.get("created_at"):
            workshop.created_at = _when(data["created_at"])
    except (TypeError, ValueError) as error:
        raise KitError(f"The workshop in the kit is damaged ({error}). Download the kit again.") from error
    db.session.add(workshop)
    db.session.flush()
    for member in kit["members"]:
        user = users[member["uid"]]
        if member["role"] == kits.CO_FACILITATOR:
            db.session.add(WorkshopFacilitator(workshop_id=workshop.id, user_id=user.id))
        elif member["role"] == kits.TRAINEE:
            row = WorkshopMember(workshop_id=workshop.id, user_id=user.id)
            if member.get("member_uid"):
                row.uid = member["member_uid"]
            if member.get("joined_at"):
                row.joined_at = _when(member["joined_at"])  # the membership is the central one: same date
            db.session.add(row)
        codes.store(user.id, kit["codes"][member["uid"]])
    for test in data.get("tests") or []:
        db.session.add(WorkshopTest(workshop_id=workshop.id, kind=test["kind"], question_ids=list(test["question_ids"]),
                                    opened_at=_when(test.get("opened_at")), closed_at=_when(test.get("closed_at"))))
    db.session.add(RoomInstall(kit_uid=kit["kit"], workshop_id=workshop.id, central_url=str(kit["central_url"]),
                               content_version=kit["content_version"], kit_issued_at=_when(kit["issued_at"])))
    return workshop


def _user(member: dict) -> User:
    """The member's room account: the same uid as on the central site, no usable password."""
    email = normalise_email(member["email"])
    same = db.session.scalar(select(User).where(User.uid == member["uid"]))
    if same is not None:
        return same
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise KitError(f"An account on this laptop already uses {email}, the address of {member['name']} in the "
                       "kit: a room kit is installed on a fresh database.")
    role = member.get("site_role") if member.get("site_role") in ROLES else "trainee"
    user = User(uid=member["uid"], name=str(member["name"])[:120], email=email, password_hash=UNUSABLE_PASSWORD,
                organisation=str(member.get("organisation") or "")[:160], country=member.get("country") or "",
                profession=member.get("profession") or "other", language=member.get("language") or "fr",
                time_zone=member.get("time_zone") or "", role="facilitator" if role == "admin" else role)
    if member.get("created_at"):
        user.created_at = _when(member["created_at"])  # as on the central site, not the day of the install
    db.session.add(user)
    db.session.flush()
    return user


def _facilitator_codes(kit: dict) -> list[tuple[str, str]]:
    return [(m["name"], codes.grouped(kit["codes"][m["uid"]])) for m in kit["members"]
            if m["role"] in (kits.OWNER, kits.CO_FACILITATOR)]


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
