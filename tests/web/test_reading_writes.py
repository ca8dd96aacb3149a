"""Reading progress writes only when something changes (the first visit, a return from another
lesson, a new place, a last visit older than VISIT_REFRESH): a trainee's repeat view of a lesson
costs what a visitor's costs, and nothing she did is lost."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import LessonProgress
from webapp.progress.services import VISIT_REFRESH

from .test_attempt_durability import every_pooled_connection
from .test_query_counts import counting

pytestmark = pytest.mark.engine_sensitive  # statement counts and transactions differ by engine

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(statements):
    return [s for s in statements if s.lstrip().upper().startswith(WRITES)]


def rows(user_id):
    return {r.lesson_slug: r for r in db.session.scalars(select(LessonProgress).filter_by(user_id=user_id))}


@pytest.fixture
def reader(app, client, auth, trainee):
    auth.login()
    lessons = [lesson.slug for lesson in app.extensions["catalog"].lessons]
    return client, trainee, lessons


def test_a_repeat_view_writes_nothing(reader):
    client, trainee, (first, *_) = reader
    with counting() as statements:
        assert client.get(f"/lessons/{first}").status_code == 200
    assert len(writes(statements)) == 1  # the first visit is recorded
    with counting() as statements:
        page = client.get(f"/lessons/{first}")
    assert page.status_code == 200 and "Mark as read" in page.get_data(as_text=True)
    assert writes(statements) == []
    assert len(statements) == 1, statements  # her session, account and reading rows, in one query


def test_returning_from_another_lesson_is_recorded_so_resume_follows_her(reader):
    client, trainee, (first, second, *_) = reader
    client.get(f"/lessons/{first}")
    client.get(f"/lessons/{second}")
    with counting() as statements:
        client.get(f"/lessons/{first}")
    assert len(writes(statements)) == 1
    db.session.expire_all()
    assert client.get("/continue").headers["Location"].startswith(f"/lessons/{first}")
    client.get(f"/lessons/{second}")
    assert client.get("/continue").headers["Location"].startswith(f"/lessons/{second}")


def test_a_long_stay_refreshes_the_last_visit_at_most_once_per_interval(reader):
    client, trainee, (first, *_) = reader
    client.get(f"/lessons/{first}")
    old = rows(trainee.id)[first].visited_at - VISIT_REFRESH - timedelta(seconds=1)
    db.session.execute(update(LessonProgress).where(LessonProgress.user_id == trainee.id).values(visited_at=old))
    db.session.commit()
    with counting() as statements:
        client.get(f"/lessons/{first}")
    assert len(writes(statements)) == 1
    db.session.expire_all()
    assert rows(trainee.id)[first].visited_at > old
    with counting() as statements:
        client.get(f"/lessons/{first}")
    assert writes(statements) == []


def test_the_place_is_written_when_it_moves_only(app, reader):
    client, trainee, (first, *_) = reader
    anchors = sorted(app.extensions["catalog"].lesson(first).anchors)
    client.get(f"/lessons/{first}")
    with counting() as statements:
        assert client.post("/progress/place", data={"lesson": first, "section": anchors[0]}).status_code == 204
    assert len(writes(statements)) == 1
    with counting() as statements:
        client.post("/progress/place", data={"lesson": first, "section": anchors[0]})
    assert writes(statements) == []
    client.post("/progress/place", data={"lesson": first, "section": anchors[1]})
    db.session.expire_all()
    assert rows(trainee.id)[first].last_section == anchors[1]
    assert client.get("/continue").headers["Location"] == f"/lessons/{first}#{anchors[1]}"


def test_marking_read_after_repeat_views_is_kept(reader):
    client, trainee, (first, *_) = reader
    for _ in range(3):
        client.get(f"/lessons/{first}")
    client.post(f"/lessons/{first}/complete")
    db.session.expire_all()
    assert rows(trainee.id)[first].read_at is not None
    assert "You marked this lesson as read" in client.get(f"/lessons/{first}").get_data(as_text=True)


def test_the_course_home_reads_one_statement_and_writes_nothing(reader):
    client, trainee, (first, *_) = reader
    client.get(f"/lessons/{first}")
    client.get("/")
    with counting() as statements:
        page = client.get("/")
    assert page.status_code == 200 and "Continue where you left off" in page.get_data(as_text=True)
    assert len(statements) == 1, statements  # her session, account and reading rows


@pytest.mark.postgresql_only
def test_a_repeat_view_on_postgresql_opens_no_transaction(reader):
    """Its one statement runs on its own: no BEGIN before it and no ROLLBACK after, one round trip
    to the server instead of three. A first visit, which writes, still writes in a transaction."""
    from sqlalchemy import event

    client, trainee, (first, *_) = reader
    from psycopg.pq import TransactionStatus
    seen = []

    def status(conn, cursor, statement, *args):
        seen.append((statement.split()[0].upper(), conn.connection.driver_connection.info.transaction_status))
    event.listen(db.engine, "after_cursor_execute", status)
    try:
        assert client.get(f"/lessons/{first}").status_code == 200  # the first visit: her row inserted
        first_visit, seen[:] = list(seen), []
        assert client.get(f"/lessons/{first}").status_code == 200
    finally:
        event.remove(db.engine, "after_cursor_execute", status)
    assert seen == [("SELECT", TransactionStatus.IDLE)]
    assert first_visit[0] == ("SELECT", TransactionStatus.IDLE)  # her account, read on its own
    assert all(state == TransactionStatus.INTRANS for _, state in first_visit[1:]), first_visit
    assert any(verb == "INSERT" for verb, _ in first_visit[1:])
    assert rows(trainee.id)[first].visited_at is not None


@pytest.mark.postgresql_only
def test_no_postgresql_connection_goes_back_to_the_pool_in_autocommit(app):
    """Were a request to end while her account was being read on its own (an error, say), the next
    request on that connection must still write in transactions (savepoints, all-or-nothing)."""
    with db.engine.connect() as connection:
        connection.connection.driver_connection.autocommit = True  # as if left so
    assert set(every_pooled_connection(lambda driver: driver.autocommit)) == {False}
