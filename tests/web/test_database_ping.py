"""A pooled PostgreSQL connection that sat idle is checked before use, so a database restart (or a
firewall cutting idle connections) costs no request an error; one used a moment ago is not checked,
which saves a round trip on nearly every request."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from webapp import create_app
from webapp.extensions import db

from ..conftest import Client, _config


@pytest.fixture
def pg_app(pg_engine):
    def make(idle_seconds):
        app = create_app(_config(pg_engine.url.render_as_string(hide_password=False),
                                 DB_PING_IDLE_SECONDS=idle_seconds))
        app.test_client_class = Client
        return app
    yield make


def cut_every_connection_but_this_one(engine):
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    time.sleep(0.2)  # the server closes them


def pings(app):
    """The round trips spent checking connections, counted from now on."""
    count = []
    dialect = app.extensions["sqlalchemy"].engine.dialect
    original = dialect.do_ping

    def counted(connection):
        count.append(1)
        return original(connection)
    dialect.do_ping = counted
    return count


def test_an_idle_connection_cut_by_the_server_is_replaced_before_a_request_uses_it(pg_app, pg_engine):
    app = pg_app(0)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    with app.app_context():
        assert db.session.execute(text("SELECT 1")).scalar() == 1
        db.session.remove()
    cut_every_connection_but_this_one(pg_engine)
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM \"user\"")).scalar() >= 0
        db.session.remove()
        db.engine.dispose()


def test_a_connection_used_a_moment_ago_is_not_pinged(pg_app):
    app = pg_app(60)
    with app.app_context():
        counted = pings(app)
        for _ in range(3):
            db.session.execute(text("SELECT 1"))
            db.session.remove()
        assert counted == []
        db.engine.dispose()
    app = pg_app(0)
    with app.app_context():
        counted = pings(app)
        db.session.execute(text("SELECT 1"))
        db.session.remove()
        db.session.execute(text("SELECT 1"))
        db.session.remove()
        assert len(counted) >= 1
        db.engine.dispose()


def test_the_control_a_cut_connection_used_unchecked_fails(pg_app, pg_engine):
    """Why the check exists: the same cut, on a connection trusted because it was used a moment ago,
    fails the statement (the trade-off accepted for connections idle under DB_PING_IDLE_SECONDS)."""
    from sqlalchemy.exc import OperationalError
    app = pg_app(60)
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.remove()
        cut_every_connection_but_this_one(pg_engine)
        with pytest.raises(OperationalError):
            db.session.execute(text("SELECT 1"))
        db.session.remove()
        assert db.session.execute(text("SELECT 1")).scalar() == 1  # the pool has replaced it
        db.session.remove()
        db.engine.dispose()
