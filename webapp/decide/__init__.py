"""The "Trafficking or smuggling?" decision aid (outline section 4), at /decide."""
from flask import Blueprint

bp = Blueprint("decide", __name__)

from . import routes  # noqa: E402,F401
