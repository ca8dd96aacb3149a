"""Headers, cookies, safe redirects, the production start, /healthz and the access log."""
import logging
import os
import subprocess
import sys

import pytest

from webapp import create_app
from webapp.config import DEV_SECRET, TestConfig
from webapp.extensions import db
from webapp.security import CSP, safe_next

from ..conftest import DATA, ROOT, Client
from ..factories import make_user, make_workshop

HOSTILE_NEXT = [
    "https://evil.example/x", "http:/evil.example", "https:evil.example", "//evil.example", "///evil.example",
    "////evil.example", "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "\\/evil.example",
    "javascript:alert(1)", "data:text/html,hi", "%2F%2Fevil.example", "/%2F%2Fevil.example",
    "/%2f/evil.example", "/%5Cevil.example", "/%5c%5cevil.example", "https%3A%2F%2Fevil.example",
    "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/%09/evil.example", "/%0d%0a/evil.example",
    " //evil.example", "/" + "a" * 3000, "", None,
]


SITE = "https://passerelle.example.org"


def _app(tmp_path, **extra):
    config = type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 's.db'}",
                                         "CONTENT_DIR": DATA, **extra})
    app = create_app(config)
    app.test_client_class = Client
    return app


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_hostile_next_targets_fall_back_to_the_home_page(target):
    assert safe_next(target, "/") == "/"


@pytest.mark.parametrize("target", ["/progress", "/lessons/first-steps#elements", "/quizzes?x=1", "/a%20b"])
def test_paths_on_this_site_are_kept(target):
    assert safe_next(target, "/") == target


def test_sign_in_never_redirects_off_site(sqlite_app):
    from ..factories import make_user
    make_user(email="trainee@example.org")
    client = sqlite_app.test_client()
    data = {"email": "trainee@example.org", "password": "correct horse battery"}
    assert client.post("/login?next=///evil.example", data=data).headers["Location"] == "/"
    for target in HOSTILE_NEXT[:-1]:  # signed in: /login?next= redirects straight away, same check
        response = client.get("/login", query_string={"next": target})
        assert response.status_code == 302 and response.headers["Location"] == "/", target
    assert client.get("/login?next=/progress").headers["Location"] == "/progress"


@pytest.mark.parametrize("target", ["///evil.example", "/\\evil.example", "https:evil.example", "%2F%2Fevil.example"])
def test_language_switch_never_redirects_off_site(sqlite_app, target):
    response = sqlite_app.test_client().post("/language", data={"lang": "en", "next": target})
    assert response.headers["Location"] == "/"


def test_every_page_carries_the_security_headers(client):
    for path in ("/", "/lessons/first-steps", "/login", "/no-such-page"):
        headers = client.get(path).headers
        assert headers["Content-Security-Policy"] == CSP
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in headers  # plain HTTP for `make run`


def test_session_cookie_is_httponly_and_samesite(client, auth, trainee):
    cookie = auth.login().headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_behind_https_the_cookie_is_secure_and_hsts_is_sent(tmp_path):
    app = _app(tmp_path, SESSION_COOKIE_SECURE=True)
    from webapp.extensions import db
    with app.app_context():
        db.create_all()
        from ..factories import make_user
        make_user(email="trainee@example.org")
        response = app.test_client().post("/login", data={"email": "trainee@example.org",
                                                          "password": "correct horse battery"})
        assert "Secure" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        language = app.test_client().post("/language", data={"lang": "en"})
        assert "Secure" in language.headers["Set-Cookie"]


def test_production_start_refuses_the_default_secret_key(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        _app(tmp_path, PRODUCTION=True, SECRET_KEY=DEV_SECRET)
    assert _app(tmp_path, PRODUCTION=True, SECRET_KEY="a real secret from the environment, long enough",
                BASE_URL=SITE)


@pytest.mark.parametrize("key", ["", "s3cret", "x" * 31])
def test_production_start_refuses_an_empty_or_short_secret_key(tmp_path, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY of at least 32 characters"):
        _app(tmp_path, PRODUCTION=True, SECRET_KEY=key)
    assert _app(tmp_path, PRODUCTION=True, SECRET_KEY="x" * 32, BASE_URL=SITE)
    assert _app(tmp_path, PRODUCTION=False, SECRET_KEY="s3cret")  # `make run` and tests keep working


def test_make_serve_runs_gunicorn_in_production_mode():
    done = subprocess.run(["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    [gunicorn] = [line for line in done.stdout.splitlines() if "gunicorn" in line]
    assert gunicorn.startswith("PASSERELLE_PRODUCTION=1 ")


def test_production_start_from_the_environment_refuses_the_default_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FLASK_APP")}
    env.update(PASSERELLE_PRODUCTION="1", CONTENT_DIR=str(DATA), DATABASE_URL=f"sqlite:///{tmp_path / 'p.db'}")
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", "routes"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "Refusing to start in production with the default SECRET_KEY" in done.stderr


def test_production_needs_a_base_url_for_links(tmp_path):
    with pytest.raises(RuntimeError, match="Refusing to start in production without BASE_URL"):
        _app(tmp_path, PRODUCTION=True, SECRET_KEY="s" * 32)
    with pytest.raises(RuntimeError, match="BASE_URL"):
        _app(tmp_path, PRODUCTION=True, SECRET_KEY="s" * 32, MAIL_SERVER="mail.example.org")


def test_development_without_base_url_says_which_address_links_carry(tmp_path, caplog):
    with caplog.at_level("WARNING"):
        app = _app(tmp_path, BASE_URL="")
    assert "BASE_URL is not set: certificate, QR-code and emailed links will carry http://127.0.0.1:5000" \
        in caplog.text
    with app.app_context():
        db.create_all()
        make_user(email="admin@example.org", role="admin", language="en")
        make_user(email="t@example.org", language="en")
    client = app.test_client()
    client.post("/login", data={"email": "admin@example.org", "password": "correct horse battery"})
    assert "BASE_URL is not set: links in certificates, their QR codes and emails carry http://127.0.0.1:5000" \
        in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    other = app.test_client()
    other.post("/login", data={"email": "t@example.org", "password": "correct horse battery"})
    assert "BASE_URL is not set" not in other.get("/").get_data(as_text=True)  # administrators only


def test_certificate_and_join_links_never_come_from_the_host_header(client, auth, app):
    from webapp.certificates import services as certificates
    from webapp.certificates.numbers import display

    from ..records_builders import complete_course
    app.config["BASE_URL"] = SITE
    user = make_user(email="holder@example.org", language="en")
    complete_course(user)
    [cert] = certificates.issue_due(user.id)
    forged = {"Host": "evil.example.com"}

    def sign_in_on_the_forged_host(email):
        auth.login(email)
        client.set_cookie("session", client.get_cookie("session").value, domain="evil.example.com")

    sign_in_on_the_forged_host("holder@example.org")
    page = client.get(f"/certificates/{display(cert.number)}", headers=forged).get_data(as_text=True)
    assert f"{SITE}/verify/{display(cert.number)}" in page and "evil.example.com" not in page
    facilitator = make_user(email="fac@example.org", role="facilitator", language="en")
    workshop = make_workshop(facilitator)
    auth.logout()
    sign_in_on_the_forged_host("fac@example.org")
    page = client.get(f"/workshops/{workshop.id}/projector", headers=forged).get_data(as_text=True)
    assert f"{SITE}/join" in page and "evil.example.com" not in page


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"


@pytest.mark.parametrize("url", ["sqlite:////nonexistent-directory/passerelle.db",
                                 "postgresql+psycopg://postgres@127.0.0.1:9/nowhere?connect_timeout=2"])
def test_healthz_answers_503_when_the_database_is_down(tmp_path, url, caplog):
    app = _app(tmp_path, SQLALCHEMY_DATABASE_URI=url)
    with caplog.at_level(logging.WARNING):
        response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "down"}


def test_each_request_is_logged_on_one_line_with_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="passerelle.access"):
        client.get("/lessons/first-steps")
        client.get("/no-such-page")
        client.post("/language", data={"lang": "en"})
    lines = [r.getMessage() for r in caplog.records if r.name == "passerelle.access"]
    assert len(lines) == 3
    assert lines[0].startswith("127.0.0.1 GET /lessons/first-steps 200 ") and lines[0].endswith("ms")
    assert " GET /no-such-page 404 " in lines[1] and " POST /language 302 " in lines[2]
    assert all("\n" not in line for line in lines)


def test_behind_a_trusted_proxy_the_client_address_is_the_forwarded_one(tmp_path, caplog):
    app = _app(tmp_path, TRUSTED_PROXIES=1)
    headers = {"X-Forwarded-For": "198.51.100.7, 203.0.113.9"}
    with caplog.at_level(logging.INFO, logger="passerelle.access"):
        app.test_client().get("/", headers=headers)
    line = [r.getMessage() for r in caplog.records if r.name == "passerelle.access"][-1]
    assert line.startswith("203.0.113.9 GET / 200")  # only the last hop is trusted: no forging


@pytest.mark.parametrize("host", ["exa mple.org", "a\x01b", "[::1", "x:abc", "ex<ample", "é.org"])
def test_a_malformed_host_header_is_a_400_with_the_security_headers(sqlite_app, host):
    sqlite_app.config["PROPAGATE_EXCEPTIONS"] = False
    response = sqlite_app.test_client().get("/", headers={"Host": host})
    assert response.status_code == 400
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Bad request" in response.get_data(as_text=True) and "Requête invalide" in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["localhost", "localhost:5000", "127.0.0.1:8000", "[::1]:5000", "site.example.org"])
def test_ordinary_host_headers_are_served(sqlite_app, host):
    assert sqlite_app.test_client().get("/", headers={"Host": host}).status_code == 200


def test_personal_pages_are_never_stored_by_a_browser_or_a_proxy(sqlite_app):
    make_user(email="trainee@example.org", password="correct horse battery")
    make_user(email="admin@example.org", password="correct horse battery", role="admin")
    trainee, admin = sqlite_app.test_client(), sqlite_app.test_client()
    trainee.post("/login", data={"email": "trainee@example.org", "password": "correct horse battery"})
    admin.post("/login", data={"email": "admin@example.org", "password": "correct horse battery"})
    for client, path in ((trainee, "/account"), (trainee, "/account/password"), (trainee, "/records"),
                         (trainee, "/records/my-data.json"), (admin, "/reset-links"), (admin, "/admin/users"),
                         (admin, "/admin/reports")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.get("Cache-Control") == "no-store", path
    issued = admin.post("/reset-links", data={"email": "trainee@example.org"})
    assert issued.status_code == 200 and issued.headers["Cache-Control"] == "no-store"
    assert "no-store" not in (trainee.get("/lessons").headers.get("Cache-Control") or "")
