"""A trainee's own records: what "My records" shows and what "download my data" contains."""
from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from ..certificates.numbers import display
from ..extensions import db
from ..models import Attempt, LessonProgress, LoginAttempt, User
from ..models.attempt import FINAL
from ..models.certificate import Certificate
from ..models.workshop import parse_workshop_quiz_key
from . import workshop_facts

#: Tables exported field by field below; any other table that points at a user is exported as is,
#: so a table added later is never left out of "all my data".
EXPORTED = {"user", "lesson_progress", "attempt", "attempt_answer", "certificate", "login_attempt"}


def iso(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + ("Z" if value.tzinfo is None else "")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def lessons(user_id: int) -> dict[str, LessonProgress]:
    return {row.lesson_slug: row for row in db.session.scalars(
        select(LessonProgress).where(LessonProgress.user_id == user_id))}


SHOWN_ATTEMPTS = 50


def attempts(user_id: int, limit: int | None = None) -> list[Attempt]:
    """Her submitted attempts, newest first (the ``limit`` newest: a page on a phone stays short;
    the data download has them all)."""
    query = (select(Attempt).where(Attempt.user_id == user_id, Attempt.submitted_at.is_not(None))
             .order_by(Attempt.submitted_at.desc(), Attempt.id.desc()))
    return list(db.session.scalars(query if limit is None else query.limit(limit)))


def attempt_count(user_id: int) -> int:
    return db.session.scalar(select(func.count(Attempt.id)).where(
        Attempt.user_id == user_id, Attempt.submitted_at.is_not(None))) or 0


def certificates(user_id: int) -> list[Certificate]:
    return list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == user_id).order_by(Certificate.completed_at)))


def export(user: User) -> dict:
    """Everything the database holds about ``user``, as JSON-ready data."""
    codes = workshop_facts.codes()
    data = {
        "account": {key: iso(getattr(user, key)) for key in (
            "name", "email", "organisation", "country", "profession", "language", "role", "created_at")},
        "lessons": [{"lesson": row.lesson_slug, "started_at": iso(row.started_at),
                     "completed_at": iso(row.completed_at), "last_section": row.last_section,
                     "last_visit": iso(row.visited_at)}
                    for row in sorted(lessons(user.id).values(), key=lambda r: r.started_at)],
        "quiz_attempts": [_attempt(a, codes) for a in db.session.scalars(
            select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.started_at))],
        # The number as her certificate and its verification page show it (ABCD-EFGH-JKMN-PQRS).
        "certificates": [{"number": display(c.number), "scope": c.scope, "workshop_id": c.workshop_id,
                          "holder_name": c.holder_name, "completed_at": iso(c.completed_at),
                          "completed_on": iso(c.completed_on), "content_version": c.content_version,
                          "issued_at": iso(c.issued_at), "revoked_at": iso(c.revoked_at)}
                         for c in certificates(user.id)],
        "workshops": workshop_facts.export(user.id),
        "failed_sign_ins": [iso(at) for at in db.session.scalars(
            select(LoginAttempt.at).where(LoginAttempt.key == f"account:{user.email}").order_by(LoginAttempt.at))],
    }
    data["other"] = _other_tables(user.id, skip=EXPORTED | workshop_facts.EXPORTED)
    return data


def _attempt(a: Attempt, codes: dict) -> dict:
    out = {"quiz": a.quiz, "started_at": iso(a.started_at), "submitted_at": iso(a.submitted_at), "score": a.score}
    if (test := parse_workshop_quiz_key(a.quiz)) is not None:
        # A pre- or post-test is diagnostic: a score, never "passed" or "failed".
        out.update(kind=f"{test[1]}-test", workshop=codes.get(test[0], ""))
    else:
        out.update(kind="final" if a.quiz == FINAL else "lesson-quiz", passed=a.passed, pass_mark=a.pass_mark)
    # Which answers of a final not yet passed were wrong would be a key to the next attempt.
    hide = a.quiz == FINAL and not a.passed
    out.update(content_version=a.content_version,
               answers=[{"question": row.question_id, "answer": row.answer}
                        | ({} if hide else {"credit": row.credit}) for row in a.answers])
    return out


def user_columns(table) -> list:
    """The columns of ``table`` that point at a user."""
    return [col for col in table.columns for fk in col.foreign_keys if fk.column.table.name == "user"]


#: Columns that are a secret, not data about her: a signed-in session's id is what her session cookie
#: carries, and a copy of the download (on a shared computer, sent to someone) must not hold it.
SECRETS = {"user_session": {"id"}}


def _other_tables(user_id: int, skip: set) -> dict:
    out = {}
    for table in db.metadata.sorted_tables:
        if table.name in skip:
            continue
        cols = user_columns(table)
        if not cols:
            continue
        rows = db.session.execute(select(table).where(db.or_(*(col == user_id for col in cols)))).mappings()
        hidden = SECRETS.get(table.name, set())
        found = [{key: iso(value) for key, value in row.items() if key not in hidden} for row in rows]
        if found:
            out[table.name] = found
    return out
