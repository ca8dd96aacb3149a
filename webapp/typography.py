"""French typography for texts written with ordinary spaces (content files, whatever their author
typed): a non-breaking space before ":" ";" "?" "!" and inside « », so that the mark never starts a
line on a narrow phone. Plain function; safe on rendered HTML (it only turns a space into another)."""
from __future__ import annotations

import re

NBSP = "\u00a0"
_BEFORE_MARK = re.compile(r" ([:;?!])(?=\s|<|$|»|\)|\.|,|&)")


def french_spacing(text: str) -> str:
    if not text:
        return text
    text = _BEFORE_MARK.sub(NBSP + r"\1", text)
    return text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»")
