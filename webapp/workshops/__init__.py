"""Facilitator-led workshops: set-up, joining, live questions, attendance, tests, dashboards, pack."""
from flask import Blueprint

from ..content.questions import QUESTION_TYPES
from ..i18n import lang
from ..people import country_name

bp = Blueprint("workshops", __name__)


@bp.app_template_global()
def ws_country(code: str) -> str:
    return country_name(code, lang())


@bp.app_template_filter("join_code")
def ws_join_code(code: str) -> str:
    from .services import grouped
    return grouped(code)


@bp.app_template_global()
def ws_right_key(question):
    return QUESTION_TYPES[question["type"]].correct_answer(question)


from . import dashboard_routes, live_routes, own_routes, paper_routes, people_routes, prepost_routes, present_routes, routes  # noqa: E402,F401
