"""A whole offline workshop with two real servers talking HTTP on loopback (issue 17): the central
site (gunicorn on PostgreSQL) and a room laptop (gunicorn on SQLite). The room day is scripted over
HTTP on the room; the kit is issued on the central site's room page (a one-time link), fetched and
installed with the real `flask room fetch` and `flask room install`, and trainees sign in on the room
with the room codes `flask room codes` prints; `flask room sync` runs as its own process. Then the faults, each ending with the
central records equal to the room's, uid by uid and column by column, nothing lost or doubled:
a forged bundle, kill -9 of the room's sync process and of the central server mid-sync, a transfer
cut after K bytes (request, then answer) by a loopback proxy, the same bundle sent twice, a second
room for the same workshop, a revoked kit, and a laptop clock a month ahead.

The laptop clock: libfaketime is not installed on our machines, so the month-ahead laptop is played
by moving its records' dates a month on in its database (as a laptop set a month ahead writes them)
and by ROOM_CLOCK_OFFSET_SECONDS for the sync process (honoured only outside production).
Bounded in time: every wait has a deadline."""
from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.models import Workshop
from webapp.models.base import utcnow
from webapp.rooms import bundles

from ..conftest import DATA, ROOT
from ..factories import join_workshop, make_user, make_workshop
from ..room_helpers import PASSWORD, assert_arrived, records_by_uid
from .loadkit import Browser, Server, form_of, free_port, migrate

pytestmark = pytest.mark.load
FACILITATOR, AMINA, BEN = "fatou@example.org", "amina@example.org", "ben@example.org"
MONTH = timedelta(days=30)
SYNC = """
import sys
from webapp import create_app
from webapp.rooms.sync_commands import sync_command
app = create_app()
with app.app_context():
    result = app.test_cli_runner().invoke(sync_command, sys.argv[1:])
sys.stdout.write(result.output)
if result.exception is not None and not isinstance(result.exception, SystemExit):
    sys.stdout.write(repr(result.exception))
sys.exit(result.exit_code)
"""


def _app(url: str, **extra):
    return create_app(type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "CONTENT_DIR": DATA, **extra}))


def _central_setup(url: str) -> int:
    """The workshop and its people on the central site: the workshop's id."""
    app = _app(url)
    with app.app_context():
        owner = make_user(email=FACILITATOR, role="facilitator", language="en", name="Fatou Sow")
        workshop = make_workshop(owner)
        join_workshop(workshop, make_user(email=AMINA, language="en", name="Amina"),
                      make_user(email=BEN, language="en", name="Ben"))
        workshop_id = workshop.id
        db.session.remove()
        db.engine.dispose()
    return workshop_id


def kit_link(central_port: int, workshop_id: int, label: str) -> str:
    """The facilitator signs in on the central site and makes a one-time kit link on the room page."""
    fatou = sign_in(central_port, FACILITATOR)
    page = f"/workshops/{workshop_id}/room"
    status, _, _ = post(fatou, page, f"{page}/link", {"label": label})
    assert status == 303, status
    html = fatou.get(page)[2]
    found = re.search(r"room fetch (http://127\.0\.0\.1:\d+/rooms/kits/[A-Za-z0-9_-]+)", html)
    assert found, html[:2000]
    return found[1]


def flask_command(env: dict, *args: str, timeout: float = 120) -> str:
    """`flask --app webapp ARGS` on the room laptop; its output (it must succeed)."""
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"flask {' '.join(args)}: {result.stdout}{result.stderr}"
    return result.stdout


class Room:
    """A room laptop: its SQLite database with the kit installed by `flask room fetch` and `flask room
    install`, its key and codes files, the course content from the kit, its gunicorn."""

    def __init__(self, tmp: Path, name: str, link: str):
        self.url = f"sqlite:///{tmp / f'{name}.db'}"
        self.key = str(tmp / f"{name}-key.json")
        self.content = str(tmp / f"{name}-content")
        self.log = tmp / f"{name}.log"
        migrate(self.url, 0)
        kit_file = str(tmp / f"{name}-kit.json")
        out = flask_command(self.env(), "room", "fetch", link, "--out", kit_file)
        assert "saved in" in out, out
        out = flask_command(self.env(), "room", "install", kit_file, "--content-dir", self.content)
        assert "Installed: workshop" in out, out
        self.codes = dict(line.split(": ", 1) for line in flask_command(self.env(), "room", "codes").splitlines())
        self.kit_uid = json.loads(Path(kit_file).read_text())["kit"]
        self.app = _app(self.url, ROOM_KEY_FILE=self.key, CONTENT_DIR=self.content)
        self.server = Server(self.url, self.log, workers=2, ROOM_KEY_FILE=self.key, CONTENT_DIR=self.content)

    def env(self, **extra) -> dict:
        environment = {k: v for k, v in os.environ.items() if k != "PASSERELLE_PRODUCTION"}
        # the commands run with the checkout's content (as `flask --app webapp room ...` does); the
        # room server serves the kit's (as `make room` does)
        environment.update(DATABASE_URL=self.url, ROOM_KEY_FILE=self.key, CONTENT_DIR=str(DATA),
                           SECRET_KEY="room-sync-secret-" + "x" * 32, ROOM_SYNC_TIMEOUT="20", **extra)
        return environment

    def sign_in_with_code(self, name: str) -> Browser:
        """Her first sign-in on the room: the code on her slip, then a room password (PASSWORD)."""
        browser = Browser(self.server.port)
        status, location, _ = post(browser, "/room/code", "/room/code", {"code": self.codes[name]})
        assert status == 303 and location.endswith("/room/password"), (name, status, location)
        status, _, _ = post(browser, "/room/password", "/room/password", {"password": PASSWORD, "confirm": PASSWORD})
        assert status == 303, (name, status)
        return browser

    def sync(self, central: str | None = None, timeout: float = 120, **env) -> subprocess.CompletedProcess:
        args, kwargs = self._sync_args(central, env)
        return subprocess.run(args, timeout=timeout, capture_output=True, text=True, **kwargs)

    def start_sync(self, central: str | None = None, **env) -> subprocess.Popen:
        args, kwargs = self._sync_args(central, env)
        return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)

    def _sync_args(self, central, env):
        args = [sys.executable, "-c", SYNC] + (["--central", central] if central else [])
        return args, {"cwd": ROOT, "env": self.env(**env)}

    def not_sent(self) -> int:
        with self.app.app_context():
            count = bundles.not_sent_count(bundles.install())
            db.session.remove()
            return count

    def bundle(self, every: bool = False) -> tuple[str, dict]:
        """A signed bundle of the records not sent yet (or of all of them)."""
        with self.app.app_context():
            room = bundles.install()
            records = bundles.collect(room)
            body = bundles.payload(room, db.session.get(Workshop, room.workshop_id).uid,
                                   records if every else bundles.unsent(records))
            text_ = bundles.sign(body)
            db.session.remove()
            return text_, body

    def stop(self):
        self.server.stop()


def sign_in(port: int, address: str, password: str = PASSWORD) -> Browser:
    browser = Browser(port)
    token = browser.token("/login")
    status, _, _ = browser.open("POST", "/login", {"email": address, "password": password, "csrf_token": token})
    assert status == 302, f"{address} could not sign in on port {port}: {status}"
    return browser


def post(browser: Browser, page: str, path: str, form: dict):
    return browser.open("POST", path, dict(form, csrf_token=browser.token(page)))


def take_quiz(browser: Browser, port: int, quiz: str) -> None:
    status, location, page = post(browser, f"/quizzes/{quiz}", f"/quizzes/{quiz}/start", {})
    assert status == 200, status  # the attempt's form, which names its address
    path = location.replace(f"http://127.0.0.1:{port}", "")
    fields = form_of(page)
    answers = {name: values[0] for name, values in fields.choices.items() if values}
    status, location, _ = browser.open("POST", path, dict(answers, csrf_token=fields.hidden["csrf_token"]))
    assert status == 302 and location.endswith("/result"), (status, location)


def room_day(room: Room, workshop_id: int, *, newcomer: str, lessons=("first-steps",), live=True, last_day=False) -> None:
    """Over HTTP on the room: trainees sign in, read, take a quiz, answer a live question; the
    facilitator takes attendance; a newcomer registers and joins."""
    port = room.server.port
    # (a kit fetched after another room synced also holds that room's newcomers: they joined centrally)
    assert {"Fatou Sow", "Amina", "Ben"} <= set(room.codes), room.codes
    fatou, amina, ben = (room.sign_in_with_code(name) for name in ("Fatou Sow", "Amina", "Ben"))
    for slug in lessons:
        assert amina.get(f"/lessons/{slug}")[0] == 200
        assert post(amina, f"/lessons/{slug}", f"/lessons/{slug}/complete", {})[0] == 302
    assert ben.get(f"/lessons/{lessons[-1]}")[0] == 200
    take_quiz(amina, port, lessons[0])
    if live:
        page = f"/workshops/{workshop_id}/live"
        question = form_of(fatou.get(page)[2]).choices["question"][0]
        assert post(fatou, page, page, {"question": question})[0] in (302, 303)
        status, _, html = amina.get(f"/workshops/{workshop_id}")
        action = re.search(r'action="(/workshops/\d+/live/(\d+)/answer)"', html)
        fields = form_of(html)
        answer = {name: values[0] for name, values in fields.choices.items() if values}
        assert amina.open("POST", action[1], dict(answer, csrf_token=fields.hidden["csrf_token"]))[0] in (302, 303)
        assert post(fatou, page, f"/workshops/{workshop_id}/live/{action[2]}/close", {})[0] in (302, 303)
    newcomer_browser = Browser(port)
    form = {"name": "Nadia " + newcomer.split("@")[0], "email": newcomer, "password": "a room password",
            "confirm": "a room password", "organisation": "ONG", "country": "NE", "profession": "ngo", "language": "en"}
    status, _, html = post(newcomer_browser, "/register", "/register", form)
    assert status == 302, html[:500]
    with room.app.app_context():
        code = db.session.get(Workshop, workshop_id).join_code
        db.session.remove()
    assert post(newcomer_browser, f"/join/{code}", f"/join/{code}", {})[0] in (302, 303)
    take_quiz(newcomer_browser, port, lessons[0])
    with room.app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        day = (workshop.end_date if last_day else workshop.start_date).isoformat()
        db.session.remove()
    page = f"/workshops/{workshop_id}/attendance/{day}"
    everyone = form_of(fatou.get(page)[2]).choices["present"]
    assert len(everyone) == len(room.codes)  # the kit's trainees (all but the facilitator) and the newcomer
    assert post(fatou, page, page, {"present": everyone})[0] in (302, 303)


class Proxy:
    """A loopback TCP proxy to ``upstream``: it waits ``delay`` seconds before each connection, and
    cuts the connection after ``cut_request`` bytes sent up (or ``cut_answer`` bytes sent back)."""

    def __init__(self, upstream: int, *, delay: float = 0.0, cut_request: int | None = None,
                 cut_answer: int | None = None):
        self.upstream, self.delay, self.cut_request, self.cut_answer = upstream, delay, cut_request, cut_answer
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cuts = 0
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(client,), daemon=True).start()

    def _one(self, client):
        time.sleep(self.delay)
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream), timeout=30)
        except OSError:
            client.close()
            return
        done = threading.Event()

        def pump(source, target, limit):
            sent = 0
            try:
                while not done.is_set():
                    data = source.recv(65536)
                    if not data:
                        break
                    if limit is not None and sent + len(data) >= limit:
                        target.sendall(data[:limit - sent])
                        self.cuts += 1
                        break
                    target.sendall(data)
                    sent += len(data)
            except OSError:
                pass
            done.set()
            for sock in (client, upstream):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        threads = [threading.Thread(target=pump, args=(client, upstream, self.cut_request), daemon=True),
                   threading.Thread(target=pump, args=(upstream, client, self.cut_answer), daemon=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        client.close()
        upstream.close()

    def close(self):
        self.listener.close()


def received(pg_url: str) -> int:
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM received_bundle")).scalar()
    finally:
        engine.dispose()


def wait_until(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def post_bundle(port: int, body: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", "/rooms/sync", body.encode(), {"Content-Type": "application/jose"})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def exact(room_url: str, pg_url: str, *, rooms: tuple[str, ...] = ()) -> dict:
    """The room's records are on the central site, equal column by column, and the central site has
    nothing else of these kinds than the rooms' records (nothing doubled)."""
    engines = [create_engine(url) for url in (room_url, *rooms)]
    central_engine = create_engine(pg_url)
    try:
        central = {}
        for engine in engines:
            central = assert_arrived(engine, central_engine)
        union: dict[str, set] = {}
        for engine in engines:
            for kind, records in records_by_uid(engine).items():
                union.setdefault(kind, set()).update(records)
        for kind, uids in union.items():
            assert set(central[kind]) == uids, f"{kind}: central has {len(central[kind])}, the rooms {len(uids)}"
        return central
    finally:
        for engine in (*engines, central_engine):
            engine.dispose()


def test_an_offline_workshop_syncs_home_whatever_fails(scratch_pg_url, tmp_path):
    pg_url = scratch_pg_url
    migrate(pg_url, 0)
    workshop_id = _central_setup(pg_url)
    port = free_port()  # the central site's address, in its kits (BASE_URL), the same after a restart
    central = Server(pg_url, tmp_path / "central.log", workers=2, port=port, BASE_URL=f"http://127.0.0.1:{port}")
    room = room_b = None
    proxies: list[Proxy] = []
    try:
        link_a, link_b = (kit_link(port, workshop_id, label) for label in ("Fatou's laptop", "Co-facilitator's laptop"))
        room = Room(tmp_path, "room-a", link_a)
        room_day(room, workshop_id, newcomer="nadia@example.org")
        waiting = room.not_sent()
        assert waiting >= 15

        # A forged bundle (its records altered after signing) is refused; nothing is written.
        text_, _body = room.bundle()
        head, payload, signature = text_.split(".")
        forged = ".".join([head, payload[:-8] + ("A" * 8 if payload[-8:] != "A" * 8 else "B" * 8), signature])
        status, answer = post_bundle(central.port, forged)
        assert status == 400 and ("bad_signature" in answer or "malformed" in answer), answer
        assert received(pg_url) == 0

        # kill -9 of the room's sync process after two bundles (one record each, a slow link)
        slow = Proxy(central.port, delay=0.4)
        proxies.append(slow)
        sync = room.start_sync(slow.url, ROOM_BUNDLE_RECORDS="1")
        wait_until(lambda: received(pg_url) >= 2, "two bundles received")
        assert sync.poll() is None, "the sync finished before it could be killed"
        sync.send_signal(signal.SIGKILL)
        sync.communicate(timeout=30)
        left = room.not_sent()
        assert 0 < left < waiting

        # kill -9 of the central server after one more bundle
        before = received(pg_url)
        sync = room.start_sync(slow.url, ROOM_BUNDLE_RECORDS="1")
        wait_until(lambda: received(pg_url) > before, "one more bundle received")
        central.kill()
        output, _ = sync.communicate(timeout=60)
        assert sync.returncode == 1 and "nothing was lost" in output, output
        central = Server(pg_url, tmp_path / "central.log", workers=2, port=port, BASE_URL=f"http://127.0.0.1:{port}")
        assert room.not_sent() > 0

        # a transfer cut after K bytes of the request, then of the central site's answer
        for cut in ({"cut_request": 700}, {"cut_answer": 40}):
            proxy = Proxy(central.port, **cut)
            proxies.append(proxy)
            left = room.not_sent()
            result = room.sync(proxy.url)
            assert result.returncode == 1 and "nothing was lost" in result.stdout, result.stdout
            assert proxy.cuts >= 1 and room.not_sent() == left

        # then it goes through: everything arrives once, equal row by row
        result = room.sync(f"http://127.0.0.1:{central.port}")
        assert result.returncode == 0, result.stdout + result.stderr
        assert room.not_sent() == 0
        exact(room.url, pg_url)

        # the same bundle sent twice: applied (finding every record), then "already received"
        text_, body = room.bundle(every=True)
        snapshot = records_by_uid(create_engine(pg_url))
        first, second = post_bundle(central.port, text_), post_bundle(central.port, text_)
        assert first[0] == 200 and '"applied"' in first[1] and second[0] == 200 and "already_received" in second[1]
        assert records_by_uid(create_engine(pg_url)) == snapshot

        # a second room for the same workshop (the co-facilitator's laptop) merges with the first
        room_b = Room(tmp_path, "room-b", link_b)  # fetched later, from another town: the link still works
        room_day(room_b, workshop_id, newcomer="zara@example.org", lessons=("second-steps",), live=False,
                 last_day=True)  # its own day: a day ticked on both laptops merges (tests/web/test_room_sync.py)
        assert room_b.sync().returncode == 0
        exact(room.url, pg_url, rooms=(room_b.url,))

        # a revoked kit (a stolen laptop) is refused; nothing is written, its records stay unsent
        engine = create_engine(pg_url)
        with engine.begin() as conn:
            conn.execute(text("UPDATE room_kit SET revoked_at = CURRENT_TIMESTAMP WHERE uid = :uid"),
                         {"uid": room_b.kit_uid})
        ben = sign_in(room_b.server.port, BEN)
        assert post(ben, "/lessons/first-steps", "/lessons/first-steps/complete", {})[0] == 302
        snapshot = records_by_uid(engine)
        waiting = room_b.not_sent()
        result = room_b.sync()
        assert result.returncode == 1 and "This room kit was revoked." in result.stdout + result.stderr
        assert records_by_uid(engine) == snapshot and room_b.not_sent() == waiting

        # a laptop clock a month ahead: flagged, its dates replaced by the time of the sync
        take_quiz(sign_in(room.server.port, BEN), room.server.port, "second-steps")
        room_engine = create_engine(room.url)
        with room_engine.begin() as conn:
            conn.execute(text("UPDATE attempt SET started_at = :s, submitted_at = :t WHERE quiz = 'second-steps'"),
                         {"s": utcnow() + MONTH - timedelta(minutes=5), "t": utcnow() + MONTH})
        start = utcnow()
        result = room.sync(f"http://127.0.0.1:{central.port}", ROOM_CLOCK_OFFSET_SECONDS=str(MONTH.total_seconds()))
        end = utcnow()
        assert result.returncode == 0, result.stdout + result.stderr
        central_records = records_by_uid(engine)
        room_records = records_by_uid(room_engine)
        [late] = [uid for uid, r in room_records["attempt"].items() if r["quiz"] == "second-steps"]
        arrived = central_records["attempt"][late]
        assert start - timedelta(seconds=1) <= arrived["submitted_at"] <= end + timedelta(seconds=1)
        assert {k: v for k, v in arrived.items() if k not in ("started_at", "submitted_at")} == \
            {k: v for k, v in room_records["attempt"][late].items() if k not in ("started_at", "submitted_at")}
        with engine.connect() as conn:
            ahead = conn.execute(text("SELECT max(clock_ahead_seconds) FROM received_bundle")).scalar()
        assert ahead > MONTH.total_seconds() - 120
        facilitator = sign_in(central.port, FACILITATOR)
        page = facilitator.get(f"/rooms/workshops/{workshop_id}/records")[2]
        assert "This laptop’s clock was 30 days ahead" in page and "Fatou&#39;s laptop" in page
        room_engine.dispose()
        engine.dispose()
    finally:
        for proxy in proxies:
            proxy.close()
        for server in (room, room_b):
            if server is not None:
                server.stop()
        central.stop()
    for log in tmp_path.glob("*.log"):
        assert "Traceback" not in log.read_text(), log.name
