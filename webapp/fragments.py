"""Parts of a page that are the same for everyone who sees them in a language: rendered once per
process and content version, then reused, so that a signed-in trainee's page renders only what is
hers (her status, her forms and their CSRF tokens). Visitors' whole pages are kept by delivery.py.

Off in debug mode, where templates change under `flask run`."""
from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Callable

from flask import Flask, current_app, render_template, request, session
from flask.templating import Environment as FlaskEnvironment
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from .content import catalog
from .delivery import deflated, gzip_of, use_precompressed
from .i18n import lang


def shared(template: str, **context) -> Markup:
    """``template`` rendered with ``context`` (hashable values: they are part of the key), once per
    language and content version."""
    cache = current_app.extensions.setdefault("fragments", {})
    key = (template, lang(), catalog().version, tuple(sorted(context.items(), key=lambda item: item[0])))
    html = cache.get(key)
    if html is None:
        html = Markup(render_template(template, **context))
        if not current_app.debug:
            cache[key] = html
    return html


PAGES_KEPT = 512


def member_page(key: tuple, render: Callable[[], str]) -> str:
    """A signed-in member's page that depends on nothing of hers but what ``key`` holds (say a lesson,
    her language, whether she is an admin, her status of it): rendered once per process and content
    version, with her CSRF token put in each time. A page with a flashed message, or asked for with a
    query string (which the page may echo), is rendered afresh.

    ``key`` must name every personal input of the page's templates: two members with the same key
    get the same bytes (but their own CSRF token)."""
    token = generate_csrf()
    if renders_afresh():
        return render()
    cache = current_app.extensions.setdefault("member_pages", {})
    key = (key, lang(), catalog().version)
    page = cache.get(key)
    if page is None:
        page = keep(cache, key, _KeptPage(render().split(token), len(token)), PAGES_KEPT)
    return page.serve(token.encode())


def renders_afresh() -> bool:
    """Whether this request's page must not come from a per-process copy: in debug mode (templates
    change under `flask run`), with a flashed message (hers alone), or asked for with a query string
    (which the page may echo)."""
    return current_app.debug or bool(session.get("_flashes")) or bool(request.query_string)


def keep(cache: dict, key, value, limit: int):
    """``cache[key] = value``, first forgetting the oldest entry once ``limit`` are kept (a course home
    for a rare mix of statuses, say); returns ``value``."""
    if len(cache) >= limit:
        try:  # another thread may race
            cache.pop(next(iter(cache)), None)
        except RuntimeError:
            pass
    cache[key] = value
    return value


class _KeptPage:
    """A member's page cut where her CSRF token goes, each part also kept gzipped: per request only
    the token is compressed (gzip of the whole page cost more than the rest of the request).

    Each part is compressed with what comes before it as its window, the tokens there replaced by
    NULs: HTML holds none, so no copy reaches into a token, and the page is as small as if gzipped
    whole. That needs every token to be as long as the one the page was cut with (a signed token's
    length is fixed); one that is not is gzipped the usual way."""

    def __init__(self, parts: list[str], token_length: int):
        self.parts, self.token_length = [part.encode() for part in parts], token_length
        self.deflated, before = [], b""
        for part in self.parts:
            self.deflated.append(deflated(part, before))
            before = (before + part + b"\0" * token_length)[-32768:]

    def serve(self, token: bytes) -> Response:
        body = token.join(self.parts)
        if len(token) != self.token_length:
            return Response(body, mimetype="text/html")

        def gzipped():
            pieces = [self.deflated[0]]
            for n, part in enumerate(self.deflated[1:], start=1):
                # A token shortly after another (the two header forms) is mostly a copy of it.
                gap = len(self.parts[n - 1]) if n > 1 else None
                before = token + b"\0" * gap if gap is not None and gap < 4096 else b""
                pieces += (deflated(token, before), part)
            return gzip_of(pieces, body)
        use_precompressed(body, gzipped)
        return Response(body, mimetype="text/html")


def status_text(status: str) -> str:
    """A lesson's reading status, as the pages name it."""
    return {"completed": _("Completed"), "in_progress": _("In progress")}.get(status) or _("Not started")


_STATUS = re.compile(r"<!--status:([\w-]+)-->")


def with_statuses(html: Markup, statuses: dict) -> Markup:
    """A shared fragment with each ``<!--status:slug-->`` marker replaced by " · " and her status of
    that lesson (removed for a visitor, who has none)."""
    def fill(found):
        status = statuses.get(found.group(1))
        return f" · {escape(status_text(status))}" if status else ""
    return Markup(_STATUS.sub(fill, str(html)))


class _TemplateGlobals(ChainMap):
    """A template's globals (its own, then the environment's), whose keys are a frozenset.

    Jinja compares them with the importing context's at every ``{% from ... import %}``
    (``Template._get_default_module``): a quiz form imports the question macros for each question
    and each option, fifty times a page, and ChainMap's keys view answered each membership test in
    Python (a fifth of the form's rendering). The set is made afresh each time: never stale."""

    def keys(self):
        return frozenset(self)


class Environment(FlaskEnvironment):
    """Flask's template environment, with ``_TemplateGlobals`` (set as ``app.jinja_environment``)."""

    def make_globals(self, d):
        return _TemplateGlobals(d if d is not None else {}, self.globals)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["shared"] = shared
    app.jinja_env.globals["catalog_lesson"] = lambda slug: catalog().lesson(slug)
    app.jinja_env.globals["course_catalog"] = catalog
    app.jinja_env.globals["with_statuses"] = with_statuses
    app.jinja_env.globals["status_text"] = status_text
