"""Claim codes: how a trainee who made her account in a room takes its records home.

The room makes a code for each account made there and prints it (the facilitator hands the slips
out at the end of the workshop); only the code's hash travels in the bundle. The account arrives
centrally as a placeholder that cannot sign in. She signs in centrally (or registers) and types the
code: the placeholder's records move to her account by the merge rules (two attempts stay two
attempts; reading progress merges), and the code is used up. Records the room sends later under the
placeholder's uid join her account too (``ingest``).
"""
from __future__ import annotations

from sqlalchemy import select, update

from ..extensions import db
from ..models import (
    Attempt,
    AttendanceMark,
    LessonProgress,
    LiveAnswer,
    RoomAccount,
    User,
    WorkshopMember,
)
from ..models.base import utcnow
from ..models.workshop import parse_workshop_quiz_key
from . import bundles, merge

CLAIMED, MALFORMED, UNKNOWN, USED = "claimed", "malformed", "unknown", "used"


def claim(user: User, typed: str | None) -> tuple[str, RoomAccount | None]:
    """(outcome, room account). Single use, also when two requests race: the account is taken by
    one conditional UPDATE, and only the request that took it moves the records."""
    code = bundles.canonical_claim_code(typed)
    if code is None:
        return MALFORMED, None
    account = db.session.scalar(select(RoomAccount).where(RoomAccount.claim_hash == bundles.claim_hash(code)))
    if account is None:
        return UNKNOWN, None
    if account.claimed_by_id is not None or account.user_id == user.id:
        return USED, account
    taken = db.session.execute(
        update(RoomAccount).where(RoomAccount.id == account.id, RoomAccount.claimed_by_id.is_(None))
        .values(claimed_by_id=user.id, claimed_at=utcnow()))
    if taken.rowcount != 1:
        db.session.rollback()
        return USED, account
    move_records(account.user_id, user.id)
    db.session.commit()
    return CLAIMED, account


def move_records(from_id: int, to_id: int) -> None:
    """Every record of the placeholder becomes hers, merged with what she has (no duplicates)."""
    for member in db.session.scalars(select(WorkshopMember).where(WorkshopMember.user_id == from_id)).all():
        mine = db.session.scalar(select(WorkshopMember).where(
            WorkshopMember.workshop_id == member.workshop_id, WorkshopMember.user_id == to_id))
        if mine is None:
            member.user_id = to_id
        else:
            mine.joined_at = merge.merge_membership({"joined_at": mine.joined_at},
                                                    {"joined_at": member.joined_at})["joined_at"]
            db.session.delete(member)
    for mark in db.session.scalars(select(AttendanceMark).where(AttendanceMark.user_id == from_id)).all():
        mine = db.session.scalar(select(AttendanceMark).where(
            AttendanceMark.workshop_id == mark.workshop_id, AttendanceMark.user_id == to_id,
            AttendanceMark.day == mark.day))
        if mine is None:
            mark.user_id = to_id
        else:
            kept = merge.merge_attendance({"marked_at": mine.marked_at, "marked_by": mine.marked_by_id},
                                          {"marked_at": mark.marked_at, "marked_by": mark.marked_by_id})
            mine.marked_at, mine.marked_by_id = kept["marked_at"], kept["marked_by"]
            db.session.delete(mark)
    for progress in db.session.scalars(select(LessonProgress).where(LessonProgress.user_id == from_id)).all():
        mine = db.session.scalar(select(LessonProgress).where(
            LessonProgress.user_id == to_id, LessonProgress.lesson_slug == progress.lesson_slug))
        if mine is None:
            progress.user_id = to_id
        else:
            kept = merge.merge_progress({name: getattr(mine, name) for name in merge.PROGRESS_FIELDS},
                                        {name: getattr(progress, name) for name in merge.PROGRESS_FIELDS})
            for name, value in kept.items():
                setattr(mine, name, value)
            db.session.delete(progress)
    for answer in db.session.scalars(select(LiveAnswer).where(LiveAnswer.user_id == from_id)).all():
        mine = db.session.scalar(select(LiveAnswer.id).where(
            LiveAnswer.live_question_id == answer.live_question_id, LiveAnswer.user_id == to_id))
        if mine is None:
            answer.user_id = to_id
        else:
            db.session.delete(answer)  # one answer per question and trainee: hers is already kept
    db.session.flush()
    for attempt in db.session.scalars(select(Attempt).where(Attempt.user_id == from_id)).all():
        if attempt.abandoned_at is None and attempt.submitted_at is None:
            attempt.abandoned_at = utcnow()  # never happens with records from a room: only submitted ones come
        elif attempt.abandoned_at is None and parse_workshop_quiz_key(attempt.quiz) is not None and \
                db.session.scalar(select(Attempt.id).where(Attempt.user_id == to_id, Attempt.quiz == attempt.quiz,
                                                           Attempt.abandoned_at.is_(None))) is not None:
            attempt.abandoned_at = utcnow()  # her sitting of this workshop test is kept; this one stays, out of figures
        attempt.user_id = to_id
        db.session.flush()


def codes_for_room(room) -> list[tuple[User, str]]:
    """Room side: (account made in the room, its claim code), for the printed slips."""
    codes = bundles.ensure_claim_codes(room)
    return [(user, bundles.grouped(codes[user.id])) for user in bundles.room_made_users(room) if user.id in codes]
