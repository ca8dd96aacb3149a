"""Who may see the coordinator pages: administrators (coordinators are administrators here)."""
from __future__ import annotations

from contextlib import contextmanager
from functools import wraps

from flask import abort, g
from flask_babel import force_locale
from flask_login import current_user, login_required


def admin_required(view):
    """Signed in (else the sign-in page), and an administrator (else 403)."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


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
