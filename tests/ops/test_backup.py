"""`flask --app webapp backup PATH`: a consistent copy of a SQLite database that is being written."""
import os
import sqlite3
import subprocess
import sys
import threading
import time

from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db

from ..conftest import DATA, ROOT


def _migrated_sqlite(path):
    app = create_app(type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "CONTENT_DIR": DATA}))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return app


def _flask(*args, database):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}", CONTENT_DIR=str(DATA))
    return subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


class Writer(threading.Thread):
    """Writes pairs of rows, each pair in one transaction, until stopped; counts committed pairs."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self.committed, self.stop = path, 0, threading.Event()

    def run(self):
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        while not self.stop.is_set():
            n = self.committed
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO login_attempt (key, at) VALUES (?, CURRENT_TIMESTAMP)", (f"pair:{n}",))
            conn.execute("INSERT INTO login_attempt (key, at) VALUES (?, CURRENT_TIMESTAMP)", (f"pair:{n}",))
            conn.execute("COMMIT")
            self.committed += 1
        conn.close()


def test_backup_of_a_live_database_holds_whole_transactions_and_passes_its_integrity_check(tmp_path):
    live, copy = tmp_path / "live.db", tmp_path / "copy.db"
    _migrated_sqlite(live)
    writer = Writer(live)
    writer.start()
    while writer.committed < 200:
        time.sleep(0.01)
    done = _flask("backup", str(copy), database=live)
    at_copy_end = writer.committed
    while writer.committed < at_copy_end + 100:  # the site kept writing after the copy
        time.sleep(0.01)
    writer.stop.set()
    writer.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert "integrity check ok" in done.stdout

    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = conn.execute("SELECT key, count(*) FROM login_attempt GROUP BY key").fetchall()
    conn.close()
    assert 200 <= len(counts) <= at_copy_end + 1 < writer.committed  # a snapshot, not the final state
    assert {count for _, count in counts} == {2}                      # never half of a transaction
    assert not (tmp_path / "copy.db.partial").exists()
    assert not (tmp_path / "copy.db-wal").exists()  # one self-contained file


def test_backup_refuses_to_overwrite_unless_forced(tmp_path):
    live, copy = tmp_path / "live.db", tmp_path / "copy.db"
    app = _migrated_sqlite(live)
    copy.write_text("precious")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["backup", str(copy)])
    assert refused.exit_code != 0 and "exists" in refused.output and copy.read_text() == "precious"
    forced = runner.invoke(args=["backup", "--force", str(copy)])
    assert forced.exit_code == 0, forced.output
    assert sqlite3.connect(copy).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_on_postgresql_points_to_pg_dump(tmp_path):
    app = create_app(type("Cfg", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:9/none", "CONTENT_DIR": DATA}))
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x.db")])
    assert result.exit_code != 0 and "pg_dump --format=custom" in result.output
