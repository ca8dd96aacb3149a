from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..content import catalog
from ..fragments import member_page
from ..i18n import lang
from ..models.attempt import FINAL
from . import bp, services


@bp.route("/progress")
@login_required
def index():
    cat = catalog()
    rows = services.rows_by_slug(current_user.id)
    overview = services.overview(cat.lessons, rows)
    resume = services.resume_point(cat.lessons, rows)
    # Her page shows her statuses, whether there is a place to resume (the button goes to /continue,
    # which finds it), and the day each lesson was completed, in her zone: members alike share a copy.
    completed = tuple(sorted((row.lesson_slug, row.completed_at) for row in rows.values() if row.completed_at))
    key = ("progress.index", current_user.is_admin, tuple(overview["statuses"].values()), resume is not None,
           completed, str(get_timezone()) if completed else None)
    return member_page(key, lambda: render_template("progress/index.html", lessons=cat.lessons, rows=rows,
                                                    overview=overview, resume=resume))


@bp.route("/continue")
@login_required
def resume():
    cat = catalog()
    rows = services.rows_by_slug(current_user.id)
    point = services.resume_point(cat.lessons, rows)
    if point is None:
        if rows and all(services.status_of(rows.get(lesson.slug)) == services.COMPLETED for lesson in cat.lessons):
            return redirect(url_for("quizzes.overview", quiz=FINAL))  # what is left: the final
        return redirect(url_for("courses.lesson", slug=cat.lessons[0].slug))
    if point.quiz and point.slug in cat.banks:
        return redirect(url_for("quizzes.overview", quiz=point.slug))
    anchor = point.section if point.section in cat.lesson(point.slug).anchors else None
    return redirect(url_for("courses.lesson", slug=point.slug, _anchor=anchor))


@bp.route("/lessons/<slug>/complete", methods=["POST"])
@login_required
def complete(slug):
    cat = catalog()
    lesson = cat.lesson(slug)
    if lesson is None:
        abort(404)
    services.mark_read(current_user.id, slug)
    if services.status_of(services.rows_by_slug(current_user.id).get(slug)) == services.COMPLETED:
        flash(_("Marked as read: %(title)s.", title=lesson.text(lang()).title), "success")
    else:
        flash(_("Marked as read: %(title)s. The lesson counts as completed once you pass its quiz.",
                title=lesson.text(lang()).title), "success")
    following = cat.neighbours(slug)[1]
    if following:
        return redirect(url_for("courses.lesson", slug=following.slug))
    return redirect(url_for("progress.index"))


@bp.route("/progress/place", methods=["POST"])
@login_required
def place():
    """Where the reader is in a lesson, sent by a small script as she scrolls (JS only enhances)."""
    lesson = catalog().lesson(request.form.get("lesson", ""))
    section = request.form.get("section", "")
    if lesson is None or section not in lesson.anchors:
        abort(400)
    services.record_place(current_user.id, lesson.slug, section)
    return ("", 204)
