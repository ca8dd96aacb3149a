"""Slowing password guesses without locking people out. No HTTP here but the device cookie's value.

Every password check is counted before the password is looked at (a row in ``login_attempt``), so
that parallel requests on several workers cannot check more passwords than the rule allows. A key
(an account, a client address, or a trusted browser) gets a few free failures in the window; after
that, each further attempt must wait after the previous failure, a wait that doubles with each
failure up to a cap. An attempt that comes too early is refused without checking the password and
without counting, and a correct password after the wait works: guesses are slowed, nobody is locked.

A browser where she signed in before carries a signed *device cookie* for her account (OWASP's
"device cookies"). It exempts her from the account's and the address's counters, which an attacker
elsewhere, or a whole room behind one address, fills: only that browser's own failures count for it.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select, text

from ..extensions import db
from ..models import LoginAttempt
from ..models.base import utcnow

DEVICE_COOKIE = "passerelle_device"
DEVICE_DAYS = 365


@dataclass(frozen=True)
class Rule:
    free: int  # failures allowed in the window before any wait
    first_wait: int  # seconds, after the first failure past the free ones; doubles each time
    cap: int  # longest wait, in seconds


@dataclass
class Verdict:
    wait: int = 0  # seconds to wait; 0: go ahead and check the password
    row_ids: list[int] = field(default_factory=list)


def rules() -> dict[str, Rule]:
    cfg = current_app.config
    return {
        "account": Rule(cfg["LOGIN_MAX_ATTEMPTS"], cfg["LOGIN_FIRST_WAIT_SECONDS"], cfg["LOGIN_MAX_WAIT_SECONDS"]),
        "device": Rule(cfg["LOGIN_MAX_ATTEMPTS"], cfg["LOGIN_FIRST_WAIT_SECONDS"], cfg["LOGIN_MAX_WAIT_SECONDS"]),
        "address": Rule(cfg["LOGIN_MAX_ATTEMPTS_PER_ADDRESS"], cfg["LOGIN_ADDRESS_FIRST_WAIT_SECONDS"],
                        cfg["LOGIN_ADDRESS_MAX_WAIT_SECONDS"]),
    }


def wait_after(failures: int, rule: Rule) -> int:
    """Seconds to wait after the last failure when ``failures`` are already counted."""
    if failures < rule.free:
        return 0
    return min(rule.first_wait * 2 ** min(failures - rule.free, 20), rule.cap)


def _lock(keys) -> None:
    """On PostgreSQL, one attempt per key at a time until commit (SQLite's single writer already
    serialises the insert, the count and the commit)."""
    if db.session.get_bind().dialect.name == "postgresql":
        for key in sorted(set(keys)):
            db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def _count_in(keys: list[str]) -> tuple:
    """One new row per key (flushed, not committed: the caller commits), each with the times of the
    rows counted before it in the window; and the moment they were counted at."""
    now = utcnow()
    since = now - timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    _lock(keys)
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < since))
    mine = [LoginAttempt(key=key, at=now) for key in keys]
    db.session.add_all(mine)
    db.session.flush()
    return now, [(row, db.session.scalars(
        select(LoginAttempt.at).where(LoginAttempt.key == row.key, LoginAttempt.at >= since, LoginAttempt.id < row.id)
        .order_by(LoginAttempt.id)).all()) for row in mine]


def claim(keys: list[str]) -> Verdict:
    """Count one attempt against each key, then decide with this attempt in its place after the
    others (in one transaction per attempt, so that parallel requests on other workers or servers
    are counted in order). A refused attempt is taken back: waiting out the delay is enough, nothing
    grows while she waits."""
    by_kind, wait = rules(), 0
    now, counted = _count_in(keys)
    for row, before in counted:
        needed = wait_after(len(before), by_kind[row.key.split(":", 1)[0]])
        if needed and before:
            remaining = (max(before) + timedelta(seconds=needed) - now).total_seconds()
            wait = max(wait, int(remaining + 0.999))
    ids = [row.id for row, _ in counted]
    if wait > 0:
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.id.in_(ids)))
    db.session.commit()
    return Verdict(wait=wait) if wait > 0 else Verdict(row_ids=ids)


def claim_slot(key: str, limit: int) -> int | None:
    """Count one use of ``key``: its row id while it is among the first ``limit`` in the window (give
    it back with ``forget`` if the use does not happen); None past the limit (nothing counted)."""
    _, [(row, before)] = _count_in([key])
    row_id, allowed = row.id, len(before) < limit
    if not allowed:
        db.session.delete(row)
    db.session.commit()
    return row_id if allowed else None


def forget(row_ids: list[int]) -> None:
    """Take counted attempts back (a refused one, or a check that succeeded)."""
    if row_ids:
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.id.in_(row_ids)))
        db.session.commit()


def clear(*keys: str) -> None:
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.key.in_(keys)))
    db.session.commit()


# --- the device cookie ---------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="passerelle-device")


def _account_hash(email: str) -> str:
    return hashlib.sha256(email.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def new_device_cookie(email: str) -> str:
    return _serializer().dumps({"a": _account_hash(email), "d": secrets.token_urlsafe(16)})


def trusted_device(cookie: str | None, email: str) -> str | None:
    """The browser's id when its cookie was issued for this account (signed, not too old); else None."""
    if not cookie or len(cookie) > 400:
        return None
    try:
        data = _serializer().loads(cookie, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != _account_hash(email) or not isinstance(data.get("d"), str):
        return None
    return data["d"]
