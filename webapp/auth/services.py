"""Accounts: registration, sign-in with throttling, password changes. No HTTP here."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash

from ..extensions import db
from ..models import SentEmail, User
from ..models.base import utcnow
from . import throttle, tokens
from .passwords import dummy_hash, hash_password


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
    password_hash = password_hash or hash_password(password)
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


def sign_in_keys(email: str, address: str, device: str | None) -> list[str]:
    """What an attempt counts against: a browser she signed in from before counts for itself alone;
    any other, against the account and the client address."""
    if device:
        return [f"device:{device}"]
    return [f"account:{normalise_email(email)}", f"address:{address}"]


def authenticate(email: str, password: str, address: str, device: str | None = None) -> User | None | int:
    """The user if the password is right; None if not (the failure stays counted); or, when the
    attempt comes before its wait is over, that wait in seconds (the password is not checked)."""
    verdict = throttle.claim(sign_in_keys(email, address, device))
    if verdict.wait:
        return verdict.wait
    user = find_user(email)
    ok = check_password_hash(
        user.password_hash if user else dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
    if user and ok:
        throttle.forget(verdict.row_ids)
        throttle.clear(f"account:{user.email}", *([f"device:{device}"] if device else []))
        return user
    return None


def registration_slot(address: str) -> int | None:
    """A place for one more account from this client address in the window (counted first, so that
    parallel requests cannot all slip under the limit), or None when the address has had its share."""
    return throttle.claim_slot(f"register:{address}", current_app.config["REGISTRATIONS_PER_ADDRESS"])


def wait_message(seconds: int) -> str:
    from flask_babel import gettext as _
    from flask_babel import ngettext
    if seconds < 60:
        wait = ngettext("%(num)d second", "%(num)d seconds", seconds)
    else:
        minutes = -(-seconds // 60)
        wait = ngettext("%(num)d minute", "%(num)d minutes", minutes)
    return _("Too many failed attempts. Wait %(wait)s, then try again.", wait=wait)


def current_password_error(user: User, password: str, wrong: str) -> str | None:
    """None when ``password`` is the signed-in user's; otherwise what to tell her: ``wrong``, or, when
    her account has failed too often (sign-ins and these checks count together), to wait. Without this
    a stolen session could guess her password here, where sign-in throttling does not look."""
    verdict = throttle.claim([f"account:{normalise_email(user.email)}"])
    if verdict.wait:
        return wait_message(verdict.wait)  # not even checked
    if check_password(user, password):
        throttle.forget(verdict.row_ids)
        return None
    return wrong


def set_password(user: User, password: str) -> None:
    """Her new password; her other sessions and her unused reset links stop working."""
    user.password_hash = hash_password(password)
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
