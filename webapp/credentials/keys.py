"""The key that signs credentials, and the public keys that verify them.

The private key is never in the database or the repository: it is read from the environment
(CREDENTIAL_KEY, the PEM text) or from a file (CREDENTIAL_KEY_FILE, by default
instance/credential-key.pem, readable by the site's user only). Outside production a missing file is
created on first use, so `make run` issues credentials at once; production refuses to sign until
`flask credentials generate-key` has made one. Every public key ever used is kept in the
``credential_key`` table and published (webapp/credentials/routes.py), so a credential signed before a
rotation still verifies after it."""
from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from flask import current_app
from joserfc.jwk import OKPKey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import CredentialKey
from ..models.base import utcnow


class NoSigningKey(RuntimeError):
    """Production has no signing key yet: an operator must run `flask credentials generate-key`."""


def kid_of(key: OKPKey) -> str:
    return key.thumbprint()


def public_jwk(key: OKPKey) -> dict:
    return {**key.as_dict(private=False), "kid": kid_of(key), "alg": "EdDSA", "use": "sig"}


def _key_file() -> Path:
    return Path(current_app.config["CREDENTIAL_KEY_FILE"])


def _from_pem(pem: str | bytes, where: str) -> OKPKey:
    try:
        key = OKPKey.import_key(pem)
    except Exception as error:  # joserfc raises several kinds for a damaged PEM
        raise NoSigningKey(f"The credential signing key in {where} cannot be read: {error}") from error
    if key.as_dict(private=False).get("crv") != "Ed25519" or not key.is_private:
        raise NoSigningKey(f"The credential signing key in {where} is not an Ed25519 private key.")
    return key


def write_new_key(path: Path) -> OKPKey:
    """A new Ed25519 private key in ``path`` (mode 600). Raises FileExistsError if there is one."""
    key = OKPKey.generate_key("Ed25519")
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two workers starting together create one key, and the loser reads the winner's.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key.as_pem(private=True))
    return key


def signing_key() -> OKPKey:
    """The current private key, registered in the key table (once per app and key)."""
    config = current_app.config
    if config.get("CREDENTIAL_KEY"):
        key = _from_pem(config["CREDENTIAL_KEY"], "CREDENTIAL_KEY")
    else:
        path = _key_file()
        if not path.exists():
            if config.get("PRODUCTION"):
                raise NoSigningKey("No credential signing key: run `flask --app webapp credentials generate-key` "
                                   "(README, \"Certificates and credentials\").")
            try:
                write_new_key(path)
            except FileExistsError:
                pass
        key = _from_pem(path.read_bytes(), str(path))
    registered = current_app.extensions.setdefault("passerelle.credential_kids", set())
    kid = kid_of(key)
    if kid not in registered:
        register(key)
        registered.add(kid)
    return key


def register(key: OKPKey) -> CredentialKey:
    """Publish ``key``'s public half (idempotent, also when two workers do it at once)."""
    kid = kid_of(key)
    row = db.session.get(CredentialKey, kid)
    if row is not None:
        return row
    row = CredentialKey(kid=kid, public_jwk=json.dumps(public_jwk(key), sort_keys=True))
    try:
        with db.session.begin_nested():
            db.session.add(row)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        row = db.session.get(CredentialKey, kid)
    return row


def keyring() -> list[CredentialKey]:
    """Every public key, newest first: the current one, retired ones, revoked ones."""
    return list(db.session.scalars(select(CredentialKey).order_by(CredentialKey.created_at.desc(),
                                                                  CredentialKey.kid)))


def find(kid: str) -> CredentialKey | None:
    """The key named ``kid``: the whole thumbprint, or (a QR statement) a unique prefix of 8 or more."""
    if not kid or len(kid) > 64:
        return None
    if len(kid) == 43:
        return db.session.get(CredentialKey, kid)
    if len(kid) < 8:
        return None
    rows = db.session.scalars(select(CredentialKey).where(CredentialKey.kid.startswith(kid, autoescape=True))
                              .limit(2)).all()
    return rows[0] if len(rows) == 1 else None


def rotate(now: datetime | None = None) -> tuple[str | None, str]:
    """Replace the key file's key by a new one; retire the old one (it keeps verifying what it
    signed). Returns (old kid or None, new kid). The old private key is deleted: nothing signed
    after the rotation can carry it, and a stolen backup of it signs nothing the site accepts
    as newer than the rotation."""
    now = now or utcnow()
    path = _key_file()
    old = _from_pem(path.read_bytes(), str(path)) if path.exists() else None
    spare = path.with_name(path.name + ".new")
    spare.unlink(missing_ok=True)
    new = write_new_key(spare)
    register(new)
    if old is not None:
        register(old)
        db.session.get(CredentialKey, kid_of(old)).retired_at = now
        db.session.commit()
    os.replace(spare, path)  # atomic: a worker reads the old key or the new one, never half a file
    current_app.extensions.pop("passerelle.credential_kids", None)
    return (kid_of(old) if old else None), kid_of(new)


def retire(row: CredentialKey, now: datetime | None = None) -> None:
    row.retired_at = row.retired_at or now or utcnow()
    db.session.commit()


def revoke(kid: str, now: datetime | None = None) -> CredentialKey | None:
    """Mark a key as compromised: nothing it signed verifies any more (reissue with the new key)."""
    row = find(kid)
    if row is None:
        return None
    row.revoked_at = row.revoked_at or now or utcnow()
    row.retired_at = row.retired_at or row.revoked_at
    db.session.commit()
    return row
