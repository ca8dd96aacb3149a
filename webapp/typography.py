"""French typography for texts written with ordinary spaces and apostrophes (content files, whatever
their author typed): a non-breaking space before ":" ";" "?" "!" and inside « », so that the mark
never starts a line on a narrow phone, and the typographic apostrophe (’) between two letters, as
the interface's own French has. Plain function; safe on rendered HTML (it only turns a space into
another, and an apostrophe between letters into another: never a tag's delimiter)."""
from __future__ import annotations

import re

NBSP = "\u00a0"
_BEFORE_MARK = re.compile(r" ([:;?!])(?=\s|<|$|»|\)|\.|,|&)")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")  # l'enfant, qu'il, N'Diaye; not '90 or x='y'


def french_typography(text: str) -> str:
    if not text:
        return text
    text = _BEFORE_MARK.sub(NBSP + r"\1", text)
    text = _APOSTROPHE.sub("\u2019", text)
    return text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»")
