"""Expert sign-offs, ``lessons/SIGNOFF.yaml``: which content version a named subject expert read and
approved, when, for which parts, and with which reservations.

    signoffs:                        # newest first; git history is the audit trail
      - date: 2027-01-20
        expert:
          name: Dr A. Example
          role: {en: "Prosecutor, Ministry of Justice", fr: "Procureure, ministère de la Justice"}
        version: 3f2a9c1b7d04        # the content version she read (`python -m webapp.content check`)
        scope: all                   # or a list of parts: [identification-referral, glossary]
        verdict: approved            # approved | approved-with-reservations
        reservations:                # only with approved-with-reservations, each in en and fr
          - {en: "...", fr: "..."}
        review: docs/REVIEW-2.md     # optional: where her review and its answers are

The file is not part of the content version (the loader does not hash it), so recording a sign-off
does not void it; any change to a content file does, since it makes a new version. A sign-off of an
older version stays in the file: a certificate earned on that version still shows it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .changelog import PARTS, dated_entries, iso_date, line_of, unknown_parts
from .questions import is_text
from .render import format_date

PATH = "lessons/SIGNOFF.yaml"
APPROVED, WITH_RESERVATIONS = "approved", "approved-with-reservations"
VERDICTS = (APPROVED, WITH_RESERVATIONS)
WHOLE_COURSE = "all"
VERSION = re.compile(r"^[0-9a-f]{12}$")  # Catalog.version: the first 12 hex digits of a SHA-256
KEYS = {"date", "expert", "version", "scope", "verdict", "reservations", "review"}
EXPERT_KEYS = {"name", "role"}


@dataclass(frozen=True)
class SignOff:
    date: str           # YYYY-MM-DD, the day she gave her decision
    name: str
    role: dict          # {en, fr}: her role and organisation
    version: str        # the content version she read
    parts: tuple        # the parts she signed off; () for the whole course
    verdict: str        # APPROVED or WITH_RESERVATIONS
    reservations: tuple = ()  # of {en, fr}
    review: str = ""

    def when(self, lang: str) -> str:
        """The sign-off's date in words: "20 January 2027", "20 janvier 2027"."""
        return format_date(self.date, lang)

    @property
    def whole_course(self) -> bool:
        return not self.parts

    @property
    def with_reservations(self) -> bool:
        return self.verdict == WITH_RESERVATIONS


@dataclass(frozen=True)
class Status:
    """Whether a content version is signed off: by whom (``current``, newest first), or, when it is
    not, the newest sign-off of any other version (``last``: the content has changed since)."""
    version: str
    current: tuple = ()
    last: SignOff | None = None

    @property
    def signed(self) -> bool:
        return bool(self.current)

    @property
    def changed_since(self) -> bool:
        return not self.current and self.last is not None


def status(signoffs: tuple, version: str | None) -> Status:
    """The sign-off status of ``version`` given every recorded sign-off (newest first)."""
    current = tuple(s for s in signoffs if s.version == version)
    return Status(version or "", current, None if current else (signoffs[0] if signoffs else None))


def check_signoffs(files, slugs: set, problems) -> None:
    """Refuse a malformed sign-off file. Content that is not signed off is not a problem: content
    work happens between sign-offs."""
    data = files.signoff
    if not data:
        return
    text = files.texts.get(PATH, "")
    for key in sorted(map(str, set(data) - {"signoffs"})):
        problems.add(PATH, line_of(text, f"{key}:"), f"unknown key '{key}' (the file holds one list, 'signoffs')")
    entries = data.get("signoffs")
    if entries is None:
        return  # a file with no sign-off recorded yet
    if not isinstance(entries, list):
        problems.add(PATH, 1, "'signoffs' must be a list, newest first")
        return
    for entry, day, line in dated_entries(
            PATH, text, entries, problems, kind="sign-off", fields="date, expert, version, scope and verdict",
            one_per_date=False, future="date it the day the expert gave her decision"):
        _check_entry(entry, f"sign-off {day}", line, slugs, problems)


def _check_entry(entry: dict, name: str, line: int, slugs: set, problems) -> None:
    for key in sorted(set(entry) - KEYS):
        problems.add(PATH, line, f"{name}: unknown field '{key}' (known: {', '.join(sorted(KEYS))})")
    expert = entry.get("expert")
    if not isinstance(expert, dict) or not isinstance(expert.get("name"), str) or not expert["name"].strip():
        problems.add(PATH, line, f"{name}: 'expert' needs her 'name'")
    elif not is_text(expert.get("role")):
        problems.add(PATH, line, f"{name}: the expert's 'role' (role and organisation) needs both en and fr")
    else:
        for key in sorted(set(expert) - EXPERT_KEYS):
            problems.add(PATH, line, f"{name}: unknown expert field '{key}' (known: name, role)")
    version = entry.get("version")
    if not isinstance(version, str) or not VERSION.match(version):
        problems.add(PATH, line, f"{name}: 'version' must be the 12-character content version she read, as "
                                 "`python -m webapp.content check` prints it (quote it if it is all digits)")
    _check_scope(entry.get("scope"), name, line, slugs, problems)
    verdict = entry.get("verdict")
    reservations = entry.get("reservations")
    if verdict not in VERDICTS:
        problems.add(PATH, line, f"{name}: 'verdict' must be one of: {', '.join(VERDICTS)}")
    elif verdict == WITH_RESERVATIONS:
        if not isinstance(reservations, list) or not reservations or not all(map(is_text, reservations)):
            problems.add(PATH, line, f"{name}: approved with reservations needs 'reservations', a list of texts "
                                     "in en and fr")
    elif reservations:
        problems.add(PATH, line, f"{name}: reservations are recorded with the verdict {WITH_RESERVATIONS}")
    review = entry.get("review")
    if review is not None and (not isinstance(review, str) or not review.strip()):
        problems.add(PATH, line, f"{name}: 'review' names the review document (a path or an address)")


def _check_scope(scope, name: str, line: int, slugs: set, problems) -> None:
    if scope == WHOLE_COURSE:
        return
    if not isinstance(scope, list) or not scope:
        problems.add(PATH, line, f"{name}: 'scope' is '{WHOLE_COURSE}' (the whole course) or a list of the parts "
                                 f"she signed off (lesson slugs, or: {', '.join(PARTS)})")
        return
    for part in unknown_parts(scope, slugs):
        problems.add(PATH, line, f"{name}: unknown part '{part}' in 'scope' (a lesson slug, or one of: "
                                 f"{', '.join(PARTS)})")
    if len(set(map(str, scope))) != len(scope):
        problems.add(PATH, line, f"{name}: a part is named twice in 'scope'")


def build_signoffs(data: dict) -> tuple:
    """The checked sign-offs as immutable records, newest first."""
    return tuple(
        SignOff(date=iso_date(e["date"]), name=e["expert"]["name"].strip(), role=dict(e["expert"]["role"]),
                version=e["version"], parts=() if e["scope"] == WHOLE_COURSE else tuple(e["scope"]),
                verdict=e["verdict"], reservations=tuple(dict(r) for r in e.get("reservations") or ()),
                review=(e.get("review") or "").strip())
        for e in (data or {}).get("signoffs") or ())
