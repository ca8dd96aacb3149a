"""Tools for the load and fault tests: a migrated database with trainees, gunicorn on a free loopback
port (4 workers, its own process group so that kill -9 reaches every worker), a tiny browser
(cookies, CSRF tokens, forms) and the ledger of what the server acknowledged."""
from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, text
from werkzeug.security import generate_password_hash

from ..conftest import DATA, ROOT

PASSWORD = "correct horse battery"
LESSONS = ("first-steps", "second-steps")
QUIZ = "first-steps"


def migrate(url: str, trainees: int) -> None:
    """Upgrade ``url`` to the latest migration (as `flask db upgrade` does) and add trainees."""
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.config import TestConfig
    from webapp.extensions import db
    from webapp.models.base import new_uid
    app = create_app(type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "CONTENT_DIR": DATA}))
    # A cheap hash: these tests count lost writes, not scrypt rounds (the app checks any werkzeug hash).
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    with app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            for n in range(trainees):
                conn.execute(text(
                    'INSERT INTO "user" (uid, email, name, password_hash, organisation, country, profession, language, '
                    "role, created_at, session_token) VALUES (:uid, :email, :name, :hash, 'Police', 'SN', 'police', "
                    "'en', 'trainee', CURRENT_TIMESTAMP, 0)"),
                    {"uid": new_uid(), "email": email(n), "name": f"Trainee {n}", "hash": hashed})
        db.engine.dispose()


def email(n: int) -> str:
    return f"load{n}@example.org"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with 4 workers serving the app on ``url``'s database, on a free loopback port."""

    def __init__(self, database_url: str, log: Path, workers: int = 4, port: int | None = None, **settings: str):
        self.port = port or free_port()  # a given port: a server restarted where its links point
        env = dict(os.environ, DATABASE_URL=database_url, CONTENT_DIR=str(DATA), SECRET_KEY="load-test-secret-" + "x" * 32,
                   PASSERELLE_PRODUCTION="1", BASE_URL="http://127.0.0.1", LOGIN_MAX_ATTEMPTS="1000",
                   LOGIN_MAX_ATTEMPTS_PER_ADDRESS="1000", ACCESS_LOG="1")
        env.update(settings)  # a test's own settings (mail, real sign-in limits) win
        self.log, self._out = log, log.open("ab")
        # --preload: the app is built once, then forked (it opens no database connection before the fork).
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "60", "--graceful-timeout", "2", "--preload", "webapp:create_app()"],
            cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text()[-3000:]}")
            try:
                if Browser(self.port).get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def kill(self) -> None:
        """kill -9 the master and every worker, as a power cut or the OOM killer would."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=30)
        self._out.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        self.kill()


class _Form(HTMLParser):
    """The fields of the page's forms: hidden values, radio/checkbox groups, selects, and buttons that
    send a value of their own (the live screen's "Ask this question", one per question)."""

    def __init__(self):
        super().__init__()
        self.hidden, self.choices, self._select = {}, {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.hidden[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") in ("radio", "checkbox") and a.get("name"):
            self.choices.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self.choices.setdefault(self._select, [])
        elif tag == "button" and a.get("name") and a.get("value"):
            self.choices.setdefault(a["name"], []).append(a["value"])
        elif tag == "option" and self._select and a.get("value"):
            self.choices[self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_of(page: str) -> _Form:
    parser = _Form()
    parser.feed(page)
    return parser


class Browser:
    """One trainee's browser: cookies kept, one connection per request (like many phones)."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def open(self, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            data = response.read().decode("utf-8", "replace")
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";", 1)[0].partition("=")
                self.cookies[name] = value
            # where the answer points: a redirect's target, or the address a page names as its own
            where = response.headers.get("Location") or response.headers.get("Content-Location", "")
            return response.status, where, data
        finally:
            conn.close()

    def get(self, path):
        return self.open("GET", path)

    def token(self, path) -> str:
        status, _, page = self.get(path)
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', page)
        if status != 200 or not found:
            raise AssertionError(f"GET {path}: {status}, no CSRF token")
        return found[1]


@dataclass
class Ledger:
    """What the server acknowledged, and every answer a trainee should never see."""
    submitted: dict = field(default_factory=dict)     # attempt id -> trainee email
    completed: set = field(default_factory=set)       # (email, lesson slug)
    bad: list = field(default_factory=list)           # 5xx or "database is locked"
    lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, what: str, status: int, page: str) -> None:
        if status >= 500 or "database is locked" in page:
            with self.lock:
                self.bad.append(f"{what}: {status} {page[:200]!r}")


def trainee_journey(port: int, n: int, ledger: Ledger, go: threading.Event | None = None) -> None:
    """Sign in, take the quiz (and replay the submission), mark both lessons read. Stops at the first
    connection error: what was not acknowledged does not count."""
    me, browser = email(n), Browser(port)
    if go is not None:
        go.wait()
    token = browser.token("/login")
    status, location, page = browser.open("POST", "/login", {"email": me, "password": PASSWORD, "csrf_token": token})
    ledger.check("sign-in", status, page)
    if status != 302:
        raise AssertionError(f"{me} could not sign in: {status}")
    token = browser.token(f"/quizzes/{QUIZ}")
    status, location, page = browser.open("POST", f"/quizzes/{QUIZ}/start", {"csrf_token": token})
    ledger.check("start", status, page)  # answered with the attempt's form
    attempt_path = location.replace(f"http://127.0.0.1:{port}", "")
    fields = form_of(page)
    answers = {name: values[0] for name, values in fields.choices.items() if values}
    answers["csrf_token"] = fields.hidden["csrf_token"]
    for _replay in range(2):  # the second is a double submission: it must not record anything new
        status, location, page = browser.open("POST", attempt_path, answers)
        ledger.check("submit", status, page)
        if status == 302 and location.endswith("/result"):
            with ledger.lock:
                ledger.submitted[int(attempt_path.rsplit("/", 1)[1])] = me
    for slug in LESSONS:
        token = browser.token(f"/lessons/{slug}")
        status, _, page = browser.open("POST", f"/lessons/{slug}/complete", {"csrf_token": token})
        ledger.check("complete", status, page)
        if status == 302:
            with ledger.lock:
                ledger.completed.add((me, slug))


def run_trainees(port: int, count: int, ledger: Ledger, *, first: int = 0, timeout: float = 180) -> list:
    """``count`` trainees at once, each in a thread; returns the errors (connection resets...)."""
    go, errors = threading.Event(), []

    def one(n):
        try:
            trainee_journey(port, n, ledger, go)
        except Exception as error:  # noqa: BLE001 - counted and reported by the caller
            errors.append(f"trainee {n}: {error!r}")

    threads = [threading.Thread(target=one, args=(first + n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    go.set()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(timeout=max(0.1, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        raise AssertionError(f"the load did not finish within {timeout} s")
    return errors


def stored(database_url: str) -> dict:
    """What the database holds: submitted attempts with their answer counts, completions."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            attempts = conn.execute(text(
                'SELECT a.id, u.email, a.layout, (SELECT count(*) FROM attempt_answer x WHERE x.attempt_id = a.id) '
                'FROM attempt a JOIN "user" u ON u.id = a.user_id WHERE a.submitted_at IS NOT NULL')).all()
            completions = conn.execute(text(
                'SELECT u.email, p.lesson_slug, count(*) FROM lesson_progress p JOIN "user" u ON u.id = p.user_id '
                "WHERE p.read_at IS NOT NULL GROUP BY u.email, p.lesson_slug")).all()  # the button marks read
            orphans = conn.execute(text(
                "SELECT count(*) FROM attempt_answer x JOIN attempt a ON a.id = x.attempt_id "
                "WHERE a.submitted_at IS NULL")).scalar()
    finally:
        engine.dispose()
    import json
    return {
        "attempts": {row[0]: (row[1], len(row[2] if isinstance(row[2], list) else json.loads(row[2])), row[3])
                     for row in attempts},
        "completions": {(row[0], row[1]): row[2] for row in completions},
        "orphan_answers": orphans,
    }


def assert_every_acknowledged_write_is_stored_once(ledger: Ledger, state: dict) -> None:
    attempts = state["attempts"]
    lost = [a for a in ledger.submitted if a not in attempts]
    assert not lost, f"acknowledged but not stored: attempts {lost}"
    wrong_owner = [a for a, who in ledger.submitted.items() if attempts[a][0] != who]
    assert not wrong_owner, f"stored for another trainee: {wrong_owner}"
    partial = {a: (n, got) for a, (_, n, got) in attempts.items() if got != n}
    assert not partial, f"submitted attempts with missing or doubled answers (attempt: expected, stored): {partial}"
    assert state["orphan_answers"] == 0
    missing = ledger.completed - set(state["completions"])
    assert not missing, f"acknowledged but not stored: lessons marked as read {sorted(missing)}"
    doubled = {k: c for k, c in state["completions"].items() if c != 1}
    assert not doubled, f"a lesson's reading stored more than once: {doubled}"
