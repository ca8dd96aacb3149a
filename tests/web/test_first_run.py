"""`make run` prints how to sign in: on an empty site it makes an administrator whose password works."""
import re

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import User

from ..factories import make_user


def test_an_empty_site_gets_an_administrator_whose_printed_password_signs_in(app):
    result = app.test_cli_runner().invoke(args=["first-run", "--address", "127.0.0.1:5000"])
    assert result.exit_code == 0, result.output
    found = re.search(r"Sign in at http://127\.0\.0\.1:5000/login as (\S+) with the password (\S+)", result.output)
    email, password = found[1], found[2]
    assert db.session.scalar(select(User.role).where(User.email == email)) == "admin"
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": password}).status_code == 302
    assert "/admin" in client.get("/").get_data(as_text=True)


def test_a_second_run_creates_nothing_and_names_the_administrators(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["first-run"])
    again = runner.invoke(args=["first-run"])
    assert "Sign in at http://127.0.0.1:5000/login as admin@example.org." in again.output
    assert "password" not in again.output.split("\n")[0]
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_a_site_with_trainees_but_no_administrator_is_not_given_one_silently(app):
    make_user()
    result = app.test_cli_runner().invoke(args=["first-run"])
    assert "create-admin" in result.output
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_the_first_administrators_language_follows_her_browser_not_french(app):
    result = app.test_cli_runner().invoke(args=["first-run"])
    email, password = re.search(r"as (\S+) with the password (\S+)", result.output).groups()
    client = app.test_client()
    client.post("/login", data={"email": email, "password": password}, headers={"Accept-Language": "en-GB,en;q=0.9"})
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign out" in page
    assert db.session.scalar(select(User.language).where(User.email == email)) == "en"
    # and later, from another browser, she keeps what she got
    other = app.test_client()
    other.post("/login", data={"email": email, "password": password}, headers={"Accept-Language": "fr"})
    assert '<html lang="en">' in other.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_an_administrator_made_on_the_command_line_takes_her_browsers_language(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "--email", "a@example.org", "--name", "A"])
    password = re.search(r"Password \(shown once.*\): (\S+)", result.output)[1]
    client = app.test_client()
    client.post("/login", data={"email": "a@example.org", "password": password}, headers={"Accept-Language": "en"})
    assert db.session.scalar(select(User.language).where(User.email == "a@example.org")) == "en"
