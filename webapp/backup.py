"""`flask --app webapp backup PATH`: a consistent copy of the live SQLite database.

SQLite's online backup API copies a snapshot taken in one read transaction: the site keeps running
(WAL lets writers go on while it reads) and the copy never holds half of a transaction. PostgreSQL is
backed up with pg_dump (see the README)."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click
from flask.cli import with_appcontext

from .extensions import db


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
def backup(path: Path, force: bool):
    """Copy the live SQLite database to PATH, consistently, while the site runs."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            "This command copies SQLite databases. For PostgreSQL use: "
            'pg_dump --format=custom --file=passerelle.dump "$DATABASE_URL"')
    source = url.database
    if not source or source == ":memory:":
        raise click.ClickException("The database is in memory: there is nothing to copy.")
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists: choose another path or pass --force.")
    size = copy_sqlite(Path(source), path)
    click.echo(f"Backup written to {path} ({size} bytes, integrity check ok).")


def copy_sqlite(source: Path, target: Path) -> int:
    """Copy ``source`` to ``target`` (atomically replaced), check the copy, return its size."""
    if not source.exists():
        raise click.ClickException(f"No database at {source}.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)  # all pages in one step: one snapshot, whatever writers do meanwhile
        dst.execute("PRAGMA journal_mode=DELETE")  # the copy is one self-contained file
        result = dst.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if result != "ok":
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"The copy failed its integrity check: {result}")
    os.replace(partial, target)
    return target.stat().st_size
