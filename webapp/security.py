"""Response headers, safe redirects and the user loader."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request

from .extensions import db, login_manager

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response


@login_manager.user_loader
def load_user(user_id: str):
    from .models import User
    uid, _, token = user_id.partition(":")
    if not uid.isdigit() or not token.isdigit():
        return None
    user = db.session.get(User, int(uid))
    # An old cookie from before a password change no longer signs anyone in.
    return user if user and user.session_token == int(token) else None


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: no scheme, no host, no '//' or backslash tricks (open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def client_address() -> str:
    return request.remote_addr or "unknown"
