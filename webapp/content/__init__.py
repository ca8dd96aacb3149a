"""Course content: parse, validate and render the files under lessons/ and quizzes/ once.

No routes and no database here. ``init_app`` loads the catalog at start and refuses to start on
invalid content, naming file and line.
"""
import sys

from .model import Catalog, ContentError, load_catalog  # noqa: F401


def init_app(app):
    try:
        app.extensions["catalog"] = load_catalog(app.config["CONTENT_DIR"], cache=app.config.get("CONTENT_CACHE"))
    except ContentError:
        # `flask content check` must still run on broken content, to list the problems.
        if sys.argv[1:] and sys.argv[-2:] == ["content", "check"]:
            app.extensions["catalog"] = None
            return
        raise


def catalog() -> Catalog:
    from flask import current_app
    return current_app.extensions["catalog"]
