"""Records: a trainee's own records and personal data; coordinators' reports; exports (CSV, xAPI)."""
from flask import Blueprint

bp = Blueprint("records", __name__)


@bp.app_template_filter("person")
def _person(user) -> str:
    from .erasure import display_name
    return display_name(user)


@bp.app_template_filter("email_of")
def _email_of(user) -> str:
    from .erasure import display_email
    return display_email(user)


@bp.record_once
def _setup(state):
    from .cli import export_records, issue_certificates, send_xapi
    for command in (export_records, send_xapi, issue_certificates):
        state.app.cli.add_command(command)


from . import report_routes, routes  # noqa: E402,F401
