from flask import abort, current_app, render_template
from flask_login import current_user
from markupsafe import Markup

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
                           total_lessons=len(cat.lessons), shared=_shared_part(cat, found))


def _shared_part(cat, lesson) -> Markup:
    """The lesson's text, contents, key points and quiz link: the same for every reader in a
    language, so rendered once per process and content version; only the status, the form and the
    header are rendered for her (a signed-in reader's page costs about what a visitor's costs)."""
    parts = current_app.extensions.setdefault("lesson_parts", {})
    key = (cat.version, lesson.slug, lang())
    html = parts.get(key)
    if html is None:
        html = Markup(render_template("courses/_lesson_shared.html", lesson=lesson, text=lesson.text(lang())))
        if not current_app.debug:  # templates change under `flask run`
            parts[key] = html
    return html


@bp.route("/glossary")
def glossary():
    terms = sorted(catalog().glossary, key=lambda t: t["term"][lang()].lower())
    return render_template("courses/glossary.html", terms=terms)


@bp.route("/sources")
def sources():
    return render_template("courses/sources.html", groups=catalog().sources)
