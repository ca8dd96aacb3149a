"""Records: a trainee's own records and personal data; coordinators' reports; exports (CSV, xAPI)."""
from flask import Blueprint

from ..people import display_email, display_name

bp = Blueprint("records", __name__)


@bp.app_template_filter("person")
def _person(user) -> str:
    return display_name(user)


@bp.app_template_filter("email_of")
def _email_of(user) -> str:
    return display_email(user)


from . import report_routes, routes  # noqa: E402,F401
