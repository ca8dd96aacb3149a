"""`python -m webapp.content check [DIR]`: validate every lesson, question bank, glossary term and
source, name each problem with file and line, exit 1 on any.

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
    return 0
