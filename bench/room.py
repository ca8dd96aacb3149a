"""A scripted workshop day on one gunicorn worker: can one small server carry a room of 40?

    .venv/bin/python -m bench.room [--database-url ...] [--minutes 2] [--threads 4]   # after bench.generate

Workshop 1 of the bench database has 40 trainees. Each trainee is a client thread that signs in,
then, until the end: reads a lesson, takes that lesson's quiz once, polls the live panel every
3 seconds (as the page's script does) and answers each open question once. The facilitator asks a
bank question every 30 seconds, closes the previous one, and saves the day's attendance. Everything
goes to one gunicorn worker (``--threads`` threads, gthread) on loopback.

Prints per kind of request its count, p50 and p95; the worker's peak resident memory (VmHWM of
/proc) and its CPU time per second of the run (a share of one core), then the poll's share alone
(its count times its mean latency, an upper bound). The last 30 seconds are polls alone: the
facilitator has stopped asking, trainees stop reading and the worker's CPU is the polls' own.
"""
from __future__ import annotations

import argparse
import random
import re
import threading
import time
from pathlib import Path

from .generate import facilitator_email, make_app, normalise
from .load import ROOT, Client, Server, csrf, quiz_form

POLL_SECONDS = 3.0
ASK_EVERY = 30.0


def room_members(url: str) -> tuple[int, list[str], list[str], str]:
    """Workshop 1's id, its trainees' emails, a few bank question ids, and its first day."""
    app = make_app(url)
    with app.app_context():
        from sqlalchemy import select

        from webapp.content import catalog
        from webapp.extensions import db
        from webapp.models import User, Workshop, WorkshopMember
        workshop = db.session.scalar(select(Workshop).order_by(Workshop.id).limit(1))
        emails = list(db.session.scalars(select(User.email).join(WorkshopMember, WorkshopMember.user_id == User.id)
                                         .where(WorkshopMember.workshop_id == workshop.id)))
        questions = [q["id"] for q in catalog().all_questions() if q["type"] in ("single", "true_false")][:12]
        day = workshop.days[0].isoformat()
        db.engine.dispose()
        return workshop.id, emails, questions, day


class Timings:
    def __init__(self):
        self.by_kind: dict[str, list] = {}
        self.lock = threading.Lock()
        self.errors = 0
        self.when: list = []

    def timed(self, kind: str, client: Client, method: str, path: str, form=None, ok=(200, 204, 302, 303)):
        started = time.perf_counter()
        status, headers, body = client.request(method, path, form)
        elapsed = time.perf_counter() - started
        with self.lock:
            self.by_kind.setdefault(kind, []).append(elapsed)
            self.when.append((time.monotonic(), kind))
            if status not in ok:
                self.errors += 1
        return status, headers, body


def percentile(values: list, p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else 0.0


def trainee(port: int, email: str, workshop_id: int, lesson: str, stop: threading.Event, t: Timings, rng,
            polls_only: threading.Event):
    client = Client(port)
    client.sign_in(email)
    time.sleep(rng.random() * POLL_SECONDS)  # a room does not poll in step
    answered, version, quiz_done = set(), "", False
    next_read = time.monotonic()
    while not stop.is_set():
        if time.monotonic() >= next_read and not polls_only.is_set():
            t.timed("lesson", client, "GET", f"/lessons/{lesson}")
            next_read = time.monotonic() + 20 + rng.random() * 20
        if not quiz_done:
            _, _, page = client.request("GET", "/progress")
            # "start" answers with the attempt's form, which names the attempt's address
            status, headers, form_page = t.timed("quiz start", client, "POST", f"/quizzes/{lesson}/start",
                                                 {"csrf_token": csrf(page)}, ok=(200,))
            if status == 200:
                address = headers["Content-Location"]
                t.timed("quiz submission", client, "POST", address, quiz_form(form_page), ok=(302, 303))
            quiz_done = True
        status, headers, body = t.timed("poll", client, "GET", f"/workshops/{workshop_id}/live/panel?v={version}")
        version = headers.get("X-Live-Version", version)
        if status == 200:
            found = re.search(rb'action="(/workshops/\d+/live/(\d+)/answer)"', body)
            if found and found.group(2) not in answered and not polls_only.is_set():
                _, _, page = client.request("GET", f"/workshops/{workshop_id}")
                form = quiz_form(page)  # the live question's first choice, and the CSRF token
                t.timed("live answer", client, "POST", found.group(1).decode(), form)
                answered.add(found.group(2))
        stop.wait(POLL_SECONDS)


def facilitator(port: int, workshop_id: int, questions: list, day: str, trainees: int, stop: threading.Event,
                t: Timings, polls_only: threading.Event):
    client = Client(port)
    client.sign_in(facilitator_email(0))
    n = 0
    while not stop.is_set() and not polls_only.is_set() and n < len(questions):
        _, _, page = client.request("GET", f"/workshops/{workshop_id}")
        token = csrf(page)
        t.timed("ask a question", client, "POST", f"/workshops/{workshop_id}/live",
                {"csrf_token": token, "question": questions[n]})
        t.timed("facilitator screen", client, "GET", f"/workshops/{workshop_id}/live")
        if n == 0:
            _, _, page = client.request("GET", f"/workshops/{workshop_id}/attendance/{day}")
            boxes = re.findall(r'name="present" value="(\d+)"', page.decode())
            t.timed("attendance save", client, "POST", f"/workshops/{workshop_id}/attendance/{day}",
                    [("csrf_token", csrf(page))] + [("present", b) for b in boxes[:trainees]])
        n += 1
        polls_only.wait(ASK_EVERY)


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    import os
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'bench' / 'out' / 'bench.db'}")
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads of the one worker")
    args = parser.parse_args(argv)
    url = normalise(args.database_url)
    workshop_id, emails, questions, day = room_members(url)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    from webapp.room_address import KEEP_ALIVE
    # Idle connections kept as `make room` keeps them (longer than a poll's interval).
    server = Server(url, ROOT / "static", 1, out / "room-gunicorn.log", threads=args.threads,
                    options=("--keep-alive", str(KEEP_ALIVE)))
    stop, polls_only, t = threading.Event(), threading.Event(), Timings()
    try:
        pid = worker_pid(server.proc.pid)
        lesson = "trafficking-vs-smuggling"
        threads = [threading.Thread(target=trainee, args=(server.port, e, workshop_id, lesson, stop, t,
                                                          random.Random(n), polls_only), daemon=True)
                   for n, e in enumerate(emails)]
        threads.append(threading.Thread(target=facilitator, args=(server.port, workshop_id, questions, day,
                                                                  len(emails), stop, t, polls_only),
                                     daemon=True))
        cpu_before, started = cpu_seconds(pid), time.monotonic()
        for thread in threads:
            thread.start()
        # The last 30 seconds: everyone has signed in and taken her quiz; the facilitator waits with
        # a question open, nobody reads: the room only polls.
        stop.wait(max(0.0, args.minutes * 60 - 35))
        polls_only.set()
        stop.wait(5)  # requests under way finish
        cpu_quiet, quiet_from = cpu_seconds(pid), time.monotonic()
        stop.wait(30)
        quiet = (cpu_seconds(pid) - cpu_quiet) / (time.monotonic() - quiet_from)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        seconds = time.monotonic() - started
        cpu = cpu_seconds(pid) - cpu_before
        rss = peak_rss_mb(pid)
    finally:
        server.stop()
    everything = [x for values in t.by_kind.values() for x in values]
    print(f"\none gunicorn worker, {args.threads} threads, {len(emails)} trainees and a facilitator, "
          f"{seconds:.0f} s, {args.database_url.split(':', 1)[0]}")
    print(f"{'request':<22}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for kind, values in sorted(t.by_kind.items()):
        print(f"{kind:<22}{len(values):>8}{percentile(values, .5):>9.1f}{percentile(values, .95):>9.1f}")
    print(f"{'all':<22}{len(everything):>8}{percentile(everything, .5):>9.1f}{percentile(everything, .95):>9.1f}")
    late = [kind for at, kind in t.when if at >= quiet_from]
    print(f"errors: {t.errors}; worker peak memory (VmHWM): {rss:.0f} MB; "
          f"worker CPU: {100 * cpu / seconds:.1f} % of one core over the run (sign-ins hash passwords)")
    print(f"last 30 s, polls only: {late.count('poll')} polls and {len(late) - late.count('poll')} other "
          f"requests; worker CPU {100 * quiet:.1f} % of one core (goal: under 5 %)")


if __name__ == "__main__":
    main()
