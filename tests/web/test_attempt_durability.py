"""Opening a quiz attempt commits without waiting for the disk; everything else still waits.

A power cut may take back an attempt just opened (a reload opens it again), never her answers: the
submission, and whatever the same connection writes next, is durable. Checked at each commit on the
connection itself (SQLite's ``synchronous``, PostgreSQL's ``synchronous_commit``)."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from webapp.extensions import db

from .test_quizzes import right_answers, start

pytestmark = pytest.mark.engine_sensitive

DURABLE = {"sqlite": "2", "postgresql": "on"}  # FULL; on
LAZY = {"sqlite": "1", "postgresql": "off"}    # NORMAL; off


def _level(dbapi_connection, engine: str) -> str:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous" if engine == "sqlite" else "SHOW synchronous_commit")
    value = str(cursor.fetchone()[0])
    cursor.close()
    return value


@contextmanager
def commits_seen():
    """The durability of each commit on the app's engine, as (what, level), in order."""
    engine, seen = db.engine, []
    name = engine.dialect.name

    def on_commit(connection):
        seen.append(("commit", _level(connection.connection.driver_connection, name)))

    def on_release(connection, savepoint_name, context):
        seen.append(("release", _level(connection.connection.driver_connection, name)))
    event.listen(engine, "commit", on_commit)
    event.listen(engine, "release_savepoint", on_release)
    try:
        yield seen
    finally:
        event.remove(engine, "commit", on_commit)
        event.remove(engine, "release_savepoint", on_release)


def test_opening_an_attempt_does_not_wait_for_the_disk_and_her_answers_do(app, client, auth, trainee):
    name = db.engine.dialect.name
    auth.login()
    client.get("/records")
    with commits_seen() as opening:
        attempt_id = start(client, "first-steps")
    assert opening and {level for _, level in opening} == {LAZY[name]}, opening
    with commits_seen() as submitting:
        assert client.post(f"/attempts/{attempt_id}", data=right_answers(attempt_id)).status_code == 302
    assert submitting and {level for _, level in submitting} == {DURABLE[name]}, submitting
    _every_pooled_connection_is_durable(name)  # the one the start used went back durable


def test_resuming_an_open_attempt_writes_nothing_and_leaves_the_connection_durable(app, client, auth, trainee):
    name = db.engine.dialect.name
    auth.login()
    first = start(client, "first-steps")
    with commits_seen() as resuming:
        assert start(client, "first-steps") == first  # a reload of "start": the same attempt
    assert all(level == DURABLE[name] for _, level in resuming), resuming
    _every_pooled_connection_is_durable(name)


def test_a_failure_while_opening_leaves_no_lazy_connection_in_the_pool(app, client, auth, trainee, monkeypatch):
    """An error after the start set its level (here, drawing the questions) must not leave the next
    request, say a submission, committing without the disk."""
    from webapp.quizzes import drawing
    name = db.engine.dialect.name
    auth.login()
    monkeypatch.setattr(drawing, "draw", lambda *args, **kwargs: 1 / 0)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.post("/quizzes/first-steps/start").status_code == 500
    monkeypatch.undo()
    _every_pooled_connection_is_durable(name)


def _every_pooled_connection_is_durable(name: str) -> None:
    assert set(every_pooled_connection(lambda driver: _level(driver, name))) == {DURABLE[name]}


def every_pooled_connection(read) -> list:
    """``read(driver connection)`` of every connection the pool holds, all checked out at once (one
    at a time, the pool could hand out the same one each time)."""
    pooled = [db.engine.connect() for _ in range(max(1, db.engine.pool.checkedin()))]
    try:
        return [read(connection.connection.driver_connection) for connection in pooled]
    finally:
        for connection in pooled:
            connection.close()
