"""Password reset by email (a real SMTP server on loopback) or by a link an administrator or the
trainee's facilitator hands over; registration by email; nothing tells who is registered."""
import asyncio
import email
import re
import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update

from webapp import mail
from webapp.extensions import db
from webapp.models import AccountToken, SentEmail, User
from webapp.models.base import utcnow

from ..factories import make_user
from .test_accounts import GOOD

pytestmark = pytest.mark.engine_sensitive  # one-time links rely on constraints and time arithmetic in SQL

NEW = {"password": "a brand new phrase", "confirm": "a brand new phrase"}
EN = {"Accept-Language": "en"}


class Inbox:
    """What the SMTP server received. Email is sent in the background: reading waits for the app's
    outbox to be empty first."""

    def __init__(self):
        self.received = []

    @property
    def messages(self):
        assert mail.flush(10), "the outbox did not empty within 10 s"
        return self.received

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]


class Handler:
    """The aiosmtpd handler, which fills an inbox; with a ``gate``, a mail server that accepts nothing
    until the test opens the gate (as slow as the test wants, without a clock)."""

    def __init__(self, inbox: Inbox, gate: threading.Event | None = None):
        self.inbox, self.gate = inbox, gate

    async def handle_DATA(self, server, session, envelope):
        if self.gate is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.gate.wait, 30)
        self.inbox.received.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _smtp_server(gate: threading.Event | None = None):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(Handler(inbox, gate), hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    if gate is not None:
        gate.set()
    mail.flush(10)  # nothing left for a server that is gone
    controller.stop()


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on a free loopback port; its inbox."""
    yield from _smtp_server()


@pytest.fixture
def stuck_smtp():
    """A mail server that holds every message until ``stuck_smtp.gate.set()``."""
    gate = threading.Event()
    for inbox in _smtp_server(gate):
        inbox.gate = gate
        yield inbox


@pytest.fixture
def mail_app(app, smtp):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_SENDER="passerelle@example.org",
                      BASE_URL="https://passerelle.example.org")
    return app


def body(message) -> str:
    return message.get_payload(decode=True).decode()


def link_in(message) -> str:
    return re.search(r"https://passerelle\.example\.org(/\S+)", body(message))[1]


def page(response) -> str:
    return re.sub(r'value="[^"]*\.[^"]*\.[^"]*"', "", response.get_data(as_text=True))


def tokens():
    return db.session.scalar(select(func.count()).select_from(AccountToken))


# --- by email -----------------------------------------------------------------------------------

def test_a_trainee_resets_her_password_by_email_once(mail_app, client, smtp, trainee):
    response = client.post("/password/forgot", data={"email": "Trainee@Example.org "}, headers=EN)
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    [message] = smtp.to("trainee@example.org")
    assert message["Subject"] == "Passerelle: choose a new password" and "within 1 hour(s)" in body(message)
    link = link_in(message)
    assert client.get(link).status_code == 200
    done = client.post(link, data=NEW)
    assert done.status_code == 302 and client.get("/progress").status_code == 200  # signed in
    client.post("/logout")
    assert client.post("/login", data={"email": trainee.email, "password": "correct horse battery"}).status_code == 401
    assert client.post("/login", data={"email": trainee.email, "password": NEW["password"]}).status_code == 302
    client.post("/logout")
    again = client.post(link, data={"password": "yet another phrase", "confirm": "yet another phrase"}, headers=EN)
    assert again.status_code == 404 and "This link does not work any more" in again.get_data(as_text=True)


def test_the_reset_page_is_the_same_for_known_and_unknown_addresses(mail_app, client, smtp, trainee):
    known = client.post("/password/forgot", data={"email": "trainee@example.org"}, headers=EN)
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"}, headers=EN)
    assert known.status_code == unknown.status_code == 200
    assert page(known) == page(unknown).replace("nobody@example.org", "trainee@example.org")
    assert smtp.to("nobody@example.org") == [] and len(smtp.to("trainee@example.org")) == 1


def test_the_email_is_in_the_trainees_language(mail_app, client, smtp):
    make_user(email="fr@example.org", language="fr")
    client.post("/password/forgot", data={"email": "fr@example.org"}, headers=EN)
    [message] = smtp.to("fr@example.org")
    assert message["Subject"] != "Passerelle: choose a new password" and "Bonjour" in body(message)


def test_only_a_hash_of_the_token_is_stored(mail_app, client, smtp, trainee):
    client.post("/password/forgot", data={"email": trainee.email})
    token = link_in(smtp.messages[0]).rsplit("/", 1)[1]
    stored = db.session.scalar(select(AccountToken))
    assert token not in (stored.token_hash, str(stored.payload)) and len(stored.token_hash) == 64


def test_a_link_expires(mail_app, client, smtp, trainee):
    client.post("/password/forgot", data={"email": trainee.email})
    link = link_in(smtp.messages[0])  # the link is made when the email is composed, after the answer
    db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get(link).status_code == 404 and client.post(link, data=NEW).status_code == 404


def test_a_newer_link_cancels_the_older_one(mail_app, client, smtp, trainee):
    client.post("/password/forgot", data={"email": trainee.email})
    client.post("/password/forgot", data={"email": trainee.email})
    first, second = (link_in(m) for m in smtp.messages)
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200


def test_a_refused_new_password_keeps_the_link_and_the_old_password(mail_app, client, smtp, trainee):
    client.post("/password/forgot", data={"email": trainee.email})
    link = link_in(smtp.messages[0])
    refused = client.post(link, data={"password": "azertyuiop", "confirm": "azertyuiop"}, headers=EN)
    assert refused.status_code == 400 and "too common" in refused.get_data(as_text=True)
    assert db.session.get(User, trainee.id).session_token == 0
    assert client.post(link, data=NEW).status_code == 302


def test_emailed_links_use_base_url_whatever_the_host_header(mail_app, client, smtp, trainee):
    client.post("/password/forgot", data={"email": trainee.email}, headers={"Host": "evil.example"})
    assert "https://passerelle.example.org/password/reset/" in body(smtp.messages[0])
    assert "evil.example" not in body(smtp.messages[0])


def test_at_most_three_reset_emails_an_hour(mail_app, client, smtp, trainee):
    for _ in range(5):
        assert client.post("/password/forgot", data={"email": trainee.email}).status_code == 200
    assert len(smtp.to(trainee.email)) == 3


def test_a_mail_server_that_is_down_shows_the_same_page_and_no_error(app, client, trainee, caplog):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed, BASE_URL="https://passerelle.example.org")
    response = client.post("/password/forgot", data={"email": trainee.email}, headers=EN)
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert mail.flush(10) and "could not send an email" in caplog.text


def test_the_reset_page_answers_before_the_mail_server_does_known_address_or_not(app, stuck_smtp, client, trainee):
    """The email goes out after the answer, so the answer's time tells nothing about the address:
    with a mail server that accepts nothing yet, both pages are already there."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=stuck_smtp.port, BASE_URL="https://passerelle.example.org")
    known = client.post("/password/forgot", data={"email": trainee.email}, headers=EN)
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"}, headers=EN)
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True).replace(trainee.email, "X") == \
        unknown.get_data(as_text=True).replace("nobody@example.org", "X")
    assert stuck_smtp.received == [] and not mail.flush(0)  # the mail server still holds the message
    stuck_smtp.gate.set()
    assert mail.flush(10)
    assert len(stuck_smtp.to(trainee.email)) == 1 and stuck_smtp.to("nobody@example.org") == []


def test_the_reset_token_never_reaches_the_access_log(mail_app, client, smtp, trainee, caplog):
    client.post("/password/forgot", data={"email": trainee.email})
    token = link_in(smtp.messages[0]).rsplit("/", 1)[1]
    import logging
    with caplog.at_level(logging.INFO, logger="passerelle.access"):
        client.get(f"/password/reset/{token}")
    assert token not in caplog.text and "/password/reset/<token>" in caplog.text


# --- registration by email ----------------------------------------------------------------------

def test_with_mail_registration_says_check_your_email_for_new_and_known_addresses(mail_app, client, smtp):
    make_user(email="taken@example.org")
    new = client.post("/register", data=dict(GOOD, email="new@example.org"), headers=EN)
    taken = client.post("/register", data=dict(GOOD, email="taken@example.org", language="en"), headers=EN)
    assert new.status_code == taken.status_code == 200
    assert page(new) == page(taken).replace("taken@example.org", "new@example.org")
    assert "Check your email" in page(new)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1  # nothing made yet
    [already] = smtp.to("taken@example.org")
    assert "already has an account" in body(already)
    [confirm] = smtp.to("new@example.org")
    link = link_in(confirm)
    assert client.get(link).status_code == 200 and db.session.scalar(select(func.count()).select_from(User)) == 1
    assert client.post(link).status_code == 302  # the button: the account is made, she is signed in
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert (user.name, user.country, user.language) == (GOOD["name"], "SN", "fr")
    assert user.password_hash.startswith("pbkdf2:sha256:1$") and client.get("/progress").status_code == 200
    client.post("/logout")
    assert client.post(link).status_code == 404  # once
    assert client.post("/login", data={"email": "new@example.org", "password": GOOD["password"]}).status_code == 302


def test_with_mail_registration_hashes_the_password_for_known_addresses_too(mail_app, client, smtp, monkeypatch):
    """scrypt takes a while on purpose: skipping it for a known address would tell it by the time."""
    from webapp.auth import emailed_links
    hashed = []
    hash_password = emailed_links.hash_password
    monkeypatch.setattr(emailed_links, "hash_password", lambda password: hashed.append(password) or hash_password(password))
    make_user(email="taken@example.org")
    client.post("/register", data=dict(GOOD, email="new@example.org"))
    client.post("/register", data=dict(GOOD, email="taken@example.org"))
    assert hashed == [GOOD["password"], GOOD["password"]]
    assert len(smtp.to("new@example.org")) == len(smtp.to("taken@example.org")) == 1


def test_with_mail_at_most_three_registration_emails_an_hour_to_an_address(mail_app, client, smtp):
    """Nobody can flood an address with "confirm" or "already registered" emails carrying her text."""
    make_user(email="taken@example.org")
    first = None
    for n in range(5):
        for address in ("new@example.org", "taken@example.org"):
            response = client.post("/register", data=dict(GOOD, email=address, name=f"Spam {n}"), headers=EN)
            assert response.status_code == 200 and "Check your email" in page(response)
            first = first or page(response)
            assert page(response).replace(address, "new@example.org") == first  # no hint when it stops
    assert len(smtp.to("new@example.org")) == len(smtp.to("taken@example.org")) == 3
    assert tokens() == 3  # no link made for the emails not sent
    assert db.session.scalar(select(func.count()).select_from(SentEmail)) == 6
    assert "new@example.org" not in {row.recipient for row in db.session.scalars(select(SentEmail))}
    # An hour later, she can register again (and the old records are deleted then).
    db.session.execute(update(SentEmail).values(at=SentEmail.at - timedelta(hours=1, seconds=1)))
    db.session.commit()
    client.post("/register", data=dict(GOOD, email="new@example.org"))
    assert len(smtp.to("new@example.org")) == 4
    assert db.session.scalar(select(func.count()).select_from(SentEmail)) == 1


def test_a_confirmation_link_for_an_address_registered_meanwhile_makes_no_second_account(mail_app, client, smtp):
    client.post("/register", data=dict(GOOD, email="race@example.org"))
    make_user(email="race@example.org")
    response = client.post(link_in(smtp.messages[0]))
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_with_mail_a_visitor_who_registers_from_a_join_link_lands_back_on_it(mail_app, client, smtp):
    from ..factories import make_workshop
    workshop = make_workshop(make_user(email="facilitator@example.org", role="facilitator"))
    link = f"/join/{workshop.join_code}"
    client.post(f"/register?next={link}", data=dict(GOOD, email="new@example.org"))
    [confirm] = smtp.to("new@example.org")
    response = client.post(link_in(confirm))
    assert response.headers["Location"] == link
    assert client.post(link).headers["Location"] == f"/workshops/{workshop.id}"
    # a next that leaves the site is dropped when the link is made, not followed after
    client.post("/logout")
    client.post("/register?next=//evil.example.org/", data=dict(GOOD, email="other@example.org"))
    [other] = smtp.to("other@example.org")
    assert client.post(link_in(other)).headers["Location"] == "/"


# --- without mail: links issued by people --------------------------------------------------------

def test_without_mail_the_forgot_page_sends_to_the_facilitator_and_makes_nothing(client, trainee):
    response = client.get("/password/forgot", headers=EN)
    assert "Ask your workshop facilitator or an administrator" in response.get_data(as_text=True)
    assert "<form" not in response.get_data(as_text=True).split("<main", 1)[1].split("</main>")[0]
    client.post("/password/forgot", data={"email": trainee.email})
    assert tokens() == 0


def _as(app, user):
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": "correct horse battery"}).status_code == 302
    return client


def test_an_admin_issues_a_one_time_link_that_the_trainee_uses(app, trainee):
    admin = make_user(email="admin@example.org", role="admin", language="en")
    staff = _as(app, admin)
    issued = staff.post("/reset-links", data={"email": trainee.email}, headers=EN)
    text = issued.get_data(as_text=True)
    assert issued.status_code == 200 and "works once, for 72 hours" in text
    link = re.search(r"<code>http://127\.0\.0\.1:5000(/password/reset/[^<]+)</code>", text)[1]
    assert db.session.scalar(select(AccountToken)).issued_by_id == admin.id
    person = app.test_client()
    assert person.post(link, data=NEW).status_code == 302
    assert person.post(link, data=NEW).status_code == 404


def test_an_admin_is_told_when_no_account_uses_the_address(app):
    staff = _as(app, make_user(email="admin@example.org", role="admin", language="en"))
    response = staff.post("/reset-links", data={"email": "nobody@example.org"}, headers=EN)
    assert response.status_code == 400 and "No account uses this address." in response.get_data(as_text=True)
    assert tokens() == 0


def test_trainees_cannot_issue_links(app, trainee):
    other = make_user(email="other@example.org")
    client = _as(app, other)
    assert client.get("/reset-links").status_code == 403
    assert client.post("/reset-links", data={"email": trainee.email}).status_code == 403
    assert tokens() == 0


def test_a_facilitator_issues_links_only_for_her_own_trainees(app, trainee):
    from datetime import date

    from webapp.models import Workshop, WorkshopMember
    mine = make_user(email="facilitator@example.org", role="facilitator", language="en")
    other = make_user(email="other-facilitator@example.org", role="facilitator")
    stranger = make_user(email="stranger@example.org")
    workshop = Workshop(title="Dakar", city="Dakar", country="SN", start_date=date.today(), end_date=date.today(),
                        language="fr", lessons=[], join_code="ABCDEFGH", owner_id=mine.id)
    db.session.add(workshop)
    db.session.flush()
    db.session.add(WorkshopMember(workshop_id=workshop.id, user_id=trainee.id))
    db.session.commit()
    assert _as(app, mine).post("/reset-links", data={"email": trainee.email}).status_code == 200
    refused = _as(app, mine).post("/reset-links", data={"email": stranger.email}, headers=EN)
    assert refused.status_code == 400 and "None of your trainees uses this address." in refused.get_data(as_text=True)
    assert _as(app, other).post("/reset-links", data={"email": trainee.email}).status_code == 400
    assert _as(app, mine).post("/reset-links", data={"email": other.email}).status_code == 400  # not a trainee


def _cli_link(app, email):
    result = app.test_cli_runner().invoke(args=["reset-link", email])
    assert result.exit_code == 0, result.output
    return re.search(r"(/password/reset/\S+)", result.output)[1]


def test_a_password_change_cancels_her_unused_reset_links(app, trainee):
    link = _cli_link(app, trainee.email)
    client = _as(app, trainee)
    changed = client.post("/account/password", data={"current": "correct horse battery", **NEW})
    assert changed.status_code == 302
    assert app.test_client().get(link).status_code == 404
    assert app.test_client().post(link, data={"password": "yet another phrase",
                                              "confirm": "yet another phrase"}).status_code == 404


def test_a_reset_cancels_her_other_unused_reset_links(app, trainee):
    used, other = _cli_link(app, trainee.email), "unused-token-of-a-race"
    from webapp.auth import tokens as links
    db.session.add(AccountToken(purpose="reset", token_hash=links.digest(other), user_id=trainee.id,
                                email=trainee.email, expires_at=utcnow() + timedelta(hours=1)))
    db.session.commit()  # two live links: issued at the same moment, say
    assert app.test_client().post(used, data=NEW).status_code == 302
    assert app.test_client().get(f"/password/reset/{other}").status_code == 404


def test_the_command_line_prints_a_link_that_works_once(app, trainee):
    result = app.test_cli_runner().invoke(args=["reset-link", trainee.email])
    assert result.exit_code == 0, result.output
    link = re.search(r"(/password/reset/\S+)", result.output)[1]
    client = app.test_client()
    assert client.post(link, data=NEW).status_code == 302 and client.post(link, data=NEW).status_code == 404
    assert app.test_cli_runner().invoke(args=["reset-link", "nobody@example.org"]).exit_code != 0
