"""The merge rules of a room's records (webapp/rooms/merge.py): plain functions, idempotent, and
the same whichever of two rooms arrives first."""
from datetime import datetime, timedelta

from webapp.rooms import merge
from webapp.rooms.bundles import canonical_claim_code, chunks, claim_hash, digest

T = datetime(2026, 3, 24, 9, 0)
H = timedelta(hours=1)


def progress(started, completed=None, read=None, section="", visited=None):
    return {"started_at": started, "completed_at": completed, "read_at": read, "last_section": section,
            "visited_at": visited or started}


def test_progress_keeps_the_earliest_start_the_latest_place_and_completion_if_either():
    home = progress(T, section="intro", visited=T + H)
    room = progress(T + 2 * H, completed=T + 3 * H, read=T + 3 * H, section="elements", visited=T + 4 * H)
    merged = merge.merge_progress(home, room)
    assert merged == {"started_at": T, "completed_at": T + 3 * H, "read_at": T + 3 * H,
                      "last_section": "elements", "visited_at": T + 4 * H}


def test_progress_keeps_the_earliest_completion_date():
    a = progress(T, completed=T + 5 * H)
    b = progress(T, completed=T + 2 * H)
    assert merge.merge_progress(a, b)["completed_at"] == T + 2 * H
    assert merge.merge_progress(b, a)["completed_at"] == T + 2 * H


def test_progress_merge_is_idempotent_and_order_free():
    a = progress(T, read=T + H, section="one", visited=T + H)
    b = progress(T - H, completed=T + 2 * H, section="two", visited=T + 3 * H)
    ab, ba = merge.merge_progress(a, b), merge.merge_progress(b, a)
    assert ab == ba
    assert merge.merge_progress(ab, b) == ab and merge.merge_progress(ab, ab) == ab


def test_a_place_on_a_tie_stays_ours():
    a = progress(T, section="one", visited=T)
    b = progress(T, section="two", visited=T)
    assert merge.merge_progress(a, b)["last_section"] == "one"


def test_attendance_and_membership_keep_the_earliest():
    assert merge.merge_attendance({"marked_at": T + H, "marked_by": 1}, {"marked_at": T, "marked_by": 2}) == \
        {"marked_at": T, "marked_by": 2}
    assert merge.merge_attendance({"marked_at": T, "marked_by": 1}, {"marked_at": T, "marked_by": 2})["marked_by"] == 1
    assert merge.merge_membership({"joined_at": T}, {"joined_at": T - H}) == {"joined_at": T - H}


def test_facts_are_kept_as_they_first_came():
    first, second = {"score": 1.0}, {"score": 0.0}
    assert merge.keep_first(first, second) is first
    assert merge.keep_first(None, second) is second


def test_a_live_question_state_only_moves_forward():
    assert merge.merge_live_state("closed", "revealed") == "revealed"
    assert merge.merge_live_state("revealed", "closed") == "revealed"
    assert merge.merge_live_state("closed", "closed") == "closed"


def test_dates_after_the_central_clock_are_replaced_by_the_sync_time():
    now, tolerance = T, timedelta(minutes=5)
    assert merge.trusted(T + 4 * timedelta(minutes=1), now, tolerance) == T + 4 * timedelta(minutes=1)
    assert merge.trusted(T + timedelta(days=30), now, tolerance) == now
    assert merge.trusted(None, now, tolerance) is None
    assert merge.untrusted_date(T + timedelta(minutes=6), now, tolerance)
    assert not merge.untrusted_date(T - timedelta(days=30), now, tolerance)


def test_claim_codes_are_read_as_typed():
    assert canonical_claim_code("abcd-efgh-jk") == "ABCDEFGHJK"
    assert canonical_claim_code(" ABCD EFGH JK ") == "ABCDEFGHJK"
    assert canonical_claim_code("ABCD-EFGH-J0") is None  # no zero in the alphabet
    assert canonical_claim_code("ABCD") is None and canonical_claim_code(None) is None
    assert claim_hash("ABCDEFGHJK") != claim_hash("ABCDEFGHJM") and len(claim_hash("ABCDEFGHJK")) == 64


def test_a_record_digest_changes_when_the_record_does():
    record = {"uid": "u", "type": "progress", "read_at": None}
    assert digest(record) == digest(dict(reversed(list(record.items()))))
    assert digest(record) != digest(dict(record, read_at="2026-03-24T09:00:00"))


def test_bundles_hold_at_most_n_records_and_about_n_bytes_in_order():
    records = [{"uid": str(n), "pad": "x" * 100} for n in range(7)]
    assert [len(c) for c in chunks(records, 3, 10_000)] == [3, 3, 1]
    assert [len(c) for c in chunks(records, 100, 250)] == [2, 2, 2, 1]
    assert [r["uid"] for c in chunks(records, 3, 10_000) for r in c] == [str(n) for n in range(7)]
    assert [len(c) for c in chunks(records, 3, 10)] == [1] * 7  # a bigger record still goes, alone
