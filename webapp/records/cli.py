"""flask commands: export-records, send-xapi, issue-certificates."""
from __future__ import annotations

import json
from datetime import datetime

import click
from flask import current_app

from ..certificates import services as certificates
from ..links import LOCAL_SITE
from . import learning, lrs, workshop_facts

NO_BASE_URL = ("BASE_URL is not set: xAPI statement ids, actors and activity ids are built from the site's "
               "public address, and setting BASE_URL later would change every id (a store would then hold "
               "every statement twice).")


def site_url() -> str:
    """The site's public address (BASE_URL): actors' homePage and activity ids in xAPI statements."""
    return (current_app.config.get("BASE_URL") or LOCAL_SITE).rstrip("/")


def _check_workshop(code: str | None) -> str | None:
    if code is None:
        return None
    code = code.strip().upper()
    try:
        workshop_facts.member_ids(code)
    except workshop_facts.UnknownWorkshop:
        raise click.BadParameter(f"no workshop has the code {code}", param_hint="--workshop") from None
    return code


@click.command("export-records")
@click.option("--format", "fmt", type=click.Choice(["csv", "xapi"]), required=True)
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), default=None,
              help="Only records at or after this date (UTC), e.g. 2026-01-31.")
@click.option("--workshop", default=None, help="Only the trainees of the workshop with this code.")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default: standard output).")
def export_records(fmt: str, since: datetime | None, workshop: str | None, output) -> None:
    """Export the learning records: CSV (one line a record) or xAPI 1.0.3 statements (a JSON array).

    No names and no email addresses: learners are the anonymous numbers of their accounts."""
    workshop = _check_workshop(workshop)
    if not current_app.config.get("BASE_URL"):
        click.echo(f"Warning: {NO_BASE_URL} This export uses {LOCAL_SITE}.", err=True)
    if fmt == "csv":
        learning.write_csv(output, learning.csv_rows(site_url(), since, workshop), learning.CSV_COLUMNS)
    else:
        output.write("[")
        for count, item in enumerate(learning.statements(site_url(), since, workshop), start=1):
            output.write(("\n" if count == 1 else ",\n") + json.dumps(item, ensure_ascii=False))
        output.write("\n]\n")
    output.flush()


@click.command("send-xapi")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), default=None)
@click.option("--workshop", default=None)
@click.option("--batch-size", type=click.IntRange(1, 1000), default=100, show_default=True)
@click.option("--attempts", type=click.IntRange(1, 20), default=5, show_default=True,
              help="Tries per batch before giving up.")
def send_xapi(since, workshop, batch_size, attempts) -> None:
    """Send the statements to the Learning Record Store at XAPI_LRS_URL (XAPI_LRS_USERNAME and
    XAPI_LRS_PASSWORD). Safe to run again: statement ids are stable, nothing is duplicated."""
    cfg = current_app.config
    if not cfg["XAPI_LRS_URL"]:
        raise click.ClickException("XAPI_LRS_URL is not set: no Learning Record Store is configured.")
    if not cfg.get("BASE_URL"):
        raise click.ClickException(f"{NO_BASE_URL} Set BASE_URL to the site's address and run again.")
    try:
        lrs.endpoint(cfg["XAPI_LRS_URL"])
    except lrs.LRSError as error:
        raise click.ClickException(str(error)) from None
    workshop = _check_workshop(workshop)
    try:
        sent = lrs.send(learning.statements(site_url(), since, workshop), url=cfg["XAPI_LRS_URL"],
                        username=cfg["XAPI_LRS_USERNAME"], password=cfg["XAPI_LRS_PASSWORD"],
                        batch_size=batch_size, attempts=attempts, backoff=cfg["XAPI_RETRY_BACKOFF"])
    except lrs.LRSError as error:
        raise click.ClickException(f"{error}. Run the command again: what was sent is not duplicated.") from None
    click.echo(f"{sent.statements} statements sent in {sent.batches} batches ({sent.retries} retries).")


@click.command("issue-certificates")
def issue_certificates() -> None:
    """Issue every certificate already earned and not yet issued (safe to run again)."""
    click.echo(f"{certificates.backfill()} certificates issued.")
