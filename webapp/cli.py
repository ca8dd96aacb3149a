"""flask commands: content check, create-admin, first-run, room-address, set-role, translate, and (registered here
too) those of the other modules. The content check also runs without the app, on content the app
refuses: `python -m webapp.content check` (webapp/content/check.py)."""
from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .content.check import main as check_content

HERE = Path(__file__).resolve().parent
translate_cli = AppGroup("translate", help="Interface translations (Babel).")
content_cli = AppGroup("content", help="Course content.")


@content_cli.command("check")
def content_check():
    """Validate the content (the app could start, so it is valid: on broken content, which stops the
    app, use `python -m webapp.content check`, which needs none)."""
    sys.exit(check_content(["check", str(current_app.config["CONTENT_DIR"])]))


@click.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", default=None, help="Default: a random one, printed once.")
def create_admin(email, name, password):
    """Create an administrator account (or make an existing account admin). Asks nothing."""
    from .auth import services
    from .auth.passwords import password_problem
    user = services.find_user(email)
    if user:
        from .admin.services import set_role as change_role
        change_role(user, "admin")
        click.echo(f"{user.email} is now an administrator.")
        return
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    with current_app.test_request_context():
        problem = password_problem(password)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    user = services.register(name=name, email=email, password=password, role="admin",
                             language="")  # her browser's, at her first sign-in
    click.echo(f"Administrator {user.email} created.")
    if generated:
        click.echo(f"Password (shown once, change it after signing in): {password}")


@click.command("first-run")
@click.option("--email", default="admin@example.org", show_default=True)
@click.option("--address", default="127.0.0.1:5000", show_default=True, help="Where the site is served.")
def first_run(email, address):
    """How to sign in: on an empty site, creates an administrator and prints her one-time password."""
    from sqlalchemy import func, select

    from .extensions import db
    from .models import User
    admins = db.session.scalars(select(User.email).where(User.role == "admin").order_by(User.id).limit(3)).all()
    base = f"http://{address}"
    if not admins and not db.session.scalar(select(func.count(User.id))):
        password = secrets.token_urlsafe(12)
        from .auth import services
        services.register(name="Administrator", email=email, password=password, role="admin",
                          language="")  # her browser's, at her first sign-in
        click.echo(f"Sign in at {base}/login as {email} with the password {password}")
        click.echo("(shown once: change it on the Account page, under Password).")
    elif admins:
        click.echo(f"Sign in at {base}/login as {' or '.join(admins)}.")
        click.echo("Password forgotten? flask --app webapp reset-link EMAIL prints a one-time link.")
    else:
        click.echo("No administrator yet: flask --app webapp create-admin --email you@example.org --name 'You'")
    click.echo(f"Trainees register themselves at {base}/register; an administrator makes facilitators on"
               " the Accounts page.")


@click.command("room-address")
@click.option("--port", default=8000, show_default=True, help="The port `make room` serves on.")
def room_address(port):
    """The laptop's address on the room's network, with its QR code (what `make room` serves on)."""
    from . import room_address as room
    address = room.lan_address()
    click.echo(room.banner(room.room_url(address or room.LOOPBACK, port), address is not None))


@click.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(["trainee", "facilitator", "admin"]))
def set_role(email, role):
    """Give an account a role."""
    from .auth import services
    user = services.find_user(email)
    if not user:
        raise click.ClickException(f"No account with the email {email}.")
    from .admin.services import LastAdministrator
    from .admin.services import set_role as change_role
    try:
        change_role(user, role)
    except LastAdministrator:
        raise click.ClickException(f"{user.email} is the last administrator: make another account an "
                                   "administrator first. Nothing was changed.") from None
    click.echo(f"{user.email} is now {role}.")


def _babel(*args):
    # Run from the project root so the catalogue's source references are relative paths.
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=HERE.parent)


@translate_cli.command("update")
def translate_update():
    """Extract interface strings and merge them into the French catalogue."""
    _babel("extract", "-F", "webapp/babel.cfg", "-k", "_l", "-o", "webapp/translations/messages.pot", "webapp")
    _babel("update", "-i", "webapp/translations/messages.pot", "-d", "webapp/translations",
           "--no-fuzzy-matching", "--ignore-obsolete")


@translate_cli.command("compile")
def translate_compile():
    """Compile the catalogues (make does this before run and test)."""
    _babel("compile", "-d", "webapp/translations")


def init_app(app):
    """Every `flask` command of the app, registered here and only here, so that one list says what
    an operator can run (`flask --help` prints it)."""
    from . import backup, mail
    from .auth.commands import reset_link
    from .credentials.commands import credentials_cli, verify
    from .records.cli import export_records, issue_certificates, send_xapi
    from .rooms.commands import room_cli
    for command in (content_cli, translate_cli, create_admin, set_role, first_run, reset_link, backup.backup,
                    mail.mail_cli, export_records, send_xapi, issue_certificates, room_address, credentials_cli,
                    verify, room_cli):
        app.cli.add_command(command)
