"""Parts of a page that are the same for everyone who sees them in a language: rendered once per
process and content version, then reused, so that a signed-in trainee's page renders only what is
hers (her status, her forms and their CSRF tokens). Visitors' whole pages are kept by delivery.py.

Off in debug mode, where templates change under `flask run`."""
from __future__ import annotations

import re

from flask import Flask, current_app, render_template
from flask_babel import gettext as _
from markupsafe import Markup, escape

from .content import catalog
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


def init_app(app: Flask) -> None:
    app.jinja_env.globals["shared"] = shared
    app.jinja_env.globals["catalog_lesson"] = lambda slug: catalog().lesson(slug)
    app.jinja_env.globals["course_catalog"] = catalog
    app.jinja_env.globals["with_statuses"] = with_statuses
    app.jinja_env.globals["status_text"] = status_text
