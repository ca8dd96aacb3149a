"""Sending email with smtplib when MAIL_SERVER is configured; links that never trust the Host header."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app, url_for


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email: BASE_URL when set (always in production), else this request's host."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def send(to: str, subject: str, body: str) -> bool:
    """Send a plain-text email; False (and a log line) when the server cannot be reached."""
    cfg = current_app.config
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = cfg["MAIL_SENDER"], to, subject
    message.set_content(body)
    try:
        if cfg.get("MAIL_USE_SSL"):
            smtp = smtplib.SMTP_SSL(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"],
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"])
        with smtp:
            if cfg.get("MAIL_USE_TLS") and not cfg.get("MAIL_USE_SSL"):
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("could not send an email")
        return False
    return True
