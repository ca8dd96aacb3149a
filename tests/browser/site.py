"""A live server for the budget and accessibility tests: the real course, CSRF on, and a log of what
reached the server (the browser's own accounting can count memory-cache hits as requests)."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass

from werkzeug.serving import make_server

from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db

from ..conftest import ROOT
from ..pages import add_crash_route

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@dataclass
class Hit:
    method: str
    path: str
    status: int
    conditional: bool  # the browser sent If-None-Match


class Recorder:
    """WSGI middleware: every request that reaches the app, with its status."""

    def __init__(self, app):
        self.app = app
        self.hits: list[Hit] = []

    def __call__(self, environ, start_response):
        def recording(status, headers, exc_info=None):
            path = environ.get("PATH_INFO", "") + (("?" + environ["QUERY_STRING"]) if environ.get("QUERY_STRING") else "")
            self.hits.append(Hit(environ["REQUEST_METHOD"], path, int(status.split()[0]),
                                 "HTTP_IF_NONE_MATCH" in environ))
            return start_response(status, headers, exc_info)
        return self.app(environ, recording)


@contextmanager
def serve(tmp_path):
    """(base URL, app, recorder) of the real course on a free loopback port."""
    config = type("BudgetConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'site.db'}",
        "CONTENT_DIR": ROOT, "WTF_CSRF_ENABLED": True, "TESTING": False})
    app = create_app(config)
    add_crash_route(app)
    with app.app_context():
        db.create_all()
    recorder = Recorder(app.wsgi_app)
    app.wsgi_app = recorder
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app, recorder
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


def sign_in(context, base: str, app, user_id: str) -> None:
    """Give the browser context the session cookie of the user whose ``get_id()`` is ``user_id``
    (no password round, no sign-in throttle)."""
    from webapp.auth import sessions
    from webapp.models import User
    with app.app_context():
        server_side = sessions.open_for(db.session.get(User, int(user_id.split(":")[0])))
    with app.test_request_context():
        value = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": user_id, "_fresh": True, **server_side})
    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": base}])
