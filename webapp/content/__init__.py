"""Course content: parse, validate and render the files under lessons/ and quizzes/ once.

No routes and no database here. ``init_app`` loads the catalog at start and refuses to start on
invalid content, naming file and line.
"""
from .model import Catalog, ContentError, load_catalog  # noqa: F401


def init_app(app):
    # Invalid content stops the app here, naming file and line (`python -m webapp.content check`
    # lists every problem without starting it).
    app.extensions["catalog"] = load_catalog(app.config["CONTENT_DIR"], cache=app.config.get("CONTENT_CACHE"))


def catalog() -> Catalog:
    from flask import current_app
    return current_app.extensions["catalog"]
