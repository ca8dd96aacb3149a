"""`flask credentials ...` (the signing key) and `flask verify` (a credential or a QR text)."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from . import keys, verification

credentials_cli = AppGroup("credentials", help="The key that signs verifiable credentials.")


@credentials_cli.command("generate-key")
@click.option("--if-missing", is_flag=True, help="Do nothing (and succeed) when there is a key already.")
def generate_key(if_missing):
    """Create the signing key file (CREDENTIAL_KEY_FILE) if there is none, and publish its public half."""
    if current_app.config.get("CREDENTIAL_KEY"):
        if if_missing:
            return
        raise click.ClickException("CREDENTIAL_KEY is set: the key comes from the environment, not a file.")
    path = Path(current_app.config["CREDENTIAL_KEY_FILE"])
    try:
        keys.write_new_key(path)
    except FileExistsError:
        if if_missing:
            keys.signing_key()
            return
        raise click.ClickException(f"{path} already exists: to replace it, run `flask credentials rotate-key`.") from None
    key = keys.signing_key()
    click.echo(f"New signing key {keys.kid_of(key)} in {path}. Back this file up with the database: "
               "without it, no new credential can be signed (those already issued stay verifiable).")


@credentials_cli.command("rotate-key")
def rotate_key():
    """Replace the signing key. Credentials signed with the old one still verify."""
    if current_app.config.get("CREDENTIAL_KEY"):
        raise click.ClickException("CREDENTIAL_KEY is set: make a key file with `openssl genpkey -algorithm ed25519`, "
                                   "put it in CREDENTIAL_KEY, restart, and run `flask credentials retire-key OLD-KID`.")
    old, new = keys.rotate()
    click.echo(f"Signing key {new} is now in use." + (f" Key {old} is retired: it verifies what it signed "
                                                      "before now and signs nothing more." if old else ""))
    click.echo("Restart the site's workers so that they all sign with the new key.")


def _not_in_use(kid: str):
    """The published key named ``kid``, refused when it is the one signing now."""
    row = keys.find(kid)
    if row is None:
        raise click.ClickException(f"No key {kid}.")
    if row.kid == keys.kid_of(keys.signing_key()):
        raise click.ClickException("This is the key in use: run `flask credentials rotate-key` first.")
    return row


@credentials_cli.command("retire-key")
@click.argument("kid")
def retire_key(kid):
    """Retire a key that is no longer in use (after changing CREDENTIAL_KEY by hand)."""
    row = _not_in_use(kid)
    keys.retire(row)
    click.echo(f"Key {row.kid} is retired.")


@credentials_cli.command("revoke-key")
@click.argument("kid")
def revoke_key(kid):
    """Declare a key compromised: nothing it signed verifies any more."""
    row = _not_in_use(kid)
    keys.revoke(row.kid)
    click.echo(f"Key {row.kid} is revoked: every credential it signed is now refused. Trainees download new "
               "ones from their records page.")


@credentials_cli.command("keys")
def list_keys():
    """Every published key, and its state."""
    for row in keys.keyring():
        state = ("revoked" if row.revoked_at else f"retired {row.retired_at:%Y-%m-%d}" if row.retired_at
                 else "in use")
        click.echo(f"{row.kid}  created {row.created_at:%Y-%m-%d}  {state}")


@click.command("verify")
@click.argument("file_or_text")
def verify(file_or_text):
    """Check a credential file or the text of a certificate's QR code (exit status 0 when valid)."""
    path = Path(file_or_text)
    try:
        text = path.read_text(encoding="utf-8", errors="replace") if len(file_or_text) < 4096 and path.is_file() \
            else file_or_text
    except OSError as error:
        raise click.ClickException(str(error)) from error
    verdict = verification.check(text)
    click.echo(f"{verdict.status.upper().replace('_', ' ')}: {MESSAGES[verdict.status]}")
    for name, value in verification.summary(verdict).items():
        click.echo(f"  {name}: {value}")
    sys.exit(0 if verdict.ok else 1)


MESSAGES = {
    verification.VALID: "issued by this site, unaltered, not revoked.",
    verification.REVOKED: "the signature is genuine but the certificate was revoked.",
    verification.INVALID: "the signature does not match: altered, or not signed by this site.",
    verification.UNKNOWN_KEY: "signed with a key this site never published.",
    verification.KEY_REVOKED: "signed with a key this site withdrew as compromised.",
    verification.KEY_RETIRED: "dated after its signing key was retired.",
    verification.EXPIRED: "its validity period has ended.",
    verification.MALFORMED: "not a credential or the text of a certificate's QR code.",
}
