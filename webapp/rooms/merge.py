"""The merge rules of a room's records with the central site's (and with another room's), as plain
functions: no Flask, no database. Written down in the README ("Workshops without internet", "After:
sending the records home").

- Attempts with their answers, live questions and live answers are facts: kept as graded in the
  room (with their content version), inserted if absent, never changed (``keep_first``).
- Reading progress merges: the earliest start, the latest visit and the place she was then,
  completed (and read) if either says so, at the earliest date (``merge_progress``).
- Attendance marks and memberships are unions: present on a day if either says so, a member if
  either says so; the earliest time counts (``merge_attendance``, ``merge_membership``).

Every rule is idempotent and symmetric in what it keeps: merging a record with itself changes
nothing, and two rooms merge in either order to the same result.
"""
from __future__ import annotations

from datetime import datetime, timedelta

PROGRESS_FIELDS = ("started_at", "completed_at", "read_at", "last_section", "visited_at")


def earliest(*values: datetime | None) -> datetime | None:
    present = [value for value in values if value is not None]
    return min(present) if present else None


def latest(*values: datetime | None) -> datetime | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None


def keep_first(ours: dict | None, theirs: dict) -> dict:
    """An immutable fact: the one already kept wins; a new one is kept as it came."""
    return ours if ours is not None else theirs


def merge_progress(ours: dict, theirs: dict) -> dict:
    """One trainee's reading of one lesson, known in two places. ``ours`` and ``theirs`` hold the
    PROGRESS_FIELDS; the place (last_section) goes with the latest visit (ours on a tie)."""
    if theirs["visited_at"] is not None and (ours["visited_at"] is None or theirs["visited_at"] > ours["visited_at"]):
        section = theirs["last_section"]
    else:
        section = ours["last_section"]
    return {"started_at": earliest(ours["started_at"], theirs["started_at"]),
            "completed_at": earliest(ours["completed_at"], theirs["completed_at"]),
            "read_at": earliest(ours["read_at"], theirs["read_at"]),
            "last_section": section,
            "visited_at": latest(ours["visited_at"], theirs["visited_at"])}


def merge_attendance(ours: dict, theirs: dict) -> dict:
    """Present that day if either says so; the earliest tick counts, with who ticked it."""
    if theirs["marked_at"] < ours["marked_at"]:
        return {"marked_at": theirs["marked_at"], "marked_by": theirs["marked_by"]}
    return {"marked_at": ours["marked_at"], "marked_by": ours["marked_by"]}


def merge_membership(ours: dict, theirs: dict) -> dict:
    """In the workshop if either says so, since the earliest join."""
    return {"joined_at": earliest(ours["joined_at"], theirs["joined_at"])}


def untrusted_date(value: datetime | None, now: datetime, tolerance: timedelta) -> bool:
    """A date later than the central clock (beyond the tolerance): the room's clock was wrong."""
    return value is not None and value > now + tolerance


def trusted(value: datetime | None, now: datetime, tolerance: timedelta) -> datetime | None:
    """The date to keep: a date in the future becomes ``now`` (the time of the sync), so no
    certificate is ever dated after it was earned; any other date is kept as the room gave it."""
    return now if untrusted_date(value, now, tolerance) else value


#: a live question's states, in the only order they move in
LIVE_STATES = ("open", "closed", "revealed")


def merge_live_state(ours: str, theirs: str) -> str:
    """A live question is a fact, but its state only moves forward (closed, then revealed)."""
    rank = {state: n for n, state in enumerate(LIVE_STATES)}
    return theirs if rank.get(theirs, -1) > rank.get(ours, -1) else ours
