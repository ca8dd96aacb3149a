"""A gunicorn worker killed (kill -9) while it sends a reset email, after the commit and before the
mail server said "250 OK": the email is not lost, and it arrives exactly once, sent by another worker
once the dead one's claim has expired. On a file SQLite database and on PostgreSQL; bounded in time."""
import os
import re
import signal

import pytest

from .loadkit import Browser, Server, email, migrate
from .mailkit import Smtp, outbox_rows, wait_for

pytestmark = pytest.mark.load
MAIL = {"MAIL_SERVER": "127.0.0.1", "MAIL_SENDER": "passerelle@example.org", "MAIL_TIMEOUT": "30",
        "MAIL_CLAIM_SECONDS": "4", "MAIL_POLL_SECONDS": "0.5", "MAIL_RETRY_SECONDS": "1"}


def ask_for_a_reset(port: int, address: str) -> None:
    browser = Browser(port)
    token = browser.token("/password/forgot")
    status, _, page = browser.open("POST", "/password/forgot", {"email": address, "csrf_token": token})
    assert status == 200 and "Check your email" in page


def test_a_worker_killed_while_sending_a_reset_email_loses_it_not_and_sends_it_once(database_url, tmp_path):
    migrate(database_url, 1)
    trainee = email(0)
    with Smtp() as smtp:
        smtp.hold.set()
        server = Server(database_url, tmp_path / "gunicorn.log", MAIL_PORT=str(smtp.port), **MAIL)
        try:
            ask_for_a_reset(server.port, trainee)
            assert smtp.holding.wait(60), "no worker started sending the email"
            [row] = outbox_rows(database_url)
            # Committed and claimed, its text (and link) written; the mail server has not said yes.
            assert (row.kind, row.status, row.recipient, row.attempts) == ("message", "pending", trainee, 1)
            worker = int(row.claimed_by.rsplit(":", 1)[1])
            assert worker != server.proc.pid
            os.kill(worker, signal.SIGKILL)
            smtp.hold.clear()
            smtp.released.set()  # the transfer the dead worker began is refused, never delivered

            def poke():
                Browser(server.port).get("/healthz")  # gunicorn starts a new worker; requests wake senders

            wait_for(lambda: smtp.to(trainee), "the email after the kill", poke=poke)
            sent = wait_for(lambda: [r for r in outbox_rows(database_url) if r.status == "sent"], "marked sent")
            for _ in range(10):  # more requests, more senders awake: still one email
                poke()
            [message] = smtp.to(trainee)
            assert len(smtp.received) == 1 and sent[0].attempts == 2 and sent[0].recipient == ""
            link = re.search(r"http://127\.0\.0\.1(/password/reset/\S+)", message.get_payload(decode=True).decode())[1]
            assert Browser(server.port).get(link)[0] == 200  # the link it carries works
        finally:
            server.stop()
    log = (tmp_path / "gunicorn.log").read_text()
    assert "Traceback" not in log
