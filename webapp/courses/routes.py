from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..content import catalog
from ..content.render import format_date
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


def part_link(part: str, language: str) -> tuple[str, str]:
    """(label, path) of a part of the course named in the changelog: a lesson slug, or a PARTS name."""
    found = catalog().lesson(part)
    if found is not None:
        title = found.text(language).title
        return _("Lesson %(n)d: %(title)s", n=found.number, title=title), url_for("courses.lesson", slug=part)
    return {"course": (_("Course page"), url_for("main.home")),
            "glossary": (_("Glossary"), url_for("courses.glossary")),
            "sources": (_("Sources"), url_for("courses.sources")),
            "decision-aid": (_("Decision aid"), url_for("decide.index")),
            "quizzes": (_("Quizzes"), url_for("quizzes.index"))}[part]


@bp.route("/changes")
def changes():
    """Public: what changed in the course content, by date, and what to reprint."""
    language = lang()
    editions = [(edition, format_date(edition.date, language),
                 [(change, [part_link(part, language)[0] for part in change.parts]) for change in edition.changes],
                 [part_link(part, language) for part in edition.parts])
                for edition in catalog().changelog]
    return render_template("courses/changes.html", editions=editions)
