"""Language: the user's choice (account, else cookie), then Accept-Language, then French."""
from __future__ import annotations

from flask import current_app, g, request
from flask_babel import get_locale
from flask_login import current_user

LANG_COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def lang() -> str:
    """The language of this request's content ('fr' or 'en')."""
    if "lang" not in g:
        g.lang = str(get_locale())
    return g.lang


def init_app(app):
    app.jinja_env.globals["lang"] = lang

    @app.template_filter("t")
    def translate_text(value):
        """Pick this request's language from a content text {en: ..., fr: ...}."""
        if isinstance(value, dict):
            return value.get(lang()) or value.get("en", "")
        return value
