"""Exports: learning records as CSV and xAPI 1.0.3 from the command line, and sending to an LRS."""
import base64
import csv
import io
import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from webapp.certificates import services
from webapp.records import lrs

from ..factories import make_user
from ..records_builders import complete_course, take_quiz
from ..xapi_spec import problems

pytestmark = pytest.mark.engine_sensitive  # exports page through rows in SQL

SITE = "https://passerelle.example.org"


@pytest.fixture
def records(app):
    app.config["BASE_URL"] = SITE
    first = make_user(name="Aïssatou N'Diaye", email="aissatou@example.org", country="SN", language="fr")
    complete_course(first, at=datetime(2026, 3, 10, 10, 0))
    take_quiz(first, quiz="first-steps", score=0.4, at=datetime(2026, 3, 9, 10, 0))
    services.issue_due(first.id)
    second = make_user(name="Đorđe", email="djordje@example.org", country="RS", language="en")
    take_quiz(second, quiz="final", score=0.2, at=datetime(2026, 5, 2, 8, 0))
    return first, second


def _xapi(runner, *args):
    result = runner.invoke(args=["export-records", "--format", "xapi", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_exported_statement_is_valid_xapi(runner, records):
    statements = _xapi(runner)
    verbs = sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in statements)
    # 2 lessons x completed; 3 attempts x (attempted + passed/failed); 1 course completed
    assert verbs == sorted(["completed"] * 2 + ["attempted"] * 3 + ["passed", "failed", "failed"] + ["completed"])
    for statement in statements:
        assert problems(statement) == [], statement
        score = statement.get("result", {}).get("score")
        if score:
            assert 0 <= score["scaled"] <= 1
    assert len({s["id"] for s in statements}) == len(statements)


def test_exports_name_nobody(runner, records):
    for fmt in ("xapi", "csv"):
        output = runner.invoke(args=["export-records", "--format", fmt]).stdout
        for personal in ("aissatou@example.org", "djordje@example.org", "Aïssatou", "Đorđe", "mbox\""):
            assert personal not in output


def test_statement_ids_are_the_same_on_every_export(runner, records):
    assert [s["id"] for s in _xapi(runner)] == [s["id"] for s in _xapi(runner)]


def test_since_keeps_only_newer_records(runner, records):
    statements = _xapi(runner, "--since", "2026-05-01")
    assert [s["verb"]["display"]["en"] for s in statements] == ["attempted", "failed"]
    assert all(s["timestamp"] >= "2026-05-01" for s in statements)


def test_csv_export_has_one_line_per_statement(runner, records, tmp_path):
    target = tmp_path / "records.csv"
    result = runner.invoke(args=["export-records", "--format", "csv", "--output", str(target)])
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["statement_id"] for r in rows] == [s["id"] for s in _xapi(runner)]
    assert {r["country"] for r in rows} == {"SN", "RS"}


def test_export_refuses_bad_options(runner, records):
    assert runner.invoke(args=["export-records", "--format", "pdf"]).exit_code == 2
    assert runner.invoke(args=["export-records", "--format", "csv", "--since", "yesterday"]).exit_code == 2
    result = runner.invoke(args=["export-records", "--format", "csv", "--workshop", "NOPE99"])
    assert result.exit_code == 2 and "NOPE99" in result.output


class LRS:
    """A tiny Learning Record Store on loopback: keeps statements by id, fails when told to."""

    def __init__(self, fail_first=0, conflict_on_known=False):
        self.stored, self.requests, self.fail_first = {}, [], fail_first
        self.conflict_on_known = conflict_on_known
        lrs_self = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, code, body=b""):
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                lrs_self.requests.append(("POST", {k.lower(): v for k, v in self.headers.items()}, len(body)))
                if lrs_self.fail_first > 0:
                    lrs_self.fail_first -= 1
                    return self._reply(503)
                if lrs_self.conflict_on_known and any(s["id"] in lrs_self.stored for s in body):
                    return self._reply(409)
                for statement in body:
                    lrs_self.stored.setdefault(statement["id"], statement)
                self._reply(200, json.dumps([s["id"] for s in body]).encode())

            def do_PUT(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                lrs_self.requests.append(("PUT", dict(self.headers), 1))
                if body["id"] in lrs_self.stored:
                    return self._reply(409)
                lrs_self.stored[body["id"]] = body
                self._reply(204)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/xapi"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _configure(app, url):
    app.config.update(XAPI_LRS_URL=url, XAPI_LRS_USERNAME="key", XAPI_LRS_PASSWORD="sécret",
                      XAPI_RETRY_BACKOFF=0)


def test_send_xapi_delivers_in_batches_retries_and_never_duplicates(app, runner, records):
    expected = {s["id"] for s in _xapi(runner)}
    with LRS(fail_first=2) as store:
        _configure(app, store.url)
        result = runner.invoke(args=["send-xapi", "--batch-size", "4"])
        assert result.exit_code == 0, result.output
        assert "9 statements sent in 3 batches (2 retries)" in result.output
        assert set(store.stored) == expected
        method, headers, _ = store.requests[-1]
        assert headers["x-experience-api-version"] == "1.0.3"
        assert headers["authorization"] == "Basic " + base64.b64encode("key:sécret".encode()).decode()
        again = runner.invoke(args=["send-xapi", "--batch-size", "4"])     # sending again: nothing doubles
        assert again.exit_code == 0 and set(store.stored) == expected and len(store.stored) == 9


def test_a_store_that_refuses_known_ids_gets_the_rest_one_by_one(app, runner, records):
    with LRS(conflict_on_known=True) as store:
        _configure(app, store.url)
        first = _xapi(runner)[:3]
        lrs.send(first, url=store.url, username="k", password="p")
        result = runner.invoke(args=["send-xapi", "--batch-size", "100"])
        assert result.exit_code == 0, result.output
        assert len(store.stored) == 9
        assert [m for m, _, _ in store.requests].count("PUT") == 9


def test_send_xapi_gives_up_clearly_when_the_store_stays_down(app, runner, records):
    with LRS(fail_first=100) as store:
        _configure(app, store.url)
        result = runner.invoke(args=["send-xapi", "--attempts", "2"])
        assert result.exit_code == 1 and "503" in result.output and "Run the command again" in result.output
    _configure(app, "http://127.0.0.1:9/xapi")   # nothing listens on the discard port
    result = runner.invoke(args=["send-xapi", "--attempts", "1"])
    assert result.exit_code == 1 and "cannot reach the LRS" in result.output


def test_send_xapi_needs_a_configured_store(app, runner, records):
    app.config["XAPI_LRS_URL"] = ""
    result = runner.invoke(args=["send-xapi"])
    assert result.exit_code == 1 and "XAPI_LRS_URL is not set" in result.output


@pytest.mark.parametrize("url", ["lrs.example.org/xapi", "http://[bad", "http://lrs.example.org:abc/xapi",
                                 "ftp://lrs.example.org/xapi", "http://lrs example.org/xapi"])
def test_send_xapi_says_in_one_line_that_the_store_address_is_malformed(app, runner, records, url):
    _configure(app, url)
    result = runner.invoke(args=["send-xapi", "--attempts", "1"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)   # not a crash
    assert result.output.startswith("Error: XAPI_LRS_URL") and result.output.count("\n") == 1
    assert "Traceback" not in result.output


def test_send_xapi_refuses_to_run_without_the_public_address(app, runner, records):
    with LRS() as store:
        _configure(app, store.url)
        app.config["BASE_URL"] = ""
        result = runner.invoke(args=["send-xapi"])
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
        assert "BASE_URL is not set" in result.output and "twice" in result.output
        assert store.requests == [] and store.stored == {}          # nothing was sent


def test_an_export_without_the_public_address_warns_on_stderr(app, runner, records):
    app.config["BASE_URL"] = ""
    result = runner.invoke(args=["export-records", "--format", "xapi"])
    assert result.exit_code == 0
    assert result.stderr.startswith("Warning: BASE_URL is not set") and "http://127.0.0.1:5000" in result.stderr
    assert json.loads(result.stdout)                               # the export itself is untouched
    app.config["BASE_URL"] = SITE
    assert runner.invoke(args=["export-records", "--format", "csv"]).stderr == ""


def test_since_is_compared_with_each_statements_own_timestamp(app, runner, records):
    from .test_workshop_records import attend, workshop
    first, _ = records
    w = workshop(members=[first])
    attend(w, first, [datetime(2026, 3, 9).date(), datetime(2026, 3, 10).date()])
    # the first-steps quiz was started at 09:48 and submitted at 10:00 on March 9
    for since in ("2026-03-09T09:55:00", "2026-03-09"):
        statements = _xapi(runner, "--since", since)
        assert statements and all(s["timestamp"] >= since for s in statements), since
    late = _xapi(runner, "--since", "2026-03-09T09:55:00")
    quiz_verbs = [s["verb"]["display"]["en"] for s in late if s["object"]["id"].endswith("/quizzes/first-steps")]
    assert quiz_verbs == ["failed"]                            # its "attempted" (09:48) is before --since
    days = [s["object"]["id"].rsplit("/", 1)[1] for s in late if s["verb"]["id"].endswith("/attended")]
    assert days == ["2026-03-10"]                              # March 9 is stamped 00:00, before --since
    rows = list(csv.DictReader(io.StringIO(runner.invoke(
        args=["export-records", "--format", "csv", "--since", "2026-03-09T09:55:00"]).stdout.lstrip("\ufeff"))))
    assert len(rows) == len(late) and all(r["timestamp"] >= "2026-03-09T09:55:00" for r in rows)
