"""Data created at the first migration survives upgrading to the latest one, on SQLite and PostgreSQL."""
from datetime import datetime

from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import DateTime, bindparam, inspect, text

from webapp import MIGRATIONS, create_app
from webapp.config import TestConfig
from webapp.extensions import db

from ..conftest import DATA

WHEN = datetime(2026, 1, 15, 9, 30)


def sql(statement: str):
    """Raw SQL whose :when parameter is a timestamp, stored as each engine stores the models' own."""
    return text(statement).bindparams(bindparam("when", type_=DateTime)) if ":when" in statement else text(statement)


def when(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _revisions():
    script = ScriptDirectory(str(MIGRATIONS))
    return script.get_base(), script.get_current_head()


def test_there_is_one_line_of_migrations():
    script = ScriptDirectory(str(MIGRATIONS))
    assert len(script.get_heads()) == 1, f"several heads {script.get_heads()}: set down_revision of the newest"
    assert len(script.get_bases()) == 1


def test_data_from_the_first_revision_survives_every_upgrade(database_url):
    first, head = _revisions()
    app = create_app(type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, "CONTENT_DIR": DATA}))
    with app.app_context():
        upgrade(revision=first)
        with db.engine.begin() as conn:
            conn.execute(sql(
                'INSERT INTO "user" (id, email, name, password_hash, organisation, country, profession, language, '
                "role, created_at, session_token) VALUES "
                "(1, 'aissatou@example.org', 'Aïssatou N''Diaye', 'scrypt:32768:8:1$salt$hash', 'Police', 'SN', "
                "'police', 'fr', 'trainee', :when, 3), "
                "(2, 'dorde@example.org', 'Đorđe Petrović', 'scrypt:32768:8:1$salt$hash2', 'IOM', 'PT', 'ngo', 'en', "
                "'facilitator', :when, 0)"), {"when": WHEN})
            conn.execute(sql(
                "INSERT INTO lesson_progress (user_id, lesson_slug, started_at, completed_at, last_section, visited_at) "
                "VALUES (1, 'first-steps', :when, :when, 'elements', :when), "
                "(1, 'second-steps', :when, NULL, 'intro', :when)"), {"when": WHEN})
            conn.execute(sql("INSERT INTO login_attempt (key, at) VALUES ('address:203.0.113.5', :when)"),
                         {"when": WHEN})
        upgrade(revision="head")
        with db.engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            users = conn.execute(text('SELECT id, email, name, role, session_token, created_at FROM "user" ORDER BY id')).all()
            progress = conn.execute(sql(
                "SELECT user_id, lesson_slug, completed_at, last_section FROM lesson_progress ORDER BY lesson_slug")).all()
            attempts = conn.execute(text("SELECT key FROM login_attempt")).all()
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert version == head
    users = [(*u[:5], when(u[5])) for u in users]
    progress = [(p[0], p[1], when(p[2]), p[3]) for p in progress]
    assert users == [
        (1, "aissatou@example.org", "Aïssatou N'Diaye", "trainee", 3, WHEN),
        (2, "dorde@example.org", "Đorđe Petrović", "facilitator", 0, WHEN)]
    assert progress == [(1, "first-steps", WHEN, "elements"), (1, "second-steps", None, "intro")]
    assert [tuple(a) for a in attempts] == [("address:203.0.113.5",)]
    # Every table the models declare exists after the upgrade: no model without its migration.
    assert {t.name for t in db.metadata.sorted_tables} <= tables


def test_the_upgraded_database_serves_the_old_trainee(database_url):
    """After the upgrade the app works with the old rows: the trainee signs in and sees her progress."""
    from werkzeug.security import generate_password_hash
    first, _ = _revisions()
    app = create_app(type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, "CONTENT_DIR": DATA}))
    with app.app_context():
        upgrade(revision=first)
        with db.engine.begin() as conn:
            conn.execute(sql(
                'INSERT INTO "user" (id, email, name, password_hash, organisation, country, profession, language, '
                "role, created_at, session_token) VALUES (1, 'old@example.org', 'Old Trainee', :hash, '', 'SN', "
                "'police', 'en', 'trainee', :when, 0)"), {"hash": generate_password_hash("an old long password"),
                                                          "when": WHEN})
            conn.execute(sql(
                "INSERT INTO lesson_progress (user_id, lesson_slug, started_at, completed_at, last_section, visited_at) "
                "VALUES (1, 'first-steps', :when, :when, '', :when)"), {"when": WHEN})
        upgrade(revision="head")
        client = app.test_client()
        signed_in = client.post("/login", data={"email": "old@example.org", "password": "an old long password"})
        page = client.get("/progress", headers={"Accept-Language": "en"}).get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()
    assert signed_in.status_code == 302
    assert "1 of 2 lessons completed" in page
