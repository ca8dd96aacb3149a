"""Drawing a page in another language than the reader's: a certificate is in its holder's."""
from __future__ import annotations

from contextlib import contextmanager

from flask import g
from flask_babel import force_locale


@contextmanager
def in_language(lang: str):
    """Render in ``lang`` whatever the reader's own language (a certificate is in its holder's)."""
    previous = g.get("lang")
    g.lang = lang
    try:
        with force_locale(lang):
            yield
    finally:
        if previous is None:
            g.pop("lang", None)
        else:
            g.lang = previous
