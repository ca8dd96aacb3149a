"""Verifiable credentials: Open Badges 3.0 for every certificate, the keys that sign them, the status
list that revokes them, and the verifiers (online page, offline file, command)."""
from flask import Blueprint

bp = Blueprint("credentials", __name__)

from . import routes  # noqa: E402,F401
