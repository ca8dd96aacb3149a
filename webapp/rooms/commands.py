"""`flask room ...`: the room kit from the command line.

On the central site: ``revoke-kit``. On the room laptop: ``fetch`` (download a kit from its
one-time link), ``install`` (install it on this laptop's database) and ``codes`` (print the room
codes). Messages are for a facilitator at a terminal: what happened, and what to do next.
"""
from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask.cli import AppGroup

from ..extensions import db
from ..models import User
from . import codes, install, kits
from .sync_commands import sync_command

room_cli = AppGroup("room", help="Workshops without internet: room kits (README, \"Workshops without internet\").")

FETCH_TIMEOUT = 120  # seconds: a kit is about 1 MB, and the connection may be slow
MAX_KIT_BYTES = kits.MAX_CONTENT_BYTES + 5 * 1024 * 1024
LINK_TROUBLE = {
    404: "This link is not a room kit link (check that it was copied whole), or the central site does not know it.",
    410: "This link was already used, has expired (links work 24 hours, once) or its kit was revoked. "
         "Ask for a new link on the workshop's room page of the central site.",
}


def terminal_language(environ=os.environ) -> str:
    """The language the kit's file is named in: this terminal's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG,
    as gettext reads them), French for a French one and English otherwise, the language of these
    messages; with no language sent, the central site would name it in its own default."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if value := environ.get(name, "").strip():
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


@room_cli.command("fetch")
@click.argument("link")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to save the kit (default: the name the central site gives it, in this folder).")
def fetch(link, out):
    """Download a room kit from its one-time LINK (it works once, for 24 hours)."""
    if urlsplit(link).scheme not in ("http", "https"):
        raise click.ClickException("The link starts with https:// (or http://): copy it whole from the workshop's "
                                   "room page.")
    try:
        with urllib.request.urlopen(urllib.request.Request(link, data=b"", method="POST",
                                                           headers={"Accept": "application/json",
                                                                    "Accept-Language": terminal_language()}),
                                    timeout=FETCH_TIMEOUT) as response:
            raw = response.read(MAX_KIT_BYTES + 1)
            name = response.headers.get_filename()
    except urllib.error.HTTPError as error:
        error.close()
        raise click.ClickException(LINK_TROUBLE.get(error.code, f"The central site answered {error.code} "
                                                    f"({error.reason}). Try again later.")) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise click.ClickException(f"Cannot reach the central site ({reason}). Check the internet connection, "
                                   "then run the same command again: the link is used only once the kit "
                                   "has arrived.") from None
    if len(raw) > MAX_KIT_BYTES:
        raise click.ClickException("The central site sent far more than a room kit: nothing was saved.")
    try:
        kit = install.parse_kit(raw, "What the central site sent")
    except install.KitError as error:
        raise click.ClickException(str(error)) from None
    out = out or Path(Path(name).name if name else f"passerelle-room-kit-{kit['kit']}.json")
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds the room's private key
    with os.fdopen(fd, "wb") as handle:
        handle.write(raw)
    os.chmod(out, 0o600)
    click.echo(f"Room kit for \"{kit['workshop']['title']}\" saved in {out} ({len(kit['members'])} members).")
    click.echo(f"Install it on the room laptop with:  flask --app webapp room install {out}")


@room_cli.command("install")
@click.argument("kit_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--content-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the course content (default: instance/room-content).")
def install_kit(kit_file, content_dir):
    """Install a room kit on this laptop (a fresh database; the same kit twice changes nothing)."""
    try:
        outcome = install.install(install.read_kit(kit_file), content_dir)
    except install.KitError as error:
        raise click.ClickException(str(error)) from None
    workshop = outcome.workshop
    if outcome.already:
        click.echo(f"This kit is already installed (workshop \"{workshop.title}\"): nothing changed.")
    else:
        click.echo(f"Installed: workshop \"{workshop.title}\" with its members, lessons and quizzes.")
    click.echo("Start the room server with `make room`. Sign in with your room code (\"Sign in with your room "
               "code\" on the sign-in page), then print everyone's codes: on the workshop's page, \"Without "
               "internet: room kits\". The facilitators' room codes:")
    for name, code in outcome.facilitators:
        click.echo(f"  {name}: {code}")
    click.echo("Each code works once; `flask --app webapp room codes` prints them all again.")


@room_cli.command("codes")
def print_codes():
    """Print the room codes of the installed kit (on the room laptop), and whether each was used."""
    here = install.installed()
    if here is None:
        raise click.ClickException("This laptop has no room kit installed: flask --app webapp room install KIT_FILE")
    plain = codes.plain_codes()
    if not plain:
        raise click.ClickException(f"The room codes file {codes.codes_file()} is missing: install the kit again "
                                   "(the same kit changes nothing else).")
    users = db.session.scalars(db.select(User).where(User.uid.in_(list(plain))).order_by(User.name)).all()
    used = codes.used_by(user.id for user in users)
    for user in users:
        click.echo(f"{user.name}: {codes.grouped(plain[user.uid])}{'  (used)' if user.id in used else ''}")


@room_cli.command("revoke-kit")
@click.argument("kit_uid")
def revoke_kit(kit_uid):
    """On the central site: refuse from now on everything signed by the kit KIT_UID (a stolen laptop)."""
    kit = kits.find(kit_uid.strip())
    if kit is None:
        raise click.ClickException(f"No room kit {kit_uid} on this site (its id is on the workshop's room page).")
    if kits.revoke(kit):
        click.echo(f"Kit {kit.uid} ({kit.label or 'no label'}, workshop \"{kit.workshop.title}\") is revoked: "
                   "nothing it signs is accepted any more.")
    else:
        click.echo(f"Kit {kit.uid} was already revoked.")



room_cli.add_command(sync_command)  # `flask room sync`: the room's "Send to the central site" button
