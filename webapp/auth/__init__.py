from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import emailed_links, routes  # noqa: E402,F401


def init_app(app) -> None:
    from flask_login import user_logged_in

    from . import sessions
    user_logged_in.connect(sessions.start, app)  # first: the notices below commit in her new session
    # Every way in (password, reset link, confirmation) tells her of links someone made for her.
    user_logged_in.connect(emailed_links.announce_handed_over_links, app)
