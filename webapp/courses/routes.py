from flask import abort, render_template
from flask_login import current_user

from ..content import catalog
from ..fragments import member_page
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

    def render():
        return render_template("courses/lesson.html", lesson=found, text=found.text(lang()),
                               previous=previous, following=following, status=status, read=read,
                               total_lessons=len(cat.lessons))
    if not current_user.is_authenticated:
        return render()
    return member_page(("courses.lesson", slug, current_user.is_admin, status, read), render)


@bp.route("/glossary")
def glossary():
    return _for_anyone("courses.glossary", lambda: render_template("courses/glossary.html"))


@bp.route("/sources")
def sources():
    return _for_anyone("courses.sources", lambda: render_template("courses/sources.html", groups=catalog().sources))


def _for_anyone(endpoint, render):
    """A page the same for every reader in a language: a member's copy differs only by her role."""
    if not current_user.is_authenticated:
        return render()
    return member_page((endpoint, current_user.is_admin), render)
