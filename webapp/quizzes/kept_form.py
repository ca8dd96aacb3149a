"""A sitting's questions, each kept rendered per process: a quiz form is the page a class asks for
at once, and rendering its questions through their type's templates was most of the form's cost.

A question's fieldset depends on the question, the language, the options' order (and a match's
rows), its number and the attempt's tokens. It is kept per question, language, content version
and order, rendered with stand-ins for the number and the tokens, which each sitting's own replace.
A type whose layouts are too many to keep one by one (a match: rows and choices both shuffled) gives
a shape instead (``QuestionType.kept_shape``): one rendering per question, with stand-in texts by
position that each sitting fills in with its own, escaped as the template escapes them.
Only a fresh form is served this way (no answers sent back, no question marked unanswered).
Off in debug mode, where templates change under `flask run`."""
from __future__ import annotations

import json
from collections.abc import Callable

from flask import current_app, get_template_attribute
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from ..content import Catalog, catalog
from ..content.questions import QUESTION_TYPES, KeptShape, field_name
from ..fragments import keep, renders_afresh
from ..i18n import lang

KEPT = 4096  # fieldsets; about 1.5 KB each
NUMBER = 1_000_000_007  # the question's number while rendering: a figure no question holds


def _stand_in(n: int) -> str:
    return f"\x1a{n}\x1a"  # a control character: never in content, untouched by HTML escaping


def fieldsets(cat: Catalog, layout: list[dict]) -> list[Markup] | None:
    """The fieldset of each question of a fresh form, in order; None in debug mode."""
    if current_app.debug:
        return None
    cache = current_app.extensions.setdefault("quiz_fieldsets", {})
    text = current_app.jinja_env.filters["t"]
    language = lang()
    found = []
    for number, item in enumerate(layout, start=1):
        tokens = list(item["tokens"])
        question = cat.question(item["id"])
        shape = QUESTION_TYPES[question["type"]].kept_shape(question, item)
        if shape is None:
            key = (language, cat.version, json.dumps({k: v for k, v in item.items() if k != "tokens"}, sort_keys=True))
        else:
            key = (language, cat.version, "shape", item["id"])
        html = cache.get(key)
        if html is None:
            html = _render(question, item, shape)
            if html is not None:
                keep(cache, key, html, KEPT)
        if html is None:  # the stand-in number is in the question itself: render it as it is
            html = _field(question, item, number)
        else:
            html = html.replace(str(NUMBER), str(number))
            for n, token in enumerate(tokens):
                html = html.replace(_stand_in(n), token)
            for stand_in, content_text in (shape.texts.items() if shape else ()):
                html = html.replace(stand_in, str(escape(text(content_text))))
            if "\x1b" in html:  # a stand-in text the shape did not fill: never show it, render afresh
                html = _field(question, item, number)
        found.append(Markup(html))
    return found


def _render(question: dict, item: dict, shape: KeptShape | None) -> str | None:
    if shape is None:
        options = list(item["tokens"].values())
        standing_in = {**item, "tokens": {_stand_in(n): option for n, option in enumerate(options)}}
    else:
        question = shape.question
        standing_in = {**item, "shown": list(shape.ids), **shape.item,
                       "tokens": {_stand_in(n): i for n, i in enumerate(shape.ids)}}
    html = _field(question, standing_in, NUMBER)
    return html if html.count(str(NUMBER)) == 1 else None


def _field(question: dict, item: dict, number: int) -> str:
    question_field = get_template_attribute("quizzes/_macros.html", "question_field")
    return str(question_field(number, item, question, MultiDict(), field_name, False))


PAGES_KEPT = 256
ATTEMPT = 1_000_000_009  # the attempt's number while rendering a kept page: no attempt holds it
_QUESTION, _TOKEN, _NUMBER = "\x1d", "\x1c", "\x1f"  # control characters: never in a page's text


def page(key: tuple, fieldsets: list[Markup], attempt_id: int, render: Callable[[int, list[Markup]], str]) -> str:
    """A fresh form's whole page: the page around its questions (title, header, form, buttons) is
    kept per process for ``key`` (the quiz, her role, the number of questions, the pass mark: what
    that page shows), rendered once with stand-ins for the attempt's number, her CSRF token and each
    question, which each sitting's own replace. ``render(attempt_id, fieldsets)`` renders the page.
    A page with a flashed message, or asked for with a query string, is rendered afresh; so is every
    page in debug mode, where templates change under `flask run`."""
    if renders_afresh():
        return render(attempt_id, fieldsets)
    token = generate_csrf()
    cache = current_app.extensions.setdefault("quiz_pages", {})
    key = (key, len(fieldsets), lang(), catalog().version)
    parts = cache.get(key)
    if parts is None:
        html = render(ATTEMPT, [Markup(_QUESTION)] * len(fieldsets))
        if any(mark in html for mark in (_TOKEN, _NUMBER)) or html.count(_QUESTION) != len(fieldsets):
            return render(attempt_id, fieldsets)  # a stand-in in the page's own text: never kept
        parts = keep(cache, key, html.replace(token, _TOKEN).replace(str(ATTEMPT), _NUMBER).split(_QUESTION),
                     PAGES_KEPT)
    number = str(attempt_id)
    pieces = [parts[0]]
    for fieldset, part in zip(fieldsets, parts[1:]):
        pieces += (fieldset, part)
    return "".join(pieces).replace(_TOKEN, token).replace(_NUMBER, number)
