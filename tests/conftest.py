"""Fixtures: an app on the tiny sample course, on SQLite and, for engine-sensitive tests, PostgreSQL.

Which engine? ``app`` (and ``client``, ``auth``, ``trainee``... built on it) runs on SQLite. A test
whose outcome could differ on PostgreSQL asks for both engines with the ``engine_sensitive`` marker
(on the test, or ``pytestmark = pytest.mark.engine_sensitive`` for a whole file); it then runs twice,
``[sqlite]`` and ``[postgresql]``. Mark it when it exercises concurrency or locking, a constraint or
a race caught by one (unique pairs, savepoints), query counts, reports and aggregates (GROUP BY,
dates, case-folding), deletion cascades, time arithmetic in SQL, or input the engines store
differently (NUL bytes, huge numbers). Pages, forms, redirects, translations and access rules do not
need it. ``postgresql_only`` runs it on PostgreSQL alone (what only its driver does). ``sqlite_app`` is
SQLite whatever the marker.

REQUIRE_POSTGRES=1 turns "PostgreSQL is not there" from a skip into a failure (CI sets it).
"""
from __future__ import annotations

import contextvars
import os
import shutil
import uuid
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db

from .factories import make_user

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def _pg_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _require(flag: str) -> bool:
    return os.environ.get(flag, "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def pg_engine():
    """A migrated PostgreSQL database of this test session's own (created on the TEST_DATABASE_URL
    server, dropped at the end, so that concurrent runs never touch each other's data), or a skip
    (a failure under REQUIRE_POSTGRES)."""
    if not PG_URL:
        if _require("REQUIRE_POSTGRES"):
            pytest.fail("REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not")
        pytest.skip("TEST_DATABASE_URL is not set")
    server = create_engine(_pg_url(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"passerelle_test_{uuid.uuid4().hex[:12]}"
    try:
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any connection problem means "no server"
        server.dispose()
        if _require("REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL at TEST_DATABASE_URL is not reachable: {error}")
        pytest.skip(f"PostgreSQL is not reachable: {error}")
    url = server.url.set(database=name)
    engine = create_engine(url)
    app = create_app(_config(url.render_as_string(hide_password=False)))
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
        db.engine.dispose()
    yield engine
    engine.dispose()
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


class Client(FlaskClient):
    """Each request runs in a context of its own, as in production: its own ``g``, its own
    database session. The test's session then starts afresh, so it sees what the request saved."""

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.rollback()
        return response


def _config(url: str, **extra):
    return type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "CONTENT_DIR": DATA, **extra})


def pytest_generate_tests(metafunc):
    """Runs a test that uses ``app`` on SQLite, or on both engines when it is marked engine_sensitive."""
    if "app" in metafunc.fixturenames:
        if metafunc.definition.get_closest_marker("postgresql_only") is not None:
            metafunc.parametrize("app", ["postgresql"], indirect=True)
            return
        sensitive = metafunc.definition.get_closest_marker("engine_sensitive") is not None
        metafunc.parametrize("app", ["sqlite", "postgresql"] if sensitive else ["sqlite"], indirect=True)


@pytest.fixture
def app(request):
    engine = getattr(request, "param", "sqlite")
    if engine == "postgresql":
        url = request.getfixturevalue("pg_engine").url
        app = create_app(_config(str(url.render_as_string(hide_password=False))))
    else:
        app = create_app(_config(f"sqlite:///{request.getfixturevalue('tmp_path') / 'test.db'}"))
    app.test_client_class = Client
    with app.app_context():
        if engine == "sqlite":
            db.create_all()
        yield app
        db.session.remove()
        if engine == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture
def csrf_app(tmp_path):
    """An app that checks CSRF tokens, as production does (the test configuration does not)."""
    app = create_app(_config(f"sqlite:///{tmp_path / 'csrf.db'}", WTF_CSRF_ENABLED=True))
    app.test_client_class = Client
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


@pytest.fixture
def sqlite_app(tmp_path):
    """For tests about behaviour that does not depend on the database engine."""
    app = create_app(_config(f"sqlite:///{tmp_path / 'test.db'}"))
    app.test_client_class = Client
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


@pytest.fixture
def content(tmp_path):
    """A copy of the sample course that a test may edit."""
    folder = tmp_path / "content"
    shutil.copytree(DATA, folder)
    return folder


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, email="trainee@example.org", password="correct horse battery"):
        return self.client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def trainee(app):
    return make_user(email="trainee@example.org", password="correct horse battery", language="en")
