"""Central side: the room kits of a workshop (issue, fetch by one-time link, revoke) and what a kit
holds. No HTTP here: kit_routes.py and commands.py turn the outcomes into pages and messages.

A kit is one JSON file (``"format": 1``) that lets one laptop run one workshop offline: the workshop
as the central site knows it (same id and uid), its members (no password, no hash: each gets a
single-use room code instead), the content edition and its files, and the room's private key, whose
public half the central site keeps (``RoomKit.public_jwk``) to accept what the room sends home.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from ..content import catalog
from ..extensions import db
from ..links import base_url
from ..models import RoomKit, User, Workshop, WorkshopMember, WorkshopTest
from ..models.base import utcnow
from ..models.user import ADMIN, FACILITATOR
from ..zones import zone_for_country
from . import codes, keys

FORMAT = 1
#: a one-time link for `flask room fetch` works this long, once
LINK_HOURS = 24
#: the content files a room serves from, as the content loader reads them (CONTENT_DIR)
CONTENT_PATTERNS = ("lessons/*.yaml", "lessons/*/*.md", "quizzes/*.yaml")
#: the content is about 1 MB today; far more means something is wrong (a stray file), not a course
MAX_CONTENT_BYTES = 20 * 1024 * 1024
OWNER, CO_FACILITATOR, TRAINEE = "owner", "facilitator", "trainee"


class LinkProblem(Exception):
    """A one-time link that gives no kit: ``status`` (404 unknown, 410 used or expired) and why."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def kits_of(workshop_id: int) -> list[RoomKit]:
    return list(db.session.scalars(select(RoomKit).where(RoomKit.workshop_id == workshop_id)
                                   .order_by(RoomKit.issued_at.desc(), RoomKit.id.desc())))


def issuer_names(issued: list[RoomKit]) -> dict[int, str]:
    ids = {kit.issued_by_id for kit in issued if kit.issued_by_id}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}


def find(kit_uid: str) -> RoomKit | None:
    return db.session.scalar(select(RoomKit).where(RoomKit.uid == kit_uid))


def is_fetched(kit: RoomKit) -> bool:
    """A kit exists as a file once its key pair is made (at once for a download, at fetch for a link)."""
    return bool(kit.public_jwk)


def link_expires_at(kit: RoomKit):
    return kit.issued_at + timedelta(hours=LINK_HOURS)


def issue_file(workshop: Workshop, by: User, label: str) -> tuple[RoomKit, dict]:
    """A kit made now, to download: its row (public key kept) and its content (private key in it)."""
    key = keys.new_room_key()
    kit = RoomKit(workshop_id=workshop.id, issued_by_id=by.id, label=_label(label),
                  public_jwk=keys.public_jwk_text(key), content_version=catalog().version)
    db.session.add(kit)
    db.session.commit()
    return kit, content(kit, workshop, keys.private_jwk(key))


def issue_link(workshop: Workshop, by: User, label: str) -> tuple[RoomKit, str]:
    """A kit to fetch later with `flask room fetch`: its row and the one-time token (only its hash is
    kept; the key pair is made when the link is used)."""
    token = secrets.token_urlsafe(32)
    kit = RoomKit(workshop_id=workshop.id, issued_by_id=by.id, label=_label(label), public_jwk="",
                  content_version=catalog().version, fetch_token_hash=token_hash(token))
    db.session.add(kit)
    db.session.commit()
    return kit, token


def usable(token: str) -> RoomKit:
    """The kit a one-time link would still give, read only; raises LinkProblem as ``fetch`` does."""
    kit = db.session.scalar(select(RoomKit).where(RoomKit.fetch_token_hash == token_hash(token or "")))
    if kit is None:
        raise LinkProblem(404, "unknown")
    if kit.revoked_at is not None:
        raise LinkProblem(410, "revoked")
    if is_fetched(kit):
        raise LinkProblem(410, "used")
    if utcnow() > link_expires_at(kit):
        raise LinkProblem(410, "expired")
    return kit


def fetch(token: str) -> tuple[RoomKit, dict]:
    """The kit of a one-time link, made now; raises LinkProblem when the link is unknown, used,
    expired or its kit revoked. The link's hash is kept after use, so that a second fetch is told the
    link was used (410) rather than unknown; the key pair is written in one conditional UPDATE, so
    that two fetches at once give one kit, not two kits with different keys."""
    kit = usable(token)
    key = keys.new_room_key()
    version = catalog().version
    done = db.session.execute(update(RoomKit).where(RoomKit.id == kit.id, RoomKit.public_jwk == "")
                              .values(public_jwk=keys.public_jwk_text(key), content_version=version))
    db.session.commit()
    if done.rowcount != 1:
        raise LinkProblem(410, "used")
    db.session.refresh(kit)
    return kit, content(kit, kit.workshop, keys.private_jwk(key))


def revoke(kit: RoomKit) -> bool:
    """Nothing this kit signs is accepted any more (a stolen laptop). False if it already was revoked."""
    if kit.revoked_at is not None:
        return False
    kit.revoked_at = utcnow()  # an unused link dies with it (fetch refuses a revoked kit)
    db.session.commit()
    return True


def file_name(kit: RoomKit, workshop: Workshop) -> str:
    """The kit file's name, in the reader's language (the browser saves it under this name)."""
    return _("passerelle-room-kit-%(code)s-%(day)s.json", code=workshop.join_code, day=f"{kit.issued_at:%Y-%m-%d}")


def _label(label: str) -> str:
    return " ".join((label or "").split())[:120]


def content(kit: RoomKit, workshop: Workshop, private_jwk: dict) -> dict:
    """What the kit file holds. Never a password or a password hash: members sign in on the room with
    the single-use code drawn here for each of them."""
    members = kit_members(workshop)
    tests = db.session.scalars(select(WorkshopTest).where(WorkshopTest.workshop_id == workshop.id)
                               .order_by(WorkshopTest.kind))
    cat = catalog()
    return {
        "format": FORMAT,
        "kit": kit.uid,
        "label": kit.label,
        "issued_at": _iso(kit.issued_at),
        "central_url": base_url(),
        "room_key": private_jwk,
        "workshop": {
            "id": workshop.id, "uid": workshop.uid, "title": workshop.title, "city": workshop.city,
            "country": workshop.country, "start_date": workshop.start_date.isoformat(),
            "end_date": workshop.end_date.isoformat(), "time_zone": zone_for_country(workshop.country),
            "language": workshop.language, "lessons": list(workshop.lessons or []),
            "due_date": workshop.due_date.isoformat() if workshop.due_date else None,
            "attendance_threshold": workshop.attendance_threshold, "join_code": workshop.join_code,
            "joining_open": workshop.joining_open, "closed_at": _iso(workshop.closed_at),
            "created_at": _iso(workshop.created_at), "owner": workshop.owner.uid,
            "facilitators": [row.user.uid for row in workshop.cofacilitators],
            "tests": [{"kind": t.kind, "question_ids": list(t.question_ids or []), "opened_at": _iso(t.opened_at),
                       "closed_at": _iso(t.closed_at)} for t in tests],
        },
        "members": members,
        "codes": {member["uid"]: codes.new_code() for member in members},
        "content_version": cat.version,
        "content": content_files(Path(current_app.config["CONTENT_DIR"])),
    }


def kit_members(workshop: Workshop) -> list[dict]:
    """The owner, the co-facilitators and the trainees, each once, with her role in the workshop."""
    people: dict[int, tuple] = {workshop.owner.id: (workshop.owner, OWNER, None, None)}
    for row in workshop.cofacilitators:
        people.setdefault(row.user_id, (row.user, CO_FACILITATOR, None, None))
    trainees = db.session.execute(select(User, WorkshopMember.uid, WorkshopMember.joined_at)
                                  .join(WorkshopMember, WorkshopMember.user_id == User.id)
                                  .where(WorkshopMember.workshop_id == workshop.id).order_by(User.name, User.id))
    for user, member_uid, joined_at in trainees:
        people.setdefault(user.id, (user, TRAINEE, member_uid, joined_at))
    return [{"uid": user.uid, "name": user.name, "email": user.email, "organisation": user.organisation,
             "country": user.country, "profession": user.profession, "language": user.language,
             "time_zone": user.time_zone, "created_at": _iso_exact(user.created_at),
             # on the room, a facilitator runs her workshop; nobody is an administrator there
             "site_role": FACILITATOR if user.role == ADMIN else user.role,
             "role": role, "member_uid": member_uid, "joined_at": _iso_exact(joined_at)}
            for user, role, member_uid, joined_at in people.values()]


def content_files(root: Path) -> dict[str, str]:
    """{path under CONTENT_DIR: text} of the lessons and question banks the room serves."""
    files, size = {}, 0
    for pattern in CONTENT_PATTERNS:
        for path in sorted(root.glob(pattern)):
            text = path.read_bytes().decode("utf-8")  # as is: the content version hashes the bytes
            size += len(text.encode("utf-8"))
            if size > MAX_CONTENT_BYTES:
                raise RuntimeError(f"The course content under {root} is over {MAX_CONTENT_BYTES // 2**20} MB: "
                                   "a room kit carries only lessons and question banks.")
            files[path.relative_to(root).as_posix()] = text
    return files


def _iso_exact(value) -> str | None:
    """To the microsecond: the room's copy of an account must equal the central one (sync compares)."""
    return value.isoformat() if value is not None else None


def _iso(value) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None
