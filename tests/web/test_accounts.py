"""Registration, sign-in, sign-out and password changes, as a trainee meets them."""
import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import User

GOOD = dict(name="Aïssatou N'Diaye", email="Aissatou@Example.org", password="une phrase assez longue",
            confirm="une phrase assez longue", organisation="Direction de la police", country="SN",
            profession="police", language="fr")


def users():
    return db.session.scalar(select(func.count()).select_from(User))


def test_trainee_registers_and_is_signed_in(client):
    response = client.post("/register", data=GOOD)
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert (user.email, user.country, user.profession, user.role) == ("aissatou@example.org", "SN", "police", "trainee")
    assert user.password_hash != GOOD["password"] and user.password_hash.startswith("pbkdf2:sha256:1$")  # scrypt outside tests: test_passwords.py
    page = client.get("/").get_data(as_text=True)
    assert "Se déconnecter" in page


def test_registration_form_offers_real_countries_and_professions(client):
    page = client.get("/register", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<option value="SN">Sénégal</option>' in page
    assert '<option value="NE">Niger</option>' in page
    assert 'value="labour_inspector"' in page and 'value="consular"' in page


def test_bad_registration_shows_every_error_and_saves_nothing(client):
    bad = dict(GOOD, email="not-an-email", password="short", confirm="other", country="", name="")
    response = client.post("/register", data=bad, headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a valid email address" in page
    assert "Use at least 10 characters." in page
    assert "Enter your full name." in page
    assert users() == 0
    assert 'value="Direction de la police"' in page  # what was typed stays


def test_unknown_country_code_is_refused(client):
    response = client.post("/register", data=dict(GOOD, country="XX"))
    assert response.status_code == 400 and users() == 0


def test_common_password_is_refused(client):
    response = client.post("/register", data=dict(GOOD, password="azertyuiop", confirm="azertyuiop"),
                           headers={"Accept-Language": "fr"})
    assert "Ce mot de passe est trop courant" in response.get_data(as_text=True)
    assert users() == 0


@pytest.mark.engine_sensitive
def test_duplicate_email_is_refused_kindly(client):
    client.post("/register", data=GOOD)
    client.post("/logout")
    response = client.post("/register", data=dict(GOOD, email="aissatou@example.org "), headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "An account already uses this email address" in response.get_data(as_text=True)
    assert users() == 1


def test_sign_in_and_out(client, auth, trainee):
    response = auth.login()
    assert response.status_code == 302
    assert client.get("/progress").status_code == 200
    auth.logout()
    assert client.get("/progress").status_code == 302


def test_wrong_password_gives_one_message_for_unknown_and_known_accounts(client, auth, trainee):
    known = auth.login(password="wrong password here")
    unknown = auth.login(email="nobody@example.org", password="wrong password here")
    assert known.status_code == unknown.status_code == 401
    assert "Mauvaise adresse e-mail ou mauvais mot de passe." in known.get_data(as_text=True)
    assert "Mauvaise adresse e-mail ou mauvais mot de passe." in unknown.get_data(as_text=True)


@pytest.mark.engine_sensitive
def test_sign_in_is_throttled_after_repeated_failures(client, auth, trainee):
    for _ in range(5):
        auth.login(password="wrong password here")
    response = auth.login()  # even the right password waits
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)


def test_sign_in_redirects_only_to_this_site(client, trainee):
    data = {"email": "trainee@example.org", "password": "correct horse battery"}
    response = client.post("/login?next=https://evil.example/x", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=//evil.example", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/progress", data=data)
    assert response.headers["Location"] == "/progress"


def test_password_change_needs_the_current_password(client, auth, trainee):
    auth.login()
    response = client.post("/account/password", data={"current": "not it at all", "password": "a brand new phrase",
                                                       "confirm": "a brand new phrase"})
    assert response.status_code == 400
    response = client.post("/account/password", data={"current": "correct horse battery",
                                                       "password": "a brand new phrase", "confirm": "a brand new phrase"})
    assert response.status_code == 302
    auth.logout()
    assert auth.login().status_code == 401
    assert auth.login(password="a brand new phrase").status_code == 302


def test_password_change_signs_out_other_sessions(app, trainee):
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        c.post("/login", data={"email": "trainee@example.org", "password": "correct horse battery"})
    first.post("/account/password", data={"current": "correct horse battery", "password": "a brand new phrase",
                                          "confirm": "a brand new phrase"})
    assert first.get("/progress").status_code == 200
    assert second.get("/progress").status_code == 302


def test_account_details_can_be_changed(client, auth, trainee):
    auth.login()
    response = client.post("/account", data={"name": "Đorđe Petrović", "organisation": "IOM", "country": "PT",
                                              "profession": "ngo", "language": "en"})
    assert response.status_code == 302
    user = db.session.get(User, trainee.id)
    assert (user.name, user.country, user.language) == ("Đorđe Petrović", "PT", "en")
