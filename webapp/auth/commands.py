"""`flask --app webapp reset-link EMAIL`: a one-time password reset link, printed for an administrator."""
import click
from flask import current_app, url_for
from flask.cli import with_appcontext

from . import services, tokens


@click.command("reset-link")
@click.argument("email")
@with_appcontext
def reset_link(email):
    """Print a one-time link that lets EMAIL's owner choose a new password (RESET_ISSUED_HOURS)."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"No account with the email {email}.")
    hours = current_app.config["RESET_ISSUED_HOURS"]
    raw = tokens.issue_reset(user, hours)
    with current_app.test_request_context(base_url=current_app.config.get("BASE_URL") or "http://127.0.0.1:5000"):
        click.echo(url_for("auth.reset", token=raw, _external=True))
    click.echo(f"It works once, for {hours} hours; any earlier link for {user.email} no longer works.", err=True)
