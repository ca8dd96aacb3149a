"""Where the time goes on one page: cProfile over N requests, in process, on a generated database.

    .venv/bin/python -m bench.profile /admin/reports --as bench-admin@example.org
    .venv/bin/python -m bench.profile /lessons/trafficking-vs-smuggling -n 500
    .venv/bin/python -m bench.profile quiz:trafficking-vs-smuggling --as bench-trainee-1@example.org

A path "quiz:<quiz>" profiles whole sittings as bench/load.py's quiz scenario sends them (start,
which answers with the form, then submit; the result page is not fetched), and counts them as its requests.

Prints the mean time per request, the SQL statements per request, and the functions with the most
cumulative time (the app's own code first, then everything).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time

from sqlalchemy import event

from .generate import make_app, normalise
from .load import ROOT


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--as", dest="email", help="sign in as this account first")
    parser.add_argument("-n", type=int, default=100, help="requests to profile")
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'bench' / 'out' / 'bench.db'}")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--time-only", action="store_true", help="no profiler: the plain mean time a request")
    args = parser.parse_args(argv)
    app = make_app(normalise(args.database_url))
    headers = {"Accept-Language": "fr", "Accept-Encoding": "gzip"}
    with app.app_context():
        from webapp.auth import sessions
        from webapp.extensions import db, login_manager
        from webapp.models import User
        client = app.test_client()
        if args.email:
            user = db.session.scalar(db.select(User).filter_by(email=args.email))
            with app.test_request_context():
                ident = login_manager._session_identifier_generator()
            with client.session_transaction() as session:
                session.update({"_user_id": user.get_id(), "_fresh": True, "_id": ident, **sessions.open_for(user)})
            db.session.remove()
        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
    # Each request in its own application context, as under gunicorn: its own database session,
    # a connection checked out of the pool and given back (and its account loaded again).
    step = _sitting(client, args.path[5:], headers) if args.path.startswith("quiz:") else (
        lambda: client.get(args.path, headers=headers).status_code)
    status = step()  # warm: templates, caches, pool
    statements.clear()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    if not args.time_only:
        profiler.enable()
    for _ in range(args.n):
        step()
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"{args.path} → {status}: {elapsed / args.n * 1000:.1f} ms a request"
          f"{'' if args.time_only else ' (profiled)'}, {len(statements) / args.n:.1f} SQL statements a request")
    if args.time_only:
        return
    for title, restriction in (("the app's own code", "webapp"), ("everything", "")):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(restriction, args.top) if restriction else stats.print_stats(args.top)
        print(f"\n--- cumulative time, {title} ---")
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


def _sitting(client, quiz: str, headers: dict):
    """One sitting of ``quiz`` as the load run's scenario sends it: its status is the submission's."""
    import gzip

    from werkzeug.datastructures import MultiDict

    from .load import csrf, quiz_form

    def text(response):
        data = response.get_data()
        return gzip.decompress(data) if response.headers.get("Content-Encoding") == "gzip" else data
    token = csrf(text(client.get("/progress", headers=headers)))

    def sit():
        started = client.post(f"/quizzes/{quiz}/start", data={"csrf_token": token}, headers=headers)
        form = quiz_form(text(started))
        return client.post(started.headers["Content-Location"], data=MultiDict(form), headers=headers).status_code
    return sit


if __name__ == "__main__":
    main()
