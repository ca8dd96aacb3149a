"""Sending email with smtplib when MAIL_SERVER is configured; links that never trust the Host header.

``send`` saves the email in the outbox table (webapp/outbox.py) in the caller's transaction and
commits; a background thread of the process, or `flask --app webapp mail send-pending` from cron,
sends it afterwards and retries it when the mail server fails. A slow or unreachable mail server then
never slows a page down, the time a page takes never tells whether an email went out, and a worker
killed after the commit loses nothing: the next one sends it, once. ``flush`` waits until nothing is
left to send now (tests call it).
"""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

import click
from flask import current_app
from flask.cli import with_appcontext

from . import outbox
from .extensions import db

SETTINGS = outbox.SETTINGS
EXIT_WAIT_SECONDS = 10


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email (see webapp/links.py: never from the request's host)."""
    from .links import external_url as absolute
    return absolute(endpoint, **values)


def send(to: str, subject: str, body: str) -> bool:
    """Save a plain-text email to the outbox and commit it together with whatever the caller has in
    the session, so that the email and what caused it are saved both or neither; it is sent after
    the commit, in the background, with retries. False (nothing saved) when mail is not configured."""
    if not enabled():
        return False
    outbox.add(to=to, subject=subject, body=body)
    db.session.commit()
    _sender(current_app._get_current_object()).wake()
    return True


def send_composed(kind: str, to: str) -> None:
    """Save and commit a row whose text a composer registered for ``kind`` writes when it is sent
    (or which it drops): the request then does the same work whatever the address turns out to be."""
    outbox.add(to=to, kind=kind)
    db.session.commit()
    _sender(current_app._get_current_object()).wake()


def flush(timeout: float = EXIT_WAIT_SECONDS) -> bool:
    """Wait until no email is due or being sent (sent, or failed and waiting for a later retry);
    False on timeout."""
    return _sender(current_app._get_current_object()).flush(timeout)


def _sender(app) -> outbox.Sender:
    # deliver looked up at each send, so that tests can stand in for the mail server
    return outbox.sender(app, lambda *args: deliver(*args))


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


@click.group("mail")
def mail_cli():
    """Outgoing email."""


@mail_cli.command("send-pending")
@with_appcontext
def send_pending():
    """Send the emails that are due (run it from cron every few minutes: an idle site has no
    request to wake its workers' senders)."""
    if not enabled():
        raise click.ClickException("MAIL_SERVER is not set: no email can be sent.")
    total = outbox.send_due(deliver)
    while True:
        more = outbox.send_due(deliver)
        if not more.total():
            break
        total.update(more)
    click.echo(", ".join(f"{what}: {total[what]}" for what in ("sent", "retry", "dropped", "failed")))


def init_app(app) -> None:
    @app.before_request
    def look_for_mail_now_and_then():
        # Retries, and mail a killed worker left, go out while the site is used (cron when it is not).
        if app.config.get("MAIL_SERVER"):
            _sender(app).look_now_and_then()
