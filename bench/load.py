"""A load run against gunicorn on loopback, bounded in time and in requests, that stops by itself.

    .venv/bin/python -m bench.load --database-url sqlite:///bench/out/bench.db   # after bench.generate

For each scenario, THREADS client threads (keep-alive http.client connections, gzip accepted) send
requests for at most SECONDS or REQUESTS in all, then it prints requests/s, p50 and p95 latency:

- lesson:     a visitor reads a lesson (GET, French);
- lesson, signed in; course home, signed in: the same for a trainee (one account per client thread),
              her repeat views: the pages the people this course serves actually read;
- static:     the same bytes as that lesson page, served as a static file by the same server;
- quiz:       a signed-in trainee opens a page of hers (/progress, for the start button's CSRF token, as
              she opens a page before pressing "start"), starts a quiz (the answer is its form) and
              submits it: the latency is the submission's (a POST, graded and stored), requests/s
              counts whole sittings, three requests each (until 5 December the form came after a
              redirect: four);
- dashboard:  the facilitator's page of a 40-trainee workshop (when workshops exist);
- roster:     that workshop's roster (when it exists);
- report:     the coordinator's completions report (when it exists).

The static copy: bench/serve.py starts the app with a static folder holding a copy of static/ and the
lesson page's HTML, served by the app's own static view (fingerprint, gzip, ETag).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

from .generate import ADMIN, PASSWORD, facilitator_email, normalise, trainee_email

ROOT = Path(__file__).resolve().parent.parent
HEADERS = {"Accept-Encoding": "gzip", "Accept-Language": "fr", "User-Agent": "passerelle-bench"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive connection with a cookie jar (enough for this site's session cookie)."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, form: dict | list | None = None) -> tuple[int, dict, bytes]:
        headers = dict(HEADERS)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Content-Encoding") == "gzip":
            import gzip
            data = gzip.decompress(data)
        return response.status, response.headers, data

    def sign_in(self, email: str) -> None:
        _, _, page = self.request("GET", "/login")
        token = csrf(page)
        status, headers, _ = self.request("POST", "/login", {"csrf_token": token, "email": email,
                                                            "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"sign-in of {email} answered {status}")


def csrf(page: bytes) -> str:
    return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()


def quiz_form(page: bytes) -> list:
    """A full answer to the quiz form on ``page``: the first choice of every group and select."""
    html = page.decode()
    form, seen = [("csrf_token", csrf(page))], set()
    for tag in re.findall(r"<input[^>]+>", html):
        kind = re.search(r'type="(\w+)"', tag)
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if kind and name and value and kind.group(1) in ("radio", "checkbox") and name.group(1) not in seen:
            seen.add(name.group(1))
            form.append((name.group(1), unescape(value.group(1))))
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        values = [v for v in re.findall(r'<option value="([^"]+)"', options) if v]
        form.append((name, values[0]))
    return form


@dataclass
class Scenario:
    name: str
    prepare: callable  # (Client, n) -> state for one thread
    step: callable  # (Client, state) -> (status, seconds of the timed request)
    who: str | None = None  # email of the account each thread signs in as (a function of n)
    expect: tuple = (200,)


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies: list = field(repr=False, default_factory=list)
    errors: int = 0
    bytes: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else 0.0


def run(port: int, scenario: Scenario, threads: int, seconds: float, limit: int) -> Result:
    clients, states = [], []
    for n in range(threads):
        client = Client(port)
        if scenario.who:
            client.sign_in(scenario.who(n))
        clients.append(client)
        states.append(scenario.prepare(client, n))
    result = Result(scenario.name, 0, 0.0)
    lock, stop = threading.Lock(), threading.Event()
    budget = [limit]

    def worker(client, state):
        while not stop.is_set():
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            status, elapsed = scenario.step(client, state)
            with lock:
                result.latencies.append(elapsed)
                result.requests += 1
                if status not in scenario.expect:
                    result.errors += 1

    pool = [threading.Thread(target=worker, args=(c, s), daemon=True) for c, s in zip(clients, states)]
    began = time.perf_counter()
    for t in pool:
        t.start()
    timer = threading.Timer(seconds, stop.set)
    timer.start()
    for t in pool:
        t.join(seconds + 60)
    timer.cancel()
    stop.set()
    result.seconds = time.perf_counter() - began
    return result


def scenarios(lesson: str, static_path: str, workshop_id: int | None, has_report: bool) -> list[Scenario]:
    def get(path):
        def step(client, state):
            started = time.perf_counter()
            status = client.request("GET", path)[0]
            return status, time.perf_counter() - started
        return step

    def quiz_prepare(client, n):
        return {"quiz": lesson}

    def quiz_step(client, state):
        # A page of hers first, as every sitting has fetched since 29 November (the scenario was written
        # with setdefault, whose argument is evaluated each time), so that sittings stay comparable with
        # the figures filed then; then start an attempt, which answers with its form, and submit it.
        # Only the submission is timed.
        token = _token(client)
        status, headers, page = client.request("POST", f"/quizzes/{state['quiz']}/start", {"csrf_token": token})
        form = quiz_form(page)
        started = time.perf_counter()
        status, _, _ = client.request("POST", headers["Content-Location"], form)
        return status, time.perf_counter() - started

    found = [
        Scenario("lesson", lambda c, n: None, get(f"/lessons/{lesson}")),
        Scenario("static (same bytes)", lambda c, n: None, get(static_path)),
        Scenario("lesson, signed in", lambda c, n: None, get(f"/lessons/{lesson}"), who=trainee_email),
        Scenario("course home, signed in", lambda c, n: None, get("/"), who=trainee_email),
        Scenario("quiz submission", quiz_prepare, quiz_step, who=trainee_email, expect=(302,)),
    ]
    if workshop_id:
        found.append(Scenario("facilitator dashboard (40)", lambda c, n: None, get(f"/workshops/{workshop_id}"),
                              who=lambda n: facilitator_email(0)))
        found.append(Scenario("roster (40)", lambda c, n: None, get(f"/workshops/{workshop_id}/roster"),
                              who=lambda n: facilitator_email(0)))
    if has_report:
        found.append(Scenario("coordinator report", lambda c, n: None, get("/admin/reports"), who=lambda n: ADMIN))
    return found


def _token(client: Client) -> str:
    return csrf(client.request("GET", "/progress")[2])


class Server:
    def __init__(self, url: str, static_dir: Path, workers: int, log: Path, threads: int = 0,
                 options: tuple = ()):
        self.port = free_port()
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-secret-not-for-production-" + "x" * 32,
                   PASSERELLE_PRODUCTION="1", ACCESS_LOG="0", BENCH_STATIC=str(static_dir),
                   BASE_URL=f"http://127.0.0.1:{self.port}",
                   LOGIN_MAX_ATTEMPTS="100000", LOGIN_MAX_ATTEMPTS_PER_ADDRESS="100000")
        self.out = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             *(["--threads", str(threads)] if threads else []), *options,
             "--preload", "--access-logfile", "-", "--log-level", "warning", "bench.serve:app"],
            cwd=ROOT, env=env, stdout=self.out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}")
            try:
                if Client(self.port).request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=20)
        self.out.close()


def lesson_copy(url: str, static_dir: Path) -> tuple[str, str, int | None, bool]:
    """Copy static/ and the first lesson's page (as a visitor gets it) into ``static_dir``."""
    import shutil

    from .generate import make_app
    shutil.copytree(ROOT / "static", static_dir, dirs_exist_ok=True)
    app = make_app(url)
    with app.app_context():
        from webapp.content import catalog
        lesson = catalog().lessons[0].slug
        page = app.test_client().get(f"/lessons/{lesson}", headers={"Accept-Language": "fr"}).data
        has_workshop = "workshops.show" in app.view_functions
        has_report = "records.report" in app.view_functions
        from webapp.extensions import db
        db.engine.dispose()
    (static_dir / "bench").mkdir(exist_ok=True)
    (static_dir / "bench" / "lesson.html").write_bytes(page)
    return lesson, "bench/lesson.html", (1 if has_workshop else None), has_report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'bench' / 'out' / 'bench.db'}")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (the machine has 2 cores)")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--seconds", type=float, default=10.0, help="at most this long per scenario")
    parser.add_argument("--requests", type=int, default=5000, help="at most this many requests per scenario")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--only", help="run only the scenarios whose name contains one of these words "
                                       "(comma-separated), e.g. 'lesson,static'")
    args = parser.parse_args(argv)
    url = normalise(args.database_url)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        static_dir = Path(tmp) / "static"
        lesson, static_name, workshop_id, has_report = lesson_copy(url, static_dir)
        server = Server(url, static_dir, args.workers, out / "gunicorn.log")
        try:
            static_path = _fingerprinted(static_dir / static_name)
            results = []
            chosen = [word.strip() for word in (args.only or "").split(",") if word.strip()]
            for scenario in scenarios(lesson, static_path, workshop_id, has_report):
                if chosen and not any(word in scenario.name for word in chosen):
                    continue
                results.append(run(server.port, scenario, args.threads, args.seconds, args.requests))
        finally:
            server.stop()
    engine = url.split("+")[0].split(":")[0]
    print(f"\n{engine}, gunicorn {args.workers} workers, {args.threads} client threads, "
          f"≤ {args.seconds:g} s and ≤ {args.requests} requests per scenario")
    print(f"{'scenario':<28}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    figures = {}
    for r in results:
        print(f"{r.name:<28}{r.requests:>9}{r.rps:>9.1f}{r.percentile(0.5):>9.1f}{r.percentile(0.95):>9.1f}{r.errors:>8}")
        figures[r.name] = {"requests": r.requests, "rps": round(r.rps, 1), "p50_ms": round(r.percentile(0.5), 1),
                           "p95_ms": round(r.percentile(0.95), 1), "errors": r.errors}
    by_name = {r.name: r for r in results}
    for top, bottom, label in (("lesson", "static (same bytes)", "lesson page / the same bytes as a static file"),
                               ("lesson, signed in", "lesson", "signed-in lesson / visitor lesson")):
        if top in by_name and bottom in by_name and by_name[bottom].rps:
            ratio = by_name[top].rps / by_name[bottom].rps
            figures[f"{top} / {bottom}"] = round(ratio, 2)
            print(f"{label}: {ratio:.2f} (goal ≥ 0.5)")
    if args.json:
        args.json.write_text(json.dumps({"engine": engine, "workers": args.workers, "threads": args.threads,
                                         "figures": figures}, indent=1))
    return figures


def _fingerprinted(path: Path) -> str:
    import hashlib
    return f"/static/bench/lesson.{hashlib.sha256(path.read_bytes()).hexdigest()[:10]}.html"


if __name__ == "__main__":
    main()
