from flask import Blueprint

from ..content.questions import QUESTION_TYPES

bp = Blueprint("quizzes", __name__)


@bp.app_template_global()
def qtype(question: dict):
    """The question's type, for templates: ``{% include qtype(q).template('form') %}``."""
    return QUESTION_TYPES[question["type"]]

from . import routes  # noqa: E402,F401
