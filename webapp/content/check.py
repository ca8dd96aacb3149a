"""`python -m webapp.content check [DIR]`: validate every lesson, question bank, glossary term and
source, name each problem with file and line, exit 1 on any. On valid content, print the content
version (what an expert signs off) and whether it is signed off: content that is not is still valid.

Not a `flask` command: the app refuses to start on invalid content (content.init_app), and Flask's
CLI builds the app before it runs any command, so the check must work without one. DIR defaults to
the configured CONTENT_DIR (the repository)."""
from __future__ import annotations

import sys
from pathlib import Path

from .model import ContentError, load_catalog


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "check" or len(args) > 2:
        print("usage: python -m webapp.content check [CONTENT_DIR]", file=sys.stderr)
        return 2
    if len(args) == 2:
        root = Path(args[1])
    else:
        from ..config import Config
        root = Path(Config.CONTENT_DIR)
    try:
        cat = load_catalog(root)
    except ContentError as error:
        for line in error.problems:
            print(line, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found.", file=sys.stderr)
        return 1
    questions = sum(len(b.questions) for b in cat.banks.values())
    print(f"Content OK: {len(cat.lessons)} lessons, {questions} questions, "
          f"{len(cat.glossary)} glossary terms, version {cat.version}.")
    print(signoff_line(cat))
    return 0


def signoff_line(cat) -> str:
    """Whether this content version is signed off, and by whom, in one line (lessons/SIGNOFF.yaml)."""
    found = cat.signoff()
    if found.signed:
        return "Signed off: " + "; ".join(
            f"{s.name} ({s.role['en']}), {s.date}, {s.verdict}"
            + ("" if s.whole_course else f", for {', '.join(s.parts)}") for s in found.current) + "."
    if found.changed_since:
        last = found.last
        return (f"Not signed off: the content changed since the last sign-off ({last.name}, {last.date}, version "
                f"{last.version}). To sign off this edition, the expert reviews version {cat.version}.")
    return f"Not yet signed off. To sign off this edition, the expert reviews version {cat.version}."
