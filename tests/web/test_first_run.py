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
