"""Language: the user's choice (account, else cookie), then Accept-Language, then French."""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

from flask import current_app, flash, g, make_response, redirect, request
from flask.globals import _cv_app
from flask_babel import force_locale, get_locale, get_translations, refresh
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from .languages import LANGUAGES
from .typography import french_typography

LANG_COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def choose(response, chosen: str, on_account: bool = True) -> None:
    """Her choice of language: kept in a cookie (a visitor's only record of it) and, when she is
    signed in and ``on_account``, on her account; this request's own pages are in it from now on."""
    from .extensions import db

    response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    if on_account and current_user.is_authenticated and current_user.language != chosen:
        current_user.language = chosen
        db.session.commit()
    g.pop("lang", None)
    refresh()


def form_in_chosen_language(address: str, render, still_open: bool):
    """The answer to a language switch posted with a form's answers (a quiz, a workshop's test):
    the form again, ``render()``-ed in the chosen language with her answers, its own ``address``
    named; or, once the form is done with, a redirect there. Nothing but the choice is saved."""
    chosen = request.form.get("lang", "")
    known = chosen in current_app.config["LANGUAGES"]
    if not still_open:
        response = redirect(address)  # that page says what became of it
    elif not known:
        flash(_("Choose French or English."), "error")
        return render(), 400
    else:
        response = make_response()
        response.headers["Content-Location"] = address
    if known:
        choose(response, chosen)
    if response.status_code == 200:  # rendered once her choice is in force
        response.set_data(render())
    return response


def lang() -> str:
    """The language of this request's content ('fr' or 'en')."""
    if "lang" not in g:
        g.lang = str(get_locale())
    return g.lang


def _translations():
    """The request's catalogue, for templates. flask-babel looks it up through several context
    proxies at each call (tens of microseconds; a roster of 40 trainees makes 500 calls): keep the
    one for the locale in force (force_locale changes it) on flask-babel's own request namespace."""
    app_ctx = _cv_app.get(None)
    space = app_ctx.g.__dict__.get("_flask_babel") if app_ctx is not None else None
    locale = getattr(space, "babel_locale", None)
    if locale is None:
        return get_translations()  # the first call of a request: flask-babel chooses the locale
    if getattr(space, "kept_locale", None) is not locale:
        space.kept_translations, space.kept_locale = get_translations(), locale
    return space.kept_translations


def question_lang(question) -> Markup:
    """` lang="fr"` for a question typed in one language (a facilitator's own, whose ``lang`` says
    which) shown on a page in the other, so that a screen reader reads it with the right voice;
    nothing for the course's questions (written in every language), on a page in its own language,
    or for an own question kept before it said."""
    code = question.get("lang") if isinstance(question, dict) else None
    return Markup(f' lang="{code}"') if code in LANGUAGES and code != lang() else Markup("")


def colon() -> str:
    """":" between a label and its value: French puts a non-breaking space before it."""
    return "\u00a0:" if lang() == "fr" else ":"


def init_app(app):
    app.jinja_env.globals["lang"] = lang
    app.jinja_env.globals["colon"] = colon
    app.jinja_env.globals["question_lang"] = question_lang
    app.jinja_env.globals["in_language"] = _body_in_language
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True)

    @app.template_filter("t")
    def translate_text(value):
        """Pick this request's language from a content text {en: ..., fr: ...}."""
        if isinstance(value, dict):
            if lang() == "fr" and value.get("fr"):
                return _content_french(value["fr"])
            return value.get(lang()) or value.get("en", "")
        return value


@lru_cache(maxsize=8192, typed=True)  # typed: a Markup text stays Markup
def _content_french(text: str) -> str:
    """The course's texts are fixed while the process runs, and a quiz form spaces forty of them."""
    return french_typography(text)


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


def _body_in_language(lang: str, caller) -> str:
    """``{% call in_language(code) %}...{% endcall %}``: the block in ``code``, the page around it in
    the reader's. What a workshop prints is in its language, but the page that shows it stays in the
    reader's, so that she can read its instructions and switch the language of the site."""
    with in_language(lang):
        return caller()
