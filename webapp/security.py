"""Response headers, access log, safe redirects, the user loader and the administrators' check."""
from __future__ import annotations

import logging
import re
import sys
import time
from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import abort, g, request
from flask_login import current_user, login_required
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .extensions import login_manager

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HSTS = "max-age=31536000; includeSubDomains"
MAX_ID = 2 ** 31 - 1


class BoundedInt(IntegerConverter):
    """<int:...> in URLs fits the database's integer: a forged /attempts/99999999999999999999 is a 404,
    not an overflow error from PostgreSQL."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
access_log = logging.getLogger("passerelle.access")

# Pages about one person (her account, records, certificates, a reset link made for someone).
PRIVATE_ENDPOINTS = frozenset({
    "auth.account", "auth.password", "auth.issue", "auth.reset", "auth.confirm",
    "records.mine", "records.download", "records.delete",
    "certificates.show", "certificates.pdf", "certificates.admin_list", "certificates.admin_detail",
    "credentials.download",
    "records.report", "records.report_csv", "records.workshops_csv", "records.outcomes_csv",
})
# A host name, an IPv4 address or a bracketed IPv6 address, and an optional port (RFC 3986).
_VALID_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})?|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")
BARE_400 = ("<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Requête invalide / Bad request</title>"
            "<h1>Requête invalide</h1><p>L’adresse du site demandée n’est pas valide.</p>"
            "<h1 lang=\"en\">Bad request</h1><p lang=\"en\">The site address asked for is not valid.</p></html>")


def security_headers(secure: bool) -> list[tuple[str, str]]:
    headers = [("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
               ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY")]
    if secure:
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


class HostCheck:
    """A malformed Host header is a 400 with the usual security headers, answered before Flask: Flask
    cannot build a URL adapter for it, so even its error page would fail (a bare 500)."""

    def __init__(self, app, secure: bool):
        self.app, self.secure = app, secure

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST")
        if host is not None and not _VALID_HOST.fullmatch(host):
            body = BARE_400.encode()
            start_response("400 Bad Request", [("Content-Type", "text/html; charset=utf-8"),
                                               ("Content-Length", str(len(body))), ("Cache-Control", "no-store"),
                                               *security_headers(self.secure)])
            return [body]
        return self.app(environ, start_response)


def init_app(app):
    from . import links
    links.init_app(app)  # production refuses to start without BASE_URL
    if app.config.get("TRUSTED_PROXIES"):
        # Behind a load balancer: take the client's address and scheme from the last N proxies only,
        # so that sign-in throttling counts per real address and X-Forwarded-For cannot be forged.
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=0)
    app.wsgi_app = HostCheck(app.wsgi_app, secure=bool(app.config.get("SESSION_COOKIE_SECURE")))
    _init_access_log(app)
    app.url_map.converters["int"] = BoundedInt  # before the blueprints add their rules

    @app.before_request
    def refuse_nul_characters():
        # No text column accepts NUL (PostgreSQL refuses it outright): a 400, never a 500 later on.
        if "\x00" in request.path or any(
                "\x00" in key or "\x00" in value
                for values in (request.args, request.form) for key, value in values.items(multi=True)):
            abort(400)

    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"

    # Built once: every answer carries them, the room's 204 polls too.
    always = [(name, value) for name, value in security_headers(bool(app.config.get("SESSION_COOKIE_SECURE")))
              if name != "Content-Security-Policy"]

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        for name, value in always:
            response.headers[name] = value
        if request.endpoint in PRIVATE_ENDPOINTS or (request.blueprint == "admin"):
            # Personal pages never stay in a shared computer's cache or a proxy's.
            response.headers["Cache-Control"] = "no-store"
        return response


def _init_access_log(app):
    """One line per request: method, path, status, duration (whatever server runs the app)."""
    access_log.setLevel(logging.INFO)
    if app.config.get("ACCESS_LOG") and not access_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        access_log.addHandler(handler)
        access_log.propagate = False

    def start_clock():
        g.started = time.perf_counter()
    # First of all: a request refused by an earlier check (CSRF, NUL) is timed too.
    app.before_request_funcs.setdefault(None, []).insert(0, start_clock)

    @app.after_request
    def log_request(response):
        if not access_log.hasHandlers():
            return response  # ACCESS_LOG off and no one listening: a record would be built for nothing
        started = g.get("started")
        duration = (time.perf_counter() - started) * 1000 if started else 0.0
        access_log.info("%s %s %s %d %.1fms", client_address(), request.method, _loggable_path(),
                        response.status_code, duration)
        return response


def _loggable_path() -> str:
    # One-time tokens in a path (password reset links) never reach the logs.
    if request.view_args and "token" in request.view_args and request.url_rule is not None:
        return request.url_rule.rule
    # A decoded %0A in a path would start a forged log line: control characters stay encoded.
    return _CONTROL.sub(lambda m: f"%{ord(m.group()):02X}", request.path[:1000])


def admin_required(view):
    """Signed in (else the sign-in page), and an administrator (else 403)."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: no scheme, no host, no '//' or backslash tricks (open redirect).

    Browsers drop tabs and newlines and read '\\' as '/', so '/\t/evil' or '/\\evil' would leave the
    site: any control character or backslash is refused, also once percent-decoded."""
    if not target or len(target) > 2000:
        return default
    for form in (target, unquote(target)):
        if not form.startswith("/") or form.startswith("//") or "\\" in form or _CONTROL.search(form):
            return default
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return default
    return target


def client_address() -> str:
    return request.remote_addr or "unknown"
