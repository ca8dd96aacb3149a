"""Friendly error pages in the reader's language: never a stack trace."""
from flask import g, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db, login_manager

# The last resort, when even the error page cannot be drawn: no template, no database, both languages.
BARE_500 = ("<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Erreur / Error</title>"
            "<h1>Une erreur s’est produite de notre côté</h1><p>Réessayez dans un moment.</p>"
            "<h1 lang=\"en\">Something went wrong on our side</h1><p lang=\"en\">Try again in a moment.</p></html>")


def _messages():
    return {
        400: (_("This request could not be understood"), _("Something in what was sent is not valid. Go back, check the form and try again.")),
        401: (_("Please sign in"), _("You need to sign in to see this page.")),
        403: (_("You do not have access to this page"), _("Your account does not allow this. If you think it should, ask your facilitator or an administrator.")),
        404: (_("Page not found"), _("There is no page at this address. Check the link, or start again from the course page.")),
        405: (_("This action is not allowed here"), _("This address does not accept this kind of request.")),
        409: (_("This cannot be done now"), _("Something changed meanwhile. Go back, reload the page and try again.")),
        413: (_("What you sent is too large"), _("Send less at once and try again.")),
        429: (_("Too many requests"), _("Wait a moment, then try again.")),
        503: (_("The site is not available for a moment"), _("The site cannot reach its database right now. What you had already saved is safe. Try again in a few minutes.")),
        500: (_("Something went wrong on our side"), _("Nothing you did caused this. What you had already saved is safe. Try again in a moment.")),
    }


def render_error(code: int, detail: str | None = None):
    title, text = _messages().get(code, _messages()[500])
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("This form has expired or was sent from elsewhere. Go back, reload the page and send it again."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        return render_error(error.code if error.code in _messages() else 500)

    @app.errorhandler(Exception)
    def server_error(error):
        app.logger.exception("unhandled error")
        # "No database" (refused, missing, timed out, locked too long) rather than a bug.
        database_down = isinstance(error, OperationalError) or (
            isinstance(error, DBAPIError) and error.connection_invalidated)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the connection is gone: nothing to roll back
            pass
        if database_down:
            # The page must not ask the database who is signed in (that is what failed): draw it for
            # a visitor, in the language of her cookie or browser.
            g._login_user = login_manager.anonymous_user()
        try:
            return render_error(503 if database_down else 500)
        except Exception:  # noqa: BLE001 - the error page itself failed: a page that needs nothing
            app.logger.exception("error page failed")
            return BARE_500, 500, {"Content-Type": "text/html; charset=utf-8"}
