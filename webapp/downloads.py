"""The names of downloaded files: in the reader's language (a French coordinator saves
"reussites-2026-01-01-2026-06-30.csv"), written with plain ASCII letters so that every browser, file
system and mail attachment keeps them as they are. Dates in a name stay ISO (they sort)."""
from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """``name`` with its accents dropped ("résultats" -> "resultats") and anything but letters, digits,
    ".", "-" and "_" turned into "-": a translation can never slip a quote or a slash into a header."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("-", plain).strip("-") or "passerelle"


def attachment(name: str) -> str:
    """The Content-Disposition value that saves the download as ``name`` (already translated)."""
    return f'attachment; filename="{safe_name(name)}"'
