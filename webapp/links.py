"""Absolute links (certificates, their QR codes, the workshop join code, emails): always BASE_URL.

They are never built from the request's Host header, which a client chooses: a forged Host would
otherwise print someone else's address on a certificate or in a QR code. Production refuses to start
without BASE_URL; in development links carry the address ``make run`` serves, and a warning says so
(at start, and to administrators on every page)."""
from __future__ import annotations

from flask import current_app, url_for

LOCAL_SITE = "http://127.0.0.1:5000"  # where `make run` serves


def base_url() -> str:
    return (current_app.config.get("BASE_URL") or LOCAL_SITE).rstrip("/")


def external_url(endpoint: str, **values) -> str:
    return base_url() + url_for(endpoint, **values)


def init_app(app) -> None:
    if not app.config.get("BASE_URL"):
        if app.config.get("PRODUCTION"):
            raise RuntimeError("Refusing to start in production without BASE_URL: certificate, QR-code and "
                               "emailed links carry it and are never built from the request's Host header. "
                               "Set BASE_URL to the site's public address, like https://passerelle.example.org.")
        app.logger.warning("BASE_URL is not set: certificate, QR-code and emailed links will carry %s. "
                           "Set BASE_URL to the site's public address.", LOCAL_SITE)
    app.jinja_env.globals["external_url"] = external_url

    @app.context_processor
    def links_warning():
        return {"links_base_missing": not app.config.get("BASE_URL"), "links_base": LOCAL_SITE}
