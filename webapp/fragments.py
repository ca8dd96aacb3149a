"""Parts of a page that are the same for everyone who sees them in a language: rendered once per
process and content version, then reused, so that a signed-in trainee's page renders only what is
hers (her status, her forms and their CSRF tokens). Visitors' whole pages are kept by delivery.py.

Off in debug mode, where templates change under `flask run`."""
from __future__ import annotations

from flask import Flask, current_app, render_template
from markupsafe import Markup

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


def init_app(app: Flask) -> None:
    app.jinja_env.globals["shared"] = shared
    app.jinja_env.globals["catalog_lesson"] = lambda slug: catalog().lesson(slug)
    app.jinja_env.globals["course_catalog"] = catalog
