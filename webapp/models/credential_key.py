from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class CredentialKey(db.Model):
    """The public half of a key that signs verifiable credentials, kept for as long as the site runs.

    Only public keys live in the database (webapp/credentials/keys.py keeps the private one in a file
    or the environment). A retired key still verifies what it signed before ``retired_at``; a revoked
    one (a stolen laptop, a leaked file) verifies nothing."""
    kid: Mapped[str] = mapped_column(String(64), primary_key=True)  # RFC 7638 thumbprint
    public_jwk: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
