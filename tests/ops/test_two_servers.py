"""Two app servers (two gunicorn instances, on two loopback ports) against one PostgreSQL database
behave as one: sign-in and join-code limits are counted together, a reset link made through one works
once through either, every email is sent exactly once though both servers run senders, and a live
question asked on one server is answered on the other and shows on the first. Bounded in time."""
import re

import pytest

from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db

from ..conftest import DATA
from ..factories import join_workshop, make_user, make_workshop
from .loadkit import PASSWORD, Browser, Server, email, form_of, migrate
from .mailkit import Smtp, outbox_rows, wait_for

pytestmark = pytest.mark.load
SETTINGS = {"MAIL_SERVER": "127.0.0.1", "MAIL_SENDER": "passerelle@example.org", "MAIL_POLL_SECONDS": "0.5",
            "LOGIN_MAX_ATTEMPTS": "3", "JOIN_MAX_FAILURES_PER_ADDRESS": "4"}
NEW_PASSWORD = "a brand new phrase"


def _facilitator_and_workshop(url: str) -> int:
    app = create_app(type("Cfg", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, "CONTENT_DIR": DATA}))
    with app.app_context():
        facilitator = make_user(email="facilitator@example.org", role="facilitator", language="en")
        workshop = make_workshop(facilitator)
        from webapp.auth import services
        join_workshop(workshop, services.find_user(email(0)))
        workshop_id = workshop.id
        db.session.remove()
        db.engine.dispose()
    return workshop_id


def post(browser: Browser, page: str, path: str, form: dict):
    return browser.open("POST", path, dict(form, csrf_token=browser.token(page)))


def sign_in(browser: Browser, address: str, password: str = PASSWORD) -> int:
    return post(browser, "/login", "/login", {"email": address, "password": password})[0]


def test_two_app_servers_on_one_database_behave_as_one(scratch_pg_url, tmp_path):
    url = scratch_pg_url
    migrate(url, 4)
    workshop_id = _facilitator_and_workshop(url)
    with Smtp() as smtp:
        settings = dict(SETTINGS, MAIL_PORT=str(smtp.port))
        a = Server(url, tmp_path / "a.log", workers=2, **settings)
        try:
            b = Server(url, tmp_path / "b.log", workers=2, **settings)
        except BaseException:
            a.stop()
            raise
        try:
            _sign_in_limits_are_shared(a, b)
            _live_question_asked_on_one_is_answered_on_the_other(a, b, workshop_id)
            _mail_is_sent_once_and_reset_links_work_once_on_either(a, b, smtp, url)
            _join_code_limits_are_shared(a, b)
        finally:
            a.stop()
            b.stop()
    for log in ("a.log", "b.log"):
        assert "Traceback" not in (tmp_path / log).read_text()


def _sign_in_limits_are_shared(a: Server, b: Server) -> None:
    """Wrong passwords sent to both servers in turn get the answers one server gives to the same series."""
    def series(servers, address):
        return [sign_in(Browser(servers[n % len(servers)].port), address, "not the password" if n < 4 else PASSWORD)
                for n in range(5)]
    alone = series([a], email(3))
    assert alone != [401, 401, 401, 401, 302], "the sign-in limit did not bite on one server"
    assert series([a, b], email(2)) == alone


def _live_question_asked_on_one_is_answered_on_the_other(a: Server, b: Server, workshop_id: int) -> None:
    facilitator, trainee = Browser(a.port), Browser(b.port)
    assert sign_in(facilitator, "facilitator@example.org") == 302 and sign_in(trainee, email(0)) == 302
    live = f"/workshops/{workshop_id}/live"
    question = form_of(facilitator.get(live)[2]).choices["question"][0]
    assert post(facilitator, live, live, {"question": question})[0] == 302
    status, _, page = trainee.get(f"/workshops/{workshop_id}")  # on the other server
    action = re.search(r'action="(/workshops/\d+/live/\d+/answer)"', page)
    assert status == 200 and action, "the question asked on server A does not show on server B"
    fields = form_of(page)
    answer = {name: values[0] for name, values in fields.choices.items() if values}
    assert trainee.open("POST", action[1], dict(answer, csrf_token=fields.hidden["csrf_token"]))[0] == 303
    panel = facilitator.get(f"{live}/panel")[2]
    assert "1 of 1 answered" in panel, "the answer given on server B does not show on server A"


def _mail_is_sent_once_and_reset_links_work_once_on_either(a: Server, b: Server, smtp: Smtp, url: str) -> None:
    trainee = email(1)
    assert post(Browser(a.port), "/password/forgot", "/password/forgot", {"email": trainee})[0] == 200
    assert post(Browser(b.port), "/password/forgot", "/password/forgot", {"email": "nobody@example.org"})[0] == 200
    newcomers = [f"newcomer{n}@example.org" for n in range(4)]
    for n, address in enumerate(newcomers):
        server = (a, b)[n % 2]
        form = {"name": f"Newcomer {n}", "email": address, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                "organisation": "Police", "country": "SN", "profession": "police", "language": "en"}
        assert post(Browser(server.port), "/register", "/register", form)[0] == 200

    def poke():  # both servers' workers look for mail
        Browser(a.port).get("/healthz")
        Browser(b.port).get("/healthz")

    wait_for(lambda: all(r.status != "pending" for r in outbox_rows(url)), "every email sent", poke=poke)
    for _ in range(10):
        poke()
    expected = [trainee, *newcomers]
    assert sorted(m["To"] for m in smtp.received) == sorted(expected), "an email was lost or sent twice"
    assert [r.status for r in outbox_rows(url)].count("dropped") == 1  # nobody@: nothing sent

    [message] = smtp.to(trainee)
    link = re.search(r"http://127\.0\.0\.1(/password/reset/\S+)", message.get_payload(decode=True).decode())[1]
    person = Browser(b.port)
    assert person.get(link)[0] == 200
    assert post(person, link, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})[0] == 302
    assert Browser(a.port).get(link)[0] == 404  # used on B: gone on A too
    assert sign_in(Browser(a.port), trainee, NEW_PASSWORD) == 302


def _join_code_limits_are_shared(a: Server, b: Server) -> None:
    """Four wrong codes, two on each server, use up the address's allowance on both."""
    statuses = [Browser((a, b)[n % 2].port).get("/join/ZZZZ-ZZZZ")[0] for n in range(4)]
    assert statuses == [404] * 4
    assert Browser(a.port).get("/join/YYYY-YYYY")[0] == 429
    assert Browser(b.port).get("/join/YYYY-YYYY")[0] == 429
