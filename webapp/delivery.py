"""Light delivery for slow, metered connections: what a browser fetches, and how often.

- Static files are fingerprinted: ``url_for('static', filename='css/site.css')`` gives
  ``/static/css/site.<hash>.css``, the hash of the file's content. A changed file has a new address,
  so the old one can be cached for a year as ``immutable``: a repeat visit does not ask for it again.
- HTML answers to GET carry a weak ETag of their text and ``Cache-Control: no-cache``: the browser
  asks each time, with ``If-None-Match``, and gets an empty 304 when nothing changed.
- Text answers are gzipped when the client accepts it (``Vary: Accept-Encoding``).
- The pages every visitor sees alike (lessons, glossary) are kept rendered in each process.

A page's CSRF token is signed with a timestamp, so its text changes at every render. The ETag is
therefore computed on the page without the signed token but with (a hash of) the session's raw
token it stands for: with ``WTF_CSRF_TIME_LIMIT = None`` an earlier signed token of the same
session stays valid, so the copy the browser keeps after a 304 still submits.
"""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import re
import stat
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from flask import Flask, g, request, send_from_directory, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

ONE_YEAR = 365 * 24 * 3600
HASHED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})(?P<ext>\.[A-Za-z0-9]+)$")
COMPRESSIBLE = frozenset({
    "text/html", "text/css", "text/plain", "text/csv", "text/javascript", "text/xml",
    "application/javascript", "application/json", "application/ld+json", "application/xml",
    "image/svg+xml", "application/manifest+json"})
MIN_COMPRESS = 512  # below this, gzip's own header eats the gain
MAX_CACHED_FILE = 512 * 1024  # larger static files are read from disk at each request


@dataclass(frozen=True)
class StaticFile:
    key: tuple
    digest: str
    body: bytes
    gzipped: bytes | None
    mimetype: str


class StaticFiles:
    """The static folder, with each file's content hash (and gzipped body) kept in memory. A file
    changed on disk (size or mtime) is read again, so `flask run` picks up edits."""

    def __init__(self, folder: str):
        self.folder = folder
        self._files: dict[str, StaticFile] = {}

    def get(self, name: str) -> StaticFile | None:
        path = safe_join(self.folder, name)
        if path is None:
            return None
        try:
            info = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHED_FILE:
            return None
        key = (info.st_mtime_ns, info.st_size)
        cached = self._files.get(name)
        if cached is not None and cached.key == key:
            return cached
        with open(path, "rb") as handle:
            body = handle.read()
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        gzipped = None
        if mimetype in COMPRESSIBLE and len(body) >= MIN_COMPRESS:
            gzipped = gzip.compress(body, compresslevel=9, mtime=0)
            if len(gzipped) >= len(body):
                gzipped = None
        entry = StaticFile(key, hashlib.sha256(body).hexdigest()[:10], body, gzipped, mimetype)
        self._files[name] = entry
        return entry

    def fingerprinted(self, name: str) -> str:
        """'css/site.css' -> 'css/site.<hash>.css' (the name unchanged if there is no such file)."""
        entry = self.get(name)
        if entry is None:
            return name
        stem, dot, ext = name.rpartition(".")
        if not dot or "/" in ext:
            return f"{name}.{entry.digest}"
        return f"{stem}.{entry.digest}.{ext}"


class StaticFilesWithoutSession(SecureCookieSessionInterface):
    """Flask-Login reads the session after every request, which would add `Vary: Cookie` to static
    files too: a browser would then fetch the stylesheet again after signing in. Static files
    depend on no cookie."""

    def save_session(self, app, session, response):
        if request.endpoint == "static":
            return None
        return super().save_session(app, session, response)


def accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def init_app(app: Flask) -> None:
    """Call last in the factory: this after_request hook then runs before the others, so that the
    access log and the security headers see the final answer (a 304, a gzipped body)."""
    files = StaticFiles(app.static_folder)
    app.extensions["static_files"] = files

    @app.url_defaults
    def fingerprint(endpoint, values):
        if endpoint == "static" and "filename" in values:
            values["filename"] = files.fingerprinted(values["filename"])

    def serve_static(filename):
        match = HASHED.match(filename)
        name, wanted = (match["stem"] + match["ext"], match["digest"]) if match else (filename, None)
        entry = files.get(name)
        if entry is None and match:
            name, wanted, entry = filename, None, files.get(filename)
        if entry is None:
            # A large file (or none): from disk, with its own ETag, checked again at each use.
            return send_from_directory(app.static_folder, filename, max_age=None)
        use_gzip = entry.gzipped is not None and accepts_gzip()
        response = Response(entry.gzipped if use_gzip else entry.body, mimetype=entry.mimetype)
        if entry.mimetype.startswith("text/") or entry.mimetype in COMPRESSIBLE:
            response.vary.add("Accept-Encoding")
        if use_gzip:
            response.headers["Content-Encoding"] = "gzip"
        if wanted == entry.digest:
            response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
        else:
            # The plain address, or an old fingerprint after a deployment: the current file, but the
            # browser must check again next time.
            response.headers["Cache-Control"] = "no-cache"
        response.set_etag(entry.digest + ("-gz" if use_gzip else ""))
        return response.make_conditional(request)

    app.view_functions["static"] = serve_static
    app.session_interface = StaticFilesWithoutSession()

    visitor_pages = VisitorPages(app)

    @app.after_request
    def conditional_and_compressed(response):
        if response.direct_passthrough or response.is_streamed or "Content-Encoding" in response.headers:
            return response
        visitor_pages.keep(response)
        if response.mimetype == "text/html":
            response.vary.update(("Cookie", "Accept-Language", "Accept-Encoding"))
            if request.method in ("GET", "HEAD") and response.status_code == 200:
                response = _conditional(app, response)
                if response.status_code == 304:
                    return response
        return _compress(response)


class VisitorPages:
    """The pages a visitor reads (a lesson, the glossary...) are the same for every visitor in a
    language: the course is loaded once at start and never changes while the process runs. Each
    process keeps them rendered, so that a lesson costs about what a static file costs.

    Only GETs without a query string, from a visitor with no session (no account, no flashed message,
    no CSRF token), of the endpoints in CACHED; only 200 answers that set no cookie. Off in debug mode,
    where templates change under `flask run`."""

    CACHED = frozenset({"main.home", "courses.lesson", "courses.glossary", "courses.sources", "quizzes.index"})
    MAX_PAGES = 256

    def __init__(self, app: Flask):
        self.pages: dict[tuple, bytes] = {}
        self.enabled = not app.debug
        app.before_request(self.replay)

    def _key(self):
        if (not self.enabled or request.endpoint not in self.CACHED or request.method not in ("GET", "HEAD")
                or request.query_string or session or current_user.is_authenticated):
            return None
        from .i18n import lang
        return request.path, lang()

    def replay(self):
        key = self._key()
        g.visitor_page = key
        body = self.pages.get(key) if key else None
        if body is not None:
            g.visitor_page = None  # already kept
            return Response(body, mimetype="text/html")
        return None

    def keep(self, response) -> None:
        key = g.pop("visitor_page", None)
        if (key and response.status_code == 200 and response.mimetype == "text/html"
                and "Set-Cookie" not in response.headers and "csrf_token" not in g and not session.modified
                and len(self.pages) < self.MAX_PAGES):
            self.pages[key] = response.get_data()


def _conditional(app: Flask, response):
    """Weak ETag of the page (signed CSRF token left out), `no-cache`, and a 304 when it matches."""
    cache_control = response.headers.get("Cache-Control", "")
    if "no-store" in cache_control:
        return response  # a page that must never be kept (a one-time password): no validator either
    body = response.get_data()
    digest = hashlib.sha256()
    token = g.get(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    if token and app.config.get("WTF_CSRF_TIME_LIMIT") is None:
        # Any signed token of this session stays valid: hash the page without it, with the session's.
        body = body.replace(token.encode(), b"")
        raw = session.get(app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), "")
        digest.update(hashlib.sha256(str(raw).encode()).digest())
    digest.update(body)
    response.set_etag(digest.hexdigest()[:32], weak=True)
    if not cache_control:
        private = current_user.is_authenticated if current_user else False
        response.headers["Cache-Control"] = "private, no-cache" if private else "no-cache"
    return response.make_conditional(request)


def _compress(response):
    if response.mimetype not in COMPRESSIBLE:
        return response
    response.vary.add("Accept-Encoding")
    if response.status_code < 200 or response.status_code in (204, 304) or not accepts_gzip():
        return response
    body = response.get_data()
    # BREACH (guessing a secret from the compressed size of pages that echo the guess) gains nothing
    # here: the one secret on our pages, the CSRF token, is signed with a timestamp, so its signature
    # changes every second, and its stable part (the session's raw token) is useless without the
    # SECRET_KEY. So pages that echo a query string, a refused form or an error are compressed too:
    # a final quiz sent back with its gaps shown is 41 KB raw, 7 KB gzipped.
    if len(body) < MIN_COMPRESS:
        return response
    kept = g.pop("precompressed", None)
    response.set_data(kept[1]() if kept and kept[0] == body else _gzip(body))
    response.headers["Content-Encoding"] = "gzip"
    return response


def deflated(data: bytes, before: bytes = b"") -> bytes:
    """``data`` as raw deflate blocks that end on a byte boundary: pieces compressed apart this way
    join, in order, into one deflate stream (``gzip_of``). Its copies may point back into ``before``,
    what the stream holds just ahead of it, as the whole page would have."""
    window = before[-32768:]
    compressor = (zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS, zdict=window) if window
                  else zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS))
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no time, unknown OS
_LAST_BLOCK = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS).flush()


def gzip_of(pieces: list[bytes], body: bytes) -> bytes:
    """The gzip file of ``body`` from its pieces, each made by ``deflated`` in order."""
    return b"".join((_GZIP_HEADER, *pieces, _LAST_BLOCK,
                     struct.pack("<II", zlib.crc32(body), len(body) & 0xFFFFFFFF)))


def use_precompressed(body: bytes, make: Callable[[], bytes]) -> None:
    """This request's page is ``body``, and ``make()`` gzips it cheaper than gzip would (a kept
    member's page: only her CSRF token is compressed per request)."""
    g.precompressed = (body, make)


@lru_cache(maxsize=64)
def _gzip(body: bytes) -> bytes:
    # The same page text for many visitors (a lesson): compress it once per process.
    return gzip.compress(body, compresslevel=6, mtime=0)
