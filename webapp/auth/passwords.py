"""Password rules: long enough and not on the common-password list shipped with the project."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask_babel import gettext as _

MIN_LENGTH = 10
MAX_LENGTH = 200
COMMON = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"


@lru_cache(maxsize=1)
def _common() -> frozenset:
    return frozenset(line.strip().lower() for line in COMMON.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#"))


def password_problem(password: str) -> str | None:
    """A translated reason to refuse ``password``, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(n)d characters.", n=MAX_LENGTH)
    if password.lower() in _common() or len(set(password)) < 4:
        return _("This password is too common: choose another one.")
    return None
