"""Signed-in browsers, kept on the server so that signing out really ends a session.

The session cookie is signed but lives in the browser: without a server-side record, a copy of it
taken before "sign out" would keep working. Each sign-in makes a row; the cookie carries its id; the
user loader accepts a cookie only while its row exists; signing out deletes the row, "sign out
everywhere" deletes all of hers. Rows older than SESSION_MAX_DAYS stop working and are deleted."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, g, request, session
from sqlalchemy import bindparam, delete, select

from ..database import outside_a_transaction
from ..extensions import db, login_manager
from ..input_numbers import whole_number
from ..models import LessonProgress, User, UserSession
from ..models.base import utcnow
from ..progress.services import PRELOADED

KEY = "sid"


def _oldest_allowed():
    return utcnow() - timedelta(days=current_app.config["SESSION_MAX_DAYS"])


def open_for(user: User) -> dict:
    """A new session row for ``user`` (committed); what to put in her session cookie."""
    db.session.execute(delete(UserSession).where(UserSession.created_at < _oldest_allowed()))
    sid = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=sid, user_id=user.id))
    db.session.commit()
    return {KEY: sid}


def start(sender, user, **extra) -> None:
    """On every sign-in: this browser gets a new session (a previous one in this cookie ends)."""
    end_current()
    session.update(open_for(user))


# Built once: building a statement costs about as much as running it on SQLite, on every request.
_LOAD = (select(User, LessonProgress)
         .join(UserSession, UserSession.user_id == User.id)
         .outerjoin(LessonProgress, LessonProgress.user_id == User.id)
         .where(User.id == bindparam("uid"), UserSession.id == bindparam("sid"),
                UserSession.created_at >= bindparam("oldest")))
# Her account alone: for requests that show no reading status (a form sent, a live poll).
_LOAD_ACCOUNT = (select(User).join(UserSession, UserSession.user_id == User.id)
                 .where(User.id == bindparam("uid"), UserSession.id == bindparam("sid"),
                        UserSession.created_at >= bindparam("oldest")))

# GETs that show nothing of her reading: a room of 40 polls the live panel every few seconds, and her
# reading rows (a row object each) would cost that poll as much as its own statements.
WITHOUT_READING = frozenset({"workshops.live_panel"})


def _wants_reading_rows() -> bool:
    # ``progress.services.rows_by_slug`` takes preloaded rows on GET and HEAD only.
    return request.method in ("GET", "HEAD") and request.endpoint not in WITHOUT_READING


def load(uid: int, sid: str | None) -> User | None:
    """The user of this cookie while its session lasts, and her reading rows, in one query: most
    pages she reads show her progress, and on PostgreSQL each query is a round trip to the server.
    The rows are handed to ``progress.services.rows_by_slug`` through ``g`` (``PRELOADED``).
    Requests that cannot use them (``_wants_reading_rows``) read her account alone."""
    if not sid or len(sid) > 64:
        return None
    params = {"uid": uid, "sid": sid, "oldest": _oldest_allowed()}
    with outside_a_transaction():
        if not _wants_reading_rows():
            return db.session.execute(_LOAD_ACCOUNT, params).scalar()
        found = db.session.execute(_LOAD, params).all()
    if not found:
        return None
    user = found[0][0]
    g.setdefault(PRELOADED, {})[user.id] = {row.lesson_slug: row for _, row in found if row is not None}
    return user


def end_current() -> None:
    sid = session.pop(KEY, None)
    if sid:
        db.session.execute(delete(UserSession).where(UserSession.id == sid))
        db.session.commit()


def end_all(user: User) -> None:
    """Every browser where she is signed in, this one included, is signed out."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    user.session_token += 1  # and every cookie made before, whatever it carries
    db.session.commit()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the cookie carries "<user id>:<session token>" and this browser's
    session row id (``KEY``)."""
    uid, _, token = user_id.partition(":")
    uid, token = whole_number(uid), whole_number(token, max_digits=20)
    if uid is None or token is None:
        return None
    user = load(uid, session.get(KEY))
    # An old cookie from before a password change no longer signs anyone in.
    return user if user and user.session_token == token else None
