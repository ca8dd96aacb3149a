"""Room side: what the room sends home, and the signed bundles that carry it.

Every record made or changed in the room for its workshop becomes a plain dict that names itself by
``uid`` and the records it refers to by theirs (user, workshop, live question): ids differ between
the room and the central site, uids never do. A record is "not sent yet" until the central site
acknowledged it as it is now (``SentRecord`` keeps its digest), so a record that changed since
(reading progress moved on, a day ticked) is sent again, and one that did not is not.

Only finished facts travel: a submitted attempt (an open one goes once submitted), a live question
once closed and its answers with it (they can change until then), and the workshop's closure once
the facilitator closed it in the room (the central site closes it too and issues its certificates).
"""
from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from ..credentials import vcjwt
from ..extensions import db
from ..models import (
    Attempt,
    AttendanceMark,
    LessonProgress,
    LiveAnswer,
    LiveQuestion,
    RoomClaimCode,
    RoomCode,
    RoomInstall,
    SentRecord,
    User,
    Workshop,
    WorkshopMember,
)
from ..models.base import utcnow
from ..models.workshop import OPEN
from . import keys

FORMAT = 1
TYP = "passerelle-room-bundle"
#: the order records are applied in: what others refer to comes first
KINDS = ("account", "membership", "live_question", "attendance", "progress", "attempt", "live_answer", "closure")
CLAIM_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out and typed by hand
CLAIM_LENGTH = 10


def closure_uid(workshop_uid: str) -> str:
    """The closure of a workshop is one fact with one uid, the same on every laptop of the workshop
    (a closure row has no uid of its own: it is the workshop's ``closed_at``)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"passerelle:workshop-closure:{workshop_uid}"))


def install() -> RoomInstall | None:
    """The kit this laptop runs (None: not a room)."""
    return db.session.scalar(select(RoomInstall).limit(1))


def room_now() -> datetime:
    """The room's clock. Tests move it (ROOM_CLOCK_OFFSET_SECONDS, only outside production) to play
    a laptop whose clock is wrong; libfaketime is not installed on the machines we test on."""
    offset = 0.0 if current_app.config.get("PRODUCTION") else current_app.config.get("ROOM_CLOCK_OFFSET_SECONDS", 0)
    return utcnow() + timedelta(seconds=offset)


def when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def digest(record: dict) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


# -- claim codes ---------------------------------------------------------------------------------

def canonical_claim_code(text: str | None) -> str | None:
    """A claim code as typed (spaces, dashes, small letters) in its one form, or None."""
    code = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(code) != CLAIM_LENGTH or any(ch not in CLAIM_ALPHABET for ch in code):
        return None
    return code


def claim_hash(code: str) -> str:
    return hashlib.sha256(f"passerelle-claim:{code}".encode()).hexdigest()


def grouped(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def room_made_users(room: RoomInstall) -> list[User]:
    """Accounts made in the room, not brought by the kit: the kit's members each have a room code
    (and were written when the kit was installed); a trainee who registered in the room came later."""
    return list(db.session.scalars(
        select(User).where(User.created_at >= room.installed_at, User.id.not_in(select(RoomCode.user_id)))
        .order_by(User.name, User.id)))


def ensure_claim_codes(room: RoomInstall) -> dict[int, str]:
    """user id -> claim code, for every account made in the room (made on first need)."""
    have = dict(db.session.execute(select(RoomClaimCode.user_id, RoomClaimCode.code)).all())
    made = False
    for user in room_made_users(room):
        if user.id not in have:
            code = "".join(secrets.choice(CLAIM_ALPHABET) for _ in range(CLAIM_LENGTH))
            db.session.add(RoomClaimCode(user_id=user.id, code=code))
            have[user.id] = code
            made = True
    if made:
        db.session.commit()
    return have


# -- the records ---------------------------------------------------------------------------------

def collect(room: RoomInstall) -> list[dict]:
    """Every record the room would send now, in KINDS order (finished facts only)."""
    workshop = db.session.get(Workshop, room.workshop_id)
    codes = ensure_claim_codes(room)
    users = {user.id: user for user in db.session.scalars(select(User))}
    uid_of = {user_id: user.uid for user_id, user in users.items()}
    records: list[dict] = []
    for user in sorted(users.values(), key=lambda u: u.id):
        # Every account the room knows travels (never a password or its hash): the central site
        # joins a uid it knows to its account, and makes a placeholder for one it does not.
        code = codes.get(user.id)
        records.append({"type": "account", "uid": user.uid, "name": user.name, "email": user.email,
                        "organisation": user.organisation, "country": user.country,
                        "profession": user.profession, "language": user.language,
                        "created_at": when(user.created_at), "claim": claim_hash(code) if code else None})
    for member in db.session.scalars(select(WorkshopMember).where(WorkshopMember.workshop_id == workshop.id)
                                     .order_by(WorkshopMember.id)):
        records.append({"type": "membership", "uid": member.uid, "workshop": workshop.uid,
                        "user": uid_of[member.user_id], "joined_at": when(member.joined_at)})
    closed = list(db.session.scalars(select(LiveQuestion).where(
        LiveQuestion.workshop_id == workshop.id, LiveQuestion.state != OPEN).order_by(LiveQuestion.id)))
    for question in closed:
        records.append({"type": "live_question", "uid": question.uid, "workshop": workshop.uid,
                        "question_id": question.question_id, "own": question.own, "layout": question.layout,
                        "state": question.state, "opened_at": when(question.opened_at),
                        "closed_at": when(question.closed_at)})
    for mark in db.session.scalars(select(AttendanceMark).where(AttendanceMark.workshop_id == workshop.id)
                                   .order_by(AttendanceMark.id)):
        records.append({"type": "attendance", "uid": mark.uid, "workshop": workshop.uid,
                        "user": uid_of[mark.user_id], "day": when(mark.day), "marked_at": when(mark.marked_at),
                        "marked_by": uid_of.get(mark.marked_by_id)})
    for progress in db.session.scalars(select(LessonProgress).order_by(LessonProgress.id)):
        records.append({"type": "progress", "uid": progress.uid, "user": uid_of[progress.user_id],
                        "lesson": progress.lesson_slug, "started_at": when(progress.started_at),
                        "completed_at": when(progress.completed_at), "read_at": when(progress.read_at),
                        "last_section": progress.last_section, "visited_at": when(progress.visited_at)})
    for attempt in db.session.scalars(select(Attempt).where(
            Attempt.submitted_at.is_not(None), Attempt.abandoned_at.is_(None)).order_by(Attempt.id)):
        records.append({"type": "attempt", "uid": attempt.uid, "user": uid_of[attempt.user_id],
                        "quiz": attempt.quiz, "content_version": attempt.content_version,
                        "pass_mark": attempt.pass_mark, "layout": attempt.layout,
                        "started_at": when(attempt.started_at), "submitted_at": when(attempt.submitted_at),
                        "score": attempt.score, "passed": attempt.passed, "paper_version": attempt.paper_version,
                        "answers": [{"position": a.position, "question_id": a.question_id, "answer": a.answer,
                                     "credit": a.credit, "graded_key": a.graded_key} for a in attempt.answers]})
    question_uids = {question.id: question.uid for question in closed}
    if question_uids:
        for answer in db.session.scalars(select(LiveAnswer).where(
                LiveAnswer.live_question_id.in_(question_uids)).order_by(LiveAnswer.id)):
            records.append({"type": "live_answer", "uid": answer.uid,
                            "question": question_uids[answer.live_question_id], "user": uid_of[answer.user_id],
                            "answer": answer.answer, "credit": answer.credit,
                            "answered_at": when(answer.answered_at)})
    if workshop.closed_at is not None:
        records.append({"type": "closure", "uid": closure_uid(workshop.uid), "workshop": workshop.uid,
                        "closed_at": when(workshop.closed_at)})
    return records


def unsent(records: Iterable[dict]) -> list[dict]:
    """The records the central site has not acknowledged as they are now."""
    acknowledged = dict(db.session.execute(select(SentRecord.uid, SentRecord.digest)).all())
    return [record for record in records if acknowledged.get(record["uid"]) != digest(record)]


def not_sent_count(room: RoomInstall) -> int:
    return len(unsent(collect(room)))


def mark_sent(records: Iterable[dict]) -> None:
    """The central site acknowledged these records, as they were in the bundle: remember them."""
    now = utcnow()
    for record in records:
        row = db.session.get(SentRecord, record["uid"])
        if row is None:
            db.session.add(SentRecord(uid=record["uid"], kind=record["type"], digest=digest(record), sent_at=now))
        else:
            row.digest, row.sent_at = digest(record), now
    db.session.commit()


# -- bundles -------------------------------------------------------------------------------------

def chunks(records: list[dict], most: int, max_bytes: int) -> Iterator[list[dict]]:
    """The records in order, at most ``most`` and about ``max_bytes`` of JSON in each chunk (a
    single bigger record still goes, alone)."""
    chunk, size = [], 0
    for record in records:
        length = len(vcjwt.compact_json(record))
        if chunk and (len(chunk) >= most or size + length > max_bytes):
            yield chunk
            chunk, size = [], 0
        chunk.append(record)
        size += length
    if chunk:
        yield chunk


def payload(room: RoomInstall, workshop_uid: str, records: list[dict], made_at: datetime | None = None) -> dict:
    return {"format": FORMAT, "kit": room.kit_uid, "workshop": workshop_uid, "bundle": str(uuid.uuid4()),
            "made_at": when(made_at or room_now()), "records": records}


def sign(body: dict, key=None) -> str:
    """The bundle as a compact JWS made with the room's key (``kid``: the kit's uid)."""
    return vcjwt.sign(body, key or keys.room_key(), kid=body["kit"], typ=TYP)
