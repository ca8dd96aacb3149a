"""The outbox: emails kept in the database until they are sent, so that no crash loses one and no
second server sends one twice.

An email is a row written in the same transaction as what causes it (a reset link, a registration).
Whoever sends it first claims it with a conditional UPDATE (``claimed_until`` in the past or empty,
one row changed or none), which works alike on SQLite and PostgreSQL and across processes and
servers; a claim that a killed process leaves behind expires after MAIL_CLAIM_SECONDS and the email
is sent by the next one. A failure is retried later (backoff, attempt count, last error); after
MAIL_MAX_ATTEMPTS it is given up. Once sent, dropped or given up, the address and text are blanked
and the bookkeeping row is deleted MAIL_KEEP_DAYS later.

Some rows are written before their text is known (a reset asked for an address: the page must not
wait for, nor reveal, the account look-up); a composer registered for their ``kind`` writes the
text when the row is claimed, or drops it (no such account). Sending happens in a daemon thread of
each process (started when an email is saved, and now and then while the process serves requests)
and with `flask --app webapp mail send-pending` from cron.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage

from flask import Flask, current_app
from sqlalchemy import delete, func, or_, select, update

from . import links
from .extensions import db
from .models.base import utcnow
from .models.outbox import DROPPED, FAILED, MESSAGE, PENDING, SENT, OutboxEmail

SETTINGS = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_USE_TLS", "MAIL_USE_SSL",
            "MAIL_TIMEOUT")
MAX_BACKOFF_SECONDS = 3600
BATCH = 50

# kind -> function(row) returning (to, subject, body), or None to drop the row; called in a request
# context on BASE_URL, inside the transaction that stores the text.
COMPOSERS: dict[str, Callable[[OutboxEmail], tuple[str, str, str] | None]] = {}


def composer(kind: str):
    def register(function):
        COMPOSERS[kind] = function
        return function
    return register


def add(*, to: str, subject: str = "", body: str = "", kind: str = MESSAGE) -> OutboxEmail:
    """Put an email in the session (not committed: the caller commits it with what caused it)."""
    row = OutboxEmail(kind=kind, recipient=to[:254], subject=subject[:300], body=body)  # the column sizes
    db.session.add(row)
    return row


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def _due(now):
    return (OutboxEmail.status == PENDING, OutboxEmail.next_attempt_at <= now,
            or_(OutboxEmail.claimed_until.is_(None), OutboxEmail.claimed_until < now))


def send_due(deliver: Callable[[EmailMessage, dict], None]) -> Counter:
    """Send every email that is due and not claimed by someone else; how many were sent, dropped,
    retried later, given up. Needs an app context."""
    outcomes: Counter = Counter()
    prune()
    now = utcnow()
    ids = db.session.scalars(select(OutboxEmail.id).where(*_due(now)).order_by(OutboxEmail.id).limit(BATCH)).all()
    db.session.rollback()
    for row_id in ids:
        outcome = _send_one(row_id, deliver)
        if outcome:
            outcomes[outcome] += 1
    return outcomes


def _send_one(row_id: int, deliver) -> str | None:
    cfg = current_app.config
    now = utcnow()
    claimed = db.session.execute(update(OutboxEmail).where(OutboxEmail.id == row_id, *_due(now)).values(
        claimed_by=_me(), claimed_until=now + timedelta(seconds=cfg["MAIL_CLAIM_SECONDS"]),
        attempts=OutboxEmail.attempts + 1)).rowcount == 1
    db.session.commit()
    if not claimed:
        return None  # another worker or server has it
    row = db.session.get(OutboxEmail, row_id)
    if row.kind != MESSAGE:
        compose = COMPOSERS.get(row.kind)
        with current_app.test_request_context(base_url=links.base_url()):  # for url_for and the locale
            text = compose(row) if compose else None
        if text is None:
            _finish(row, DROPPED, "nothing to send")
            return DROPPED
        row.recipient, row.subject, row.body = text
        row.kind = MESSAGE
        db.session.commit()  # the text with what composing it saved (a new reset link): both or neither
    try:
        deliver(_message(row, cfg), {name: cfg.get(name) for name in SETTINGS})
    except Exception as error:  # noqa: BLE001 - whatever the mail server does, keep the email for later
        current_app.logger.warning("could not send an email (attempt %d): %r", row.attempts, error)
        row.last_error = repr(error)[:300]
        if row.attempts >= cfg["MAIL_MAX_ATTEMPTS"]:
            current_app.logger.error("could not send an email: gave up after %d attempts", row.attempts)
            _finish(row, FAILED, row.last_error)
            return FAILED
        delay = min(cfg["MAIL_RETRY_SECONDS"] * 2 ** (row.attempts - 1), MAX_BACKOFF_SECONDS)
        row.next_attempt_at = utcnow() + timedelta(seconds=delay)
        row.claimed_by = row.claimed_until = None
        db.session.commit()
        return "retry"
    _finish(row, SENT, None)
    return SENT


def _message(row: OutboxEmail, cfg) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = cfg["MAIL_SENDER"], row.recipient, row.subject
    # The row's id: a mail server or reader that sees an email twice (a crash right after the mail
    # server took it, before it was marked sent) can tell that it is the same one.
    message["Message-ID"] = f"<passerelle-outbox-{row.id}-{row.created_at:%Y%m%d%H%M%S}@{_domain(cfg)}>"
    message.set_content(row.body)
    return message


def _domain(cfg) -> str:
    return (cfg.get("MAIL_SENDER") or "passerelle@localhost").rpartition("@")[2] or "localhost"


def _finish(row: OutboxEmail, status: str, error: str | None) -> None:
    now = utcnow()
    row.status, row.finished_at, row.last_error = status, now, error
    row.sent_at = now if status == SENT else None
    row.recipient = row.subject = row.body = ""  # no personal data kept once done
    row.claimed_by = row.claimed_until = None
    db.session.commit()


def prune() -> None:
    """Delete the bookkeeping of emails finished more than MAIL_KEEP_DAYS ago."""
    keep = timedelta(days=current_app.config["MAIL_KEEP_DAYS"])
    db.session.execute(delete(OutboxEmail).where(OutboxEmail.finished_at < utcnow() - keep))
    db.session.commit()


def waiting() -> int:
    """Emails due now or being sent (those waiting for a retry later do not count). Read on a
    connection of its own, so that the caller's transaction sees nothing of it."""
    now = utcnow()
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(OutboxEmail).where(
            OutboxEmail.status == PENDING, OutboxEmail.next_attempt_at <= now))


class Sender:
    """One daemon thread per process and app that sends what is due, then stops until woken again."""

    def __init__(self, app: Flask, deliver):
        self.app, self.deliver = app, deliver
        self._lock = threading.Lock()
        self._wanted = False
        self._thread: threading.Thread | None = None
        self._next_look = 0.0

    def wake(self) -> None:
        with self._lock:
            self._wanted = True
            # After a fork (a gunicorn worker) the parent's thread is not alive here: start one.
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="passerelle-mail", daemon=True)
                self._thread.start()

    def look_now_and_then(self) -> None:
        """Wake the thread at most once every MAIL_POLL_SECONDS (retries, and mail another process saved)."""
        now = time.monotonic()
        if now >= self._next_look:
            self._next_look = now + self.app.config["MAIL_POLL_SECONDS"]
            self.wake()

    def flush(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        self.wake()
        while True:
            with self.app.app_context():
                if waiting() == 0:
                    return True
            if time.monotonic() >= deadline:
                return False
            self.wake()
            time.sleep(0.02)

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._wanted:
                    self._thread = None
                    return
                self._wanted = False
            try:
                with self.app.app_context():
                    more = send_due(self.deliver).total() > 0  # there may be more than one batch
                    db.session.remove()
                if more:
                    with self._lock:
                        self._wanted = True
            except Exception:  # noqa: BLE001 - log, and let the next wake try again
                self.app.logger.exception("could not send an email")


_senders_lock = threading.Lock()


def sender(app: Flask, deliver: Callable) -> Sender:
    """The app's one background sender, made on first use with ``deliver`` (mail.py's SMTP)."""
    with _senders_lock:
        found = app.extensions.get("passerelle_outbox")
        if found is None:
            found = app.extensions["passerelle_outbox"] = Sender(app, deliver)
        return found
