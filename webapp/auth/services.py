"""Accounts: registration, sign-in with throttling, password changes. No HTTP here."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import LoginAttempt, SentEmail, User
from ..models.base import utcnow
from . import tokens

# Checked against when the email is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0")


class EmailTaken(Exception):
    pass


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def register(*, name, email, password, organisation="", country="", profession="other",
             language="fr", role="trainee", password_hash=None) -> User:
    """Create an account; raise EmailTaken (and save nothing) if the email is registered.
    ``password_hash`` instead of ``password``: a registration confirmed by email, hashed when sent."""
    password_hash = password_hash or generate_password_hash(password)
    user = User(name=name.strip(), email=normalise_email(email), password_hash=password_hash,
                organisation=(organisation or "").strip(), country=country or "", profession=profession,
                language=language, role=role)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # the unique email, also when two registrations race
        db.session.rollback()
        raise EmailTaken(email) from None
    return user


def throttled(email: str, address: str, *, max_attempts: int, max_per_address: int, window_seconds: int) -> bool:
    """True when this account has failed ``max_attempts`` times recently, or this address
    ``max_per_address`` times (higher: a workshop room, or a carrier's NAT, shares one address)."""
    since = utcnow() - timedelta(seconds=window_seconds)
    limits = {f"account:{normalise_email(email)}": max_attempts, f"address:{address}": max_per_address}
    counts = db.session.execute(
        select(LoginAttempt.key, func.count()).where(LoginAttempt.key.in_(limits), LoginAttempt.at >= since)
        .group_by(LoginAttempt.key)).all()
    return any(count >= limits[key] for key, count in counts)


def record_failure(*keys: str, window_seconds: int) -> None:
    """Count a failure against each key, and delete every failure older than the window (an index on
    ``at`` keeps this cheap), so that the table holds one window's worth of rows."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - timedelta(seconds=window_seconds)))
    db.session.add_all([LoginAttempt(key=key) for key in keys])
    db.session.commit()


def authenticate(email: str, password: str, address: str, *, window_seconds: int) -> User | None:
    """The user if the password is right; otherwise record the failure and return None."""
    user = find_user(email)
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    if user and ok:
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.key == f"account:{user.email}"))
        db.session.commit()
        return user
    record_failure(f"account:{normalise_email(email)}", f"address:{address}", window_seconds=window_seconds)
    return None


def set_password(user: User, password: str) -> None:
    """Her new password; her other sessions and her unused reset links stop working."""
    user.password_hash = generate_password_hash(password)
    user.session_token += 1  # signs out every other session of this user
    tokens.cancel_resets(user)  # a link sent before the change must not undo it
    db.session.commit()


def check_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password or "")


def may_email(email: str, *, per_hour: int) -> bool:
    """Whether another registration email may go to this address (fewer than ``per_hour`` in the last
    hour); if so, it is counted. Rows older than an hour are deleted on the way."""
    recipient = hashlib.sha256(normalise_email(email).encode("utf-8", "surrogatepass")).hexdigest()
    since = utcnow() - timedelta(hours=1)
    sent = db.session.scalar(select(func.count()).select_from(SentEmail).where(
        SentEmail.recipient == recipient, SentEmail.at >= since))
    if sent >= per_hour:
        return False
    db.session.execute(delete(SentEmail).where(SentEmail.at < since))
    db.session.add(SentEmail(recipient=recipient))
    db.session.commit()
    return True


def too_many_failures_message() -> str:
    from flask_babel import gettext as _
    return _("Too many failed attempts. Wait %(minutes)d minutes, then try again.",
             minutes=max(1, current_app.config["LOGIN_WINDOW_SECONDS"] // 60))


def current_password_error(user: User, password: str, wrong: str) -> str | None:
    """None when ``password`` is the signed-in user's; otherwise what to tell her: ``wrong``, or, once
    her account has failed too often (sign-ins and these checks count together), to wait. Without this
    a stolen session could guess her password here, where sign-in throttling does not look."""
    cfg = current_app.config
    key = f"account:{normalise_email(user.email)}"
    since = utcnow() - timedelta(seconds=cfg["LOGIN_WINDOW_SECONDS"])
    failures = db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.key == key, LoginAttempt.at >= since))
    if failures >= cfg["LOGIN_MAX_ATTEMPTS"]:
        return too_many_failures_message()  # not even checked
    if check_password(user, password):
        return None
    record_failure(key, window_seconds=cfg["LOGIN_WINDOW_SECONDS"])
    return wrong
