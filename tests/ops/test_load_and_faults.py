"""50 trainees at once against gunicorn with 4 workers, on a file SQLite database (WAL, busy timeout)
and on PostgreSQL; then the same load with the server killed (kill -9) in the middle, and a restart.

These tests count what was lost, not how fast it went: every submission or completion the server
acknowledged (its redirect reached the trainee) is stored exactly once, no trainee ever sees a 5xx or
"database is locked", and after a crash the database is intact. Bounded: each run stops by itself."""
import sqlite3
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import create_engine, text

from .loadkit import Browser, Ledger, Server, assert_every_acknowledged_write_is_stored_once, migrate, run_trainees, stored

pytestmark = pytest.mark.load
TRAINEES = 50


def _integrity(database_url: str) -> None:
    """SQLite: PRAGMA integrity_check. PostgreSQL: amcheck on every b-tree index (when the server has it)."""
    if database_url.startswith("sqlite"):
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            conn.close()
        return
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            if conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'amcheck'")).scalar():
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
                indexes = conn.execute(text(
                    "SELECT c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE am.amname = 'btree' AND n.nspname = 'public'")).scalars().all()
                for oid in indexes:
                    conn.execute(text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
    finally:
        engine.dispose()


def _one_submission_per_trainee(state):
    per_trainee = Counter(who for who, _, _ in state["attempts"].values())
    assert all(count == 1 for count in per_trainee.values()), per_trainee


def test_fifty_trainees_at_once_lose_nothing_and_never_see_an_error(database_url, tmp_path):
    migrate(database_url, TRAINEES)
    server = Server(database_url, tmp_path / "gunicorn.log")
    ledger = Ledger()
    try:
        started = time.monotonic()
        errors = run_trainees(server.port, TRAINEES, ledger)
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    log = (tmp_path / "gunicorn.log").read_text()
    assert not errors, errors[:5]
    assert not ledger.bad, ledger.bad[:5]
    assert "database is locked" not in log and "Traceback" not in log
    assert len(ledger.submitted) == TRAINEES and len(ledger.completed) == 2 * TRAINEES
    state = stored(database_url)
    assert_every_acknowledged_write_is_stored_once(ledger, state)
    _one_submission_per_trainee(state)
    assert len(state["attempts"]) == TRAINEES
    _integrity(database_url)
    print(f"\n{TRAINEES} trainees, {len(ledger.submitted)} submissions, {len(ledger.completed)} completions "
          f"in {elapsed:.1f} s on {database_url.split(':')[0]}")


def test_a_server_killed_mid_load_restarts_with_every_acknowledged_write(database_url, tmp_path):
    migrate(database_url, TRAINEES + 5)
    log = tmp_path / "gunicorn.log"
    server = Server(database_url, log)
    ledger = Ledger()
    outcome = {}
    load = threading.Thread(target=lambda: outcome.update(errors=run_trainees(server.port, TRAINEES, ledger)),
                            daemon=True)
    load.start()
    deadline = time.monotonic() + 120
    # Kill once submissions and completions are both on their way: some acknowledged, many in flight.
    while len(ledger.completed) < 5 and time.monotonic() < deadline and load.is_alive():
        time.sleep(0.01)
    server.kill()  # kill -9, in the middle of submissions and completions
    killed_at = (len(ledger.submitted), len(ledger.completed))
    load.join(timeout=120)
    assert not load.is_alive()
    assert outcome["errors"], "the kill came too late: every trainee had finished"
    assert not ledger.bad, ledger.bad[:5]

    _integrity(database_url)  # before the restart, as the crash left it (SQLite replays its WAL on open)
    state = stored(database_url)
    assert_every_acknowledged_write_is_stored_once(ledger, state)

    restarted = Server(database_url, log)
    try:
        assert Browser(restarted.port).get("/healthz")[0] == 200
        after = Ledger()
        assert run_trainees(restarted.port, 5, after, first=TRAINEES) == []  # new trainees, after the crash
        assert not after.bad
    finally:
        restarted.stop()
    _integrity(database_url)
    final = stored(database_url)
    assert_every_acknowledged_write_is_stored_once(ledger, final)
    assert_every_acknowledged_write_is_stored_once(after, final)
    _one_submission_per_trainee(final)
    print(f"\nkilled after {killed_at[0]} acknowledged submissions and {killed_at[1]} completions; "
          f"{len(outcome['errors'])} trainees cut off; all {len(ledger.submitted)} acknowledged submissions there")
