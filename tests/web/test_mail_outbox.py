"""The outbox: an email is saved with what caused it, sent once by whoever claims it first, retried
when the mail server fails, and leaves no address or text behind once it is done. A reset request
does the same database work whether the address has an account or not."""
import re
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, update

from webapp import mail, outbox
from webapp.extensions import db
from webapp.models import AccountToken, OutboxEmail
from webapp.models.base import utcnow

from ..factories import make_user
from .test_accounts import GOOD
from .test_password_reset import link_in, mail_app, smtp  # noqa: F401  (fixtures)

pytestmark = pytest.mark.engine_sensitive  # rows are claimed and retried with SQL time arithmetic

EN = {"Accept-Language": "en"}


def rows():
    return db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()


class Stand:
    """Stands in for the mail server: counts what it is given; fails while ``failing``."""

    def __init__(self):
        self.sent, self.failing, self.lock = Counter(), False, threading.Lock()

    def __call__(self, message, settings):
        if self.failing:
            raise ConnectionRefusedError("the mail server is down")
        with self.lock:
            self.sent[message["To"]] += 1


@pytest.fixture
def stand(app, monkeypatch):
    """Mail configured, a stand-in mail server, and no background thread: the test sends."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, BASE_URL="https://passerelle.example.org")
    monkeypatch.setattr(outbox.Sender, "wake", lambda self: None)
    return Stand()


def test_an_email_is_saved_in_the_transaction_that_causes_it_and_sent_once(app, client, stand):
    client.post("/register", data=dict(GOOD, email="new@example.org"), headers=EN)
    [row] = rows()
    token = db.session.scalar(select(AccountToken))
    assert row.status == "pending" and row.recipient == "new@example.org" and token is not None
    assert outbox.send_due(stand)["sent"] == 1 and stand.sent == {"new@example.org": 1}
    assert outbox.send_due(stand).total() == 0 and stand.sent == {"new@example.org": 1}  # once
    db.session.expire_all()
    [row] = rows()
    assert row.status == "sent" and row.sent_at is not None and row.attempts == 1
    assert (row.recipient, row.subject, row.body) == ("", "", "")  # nothing personal kept once sent


def test_a_failed_email_is_retried_later_then_given_up(app, client, stand):
    app.config.update(MAIL_RETRY_SECONDS=60, MAIL_MAX_ATTEMPTS=3)
    client.post("/register", data=dict(GOOD, email="new@example.org"), headers=EN)
    stand.failing = True
    assert outbox.send_due(stand)["retry"] == 1
    [row] = rows()
    assert row.attempts == 1 and "the mail server is down" in row.last_error and row.claimed_by is None
    assert row.next_attempt_at > utcnow() + timedelta(seconds=50)
    assert outbox.send_due(stand).total() == 0  # not due yet
    for _attempts in (2, 3):
        db.session.execute(update(OutboxEmail).values(next_attempt_at=utcnow()))
        db.session.commit()
        outbox.send_due(stand)
    db.session.expire_all()
    [row] = rows()
    assert row.status == "failed" and row.attempts == 3 and row.body == "" and stand.sent == {}


def test_a_failed_email_goes_out_when_the_server_is_back(app, client, stand):
    client.post("/register", data=dict(GOOD, email="new@example.org"), headers=EN)
    stand.failing = True
    outbox.send_due(stand)
    stand.failing = False
    db.session.execute(update(OutboxEmail).values(next_attempt_at=utcnow()))
    db.session.commit()
    assert outbox.send_due(stand)["sent"] == 1 and stand.sent == {"new@example.org": 1}


def test_an_email_claimed_by_a_process_that_died_is_sent_when_its_claim_expires(app, client, stand):
    client.post("/register", data=dict(GOOD, email="new@example.org"), headers=EN)
    db.session.execute(update(OutboxEmail).values(claimed_by="killed:123", claimed_until=utcnow() + timedelta(minutes=5),
                                                  attempts=1))
    db.session.commit()
    assert outbox.send_due(stand).total() == 0 and stand.sent == {}  # it may still be sending it
    db.session.execute(update(OutboxEmail).values(claimed_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert outbox.send_due(stand)["sent"] == 1 and stand.sent == {"new@example.org": 1}
    db.session.expire_all()
    assert rows()[0].attempts == 2


def test_senders_racing_each_other_send_every_email_exactly_once(app, stand):
    for n in range(30):
        outbox.add(to=f"person{n}@example.org", subject="Hello", body="Hello")
    db.session.commit()
    go, errors = threading.Barrier(4), []

    def sender():
        try:
            with app.app_context():
                go.wait(10)
                outbox.send_due(stand)
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors and sum(stand.sent.values()) == 30 and set(stand.sent.values()) == {1}
    assert db.session.scalar(select(func.count()).where(OutboxEmail.status == "sent")) == 30


def test_finished_emails_are_deleted_after_the_keeping_time(app, stand):
    app.config.update(MAIL_KEEP_DAYS=7)
    for n in range(2):
        outbox.add(to=f"person{n}@example.org", subject="Hello", body="Hello")
    db.session.commit()
    outbox.send_due(stand)
    first = rows()[0].id
    db.session.execute(update(OutboxEmail).where(OutboxEmail.id == first)
                       .values(finished_at=utcnow() - timedelta(days=7, seconds=1)))
    db.session.commit()
    outbox.prune()
    assert [row.id for row in rows()] == [first + 1]


def test_the_cron_command_sends_what_is_due(app, stand, monkeypatch):
    monkeypatch.setattr(mail, "deliver", stand)
    outbox.add(to="person@example.org", subject="Hello", body="Hello")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send-pending"])
    assert result.exit_code == 0 and "sent: 1" in result.output and stand.sent == {"person@example.org": 1}
    app.config["MAIL_SERVER"] = ""
    assert app.test_cli_runner().invoke(args=["mail", "send-pending"]).exit_code != 0


def test_an_email_for_an_address_with_no_account_is_dropped_and_nothing_is_sent(app, client, stand):
    client.post("/password/forgot", data={"email": "nobody@example.org"})
    assert outbox.send_due(stand)["dropped"] == 1 and stand.sent == {}
    db.session.expire_all()
    [row] = rows()
    assert row.status == "dropped" and row.recipient == "" and db.session.scalar(select(AccountToken)) is None


def _statements(app, client, address):
    seen, me = [], threading.get_ident()

    def record(conn, cursor, statement, parameters, context, executemany):
        if threading.get_ident() == me:  # the request's own, not the mail thread's
            seen.append(re.sub(r"\s+", " ", statement).strip())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.post("/password/forgot", data={"email": address}, headers=EN)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return seen


def test_a_reset_request_does_the_same_database_work_for_known_and_unknown_addresses(app, client, stand):
    """The answer's time told registered addresses apart (the known path wrote a link): now both
    write one outbox row, with the same statements, and the account is looked up afterwards."""
    make_user(email="trainee@example.org")
    known = _statements(app, client, "trainee@example.org")
    unknown = _statements(app, client, "nobody@example.org")
    assert known == unknown
    assert [s for s in known if not s.startswith(("SELECT", "BEGIN", "COMMIT", "PRAGMA"))] == \
        [s for s in known if s.startswith("INSERT INTO outbox_email")]
    assert not any('"user"' in s or " user " in s or "account_token" in s for s in known)
    assert db.session.scalar(select(AccountToken)) is None  # no link yet: made when the email is composed
    outbox.send_due(stand)
    assert stand.sent == {"trainee@example.org": 1} and db.session.scalar(select(AccountToken)) is not None


def test_the_sender_thread_sends_in_the_background(mail_app, client, smtp):  # noqa: F811
    make_user(email="trainee@example.org", language="en")
    client.post("/password/forgot", data={"email": "trainee@example.org"}, headers=EN)
    [message] = smtp.to("trainee@example.org")
    assert "/password/reset/" in link_in(message) and message["Message-ID"].startswith("<passerelle-outbox-")
