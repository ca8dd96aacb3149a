"""Sign-in throttling: per account across addresses (5 failures), per address across accounts (50: a
workshop room shares one address), with a clear message."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from webapp.extensions import db
from webapp.models import LoginAttempt, User
from webapp.models.base import utcnow

from ..factories import make_user

pytestmark = pytest.mark.engine_sensitive  # failures are counted per window in SQL


def sign_in(app, address, email, password="wrong password here"):
    return app.test_client().post("/login", data={"email": email, "password": password},
                                  headers={"Accept-Language": "en"}, environ_base={"REMOTE_ADDR": address})


def _age_failures(seconds):
    """As if ``seconds`` had passed since every failure counted so far (in Python: SQLite cannot
    subtract an interval from a date)."""
    for row in db.session.scalars(select(LoginAttempt)):
        row.at -= timedelta(seconds=seconds)
    db.session.commit()


def test_one_address_guessing_across_many_accounts_is_slowed_not_locked(app):
    victim = make_user(email="victim@example.org")
    for n in range(50):  # fifty different accounts, known or not, from one address
        assert sign_in(app, "203.0.113.5", f"someone{n}@example.org").status_code == 401
    # The 51st try at once from that address waits, without its password being checked...
    refused = sign_in(app, "203.0.113.5", victim.email, "correct horse battery")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "2"
    assert "Too many failed attempts. Wait 2 seconds, then try again." in refused.get_data(as_text=True)
    french = app.test_client().post("/login", data={"email": "x@example.org", "password": "wrong password here"},
                                    headers={"Accept-Language": "fr"}, environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert french.status_code == 429
    assert "Trop de tentatives échouées. Attendez 2 secondes, puis réessayez." in french.get_data(as_text=True)
    # ...the same account signs in from another address at once: one failure per account is no lock...
    assert sign_in(app, "198.51.100.20", victim.email, "correct horse battery").status_code == 302
    # ...and from the busy address once the short wait is over: slowed, never locked out.
    _age_failures(3)
    assert sign_in(app, "203.0.113.5", victim.email, "correct horse battery").status_code == 302


def test_each_guess_past_the_free_ones_waits_twice_as_long(app):
    make_user(email="victim@example.org")
    waits = []
    for _ in range(9):
        response = sign_in(app, "198.51.100.1", "victim@example.org")
        if response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
            _age_failures(waits[-1])  # she waits, then guesses again
            assert sign_in(app, "198.51.100.1", "victim@example.org").status_code == 401
    assert waits[:3] == [30, 60, 120]


def test_a_browser_she_signed_in_from_before_is_not_slowed_by_attacks_elsewhere(app):
    victim = make_user(email="victim@example.org")
    browser = app.test_client()
    assert browser.post("/login", data={"email": victim.email, "password": "correct horse battery"},
                        environ_base={"REMOTE_ADDR": "203.0.113.5"}).status_code == 302
    browser.post("/logout")
    for n in range(6):  # someone guesses her password from elsewhere
        sign_in(app, f"198.51.100.{n + 1}", victim.email)
    for n in range(50):  # and her room's address is busy with typos and guesses
        sign_in(app, "203.0.113.5", f"someone{n}@example.org")
    assert sign_in(app, "192.0.2.77", victim.email, "correct horse battery").status_code == 429  # a new browser waits
    back = browser.post("/login", data={"email": victim.email, "password": "correct horse battery"},
                        environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert back.status_code == 302  # her own browser does not


def test_parallel_guesses_never_check_more_passwords_than_allowed(app):
    import threading
    make_user(email="victim@example.org")
    answers, start = [], threading.Barrier(8)

    def guess(n):
        with app.app_context():
            start.wait()
            answers.append(sign_in(app, f"198.51.100.{n + 1}", "victim@example.org").status_code)
            db.session.remove()
    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers).count(401) <= 5 and set(answers) <= {401, 429}
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.key == "account:victim@example.org")) <= 5


def test_a_workshop_room_behind_one_address_is_not_locked_out_by_typos(app):
    """Thirty trainees on one Wi-Fi (or behind carrier NAT): each mistypes once, then signs in."""
    trainees = [make_user(email=f"trainee{n}@example.org") for n in range(10)]
    for trainee in trainees:
        assert sign_in(app, "203.0.113.5", trainee.email).status_code == 401
    for trainee in trainees:
        assert sign_in(app, "203.0.113.5", trainee.email, "correct horse battery").status_code == 302


def test_a_successful_sign_in_clears_that_accounts_failures(app):
    trainee = make_user(email="trainee@example.org")
    for _ in range(4):
        assert sign_in(app, "203.0.113.5", trainee.email).status_code == 401
    assert sign_in(app, "203.0.113.5", trainee.email, "correct horse battery").status_code == 302
    for _ in range(4):  # four more typos do not reach the account's limit of five
        assert sign_in(app, "203.0.113.5", trainee.email).status_code == 401
    assert sign_in(app, "203.0.113.5", trainee.email, "correct horse battery").status_code == 302


def test_one_account_guessed_from_many_addresses_is_stopped(app):
    victim = make_user(email="victim@example.org")
    for n in range(5):
        assert sign_in(app, f"198.51.100.{n + 1}", victim.email).status_code == 401
    refused = sign_in(app, "192.0.2.77", victim.email, "correct horse battery")
    assert refused.status_code == 429 and "Wait 30 seconds" in refused.get_data(as_text=True)
    # Other accounts from that fresh address are not affected.
    make_user(email="colleague@example.org")
    assert sign_in(app, "192.0.2.77", "colleague@example.org", "correct horse battery").status_code == 302
    # Once the wait is over, her right password works: the attack slowed her, it did not lock her out.
    _age_failures(31)
    assert sign_in(app, "192.0.2.77", victim.email, "correct horse battery").status_code == 302


def test_the_wait_is_forgotten_when_the_window_has_passed(app):
    app.config["LOGIN_MAX_ATTEMPTS_PER_ADDRESS"] = 5  # the same rule as 50, quicker
    victim = make_user(email="victim@example.org")
    for n in range(5):
        sign_in(app, "203.0.113.5", f"someone{n}@example.org")
    assert sign_in(app, "203.0.113.5", victim.email, "correct horse battery").status_code == 429
    db.session.execute(update(LoginAttempt).values(at=LoginAttempt.at - timedelta(seconds=901)))
    db.session.commit()
    assert sign_in(app, "203.0.113.5", victim.email, "correct horse battery").status_code == 302


def test_the_throttled_answer_is_the_same_for_known_and_unknown_emails(app):
    app.config["LOGIN_MAX_ATTEMPTS_PER_ADDRESS"] = 5  # the same rule as 50, quicker
    make_user(email="victim@example.org")
    for n in range(5):
        sign_in(app, "203.0.113.5", f"someone{n}@example.org")
    known = sign_in(app, "203.0.113.5", "victim@example.org")
    unknown = sign_in(app, "203.0.113.5", "nobody@example.org")
    assert known.status_code == unknown.status_code == 429
    def page(response):
        return re.sub(r'value="[^"]*\.[^"]*\.[^"]*"', 'value="(token)"', response.get_data(as_text=True))
    assert page(known) == page(unknown).replace("nobody@example.org", "victim@example.org")


def test_failures_older_than_the_window_are_deleted_when_a_failure_is_recorded(app):
    make_user(email="victim@example.org")
    old = utcnow() - timedelta(seconds=901)
    db.session.add_all([LoginAttempt(key="address:198.51.100.1", at=old),
                        LoginAttempt(key="account:someone@example.org", at=old),
                        LoginAttempt(key="address:198.51.100.2", at=utcnow() - timedelta(seconds=60))])
    db.session.commit()
    assert sign_in(app, "203.0.113.5", "victim@example.org").status_code == 401
    kept = sorted(db.session.scalars(select(LoginAttempt.key)))
    assert kept == ["account:victim@example.org", "address:198.51.100.2", "address:203.0.113.5"]


# --- current-password checks count against the same per-account limit ---------------------------

WRONG_CURRENT = {"current": "not my password at all", "password": "a brand new phrase", "confirm": "a brand new phrase"}
RIGHT_CURRENT = dict(WRONG_CURRENT, current="correct horse battery")


def signed_in(app, email):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": "correct horse battery"}).status_code == 302
    return client


def test_guessing_the_current_password_on_the_password_page_is_stopped(app):
    trainee = make_user(email="trainee@example.org", language="fr")
    client = signed_in(app, trainee.email)
    for _ in range(5):
        wrong = client.post("/account/password", data=WRONG_CURRENT)
        assert wrong.status_code == 400 and "Ce n’est pas votre mot de passe actuel." in wrong.get_data(as_text=True)
    refused = client.post("/account/password", data=RIGHT_CURRENT)
    assert refused.status_code == 429  # even the right one: it is not checked any more
    assert "Trop de tentatives échouées. Attendez 30 secondes, puis réessayez." in refused.get_data(as_text=True)
    assert db.session.get(User, trainee.id).session_token == 0  # unchanged
    # Sign-in counts the same failures: the account is throttled from any address.
    assert sign_in(app, "198.51.100.7", trainee.email, "correct horse battery").status_code == 429


def test_guessing_the_current_password_on_the_delete_page_is_stopped(app):
    trainee = make_user(email="trainee@example.org", language="en")
    client = signed_in(app, trainee.email)
    for _ in range(5):
        wrong = client.post("/records/delete", data={"password": "not my password at all", "confirm": "y"},
                            headers={"Accept-Language": "en"})
        assert wrong.status_code == 400 and "This is not your password." in wrong.get_data(as_text=True)
    refused = client.post("/records/delete", data={"password": "correct horse battery", "confirm": "y"},
                          headers={"Accept-Language": "en"})
    assert refused.status_code == 400
    assert "Too many failed attempts. Wait 30 seconds, then try again." in refused.get_data(as_text=True)
    assert db.session.get(User, trainee.id).email == "trainee@example.org"  # not deleted


def test_failed_sign_ins_and_current_password_checks_add_up(app):
    trainee = make_user(email="trainee@example.org")
    client = signed_in(app, trainee.email)
    for _ in range(4):  # someone guessing at the sign-in page, from elsewhere
        assert sign_in(app, "198.51.100.9", trainee.email).status_code == 401
    assert client.post("/account/password", data=WRONG_CURRENT).status_code == 400
    assert client.post("/account/password", data=RIGHT_CURRENT).status_code == 429
    assert [key for key in db.session.scalars(select(LoginAttempt.key)) if key.startswith("account:")] == \
        ["account:trainee@example.org"] * 5


# --- registration without email: a limit per client address ---------------------------------------

def test_registration_without_email_is_limited_per_address(app):
    from .test_accounts import GOOD
    app.config["REGISTRATIONS_PER_ADDRESS"] = 3  # the same rule as 60, quicker

    def register(n, address):
        return app.test_client().post("/register", data=dict(GOOD, email=f"new{n}@example.org"),
                                      headers={"Accept-Language": "en"}, environ_base={"REMOTE_ADDR": address})
    assert [register(n, "203.0.113.5").status_code for n in range(3)] == [302, 302, 302]
    refused = register(3, "203.0.113.5")
    assert refused.status_code == 429
    assert "Many accounts were just created from your network. Wait 15 minutes" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 3
    assert register(4, "198.51.100.1").status_code == 302  # another network is not affected


def test_registering_with_taken_addresses_counts_against_the_limit(app):
    """Without email, registration says when an address already has an account: trying a list of
    addresses there must meet the same limit as making accounts, or anyone could learn, without
    limit, which police officers or prosecutors have an account."""
    from .test_accounts import GOOD
    app.config["REGISTRATIONS_PER_ADDRESS"] = 3
    for n in range(5):
        make_user(email=f"officer{n}@example.org")
    before = db.session.scalar(select(func.count()).select_from(User))

    def register(n, address="203.0.113.7"):
        return app.test_client().post("/register", data=dict(GOOD, email=f"officer{n}@example.org"),
                                      headers={"Accept-Language": "en"}, environ_base={"REMOTE_ADDR": address})
    tried = [register(n) for n in range(3)]
    assert [r.status_code for r in tried] == [400, 400, 400]
    assert all("An account already uses this email address" in r.get_data(as_text=True) for r in tried)
    refused = register(3)
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Wait 15 minutes" in page and "already uses this email address" not in page
    assert db.session.scalar(select(func.count()).select_from(User)) == before
    assert register(4, "198.51.100.1").status_code == 400  # another network is not affected
