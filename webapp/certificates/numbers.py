"""Certificate numbers: 80 random bits written in Crockford's base 32 (16 characters), shown in
groups of four. Readers may type them in lower case, with or without dashes or spaces, and with
O for 0 or I/L for 1: all of that is read as the same number. So are the dashes a word processor or a
PDF puts in when the number is copied from a letter or an email (en dash, non-breaking hyphen, minus)."""
from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U: nothing to confuse
LENGTH = 16  # 16 x 5 = 80 bits
BITS = LENGTH * 5
_CANONICAL = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile("[\\s\\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")  # spaces, hyphens, dashes, minus


def new_number() -> str:
    """A fresh random number (canonical form: 16 characters, no dashes)."""
    value = secrets.randbits(BITS)
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(LENGTH)))


def canonical(text: str | None) -> str | None:
    """The canonical form of what someone typed, or None when it cannot be a number."""
    if not text or len(text) > 40:
        return None
    cleaned = _SEPARATORS.sub("", text).upper().translate(_LOOKALIKES)
    return cleaned if _CANONICAL.match(cleaned) else None


def display(number: str) -> str:
    """ABCD-EFGH-JKMN-PQRS: easier to read aloud and to copy by hand."""
    return "-".join(number[i:i + 4] for i in range(0, len(number), 4))
