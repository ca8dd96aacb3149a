from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .user import User

COURSE = "course"  # the scope of a course certificate; a workshop's is "workshop:<id>"
REVOKED_ACCOUNT_DELETED = "account-deleted"  # revocation kind set when the holder erases her account
REVOKED_BY_ADMIN = "admin"


class Certificate(db.Model):
    """Proof that a trainee completed the course (or a workshop): issued once per scope.

    The unique (user, scope) pair is what makes issuing exactly-once, also under concurrent
    requests. The number is random (80 bits) and is the only key the public ever sees."""
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(40))
    workshop_id: Mapped[int | None] = mapped_column(index=True)
    #: The holder's name when issued: a certificate is a document and does not change afterwards.
    holder_name: Mapped[str] = mapped_column(String(120))
    completed_at: Mapped[datetime]
    #: The day she completed, in her time zone when it was issued: the date the certificate gives
    #: everywhere, frozen like the name (a zone she picks later must not move it a day).
    completed_on: Mapped[date]
    #: The content version she was last tested on when she earned it (her newest quiz by then): what
    #: an expert's sign-off must name for the certificate to rest on signed-off content. None when no
    #: quiz of hers was kept (an old certificate whose attempts are gone).
    content_version: Mapped[str | None] = mapped_column(String(40))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_kind: Mapped[str] = mapped_column(String(20), default="")
    revoked_reason: Mapped[str] = mapped_column(String(500), default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    __table_args__ = (UniqueConstraint("user_id", "scope", name="uq_certificate_user_scope"),
                      Index("ix_certificate_scope_completed", "scope", "completed_at"),
                      Index("ix_certificate_scope_completed_on", "scope", "completed_on"))

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def is_workshop(self) -> bool:
        return self.workshop_id is not None


def counted(cert=None):
    """The certificates that count as completions in reports and exports: valid ones, and those
    revoked only because the holder deleted her account (her anonymous results stay).
    ``cert``: an alias of Certificate, when the query joins it more than once."""
    cert = cert if cert is not None else Certificate
    return or_(cert.revoked_at.is_(None), cert.revoked_kind == REVOKED_ACCOUNT_DELETED)
