from flask import Blueprint

bp = Blueprint("courses", __name__)

from . import changes, routes  # noqa: E402,F401
