"""Friendly error pages, in French and English: 400, 403, 404, 405, 413, 429, 500 — never a stack trace."""
import pytest
from flask import abort
from flask_babel import force_locale
from markupsafe import escape

from webapp import create_app, errors
from webapp.config import TestConfig
from webapp.extensions import db

from ..conftest import DATA, Client

SECRET = "psycopg.OperationalError: password=hunter2 at /srv/passerelle/webapp/x.py line 42"


@pytest.fixture
def app_with_faults(tmp_path):
    config = type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e.db'}",
                                         "CONTENT_DIR": DATA, "WTF_CSRF_ENABLED": True})
    app = create_app(config)
    app.test_client_class = Client

    def crash():
        raise RuntimeError(SECRET)

    app.add_url_rule("/_test/crash", "crash", crash)
    app.add_url_rule("/_test/forbidden", "forbidden", lambda: abort(403))
    app.add_url_rule("/_test/throttled", "throttled", lambda: abort(429))
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


def messages(app, language):
    with app.test_request_context(), force_locale(language):
        return {code: (str(title), str(text)) for code, (title, text) in errors._messages().items()}


REQUESTS = {
    400: ("POST", "/language"),          # no CSRF token
    403: ("GET", "/_test/forbidden"),
    404: ("GET", "/no/such/page"),
    405: ("GET", "/logout"),
    429: ("GET", "/_test/throttled"),
    500: ("GET", "/_test/crash"),
}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("code", sorted(REQUESTS))
def test_error_pages_are_friendly_and_in_the_readers_language(app_with_faults, code, language, caplog):
    method, path = REQUESTS[code]
    response = app_with_faults.test_client().open(path, method=method, headers={"Accept-Language": language})
    page = response.get_data(as_text=True)
    title, text = messages(app_with_faults, language)[code]
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert f'<html lang="{language}">' in page
    assert f"<h1>{escape(title)}</h1>" in page
    if code != 400:  # the CSRF refusal has its own, more precise, sentence
        assert str(escape(text)) in page
    assert 'href="/"' in page  # a way back to the course


def test_every_error_message_is_translated(app_with_faults):
    french, english = messages(app_with_faults, "fr"), messages(app_with_faults, "en")
    assert set(french) >= {400, 403, 404, 405, 413, 429, 500}
    for code in french:
        assert french[code][0] != english[code][0] and french[code][1] != english[code][1], code


def test_a_crash_shows_no_stack_trace_and_is_logged_for_the_operator(app_with_faults, caplog):
    response = app_with_faults.test_client().get("/_test/crash", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    for leak in ("Traceback", "RuntimeError", "hunter2", "/srv/passerelle", "line 42"):
        assert leak not in page
    assert any(SECRET in r.getMessage() or (r.exc_info and SECRET in str(r.exc_info[1])) for r in caplog.records)


def test_a_crash_after_a_failed_write_leaves_the_session_usable(app_with_faults):
    client = app_with_faults.test_client()
    client.get("/_test/crash")
    assert client.get("/healthz").status_code == 200


def test_the_csrf_refusal_explains_what_to_do(app_with_faults):
    page = app_with_faults.test_client().post("/language", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "This form has expired or was sent from elsewhere" in page


def test_a_too_large_request_gets_a_friendly_413(app_with_faults):
    body = {"lang": "x" * (2 * 1024 * 1024)}
    response = app_with_faults.test_client().post("/language", data=body, headers={"Accept-Language": "en"})
    assert response.status_code == 413 and "What you sent is too large" in response.get_data(as_text=True)


def test_a_signed_in_reader_gets_a_friendly_page_when_the_database_is_gone(app_with_faults, tmp_path):
    """Who is signed in is asked of the database: the error page must not ask again (a bare server
    error page then, in English only, and no log line)."""
    from webapp.auth import sessions

    from ..factories import make_user
    user = make_user(language="fr")
    client = app_with_faults.test_client()
    with client.session_transaction() as session:
        session.update({"_user_id": user.get_id(), "_fresh": True, **sessions.open_for(user)})
    assert client.get("/progress").status_code == 200
    db.session.remove()
    db.engine.dispose()
    (tmp_path / "e.db").rename(tmp_path / "e.db.gone")  # an empty file takes its place: no tables
    response = client.get("/progress", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "The site cannot reach its database right now" in page
    assert "Traceback" not in page and "sqlite" not in page.lower()
    assert app_with_faults.test_client().get("/healthz").status_code == 503


def test_control_characters_in_a_path_cannot_forge_a_log_line(app_with_faults, caplog):
    import logging
    caplog.set_level(logging.INFO, logger="passerelle.access")
    forged = "/x%0A2026-11-29 10:00:00,000 203.0.113.9 POST /admin/users/1/role 302 1.0ms%0D"
    app_with_faults.test_client().get(forged)
    lines = [r.getMessage() for r in caplog.records if r.name == "passerelle.access"]
    assert len(lines) == 1 and "\n" not in lines[0] and "\r" not in lines[0]
    assert "/x%0A2026-11-29" in lines[0] and lines[0].endswith("ms")


def test_a_request_refused_before_any_view_is_timed_too(app_with_faults, caplog):
    import logging
    caplog.set_level(logging.INFO, logger="passerelle.access")
    app_with_faults.test_client().post("/language")  # no CSRF token: refused before the view
    [line] = [r.getMessage() for r in caplog.records if r.name == "passerelle.access"]
    assert " 400 " in line and not line.endswith(" 0.0ms")
