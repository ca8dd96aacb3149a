"""Fill a database with a realistic load: 10,000 trainees, 200 workshops, 500,000 quiz answers.

    .venv/bin/python -m bench.generate --database-url sqlite:///bench/out/bench.db
    .venv/bin/python -m bench.generate --database-url postgresql://postgres@127.0.0.1:5432/bench

The database is emptied and migrated first (as `flask db upgrade` does). Rows go in by bulk inserts
(SQLAlchemy Core executemany, 5,000 rows a statement) with explicit ids; on PostgreSQL the sequences
are moved past them. Workshop and certificate rows are made when those models exist. Every account's
password is PASSWORD (one cheap pbkdf2 hash: the bench measures pages, not scrypt). Known accounts:
bench-admin@example.org, bench-facilitator-0@example.org (runs workshop 1, exactly 40 trainees),
bench-trainee-N@example.org.
"""
from __future__ import annotations

import argparse
import random
import time
from datetime import datetime, timedelta

from sqlalchemy import create_engine, func, insert, select, text
from werkzeug.security import generate_password_hash

from webapp.config import ROOT, _database_url

PASSWORD = "correct horse battery"
ADMIN = "bench-admin@example.org"
CHUNK = 5000
DASHBOARD_TRAINEES = 40


def facilitator_email(n: int) -> str:
    return f"bench-facilitator-{n}@example.org"


def trainee_email(n: int) -> str:
    return f"bench-trainee-{n}@example.org"


def normalise(url: str) -> str:
    import os
    saved = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        return _database_url()
    finally:
        if saved is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = saved


def make_app(url: str, content_dir=ROOT):
    from webapp import create_app
    from webapp.config import Config
    return create_app(type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "CONTENT_DIR": content_dir}))


def empty_and_migrate(url: str) -> None:
    if url.startswith("sqlite:///"):
        from pathlib import Path
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = make_app(url)
    with app.app_context():
        from flask_migrate import upgrade

        from webapp.extensions import db
        upgrade()
        db.engine.dispose()


class Loader:
    """Bulk inserts by table name, in chunks, with a running count."""

    def __init__(self, conn, metadata):
        self.conn, self.tables, self.counts = conn, metadata.tables, {}

    def has(self, name: str) -> bool:
        return name in self.tables

    def put(self, name: str, rows: list[dict]) -> None:
        for start in range(0, len(rows), CHUNK):
            self.conn.execute(insert(self.tables[name]), rows[start:start + CHUNK])
        self.counts[name] = self.counts.get(name, 0) + len(rows)


def generate(url: str, trainees: int, workshops: int, answers: int, seed: int = 8) -> dict:
    from webapp.content import catalog
    from webapp.content.questions import QUESTION_TYPES
    from webapp.extensions import db
    from webapp.quizzes import drawing

    rng = random.Random(seed)
    app = make_app(url)
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    now = datetime(2026, 6, 30, 12)
    countries = ["SN", "ML", "NE", "MA", "NG", "CI", "BF", "GN", "FR", "ES", "IT", "BE"]
    professions = ["police", "border", "prosecutor", "judge", "labour_inspector", "social_worker", "ngo", "consular"]
    with app.app_context():
        cat = catalog()
        slugs = [lesson.slug for lesson in cat.lessons]
        with db.engine.begin() as conn:
            load = Loader(conn, db.metadata)

            def user(n, email, name, role):
                return {"id": n, "email": email, "name": name, "password_hash": hashed, "organisation": "Bench",
                        "country": countries[n % len(countries)], "profession": professions[n % len(professions)],
                        "language": "fr" if n % 3 else "en", "role": role,
                        "created_at": now - timedelta(days=n % 365), "session_token": 0}
            facilitators = max(1, workshops // 4)
            users = [user(1, ADMIN, "Bench Admin", "admin")]
            users += [user(2 + n, facilitator_email(n), f"Facilitator {n}", "facilitator") for n in range(facilitators)]
            first_trainee = 2 + facilitators
            users += [user(first_trainee + n, trainee_email(n), f"Trainee {n}", "trainee") for n in range(trainees)]
            load.put("user", users)
            trainee_ids = list(range(first_trainee, first_trainee + trainees))

            progress = []
            for uid in trainee_ids:
                read = rng.randint(0, len(slugs))
                for k, slug in enumerate(slugs[:read]):
                    done = k < read - 1 or rng.random() < 0.5
                    day = now - timedelta(days=rng.randint(1, 200))
                    progress.append({"user_id": uid, "lesson_slug": slug, "started_at": day, "visited_at": day,
                                     "completed_at": day if done else None, "last_section": ""})
            load.put("lesson_progress", progress)

            # Quiz attempts: real draws and layouts, answers in the shape graders take.
            layouts = {quiz: [[drawing.layout(q, rng) for q in drawing.draw(cat, quiz, rng)] for _ in range(50)]
                       for quiz in cat.banks}
            attempt_rows, answer_rows, attempt_id = [], [], 0
            while len(answer_rows) < answers:
                attempt_id += 1
                quiz = rng.choice(slugs)
                layout = rng.choice(layouts[quiz])
                skill = rng.random()
                credits = [1.0 if rng.random() < 0.4 + 0.6 * skill else 0.0 for _ in layout]
                score = round(sum(credits) / len(credits), 4)
                started = now - timedelta(days=rng.randint(1, 300), minutes=rng.randint(0, 1440))
                pass_mark = cat.banks[quiz].pass_mark
                attempt_rows.append({"id": attempt_id, "user_id": rng.choice(trainee_ids), "quiz": quiz,
                                     "content_version": cat.version, "pass_mark": pass_mark, "layout": layout,
                                     "started_at": started, "submitted_at": started + timedelta(minutes=12),
                                     "score": score, "passed": score >= pass_mark})
                for position, (item, credit) in enumerate(zip(layout, credits)):
                    q = cat.question(item["id"])
                    answer_rows.append({"attempt_id": attempt_id, "position": position, "question_id": q["id"],
                                        "answer": QUESTION_TYPES[q["type"]].correct_answer(q), "credit": credit})
            load.put("attempt", attempt_rows)
            load.put("attempt_answer", answer_rows)
            del attempt_rows, answer_rows

            if load.has("workshop"):
                _workshops(load, rng, workshops, facilitators, trainee_ids, slugs, now)
            if load.has("certificate"):
                _certificates(load, rng, trainee_ids, users, now)
            if conn.dialect.name == "postgresql":
                for name in load.counts:
                    if "id" in load.tables[name].c:
                        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                                          f"(SELECT max(id) FROM \"{name}\"))"))
            counts = {name: conn.scalar(select(func.count()).select_from(load.tables[name])) for name in load.counts}
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
        else:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))
        db.engine.dispose()
    return counts


def _workshops(load, rng, workshops, facilitators, trainee_ids, slugs, now):
    rows, members, marks = [], [], []
    pool = list(trainee_ids)
    rng.shuffle(pool)
    taken = 0
    for n in range(1, workshops + 1):
        start = (now - timedelta(days=rng.randint(0, 300))).date()
        rows.append({"id": n, "title": f"Bench workshop {n}", "city": "Dakar", "country": "SN", "start_date": start,
                     "end_date": start + timedelta(days=2), "language": "fr" if n % 2 else "en", "lessons": slugs,
                     "due_date": None, "attendance_threshold": None, "join_code": f"B{n:07d}",
                     "joining_open": True, "owner_id": 2 + (n - 1) % facilitators, "created_at": now})
        size = DASHBOARD_TRAINEES if n == 1 else rng.randint(20, 50)
        for uid in (pool[(taken + k) % len(pool)] for k in range(size)):
            members.append({"workshop_id": n, "user_id": uid, "joined_at": now})
            for day in range(3):
                if rng.random() < 0.85:
                    marks.append({"workshop_id": n, "user_id": uid, "day": start + timedelta(days=day),
                                  "marked_at": now, "marked_by_id": rows[-1]["owner_id"]})
        taken += size
    load.put("workshop", rows)
    load.put("workshop_member", members)
    if load.has("attendance_mark"):
        load.put("attendance_mark", marks)


def _certificates(load, rng, trainee_ids, users, now):
    names = {u["id"]: u["name"] for u in users}
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    rows = []
    for n, uid in enumerate(rng.sample(trainee_ids, len(trainee_ids) // 5), start=1):
        number = "".join(rng.choice(alphabet) for _ in range(16))
        completed_at = now - timedelta(days=rng.randint(1, 300))
        rows.append({"id": n, "number": number, "user_id": uid, "scope": "course", "workshop_id": None,
                     "holder_name": names[uid], "completed_at": completed_at, "completed_on": completed_at.date(),
                     "issued_at": now, "revoked_at": None, "revoked_kind": "", "revoked_reason": "",
                     "revoked_by_id": None})
    load.put("certificate", rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'bench' / 'out' / 'bench.db'}")
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--workshops", type=int, default=200)
    parser.add_argument("--answers", type=int, default=500_000)
    args = parser.parse_args(argv)
    url = normalise(args.database_url)
    started = time.perf_counter()
    empty_and_migrate(url)
    counts = generate(url, args.trainees, args.workshops, args.answers)
    print(f"{url.split('@')[-1]}: generated in {time.perf_counter() - started:.1f} s")
    for name, count in sorted(counts.items()):
        print(f"  {name:<18} {count:>9,}")


if __name__ == "__main__":
    main()
