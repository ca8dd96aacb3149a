"""A real SMTP server (aiosmtpd) on a free loopback port for the gunicorn tests, which can hold the
messages it is given (a transfer in flight, never acknowledged) until the test lets go; and a look
into the outbox table from outside the app."""
from __future__ import annotations

import asyncio
import email
import threading
import time

from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

from .loadkit import free_port


class Smtp:
    """While ``hold`` is set, a message's DATA waits (``holding`` tells that one is in flight) and is
    then refused, unrecorded: the sender, killed meanwhile, never got a "250 OK"."""

    def __init__(self):
        self.received, self.hold, self.holding = [], threading.Event(), threading.Event()
        self.released = threading.Event()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        if self.hold.is_set():
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.released.wait, 60)
            return "451 try again later"
        self.received.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.received if m["To"] == address]

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self.released.set()
        self._controller.stop()


def outbox_rows(database_url: str) -> list:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT id, kind, status, recipient, attempts, claimed_by, sent_at "
                                     "FROM outbox_email ORDER BY id")).all()
    finally:
        engine.dispose()


def wait_for(condition, what: str, timeout: float = 60, poke=None):
    """Poll ``condition`` (and ``poke`` the server, so that its workers look for mail) until it is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        if poke is not None:
            poke()
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout} s")
