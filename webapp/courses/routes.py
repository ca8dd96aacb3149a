from flask import abort, render_template
from flask_login import current_user

from ..content import catalog
from ..i18n import lang
from ..progress import services as progress
from . import bp


@bp.route("/lessons/<slug>")
def lesson(slug):
    cat = catalog()
    found = cat.lesson(slug)
    if found is None:
        abort(404)
    status, read = None, False
    if current_user.is_authenticated:
        row = progress.record_visit(current_user.id, slug).get(slug)
        status, read = progress.status_of(row), bool(row and row.read_at)
    previous, following = cat.neighbours(slug)
    return render_template("courses/lesson.html", lesson=found, text=found.text(lang()),
                           previous=previous, following=following, status=status, read=read,
                           total_lessons=len(cat.lessons))


@bp.route("/glossary")
def glossary():
    return render_template("courses/glossary.html")


@bp.route("/sources")
def sources():
    return render_template("courses/sources.html", groups=catalog().sources)
