"""Builders for expert sign-offs: a sign-off recorded in a copy of the sample course's lessons/SIGNOFF.yaml."""
from __future__ import annotations

from pathlib import Path

SIGNOFF = "lessons/SIGNOFF.yaml"


def sign_off(root: Path, version: str, *, date="2026-03-05", scope="all", verdict="approved", extra=""):
    """Record (in front of the others) the sign-off of ``version`` by the sample expert."""
    path = root / SIGNOFF
    entry = (f"  - date: {date}\n"
             "    expert:\n"
             "      name: Dr Yasmine Sample\n"
             '      role: {en: "Senior prosecutor, Public Prosecution Office", '
             'fr: "Procureure principale, ministère public"}\n'
             f'    version: "{version}"\n'
             f"    scope: {scope}\n"
             f"    verdict: {verdict}\n" + extra)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("signoffs:\n", "signoffs:\n" + entry, 1), encoding="utf-8")
