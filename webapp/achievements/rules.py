"""Completion rules as plain functions: no Flask, no database. Callers pass the facts in.

Course completion: every lesson of the course completed and the final assessment passed.
Workshop completion: course completion plus the workshop's attendance threshold (by default,
every day of the workshop attended).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time


def course_completed_at(lesson_slugs: Iterable[str], lessons_done: Mapping[str, datetime | None],
                        final_passes: Iterable[datetime]) -> datetime | None:
    """When the course was completed, or None if it is not (yet).

    ``lessons_done`` maps a lesson slug to the time it was completed (None or absent: not completed);
    ``final_passes`` are the submission times of passed final assessments. Completion happens at the
    later of the last lesson completed and the first final assessment passed."""
    slugs = list(lesson_slugs)
    passes = [at for at in final_passes if at is not None]
    if not slugs or not passes or lessons_missing(slugs, lessons_done):
        return None
    return max(max(lessons_done[slug] for slug in slugs), min(passes))


def lessons_missing(lesson_slugs: Iterable[str], lessons_done: Mapping[str, datetime | None]) -> list[str]:
    """The lessons not completed yet, in course order: what a passed final still waits for before the
    course is completed (a lesson is completed by passing its quiz)."""
    return [slug for slug in lesson_slugs if lessons_done.get(slug) is None]


def attendance_threshold(days: int, threshold: int | None) -> int:
    """The number of days a trainee must attend: the facilitator's threshold, else every day.
    A threshold outside 1..days is brought back into that range."""
    if days <= 0:
        return 0
    if threshold is None:
        return days
    return min(max(int(threshold), 1), days)


def workshop_completed_at(course_done_at: datetime | None, workshop_days: Iterable[date],
                          attended: Iterable[date], threshold: int | None = None,
                          marked_at: Mapping[date, datetime] | None = None) -> datetime | None:
    """When the workshop was completed, or None: the course is completed and she attended at least
    the threshold of the workshop's days (days outside the workshop do not count).

    Completion happens on the day it became true: the latest of the course completion, the day that
    met the threshold (the needed-th day attended, from its start, UTC; not the moment a facilitator
    ticked it) and the workshop's last day. ``marked_at`` (day -> when it was ticked) only keeps a day ticked ahead
    of time from dating a completion in the future."""
    if course_done_at is None:
        return None
    days = set(workshop_days)
    present = sorted(days & set(attended))
    needed = attendance_threshold(len(days), threshold)
    if len(present) < needed:
        return None
    # A workshop certificate is never dated before the workshop's last day: it certifies the workshop.
    last_day = datetime.combine(max(days), time.min) if days else course_done_at
    if not needed:
        return max(course_done_at, last_day)
    day = present[needed - 1]
    met = datetime.combine(day, time.min)
    if marked_at and day in marked_at:
        met = min(met, marked_at[day])
    return max(course_done_at, met, last_day)
