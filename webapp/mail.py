"""Sending email with smtplib when MAIL_SERVER is configured; links that never trust the Host header.

Messages are sent off the request: ``send`` builds the message and hands it, with the SMTP settings
of the moment, to this process's outbox, where one daemon thread sends them one after the other. A
slow or unreachable mail server then never slows a page down, and the time a page takes never tells
whether an email went out (whether an address has an account). Failures are logged. Each gunicorn
worker has its own outbox (a forked child starts an empty one); ``flush`` waits until it is empty:
tests call it, and it runs at exit so that a worker that stops first sends what it holds.
"""
from __future__ import annotations

import atexit
import logging
import os
import queue
import smtplib
import ssl
import threading
from email.message import EmailMessage

from flask import current_app

SETTINGS = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_USE_TLS", "MAIL_USE_SSL",
            "MAIL_TIMEOUT")
MAX_WAITING = 1000  # beyond this (the mail server is down and someone keeps asking), drop and log
EXIT_WAIT_SECONDS = 10


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email (see webapp/links.py: never from the request's host)."""
    from .links import external_url as absolute
    return absolute(endpoint, **values)


def send(to: str, subject: str, body: str) -> bool:
    """Queue a plain-text email, to be sent in the background; False (and a log line) if the outbox is full."""
    cfg = current_app.config
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = cfg["MAIL_SENDER"], to, subject
    message.set_content(body)
    return _outbox().put(message, {name: cfg.get(name) for name in SETTINGS}, current_app.logger)


def flush(timeout: float = EXIT_WAIT_SECONDS) -> bool:
    """Wait until every queued email is sent (or has failed and been logged); False on timeout."""
    return _outbox().flush(timeout)


def deliver(message: EmailMessage, settings: dict) -> None:
    """Send one message now over SMTP; raises OSError or SMTPException."""
    timeout = settings["MAIL_TIMEOUT"]
    if settings.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(settings["MAIL_SERVER"], settings["MAIL_PORT"], timeout=timeout,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings["MAIL_SERVER"], settings["MAIL_PORT"], timeout=timeout)
    with smtp:
        if settings.get("MAIL_USE_TLS") and not settings.get("MAIL_USE_SSL"):
            smtp.starttls(context=ssl.create_default_context())
        if settings.get("MAIL_USERNAME"):
            smtp.login(settings["MAIL_USERNAME"], settings["MAIL_PASSWORD"])
        smtp.send_message(message)


class Outbox:
    """A queue and the one thread that empties it, started with the first message."""

    def __init__(self):
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._pending = 0  # queued or being sent
        self._idle = threading.Condition()
        self._thread: threading.Thread | None = None

    def put(self, message: EmailMessage, settings: dict, logger: logging.Logger) -> bool:
        with self._idle:
            if self._pending >= MAX_WAITING:
                logger.error("could not send an email: %d are already waiting to be sent", self._pending)
                return False
            self._pending += 1
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="passerelle-mail", daemon=True)
                self._thread.start()
        self._queue.put((message, settings, logger))
        return True

    def flush(self, timeout: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def _run(self) -> None:
        while True:
            message, settings, logger = self._queue.get()
            try:
                deliver(message, settings)
            except Exception:  # noqa: BLE001 - whatever happens, log it and keep the thread for the next one
                logger.exception("could not send an email")
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()


_lock = threading.Lock()
_current: Outbox | None = None
_hooked = False


def _outbox() -> Outbox:
    global _current, _hooked
    with _lock:
        if _current is None:
            _current = Outbox()
            if not _hooked:  # once per process, when it first has mail (nothing runs at import)
                os.register_at_fork(after_in_child=_forget_after_fork)
                atexit.register(_send_what_is_left)
                _hooked = True
        return _current


def _forget_after_fork() -> None:
    # The child of a fork (a gunicorn worker) has no mail thread: it starts an outbox of its own.
    global _current, _lock
    _current, _lock = None, threading.Lock()


def _send_what_is_left() -> None:
    if _current is not None:
        _current.flush(EXIT_WAIT_SECONDS)
