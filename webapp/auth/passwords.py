"""Password rules: long enough and not on the common-password list shipped with the project."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import generate_password_hash

MIN_LENGTH = 10
MAX_LENGTH = 200
COMMON = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"


@lru_cache(maxsize=1)
def _common() -> frozenset:
    return frozenset(line.strip().lower() for line in COMMON.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#"))


def hash_password(password: str) -> str:
    """The stored form of ``password``, by the configured method: scrypt (slow on purpose) unless the
    test configuration asks for a cheap one, so that a test run does not spend minutes hashing."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@lru_cache(maxsize=4)
def dummy_hash(method: str) -> str:
    """A hash to check against when the email is unknown, made by the same method as real ones, so
    both paths take the same time."""
    return generate_password_hash("not-a-real-password-0", method=method)


def password_problem(password: str) -> str | None:
    """A translated reason to refuse ``password``, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(n)d characters.", n=MAX_LENGTH)
    if password.lower() in _common() or len(set(password)) < 4:
        return _("This password is too common: choose another one.")
    return None
