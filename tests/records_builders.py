"""Builders for completion records: lessons completed and final assessments, written directly."""
from __future__ import annotations

from datetime import datetime, timedelta

from webapp.content import catalog
from webapp.extensions import db
from webapp.models import Attempt, LessonProgress
from webapp.models.attempt import FINAL


def complete_lessons(user, at: datetime | None = None, slugs=None):
    at = at or datetime(2026, 3, 10, 9, 0)
    for n, slug in enumerate(slugs or [lesson.slug for lesson in catalog().lessons]):
        db.session.add(LessonProgress(user_id=user.id, lesson_slug=slug, started_at=at - timedelta(hours=1),
                                      completed_at=at + timedelta(minutes=n), visited_at=at))
    db.session.commit()


def take_quiz(user, at: datetime | None = None, *, quiz=FINAL, score=0.9, pass_mark=0.8) -> Attempt:
    at = at or datetime(2026, 3, 10, 10, 0)
    attempt = Attempt(user_id=user.id, quiz=quiz, content_version="test", pass_mark=pass_mark, layout=[],
                      started_at=at - timedelta(minutes=12), submitted_at=at, score=score,
                      passed=score >= pass_mark)
    db.session.add(attempt)
    db.session.commit()
    return attempt


def complete_course(user, at: datetime | None = None):
    """Every lesson, then a passed final assessment at ``at``: the course is completed at ``at``."""
    at = at or datetime(2026, 3, 10, 10, 0)
    complete_lessons(user, at - timedelta(hours=2))
    return take_quiz(user, at)
