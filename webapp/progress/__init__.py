from flask import Blueprint

bp = Blueprint("progress", __name__)

from . import routes  # noqa: E402,F401
