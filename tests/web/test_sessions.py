"""Signing out ends the session on the server: a copy of the cookie taken before is worth nothing."""

from webapp.extensions import db
from webapp.models import UserSession

EN = {"Accept-Language": "en"}


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _thief_with(app, value):
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_a_cookie_copied_before_sign_out_no_longer_signs_anyone_in(app, auth, client, trainee):
    auth.login()
    stolen = _cookie(client)
    assert _signed_in(_thief_with(app, stolen))
    auth.logout()
    assert not _signed_in(_thief_with(app, stolen))
    assert db.session.query(UserSession).count() == 0


def test_sign_out_everywhere_ends_every_session_of_hers_and_no_one_elses(app, auth, client, trainee):
    from ..factories import make_user
    other = make_user(email="other@example.org", password="correct horse battery")
    auth.login()
    laptop = app.test_client()
    assert laptop.post("/login", data={"email": trainee.email, "password": "correct horse battery"}).status_code == 302
    neighbour = app.test_client()
    neighbour.post("/login", data={"email": other.email, "password": "correct horse battery"})
    response = client.post("/account/sign-out-everywhere", headers=EN)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert not _signed_in(client) and not _signed_in(laptop)
    assert _signed_in(neighbour)
    assert "signed out on every device" in client.get("/", headers=EN).get_data(as_text=True)


def test_the_account_page_offers_sign_out_everywhere(auth, client, trainee):
    auth.login()
    page = client.get("/account", headers=EN).get_data(as_text=True)
    assert 'action="/account/sign-out-everywhere"' in page and "Sign out everywhere" in page


def test_a_new_sign_in_in_the_same_browser_replaces_its_session(app, auth, client, trainee):
    auth.login()
    first = _cookie(client)
    auth.logout()
    auth.login()
    assert not _signed_in(_thief_with(app, first)) and _signed_in(client)
    assert db.session.query(UserSession).count() == 1


def test_a_session_older_than_the_limit_signs_nobody_in(app, auth, client, trainee):
    from datetime import timedelta

    from webapp.models.base import utcnow
    auth.login()
    db.session.query(UserSession).update({"created_at": utcnow() - timedelta(days=app.config["SESSION_MAX_DAYS"] + 1)})
    db.session.commit()
    assert not _signed_in(client)
