"""Whole numbers typed or sent by a browser. str.isdigit() is not enough: it accepts "²" and other
Unicode digits that int() refuses (a 500) or reads as another number ("٣" is 3)."""
from __future__ import annotations

import re

_ASCII_DIGITS = re.compile(r"[0-9]+")


def whole_number(text: str | None, max_digits: int = 11) -> int | None:
    """The number that ``text`` spells in ASCII digits, else None (empty, too long, signed, other digits)."""
    if not text or len(text) > max_digits or not _ASCII_DIGITS.fullmatch(text):
        return None
    return int(text)
