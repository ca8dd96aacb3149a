"""Records: a trainee's own records and personal data; coordinators' reports; exports (CSV, xAPI)."""
from flask import Blueprint

bp = Blueprint("records", __name__)


#: Settings read from the environment unless the app's config object sets them.
SETTINGS = {
    "XAPI_LRS_URL": "",                   # a Learning Record Store's xAPI endpoint, e.g. https://lrs/xapi
    "XAPI_LRS_USERNAME": "",
    "XAPI_LRS_PASSWORD": "",
}


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
    import os

    from .cli import export_records, issue_certificates, send_xapi
    for key, default in SETTINGS.items():
        state.app.config.setdefault(key, os.environ.get(key, default))
    for command in (export_records, send_xapi, issue_certificates):
        state.app.cli.add_command(command)


from . import report_routes, routes  # noqa: E402,F401
