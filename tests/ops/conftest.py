"""Fixtures for operations tests: a scratch PostgreSQL database of one's own (created, then dropped),
so that these tests never touch the database the rest of the suite shares."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from ..conftest import PG_URL, _pg_url, _require


@pytest.fixture
def scratch_pg_url():
    """The URL of a new, empty PostgreSQL database on the TEST_DATABASE_URL server."""
    if not PG_URL:
        if _require("REQUIRE_POSTGRES"):
            pytest.fail("REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not")
        pytest.skip("TEST_DATABASE_URL is not set")
    server = create_engine(_pg_url(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"passerelle_scratch_{uuid.uuid4().hex[:12]}"
    try:
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any connection problem means "no server"
        server.dispose()
        if _require("REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL at TEST_DATABASE_URL is not reachable: {error}")
        pytest.skip(f"PostgreSQL is not reachable: {error}")
    url = server.url.set(database=name)
    yield url.render_as_string(hide_password=False)
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A file SQLite database, then a scratch PostgreSQL one: operations run on both engines."""
    if request.param == "postgresql":
        return request.getfixturevalue("scratch_pg_url")
    return f"sqlite:///{tmp_path / 'passerelle.db'}"
