from urllib.parse import urlsplit

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from .. import i18n
from ..content import catalog
from ..extensions import db
from ..fragments import member_page
from ..models import User
from ..progress import services as progress
from ..security import safe_next
from . import bp


@bp.route("/")
def home():
    cat = catalog()
    overview = resume = None
    if not current_user.is_authenticated:
        return render_template("main/home.html", catalog=cat, overview=overview, resume=resume)
    rows = progress.rows_by_slug(current_user.id)
    overview = progress.overview(cat.lessons, rows)
    resume = progress.resume_point(cat.lessons, rows)
    # The page shows her statuses and the lesson to resume (not the place in it: /continue finds it).
    key = ("main.home", current_user.is_admin, tuple(overview["statuses"].values()), resume and resume.slug)
    return member_page(key, lambda: render_template("main/home.html", catalog=cat, overview=overview,
                                                    resume=resume))


@bp.route("/language", methods=["POST"])
def language():
    """A signed-in user's choice: saved to her account too (a state change, hence POST + CSRF)."""
    chosen = request.form.get("lang", "")
    target = safe_next(request.form.get("next"), url_for("main.home"))
    if not _answers_a_get(target):
        target = url_for("main.home")
    response = redirect(target)
    if chosen in current_app.config["LANGUAGES"]:
        i18n.choose(response, chosen)
    return response


def _answers_a_get(target: str) -> bool:
    """A page shown in answer to a POST (a refused form, say) names that POST's address as the one
    to come back to; following it would be a "method not allowed". Other addresses, even unknown
    ones, answer for themselves."""
    try:
        current_app.create_url_adapter(request).match(urlsplit(target).path, method="GET")
    except MethodNotAllowed:
        return False
    except HTTPException:
        return True
    return True


@bp.route("/language/<code>")
def switch_language(code):
    """A visitor's choice, from a plain link: it only sets the preference cookie of the browser that
    follows it and redirects back. Nothing is written to the database and nobody else sees anything,
    so it is as safe to follow twice, to prefetch or to forge as a `?lang=` parameter: the worst a
    forged link can do is show a page in the other language, with the switch back on it. A link (not
    a form with a CSRF token) keeps visitors' pages free of a session cookie and identical for
    everyone, so that they can be answered with a 304."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    response = redirect(safe_next(request.args.get("next"), url_for("main.home")))
    i18n.choose(response, code, on_account=False)
    return response


@bp.route("/healthz")
def healthz():
    """For load balancers: 200 when this process can read the database, 503 when it cannot. A table
    is read, not just "SELECT 1": an empty or unmigrated database must take the server out too."""
    try:
        db.session.execute(select(User.id).limit(1))
    except Exception:  # noqa: BLE001 - any database failure means "take me out of the pool"
        db.session.rollback()
        current_app.logger.warning("healthz: the database does not answer", exc_info=True)
        return {"status": "unavailable", "database": "down"}, 503
    return {"status": "ok", "content": catalog().version}
