"""What the records need to know about workshops (issue 5's models): kept in one place so that the
rest of the records code does not depend on how workshops are stored."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

#: Workshop tables that ``export`` covers field by field (the others are exported as they are).
EXPORTED: set = set()


class UnknownWorkshop(LookupError):
    pass


def completed_workshops(user_id: int, course_done_at: datetime) -> list[tuple[int, datetime]]:
    """(workshop id, completed at) for each workshop this trainee has completed."""
    return []


def titles() -> dict:
    """code -> (title, language) of every workshop."""
    return {}


def member_ids(code: str):
    """A selectable of the user ids of the workshop's trainees; UnknownWorkshop if there is none."""
    raise UnknownWorkshop(code)


def attendance_records(since: datetime | None = None, workshop: str | None = None) -> Iterator:
    return iter(())


def export(user_id: int) -> list:
    return []


def describe(workshop_id: int, lang: str) -> str:
    """The workshop as a certificate names it: title, city, country and dates."""
    return ""


def report(start, end) -> list:
    """One row per workshop held over the range: trainees, course and workshop completions."""
    return []


def for_trainee(user_id: int) -> list:
    """The workshops this trainee belongs to, each with its days and the days she attended."""
    return []
