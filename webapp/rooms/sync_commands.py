"""`flask room sync`: send the room's records home from a terminal (the button's twin); part of
the `flask room` group (webapp/rooms/commands.py)."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from . import bundles, sync_client


@click.command("sync")
@click.option("--central", "central_url", default=None,
              help="The central site's address, if not the one the kit came from.")
@with_appcontext
def sync_command(central_url):
    """Send this room's records to the central site (again at any time; resumes where it stopped)."""
    room = bundles.install()
    if room is None:
        click.echo("This server is not a room: install a room kit first.", err=True)
        sys.exit(2)
    result = sync_client.sync(central_url)
    click.echo(f"{result.sent} records sent in {result.bundles} bundles; {result.left} not sent yet.")
    if not result.ok:
        click.echo(result.error, err=True)
        sys.exit(1)
