"""A sitting's questions, each kept rendered per process: a quiz form is the page a class asks for
at once, and rendering its questions through their type's templates was most of the form's cost.

A question's fieldset depends on the question, the language, the options' order (and a match's
rows), its number and the attempt's tokens. It is kept per question, language, content version
and order, rendered with stand-ins for the number and the tokens, which each sitting's own replace.
Only a fresh form is served this way (no answers sent back, no question marked unanswered).
Off in debug mode, where templates change under `flask run`."""
from __future__ import annotations

import json

from flask import current_app, get_template_attribute
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from ..content import Catalog
from ..content.questions import field_name
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
    found = []
    for number, item in enumerate(layout, start=1):
        tokens = list(item["tokens"])
        key = (lang(), cat.version, json.dumps({k: v for k, v in item.items() if k != "tokens"}, sort_keys=True))
        html = cache.get(key)
        if html is None:
            html = _render(cat, item)
            if len(cache) >= KEPT:
                try:  # the oldest; another thread may race
                    cache.pop(next(iter(cache)), None)
                except RuntimeError:
                    pass
            if html is not None:
                cache[key] = html
        if html is None:  # the stand-in number is in the question itself: render it as it is
            html = _field(cat, item, number, item)
        else:
            html = html.replace(str(NUMBER), str(number))
            for n, token in enumerate(tokens):
                html = html.replace(_stand_in(n), token)
        found.append(Markup(html))
    return found


def _render(cat: Catalog, item: dict) -> str | None:
    standing_in = {**item, "tokens": {_stand_in(n): option for n, option in enumerate(item["tokens"].values())}}
    html = _field(cat, standing_in, NUMBER, item)
    return html if html.count(str(NUMBER)) == 1 else None


def _field(cat: Catalog, item: dict, number: int, real: dict) -> str:
    question_field = get_template_attribute("quizzes/_macros.html", "question_field")
    return str(question_field(number, item, cat.question(real["id"]), MultiDict(), field_name, False))
