"""The content changelog, ``lessons/CHANGELOG.yaml``: what changed in the course, by date, in plain
words. It feeds the public "What changed" page, so that a trainer who printed the pack on a given day
sees every edition since then and the parts to reprint; and it names the edition a certificate was
earned under (the newest edition dated on or before the completion day).

    editions:                       # newest first, one entry per date
      - date: 2026-12-05
        title: {en: "...", fr: "..."}
        changes:
          - parts: [identification-referral, glossary]   # lesson slugs, or a name from PARTS
            text: {en: "...", fr: "..."}
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from .questions import is_text
from .render import format_date

PATH = "lessons/CHANGELOG.yaml"
# Parts of the course other than lessons that a change can touch (a lesson is named by its slug).
PARTS = ("course", "glossary", "sources", "decision-aid", "quizzes")


@dataclass(frozen=True)
class Change:
    parts: tuple
    text: dict  # {en, fr}: a plain dict, as the templates' |t filter expects


@dataclass(frozen=True)
class Edition:
    date: str  # YYYY-MM-DD
    title: dict
    changes: tuple

    def when(self, lang: str) -> str:
        """The edition's date in words: "5 December 2026", "5 décembre 2026"."""
        return format_date(self.date, lang)

    @property
    def day(self) -> datetime.date:
        return datetime.date.fromisoformat(self.date)

    @property
    def parts(self) -> tuple:
        """Every part this edition touches, once, in the order first named."""
        return tuple(dict.fromkeys(part for change in self.changes for part in change.parts))


def iso_date(value) -> str | None:
    """``value`` as YYYY-MM-DD when it is a real date (YAML gives a date, or a string), else None."""
    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).isoformat() if len(value) == 10 else None
        except ValueError:
            return None
    return None


def line_of(text: str, *needles: str) -> int:
    """The first line holding every needle (1 if none does)."""
    for n, line in enumerate(text.split("\n"), start=1):
        if all(needle in line for needle in needles):
            return n
    return 1


def dated_entries(path: str, text: str, entries: list, problems, *, kind: str, fields: str, one_per_date: bool,
                  future: str):
    """(entry, ISO date, line) for each entry of a file kept newest first (the changelog's editions,
    the sign-offs): one that is not a mapping or has no date is refused and skipped; one dated in the
    future or out of order is refused and still checked."""
    newer = None
    article = "an" if kind[0] in "aeiou" else "a"
    for entry in entries:
        if not isinstance(entry, dict):
            problems.add(path, None, f"each {kind} must be a mapping with {fields}")
            continue
        day = iso_date(entry.get("date"))
        line = line_of(text, "date:", str(entry.get("date")))
        if day is None:
            problems.add(path, line, f"{article} {kind} needs its date: date: YYYY-MM-DD")
            continue
        if day > (datetime.date.today() + datetime.timedelta(days=1)).isoformat():  # a day of grace: time zones
            problems.add(path, line, f"{kind} {day} is dated in the future: {future}")
        if newer is not None and (day >= newer if one_per_date else day > newer):
            problems.add(path, line, f"{kind}s go newest first{', one per date' if one_per_date else ''}: "
                                     f"{day} is listed after {newer}")
        newer = day
        yield entry, day, line


def check_changelog(files, slugs: set, problems) -> None:
    data = files.changelog
    if not data:
        return
    text = files.texts.get(PATH, "")
    editions = data.get("editions")
    if not isinstance(editions, list) or not editions:
        problems.add(PATH, 1, "needs a list 'editions', newest first")
        return
    for edition, day, line in dated_entries(
            PATH, text, editions, problems, kind="edition", fields="date, title and changes", one_per_date=True,
            future="date an edition the day it is published (the site would name it, and certificates skip it)"):
        if not is_text(edition.get("title")):
            problems.add(PATH, line, f"edition {day}: 'title' needs both en and fr")
        changes = edition.get("changes")
        if not isinstance(changes, list) or not changes:
            problems.add(PATH, line, f"edition {day}: needs a list 'changes'")
            continue
        for change in changes:
            _check_change(change, day, line, slugs, problems)


def _check_change(change, day, line, slugs, problems):
    if not isinstance(change, dict) or not is_text(change.get("text")):
        problems.add(PATH, line, f"edition {day}: each change needs a 'text' in en and fr")
        return
    parts = change.get("parts")
    if not isinstance(parts, list) or not parts:
        problems.add(PATH, line, f"edition {day}: each change names the 'parts' it touches, so that a "
                                 f"trainer knows what to reprint (lesson slugs, or: {', '.join(PARTS)})")
        return
    for part in unknown_parts(parts, slugs):
        problems.add(PATH, line, f"edition {day}: unknown part '{part}' (a lesson slug, or one of: "
                                 f"{', '.join(PARTS)})")


def unknown_parts(parts: list, slugs: set) -> list:
    """The names in ``parts`` that are neither a lesson slug nor one of PARTS (the changelog's and the
    sign-offs' one rule of what a part of the course is)."""
    return [part for part in parts if part not in slugs and part not in PARTS]


def build_changelog(data: dict) -> tuple:
    """The checked changelog as immutable editions, newest first."""
    return tuple(
        Edition(date=iso_date(e["date"]), title=dict(e["title"]),
                changes=tuple(Change(tuple(c["parts"]), dict(c["text"])) for c in e["changes"]))
        for e in (data or {}).get("editions") or ())


def edition_on(editions: tuple, day: datetime.date) -> Edition | None:
    """The edition in force on ``day``: the newest one dated on or before it."""
    return next((e for e in editions if e.day <= day), None)
