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


def test_duplicates_left_by_old_races_are_resolved_without_losing_answers(database_url):
    """Before the database kept the "one of" rules, concurrent requests could leave two open attempts at
    a quiz, two sittings of a workshop test (both submitted, both graded) and two open live questions.
    The upgrade keeps one of each in force and deletes nothing."""
    app = create_app(type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, "CONTENT_DIR": DATA}))
    with app.app_context():
        upgrade(revision="d4e8f1a2b3c4")  # the revision before the "one of" rules
        with db.engine.begin() as conn:
            conn.execute(sql(
                'INSERT INTO "user" (id, email, name, password_hash, organisation, country, profession, language, '
                "role, created_at, session_token) VALUES (1, 'ana@example.org', 'Ana', 'x', '', 'SN', 'police', "
                "'en', 'trainee', :when, 0), (2, 'fac@example.org', 'Fac', 'x', '', 'SN', 'police', 'en', "
                "'facilitator', :when, 0)"), {"when": WHEN})
            conn.execute(sql(
                "INSERT INTO workshop (id, title, city, country, start_date, end_date, language, lessons, join_code, "
                "joining_open, owner_id, created_at) VALUES (1, 'Atelier', 'Dakar', 'SN', '2026-01-15', "
                "'2026-01-16', 'en', '[]', 'ABCDEF', :yes, 2, :when)"), {"when": WHEN, "yes": True})
            attempt = ("INSERT INTO attempt (id, user_id, quiz, content_version, pass_mark, layout, started_at, "
                       "submitted_at, score, passed) VALUES ")
            conn.execute(sql(attempt + "(1, 1, 'first-steps', 'v', 0.8, '[]', :when, NULL, NULL, NULL), "
                             "(2, 1, 'first-steps', 'v', 0.8, '[]', :when, NULL, NULL, NULL), "
                             "(3, 1, 'first-steps', 'v', 0.8, '[]', :when, :when, 1.0, :yes)"),
                         {"when": WHEN, "yes": True})
            conn.execute(sql(attempt + "(4, 1, 'workshop-1-pre', 'v', 0.0, '[]', :when, NULL, NULL, NULL), "
                             "(5, 1, 'workshop-1-pre', 'v', 0.0, '[]', :when, :late, 0.5, :yes), "
                             "(6, 1, 'workshop-1-pre', 'v', 0.0, '[]', :when, :when, 1.0, :yes)"),
                         {"when": WHEN, "late": datetime(2026, 1, 15, 11, 0), "yes": True})
            conn.execute(text(
                "INSERT INTO attempt_answer (attempt_id, position, question_id, answer, credit) VALUES "
                "(5, 0, 'fs-elements', '\"b\"', 0.5), (6, 0, 'fs-elements', '\"a\"', 1.0), "
                "(3, 0, 'fs-elements', '\"a\"', 1.0)"))
            conn.execute(sql(
                "INSERT INTO live_question (id, workshop_id, question_id, layout, state, opened_at) VALUES "
                "(1, 1, 'fs-elements', '{}', 'open', :when), (2, 1, 'fs-forms', '{}', 'open', :when)"),
                {"when": WHEN})
        upgrade(revision="head")
        with db.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT id, submitted_at IS NOT NULL, abandoned_at IS NOT NULL FROM attempt ORDER BY id")).all()
            answers = conn.execute(text("SELECT attempt_id FROM attempt_answer ORDER BY attempt_id")).all()
            live = conn.execute(text("SELECT id, state FROM live_question ORDER BY id")).all()
        db.engine.dispose()
    # Open attempts at a quiz: the first stays open, the second is set aside; the submitted one stays.
    # Workshop sittings: the first submitted (6, at 9:30) counts; the later one (5) and the open one
    # (4) are set aside, and every graded answer is still there.
    assert [tuple(r) for r in rows] == [(1, False, False), (2, False, True), (3, True, False),
                                        (4, False, True), (5, True, True), (6, True, False)]
    assert [a[0] for a in answers] == [3, 5, 6]
    assert [tuple(r) for r in live] == [(1, "closed"), (2, "open")]


def test_certificates_keep_the_date_they_showed_across_the_upgrade_and_back(database_url):
    """The upgrade that stores each certificate's date fills it with the date it showed until then
    (her chosen zone, else her country's, else UTC), so no certificate changes its date; the
    downgrade takes the column away and keeps every certificate."""
    from flask_migrate import downgrade
    before = "f2a3b4c5d6e7"  # the revision before certificates stored their date
    app = create_app(type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, "CONTENT_DIR": DATA}))
    # 02:00 UTC on 10 March 2026: still 9 March in New York (UTC-5), 11:00 on 10 March in Tokyo.
    people = [(1, "America/New_York", "SN", "2026-03-09"), (2, "", "US", "2026-03-09"), (3, "", "", "2026-03-10"),
              (4, "Asia/Tokyo", "US", "2026-03-10"), (5, "Mars/Olympus_Mons", "US", "2026-03-09")]
    with app.app_context():
        upgrade(revision=before)
        with db.engine.begin() as conn:
            for n, zone, country, _ in people:
                conn.execute(sql(
                    'INSERT INTO "user" (id, uid, email, name, password_hash, organisation, country, profession, '
                    "language, time_zone, role, created_at, session_token) VALUES (:id, :uid, :email, 'Holder', 'x', "
                    "'', :country, 'police', 'en', :zone, 'trainee', :when, 0)"),
                    {"id": n, "uid": f"00000000-0000-4000-8000-00000000000{n}", "email": f"h{n}@example.org",
                     "country": country, "zone": zone, "when": WHEN})
                conn.execute(sql(
                    "INSERT INTO certificate (id, number, user_id, scope, holder_name, completed_at, issued_at, "
                    "revoked_kind, revoked_reason) VALUES (:id, :number, :id, 'course', 'Holder', :when, :when, '', '')"),
                    {"id": n, "number": f"ABCDEFGHJKMNPQR{n}", "when": datetime(2026, 3, 10, 2, 0)})
            # A workshop that ended on 10 March: its certificate, kept as midnight UTC of that day, showed
            # 9 March to a holder in New York; a workshop certificate is never dated before its last day.
            conn.execute(sql(
                "INSERT INTO workshop (id, uid, title, city, country, start_date, end_date, language, lessons, "
                "join_code, joining_open, owner_id, created_at) VALUES (1, '00000000-0000-4000-8000-0000000000aa', "
                "'Porto', 'Porto', 'PT', '2026-03-09', '2026-03-10', 'en', '[]', 'JOINCODE', :open, 1, :when)"),
                {"when": WHEN, "open": True})
            conn.execute(sql(
                "INSERT INTO certificate (id, number, user_id, scope, workshop_id, holder_name, completed_at, "
                "issued_at, revoked_kind, revoked_reason) VALUES (6, 'ABCDEFGHJKMNPQR6', 1, 'workshop:1', 1, "
                "'Holder', :when, :when, '', '')"), {"when": datetime(2026, 3, 10, 0, 0)})
        upgrade(revision="head")
        with db.engine.connect() as conn:
            dates = conn.execute(text("SELECT id, completed_on FROM certificate ORDER BY id")).all()
        page = app.test_client().get("/verify/ABCD-EFGH-JKMN-PQR2", headers={"Accept-Language": "en"})
        db.session.remove()  # its transaction would hold a lock the downgrade waits for (PostgreSQL)
        downgrade(revision=before)
        columns = {c["name"] for c in inspect(db.engine).get_columns("certificate")}
        with db.engine.connect() as conn:
            kept = conn.execute(text("SELECT id, completed_at FROM certificate ORDER BY id")).all()
        db.engine.dispose()
    assert [(n, str(day)[:10]) for n, day in dates] == [(n, day) for n, _, _, day in people] + [(6, "2026-03-10")]
    assert "9 March 2026" in page.get_data(as_text=True)
    assert "completed_on" not in columns
    assert [(n, when(at)) for n, at in kept] == [(n, datetime(2026, 3, 10, 2, 0)) for n, *_ in people] + \
        [(6, datetime(2026, 3, 10, 0, 0))]


def test_certificates_get_the_content_version_their_holder_was_last_tested_on(database_url):
    """The upgrade that keeps a certificate's content version fills it from the holder's newest quiz
    submitted by her completion (a later quiz, or an abandoned one, does not count; no quiz: none)."""
    from flask_migrate import downgrade
    before = "a1b2c3d4e5f7"  # certificates stored their date, not yet their content version
    app = create_app(type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url, "CONTENT_DIR": DATA}))
    done = datetime(2026, 3, 10, 12, 0)
    with app.app_context():
        upgrade(revision=before)
        with db.engine.begin() as conn:
            for n in (1, 2):
                conn.execute(sql(
                    'INSERT INTO "user" (id, uid, email, name, password_hash, organisation, country, profession, '
                    "language, time_zone, role, created_at, session_token) VALUES (:id, :uid, :email, 'Holder', "
                    "'x', '', 'SN', 'police', 'en', '', 'trainee', :when, 0)"),
                    {"id": n, "uid": f"00000000-0000-4000-8000-00000000000{n}", "email": f"h{n}@example.org",
                     "when": WHEN})
                conn.execute(sql(
                    "INSERT INTO certificate (id, number, user_id, scope, holder_name, completed_at, completed_on, "
                    "issued_at, revoked_kind, revoked_reason) VALUES (:id, :number, :id, 'course', 'Holder', :when, "
                    "'2026-03-10', :when, '', '')"), {"id": n, "number": f"ABCDEFGHJKMNPQR{n}", "when": done})
            attempt = sql("INSERT INTO attempt (id, uid, user_id, quiz, content_version, pass_mark, layout, started_at, "
                          "submitted_at, abandoned_at, score, passed) VALUES (:id, :uid, 1, 'first-steps', :version, "
                          "0.8, '[]', :when, :when, :gone, 1.0, :yes)")
            for n, version, at, gone in ((1, "aaaaaaaaaaaa", datetime(2026, 3, 9), None),
                                         (2, "bbbbbbbbbbbb", datetime(2026, 3, 10, 11, 0), None),
                                         (3, "cccccccccccc", datetime(2026, 3, 10, 11, 30), datetime(2026, 3, 10)),
                                         (4, "dddddddddddd", datetime(2026, 4, 1), None)):
                conn.execute(attempt, {"id": n, "uid": f"00000000-0000-4000-8000-0000000001{n:02d}",
                                       "version": version, "when": at, "gone": gone, "yes": True})
        upgrade(revision="head")
        with db.engine.connect() as conn:
            versions = conn.execute(text("SELECT id, content_version FROM certificate ORDER BY id")).all()
        downgrade(revision=before)
        columns = {c["name"] for c in inspect(db.engine).get_columns("certificate")}
        db.engine.dispose()
    assert [tuple(v) for v in versions] == [(1, "bbbbbbbbbbbb"), (2, None)]
    assert "content_version" not in columns


def test_the_makefiles_migration_command_builds_an_empty_database(tmp_path):
    """`make run` and `make room` run `flask db upgrade -d webapp/migrations` on a new machine."""
    url = f"sqlite:///{tmp_path / 'new.db'}"
    app = create_app(type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "CONTENT_DIR": DATA}))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade", "-d", str(MIGRATIONS)])
    assert result.exit_code == 0, result.output
    # the group's own option, before the command, is understood too
    assert runner.invoke(args=["db", "-d", str(MIGRATIONS), "current"]).exit_code == 0
    with app.app_context():
        assert "user" in set(inspect(db.engine).get_table_names())
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == _revisions()[1]
        db.engine.dispose()
