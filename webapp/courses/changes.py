"""The public "What changed" page: whether the current content is signed off by a subject expert
(lessons/SIGNOFF.yaml), then the content editions of lessons/CHANGELOG.yaml, newest first, with the
parts of the course each one touches (what a trainer with a printed copy should reprint)."""
from flask import render_template, url_for
from flask_babel import gettext as _

from ..content import catalog
from ..i18n import lang
from . import bp


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


@bp.app_template_global("part_label")
def part_label(part: str) -> str:
    """The label of a part of the course (a sign-off's scope names them as the changelog does)."""
    return part_link(part, lang())[0]


@bp.route("/changes")
def changes():
    """Public: whether this content is signed off, what changed in it by date, and what to reprint."""
    language = lang()
    editions = [(edition, edition.when(language),
                 [(change, [part_link(part, language)[0] for part in change.parts]) for change in edition.changes],
                 [part_link(part, language) for part in edition.parts])
                for edition in catalog().changelog]
    return render_template("courses/changes.html", editions=editions, signoff=catalog().signoff())
