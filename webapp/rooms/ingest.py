"""Central side: verify a room's signed bundle and apply its records, in one transaction.

A bundle is refused whole, with nothing written, when it is not a bundle this site could accept:
malformed, signed by an unknown or revoked kit, signed with another key, altered after signing, for
another workshop, or holding a record that cannot be read. It is applied whole otherwise, with the
bundle's uid written in the same transaction as its records: the same bundle sent again is found
and changes nothing. Records are applied by uid with the rules of ``merge.py``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError

from ..content import catalog
from ..content.questions import QUESTION_TYPES
from ..credentials import vcjwt
from ..extensions import db
from ..languages import LANGUAGES
from ..models import (
    Attempt,
    AttemptAnswer,
    AttendanceMark,
    LessonProgress,
    LiveAnswer,
    LiveQuestion,
    ReceivedBundle,
    ReceivedRecord,
    RoomAccount,
    RoomKit,
    User,
    Workshop,
    WorkshopFacilitator,
    WorkshopMember,
)
from ..models.base import utcnow
from ..models.workshop import OPEN, parse_workshop_quiz_key
from ..workshops import services as workshop_services
from ..zones import workshop_today
from . import merge
from .bundles import FORMAT, KINDS, TYP

UNUSABLE_PASSWORD = "!room-account"  # no hash matches it: a placeholder cannot sign in
PLACEHOLDER_DOMAIN = "rooms.invalid"


class Refused(Exception):
    """The bundle is not accepted; nothing was written."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class Outcome:
    bundle: str
    already_received: bool = False
    records: int = 0
    clock_ahead_seconds: int | None = None
    future_dated: int = 0
    users: set[int] = field(default_factory=set)
    #: the workshop this bundle closed (it was open until then): its certificates are to be issued
    closed_workshop: int | None = None


def placeholder_email(uid: str) -> str:
    return f"room-{uid}@{PLACEHOLDER_DOMAIN}"


def receive(text: str) -> Outcome:
    """Verify and apply one bundle (the compact JWS as posted). Raises Refused."""
    kit, body = verify(text)
    bundle_uid = body["bundle"]
    if _received(bundle_uid):
        return Outcome(bundle_uid, already_received=True)
    apply = _Apply(kit, body)
    try:
        apply.run()
        # Counted: the records this laptop had not brought before. A record sent again in a new
        # bundle (the earlier answer was lost, or it changed since) is applied again, not counted again.
        new = _new_records(kit, body["records"])
        db.session.add(ReceivedBundle(uid=bundle_uid, kit_id=kit.id, received_at=apply.now, made_at=apply.made_at,
                                      records=new, clock_ahead_seconds=apply.clock_ahead,
                                      future_dated=apply.future))
        kit.last_synced_at = apply.now
        kit.synced_records = (kit.synced_records or 0) + new
        db.session.commit()
    except Refused:
        db.session.rollback()
        raise
    except IntegrityError as error:
        db.session.rollback()
        if _received(bundle_uid):  # the same bundle, applied meanwhile by another request
            return Outcome(bundle_uid, already_received=True)
        current_app.logger.warning("room bundle %s not applied: %s", bundle_uid, error)
        raise Refused(503, "busy", _("The central site was busy with the same records. Send again in a "
                                     "moment: nothing was lost.")) from error
    except DataError as error:  # a value the database cannot store (a number too big for its column...)
        db.session.rollback()
        raise Refused(400, "bad_record", _("A record in the bundle cannot be read.")) from error
    return Outcome(bundle_uid, records=new, clock_ahead_seconds=apply.clock_ahead,
                   future_dated=apply.future, users=apply.touched, closed_workshop=apply.closed_workshop)


def _new_records(kit: RoomKit, records: list[dict]) -> int:
    """Remember the uids of these records as brought by this kit; how many it had not brought before."""
    uids = sorted({record["uid"] for record in records})
    known = set()
    for start in range(0, len(uids), 500):  # asked 500 at a time: SQLite bounds a query's parameters
        part = uids[start:start + 500]
        known.update(db.session.scalars(select(ReceivedRecord.uid).where(
            ReceivedRecord.kit_id == kit.id, ReceivedRecord.uid.in_(part))))
    fresh = [uid for uid in uids if uid not in known]
    db.session.add_all(ReceivedRecord(kit_id=kit.id, uid=uid) for uid in fresh)
    return len(fresh)


def _received(bundle_uid: str) -> bool:
    return db.session.scalar(select(ReceivedBundle.id).where(ReceivedBundle.uid == bundle_uid)) is not None


def verify(text: str) -> tuple[RoomKit, dict]:
    """The kit that signed the bundle and its payload, or Refused (nothing is read from the payload
    before its signature holds)."""
    try:
        token = vcjwt.read((text or "").strip())
    except vcjwt.Malformed as error:
        raise Refused(400, "malformed", _("This is not a room bundle (it cannot be read).")) from error
    kid = token.header.get("kid")
    if token.header.get("typ") != TYP or not isinstance(kid, str) or len(kid) > 36:
        raise Refused(400, "malformed", _("This is not a room bundle (it cannot be read)."))
    kit = db.session.scalar(select(RoomKit).where(RoomKit.uid == kid))
    if kit is None:
        raise Refused(404, "unknown_kit", _("No room kit of this site signed this bundle."))
    # A kit issued as a one-time link has no key until the link is fetched: nothing it could sign.
    if not kit.public_jwk or not vcjwt.signature_holds(token, json.loads(kit.public_jwk)):
        raise Refused(400, "bad_signature", _("The bundle's signature does not hold: it was altered or not "
                                              "signed by this room kit."))
    if kit.revoked_at is not None:
        raise Refused(403, "revoked", _("This room kit was revoked."))
    body = token.payload
    if "\\u0000" in json.dumps(body):  # no text column of PostgreSQL can keep a NUL character
        raise Refused(400, "bad_record", _("A record in the bundle cannot be read."))
    workshop = db.session.get(Workshop, kit.workshop_id)
    if body.get("format") != FORMAT or body.get("kit") != kit.uid or not isinstance(body.get("records"), list) \
            or not isinstance(body.get("bundle"), str) or not 0 < len(body["bundle"]) <= 36:
        raise Refused(400, "malformed", _("This is not a room bundle (it cannot be read)."))
    if workshop is None or body.get("workshop") != workshop.uid:
        raise Refused(400, "wrong_workshop", _("This bundle is for another workshop than its room kit's."))
    return kit, body


def _bad(record: dict, what: str) -> Refused:
    return Refused(400, "bad_record", _("A record in the bundle cannot be read (%(kind)s %(uid)s: %(what)s).",
                                        kind=str(record.get("type"))[:20], uid=str(record.get("uid"))[:36],
                                        what=what))


def _text(record: dict, name: str, limit: int, default: str = "") -> str:
    value = record.get(name, default)
    if value is None:
        value = default
    if not isinstance(value, str):
        raise _bad(record, name)
    return value[:limit]


def _datetime(record: dict, name: str, required: bool = True) -> datetime | None:
    value = record.get(name)
    if value is None and not required:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise _bad(record, name) from error
    return parsed.replace(tzinfo=None) if parsed.tzinfo is None else (parsed - parsed.utcoffset()).replace(tzinfo=None)


def _number(record: dict, name: str, required: bool = True) -> float | None:
    value = record.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad(record, name)
    try:
        return float(value)
    except OverflowError as error:
        raise _bad(record, name) from error


def _own_row(record: dict, row, belongs: bool):
    """The row a record's uid names, when it is this record's to change (its workshop's, or its
    account's); a uid naming another workshop's or another person's row is refused whole: a kit
    changes nothing outside what it speaks for."""
    if row is not None and not belongs:
        raise _bad(record, "uid")
    return row


class _Apply:
    def __init__(self, kit: RoomKit, body: dict):
        self.kit, self.body = kit, body
        self.workshop = db.session.get(Workshop, kit.workshop_id)
        self.now = utcnow()
        self.tolerance = timedelta(seconds=current_app.config["ROOM_CLOCK_TOLERANCE_SECONDS"])
        self.made_at = _datetime(body, "made_at")
        ahead = (self.made_at - self.now).total_seconds()
        self.clock_ahead = int(ahead) if ahead > self.tolerance.total_seconds() else None
        self.future = 0
        self.touched: set[int] = set()
        self.users: dict[str, User | None] = {}
        self.closed_workshop: int | None = None

    def run(self) -> None:
        order = {kind: n for n, kind in enumerate(KINDS)}
        records = self.body["records"]
        for record in records:
            if not isinstance(record, dict) or record.get("type") not in order \
                    or not isinstance(record.get("uid"), str) or not 0 < len(record["uid"]) <= 36:
                raise Refused(400, "bad_record", _("A record in the bundle cannot be read."))
        for record in sorted(records, key=lambda r: order[r["type"]]):
            getattr(self, f"_{record['type']}")(record)
            db.session.flush()

    # -- helpers --
    def when(self, record: dict, name: str, required: bool = True, in_room: bool = True) -> datetime | None:
        """A date from the room; one later than the central clock is replaced by the sync's time.
        ``in_room``: a date of something done in the room, which cannot be earlier than its kit: one
        before the kit was issued (a laptop clock reset to 2000, or a date forged to backdate a
        certificate) becomes the kit's issue time, the earliest it can be."""
        value = _datetime(record, name, required)
        if merge.untrusted_date(value, self.now, self.tolerance):
            self.future += 1
        if in_room and value is not None and value < self.kit.issued_at - self.tolerance:
            current_app.logger.warning("room kit %s: %s dated before the kit was issued, dated at its issue",
                                       self.kit.uid, name)
            return self.kit.issued_at
        return merge.trusted(value, self.now, self.tolerance)

    def user(self, record: dict, name: str = "user", required: bool = True) -> User | None:
        """The account a record refers to, by uid: a claimed room account's records join its owner.
        None for an account the kit does not speak for (see ``speaks_for``): the caller leaves the
        record out."""
        uid = record.get(name)
        if uid is None and not required:
            return None
        if not isinstance(uid, str):
            raise _bad(record, name)
        if uid not in self.users:
            user = db.session.scalar(select(User).where(User.uid == uid))
            if user is None:
                if not required:
                    return None
                raise _bad(record, _("an account the bundle does not bring"))
            if not self.speaks_for(user):
                current_app.logger.warning("room kit %s: a record for an account outside its workshop, left out",
                                           self.kit.uid)
                self.users[uid] = None
            else:
                claimed = db.session.scalar(select(RoomAccount.claimed_by_id).where(RoomAccount.user_id == user.id))
                self.users[uid] = db.session.get(User, claimed) if claimed is not None else user
        if self.users[uid] is None:
            return None
        self.touched.add(self.users[uid].id)
        return self.users[uid]

    def speaks_for(self, user: User) -> bool:
        """Whether the kit's records may name this account: one made in its room (a placeholder it
        brought), or one of its workshop's people now (owner, co-facilitator, member). Any other
        account, even one whose uid an older kit carried, is not the room's to write for: a membership
        forged for her would let this workshop's facilitators hand over a reset link to her account,
        and an attempt would earn her a certificate."""
        workshop_id = self.workshop.id
        return user.id == self.workshop.owner_id or any(db.session.scalar(query) is not None for query in (
            select(RoomAccount.id).where(RoomAccount.user_id == user.id, RoomAccount.kit_id == self.kit.id),
            select(WorkshopMember.id).where(WorkshopMember.workshop_id == workshop_id,
                                            WorkshopMember.user_id == user.id),
            select(WorkshopFacilitator.user_id).where(WorkshopFacilitator.workshop_id == workshop_id,
                                                      WorkshopFacilitator.user_id == user.id)))

    def own_workshop(self, record: dict) -> None:
        if record.get("workshop") != self.workshop.uid:
            raise Refused(400, "wrong_workshop", _("This bundle is for another workshop than its room kit's."))

    # -- each kind --
    def _account(self, record: dict) -> None:
        user = db.session.scalar(select(User).where(User.uid == record["uid"]))
        claim = record.get("claim")
        if claim is not None and (not isinstance(claim, str) or len(claim) != 64):
            raise _bad(record, "claim")
        if user is not None:  # a kit member (her central account, never changed from a room) or known
            account = db.session.scalar(select(RoomAccount).where(RoomAccount.user_id == user.id,
                                                                  RoomAccount.kit_id == self.kit.id))
            if account is not None and account.claim_hash is None and claim:
                account.claim_hash = claim
            return
        language = _text(record, "language", 5, "fr")
        user = User(uid=record["uid"], email=placeholder_email(record["uid"]), name=_text(record, "name", 120) or "—",
                    password_hash=UNUSABLE_PASSWORD, organisation=_text(record, "organisation", 160),
                    country=_text(record, "country", 2), profession=_text(record, "profession", 32, "other"),
                    language=language if language in LANGUAGES else "fr", role="trainee",
                    created_at=self.when(record, "created_at", in_room=False))
        db.session.add(user)
        db.session.flush()
        db.session.add(RoomAccount(user_id=user.id, kit_id=self.kit.id, workshop_id=self.workshop.id,
                                   typed_email=_text(record, "email", 254), claim_hash=claim))

    def _membership(self, record: dict) -> None:
        self.own_workshop(record)
        user = self.user(record)
        if user is None:
            return
        joined = self.when(record, "joined_at", in_room=False)  # a kit member joined on this site
        row = db.session.scalar(select(WorkshopMember).where(WorkshopMember.uid == record["uid"]))
        row = _own_row(record, row, row is not None and row.workshop_id == self.workshop.id) or \
            db.session.scalar(select(WorkshopMember).where(WorkshopMember.workshop_id == self.workshop.id,
                                                           WorkshopMember.user_id == user.id))
        if row is None:
            db.session.add(WorkshopMember(uid=record["uid"], workshop_id=self.workshop.id, user_id=user.id,
                                          joined_at=joined))
        else:
            row.joined_at = merge.merge_membership({"joined_at": row.joined_at}, {"joined_at": joined})["joined_at"]

    def _attendance(self, record: dict) -> None:
        self.own_workshop(record)
        user = self.user(record)
        if user is None:
            return
        try:
            day = date.fromisoformat(record.get("day"))
        except (TypeError, ValueError) as error:
            raise _bad(record, "day") from error
        by = self.user(record, "marked_by", required=False)
        theirs = {"marked_at": self.when(record, "marked_at"), "marked_by": by.id if by else None}
        row = db.session.scalar(select(AttendanceMark).where(AttendanceMark.uid == record["uid"]))
        row = _own_row(record, row, row is not None and row.workshop_id == self.workshop.id) or \
            db.session.scalar(select(AttendanceMark).where(AttendanceMark.workshop_id == self.workshop.id,
                                                           AttendanceMark.user_id == user.id,
                                                           AttendanceMark.day == day))
        if row is None:
            db.session.add(AttendanceMark(uid=record["uid"], workshop_id=self.workshop.id, user_id=user.id, day=day,
                                          marked_at=theirs["marked_at"], marked_by_id=theirs["marked_by"]))
        else:
            kept = merge.merge_attendance({"marked_at": row.marked_at, "marked_by": row.marked_by_id}, theirs)
            row.marked_at, row.marked_by_id = kept["marked_at"], kept["marked_by"]

    def _progress(self, record: dict) -> None:
        user = self.user(record)
        if user is None:
            return
        slug = _text(record, "lesson", 80)
        if not slug:
            raise _bad(record, "lesson")
        theirs = {"started_at": self.when(record, "started_at"),
                  "completed_at": self.when(record, "completed_at", required=False),
                  "read_at": self.when(record, "read_at", required=False),
                  "last_section": _text(record, "last_section", 80),
                  "visited_at": self.when(record, "visited_at")}
        row = db.session.scalar(select(LessonProgress).where(LessonProgress.uid == record["uid"]))
        row = _own_row(record, row, row is not None and row.user_id == user.id) or \
            db.session.scalar(select(LessonProgress).where(LessonProgress.user_id == user.id,
                                                           LessonProgress.lesson_slug == slug))
        if row is None:
            db.session.add(LessonProgress(uid=record["uid"], user_id=user.id, lesson_slug=slug, **theirs))
            return
        kept = merge.merge_progress({name: getattr(row, name) for name in merge.PROGRESS_FIELDS}, theirs)
        for name, value in kept.items():
            setattr(row, name, value)

    def _attempt(self, record: dict) -> None:
        if db.session.scalar(select(Attempt.id).where(Attempt.uid == record["uid"])) is not None:
            return  # a fact already kept: never changed
        user = self.user(record)
        if user is None:
            return
        quiz = _text(record, "quiz", 80)
        sitting = parse_workshop_quiz_key(quiz)
        if not quiz or (quiz.startswith("workshop-") and (sitting is None or sitting[0] != self.workshop.id)):
            raise _bad(record, "quiz")
        answers = record.get("answers")
        layout = record.get("layout")
        if not isinstance(answers, list) or not isinstance(layout, list) or not isinstance(record.get("passed"), bool | None):
            raise _bad(record, "answers")
        attempt = Attempt(uid=record["uid"], user_id=user.id, quiz=quiz,
                          content_version=_text(record, "content_version", 40), pass_mark=_number(record, "pass_mark"),
                          layout=layout, started_at=self.when(record, "started_at"),
                          submitted_at=self.when(record, "submitted_at"), score=_number(record, "score", False),
                          passed=record.get("passed"), paper_version=_text(record, "paper_version", 8) or None,
                          room_kit_id=self.kit.id)
        if sitting is not None and _has_sitting(user.id, quiz):
            # one sitting of a workshop test counts: a second one (two rooms) is kept, out of the figures
            attempt.abandoned_at = self.now
        for answer in answers:
            if not isinstance(answer, dict) or not isinstance(answer.get("position"), int) \
                    or not 0 <= answer["position"] < 10_000:
                raise _bad(record, "answers")
            attempt.answers.append(AttemptAnswer(position=answer["position"],
                                                 question_id=_text(answer, "question_id", 80),
                                                 answer=answer.get("answer"), credit=_number(answer, "credit"),
                                                 graded_key=answer.get("graded_key")))
        db.session.add(attempt)

    def _live_question(self, record: dict) -> None:
        self.own_workshop(record)
        state = _text(record, "state", 10)
        if state not in merge.LIVE_STATES or state == OPEN:
            raise _bad(record, "state")
        row = db.session.scalar(select(LiveQuestion).where(LiveQuestion.uid == record["uid"]))
        if _own_row(record, row, row is not None and row.workshop_id == self.workshop.id) is not None:
            row.state = merge.merge_live_state(row.state, state)
            return
        own, layout = record.get("own"), record.get("layout")
        if not isinstance(own, dict | None) or not isinstance(layout, dict):
            raise _bad(record, "own")
        db.session.add(LiveQuestion(uid=record["uid"], workshop_id=self.workshop.id,
                                    question_id=_text(record, "question_id", 80), own=own, layout=layout, state=state,
                                    opened_at=self.when(record, "opened_at"),
                                    closed_at=self.when(record, "closed_at", required=False)))

    def _live_answer(self, record: dict) -> None:
        if db.session.scalar(select(LiveAnswer.id).where(LiveAnswer.uid == record["uid"])) is not None:
            return
        question = db.session.scalar(select(LiveQuestion).where(
            LiveQuestion.uid == record.get("question"), LiveQuestion.workshop_id == self.workshop.id))
        if question is None:
            raise _bad(record, "question")
        user = self.user(record)
        if user is None:
            return
        if db.session.scalar(select(LiveAnswer.id).where(LiveAnswer.live_question_id == question.id,
                                                         LiveAnswer.user_id == user.id)) is not None:
            return  # her answer to this question is already kept (a claimed account answered twice)
        content = question.question_in(catalog())
        if content is not None and not QUESTION_TYPES[content["type"]].is_offered(
                content, question.layout, record.get("answer")):
            # A value no option offers, which a room running code from before December 2026 kept
            # as an answer: not one here (the room's other records still arrive).
            current_app.logger.warning("room record %s: a live answer that is no option, left out", record["uid"])
            return
        db.session.add(LiveAnswer(uid=record["uid"], live_question_id=question.id, user_id=user.id,
                                  answer=record.get("answer"), credit=_number(record, "credit"),
                                  answered_at=self.when(record, "answered_at")))

    def _closure(self, record: dict) -> None:
        """The facilitator closed the workshop in the room: it is closed here too (the first closure,
        here or in any room, stands). Accepted, like attendance, only for the kit's own workshop."""
        self.own_workshop(record)
        closed_at = self.when(record, "closed_at")
        if workshop_today(self.workshop) < self.workshop.end_date:
            # Not before its last day, as on this site: only a laptop whose clock was wrong closes
            # earlier, and the workshop is then over after its last day all the same.
            return
        if workshop_services.mark_closed(self.workshop, closed_at):
            self.closed_workshop = self.workshop.id


def _has_sitting(user_id: int, quiz: str) -> bool:
    return db.session.scalar(select(Attempt.id).where(
        Attempt.user_id == user_id, Attempt.quiz == quiz, Attempt.abandoned_at.is_(None))) is not None
