from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text

from ..content import catalog
from ..extensions import db
from ..i18n import LANG_COOKIE
from ..progress import services as progress
from ..security import safe_next
from . import bp


@bp.route("/")
def home():
    cat = catalog()
    overview = resume = None
    if current_user.is_authenticated:
        rows = progress.rows_by_slug(current_user.id)
        overview = progress.overview(cat.lessons, rows)
        resume = progress.resume_point(cat.lessons, rows)
    return render_template("main/home.html", catalog=cat, overview=overview, resume=resume)


@bp.route("/language", methods=["POST"])
def language():
    chosen = request.form.get("lang", "")
    target = safe_next(request.form.get("next"), url_for("main.home"))
    response = redirect(target)
    if chosen in current_app.config["LANGUAGES"]:
        response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
        if current_user.is_authenticated and current_user.language != chosen:
            current_user.language = chosen
            db.session.commit()
    return response


@bp.route("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok", "content": catalog().version}
