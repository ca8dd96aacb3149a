"""The learning records, read from the database in a few streaming queries, for the xAPI and CSV
exports: lessons completed, quiz attempts and their outcome, course completions, workshop days
attended. Erased accounts stay in, as the anonymous number they always were."""
from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select

from ..content import catalog
from ..extensions import db
from ..languages import LANGUAGES
from ..models import Attempt, LessonProgress, User
from ..models.certificate import COURSE, Certificate, counted
from ..models.workshop import parse_workshop_quiz_key
from ..spreadsheet import BOM, cell
from . import workshop_facts
from .xapi import Names, Record, statement

BATCH = 1000


def names() -> Names:
    cat = catalog()
    return Names(course=dict(cat.course.get("title") or {"en": "Passerelle"}),
                 lessons={lesson.slug: {lang: lesson.text(lang).title for lang in LANGUAGES}
                          for lesson in cat.lessons},
                 workshops=workshop_facts.titles(), workshop_codes=workshop_facts.codes())


def records(since: datetime | None = None, workshop: str | None = None) -> Iterator[Record]:
    """Every learning record (timed at or after ``since``; of ``workshop``'s members only), streamed."""
    members = workshop_facts.member_ids(workshop) if workshop else None
    who = (User.country, User.profession, User.language)

    def scoped(stmt, user_col, at_col):
        if since is not None:
            stmt = stmt.where(at_col >= since)
        if members is not None:
            stmt = stmt.where(user_col.in_(members))
        return stmt

    lessons = scoped(select(LessonProgress.id, LessonProgress.user_id, LessonProgress.lesson_slug,
                            LessonProgress.completed_at, *who)
                     .join(User, User.id == LessonProgress.user_id)
                     .where(LessonProgress.completed_at.is_not(None)).order_by(LessonProgress.id),
                     LessonProgress.user_id, LessonProgress.completed_at)
    for pid, uid, slug, at, country, profession, lang in _stream(lessons):
        # "lesson-completed", not "lesson": these statements once said "experienced"; a new id keeps
        # a store that holds the old ones from refusing the corrected statement as a conflict.
        yield Record("lesson-completed", str(pid), uid, at, "completed", "lesson", slug, lang, country=country,
                     profession=profession)

    attempts = scoped(select(Attempt.id, Attempt.user_id, Attempt.quiz, Attempt.started_at, Attempt.submitted_at,
                             Attempt.score, Attempt.passed, *who)
                      .join(User, User.id == Attempt.user_id)
                      .where(Attempt.submitted_at.is_not(None), Attempt.abandoned_at.is_(None)).order_by(Attempt.id),
                      Attempt.user_id, Attempt.submitted_at)
    codes = workshop_facts.codes()
    for aid, uid, quiz, started, submitted, score, passed, country, profession, lang in _stream(attempts):
        diagnostic = parse_workshop_quiz_key(quiz)
        common = dict(language=lang, country=country, profession=profession,
                      workshop=codes.get(diagnostic[0], "") if diagnostic else "")
        if since is None or started >= since:  # every statement's timestamp is at or after ``since``
            yield Record("attempt", str(aid), uid, started, "attempted", "quiz", quiz, **common)
        seconds = int((submitted - started).total_seconds())
        if diagnostic:
            # A pre- or post-test measures; nobody passes or fails it: a score, no success.
            yield Record("scored", str(aid), uid, submitted, "scored", "quiz", quiz, score=score, seconds=seconds,
                         **common)
        else:
            yield Record("passed" if passed else "failed", str(aid), uid, submitted, "passed" if passed else "failed",
                         "quiz", quiz, score=score, success=bool(passed), seconds=seconds, **common)

    courses = scoped(select(Certificate.id, Certificate.user_id, Certificate.completed_at, *who)
                     .join(User, User.id == Certificate.user_id)
                     .where(Certificate.scope == COURSE, counted()).order_by(Certificate.id),
                     Certificate.user_id, Certificate.completed_at)
    for cid, uid, at, country, profession, lang in _stream(courses):
        yield Record("course", str(cid), uid, at, "completed", "course", "course", lang, country=country,
                     profession=profession)

    yield from workshop_facts.attendance_records(since=since, workshop=workshop)


def _stream(stmt):
    return db.session.execute(stmt.execution_options(yield_per=BATCH))


def statements(site: str, since: datetime | None = None, workshop: str | None = None) -> Iterator[dict]:
    named = names()
    for record in records(since, workshop):
        yield statement(site, record, named)


CSV_COLUMNS = ("statement_id", "timestamp", "learner", "country", "profession", "verb", "activity_type",
               "activity", "score", "success", "duration_seconds", "workshop")


def csv_rows(site: str, since: datetime | None = None, workshop: str | None = None) -> Iterator[list]:
    """The same records as the xAPI export, one per line: no names, no emails."""
    from .xapi import statement_id, timestamp
    for r in records(since, workshop):
        yield [statement_id(site, r), timestamp(r.at), r.user_id, r.country, r.profession, r.verb, r.object_kind,
               r.object_key, "" if r.score is None else round(r.score, 4),
               "" if r.success is None else str(r.success).lower(), "" if r.seconds is None else r.seconds,
               r.workshop]


def write_csv(out, rows, header) -> None:
    """For other programs as much as for spreadsheets: always comma-separated, UTF-8 with a byte order
    mark, no cell that a spreadsheet would run as a formula (see webapp/spreadsheet.py)."""
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) if isinstance(v, str) else v for v in row])
