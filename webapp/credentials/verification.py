"""Is this credential or QR statement genuine? One answer for the online page, the command and the
tests: a verdict with a reason a person can act on.

Order matters: what cannot be read is "malformed"; a key we never published is "unknown key"; a
signature that does not match its text is "invalid" (the text was changed, or signed by someone
else); then the key's own state (revoked; retired before the document was dated), the document's
expiry, and last the certificate's revocation."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Certificate
from ..models.base import utcnow
from . import keys, vcjwt

VALID = "valid"
REVOKED = "revoked"            # the certificate was revoked (status list bit set)
INVALID = "invalid"            # the signature does not match: altered, or not signed by us
UNKNOWN_KEY = "unknown_key"    # signed with a key this site never published
KEY_REVOKED = "key_revoked"    # the key was declared compromised
KEY_RETIRED = "key_retired"    # dated after its key was retired: a key that no longer signs
EXPIRED = "expired"            # past the credential's own validUntil
MALFORMED = "malformed"        # not a credential or a statement at all

CREDENTIAL, STATEMENT = "credential", "statement"

_JWS = re.compile(r"[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{80,90}")


@dataclass
class Verdict:
    status: str
    kind: str = ""
    claims: dict = field(default_factory=dict)
    kid: str = ""

    @property
    def ok(self) -> bool:
        return self.status == VALID

    @property
    def number(self) -> str:
        if self.kind == STATEMENT:
            return self.claims.get("n", "")
        subject = self.claims.get("credentialStatus") or {}
        return str(subject.get("statusListIndex", ""))


def find_token(text: str) -> str | None:
    """The compact JWS in what someone pasted, scanned or uploaded: a bare token, a QR text (the link,
    then ``#`` and the statement), or a JSON file holding a token."""
    text = (text or "").strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested too deep to be a credential file
            return None
        text = next((v for v in value.values() if isinstance(v, str) and v.count(".") == 2), "") \
            if isinstance(value, dict) else ""
    found = _JWS.findall(re.sub(r"\s+", "", text))
    return found[-1] if found else None


def _dated(token: vcjwt.Token, kind: str) -> datetime | None:
    try:
        if kind == CREDENTIAL:
            return datetime.fromtimestamp(int(token.payload["nbf"]), UTC).replace(tzinfo=None)
        return datetime.fromisoformat(token.payload["d"])
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def check(text: str, now: datetime | None = None) -> Verdict:
    now = now or utcnow()
    found = find_token(text)
    if found is None:
        return Verdict(MALFORMED)
    try:
        token = vcjwt.read(found)
    except vcjwt.Malformed:
        return Verdict(MALFORMED)
    kind = CREDENTIAL if "credentialSubject" in token.payload else STATEMENT if "n" in token.payload else ""
    if not kind:
        return Verdict(MALFORMED)
    verdict = Verdict(INVALID, kind, {}, str(token.header.get("kid", ""))[:64])
    key = keys.find(verdict.kid)
    if key is None:
        verdict.status = UNKNOWN_KEY
        return verdict
    if not vcjwt.signature_holds(token, json.loads(key.public_jwk)):
        return verdict
    verdict.claims = token.payload
    dated = _dated(token, kind)
    if dated is None:
        verdict.status = MALFORMED
    elif key.revoked_at is not None:
        verdict.status = KEY_REVOKED
    elif key.retired_at is not None and dated > key.retired_at:
        verdict.status = KEY_RETIRED
    elif kind == CREDENTIAL and _expired(token.payload, now):
        verdict.status = EXPIRED
    else:
        verdict.status = REVOKED if _revoked(token.payload, kind) else VALID
    return verdict


def _expired(payload: dict, now: datetime) -> bool:
    until = payload.get("validUntil")
    if not until:
        return False
    try:
        moment = datetime.fromisoformat(str(until).replace("Z", "+00:00"))
    except ValueError:
        return True
    return (moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment) < now


def _revoked(payload: dict, kind: str) -> bool:
    """The certificate's revocation, from the records the status list is made of (this server's own)."""
    if kind == STATEMENT:
        column, value = Certificate.number, str(payload.get("n", ""))
    else:
        try:
            column, value = Certificate.id, int((payload.get("credentialStatus") or {}).get("statusListIndex"))
        except (TypeError, ValueError):
            return True  # a credential of ours always has its index: no index, no trust
    revoked_at = db.session.execute(select(Certificate.revoked_at).where(column == value)).first()
    return revoked_at is None or revoked_at[0] is not None


def shown(number: str) -> str:
    return "-".join(number[i:i + 4] for i in range(0, len(number), 4))


def summary(verdict: Verdict) -> dict:
    """What a verified document says (nothing of an unverified one: it could say anything)."""
    if not verdict.claims:
        return {}
    claims = verdict.claims
    if verdict.kind == STATEMENT:
        found = {"number": shown(str(claims.get("n", ""))), "holder": claims.get("h", ""),
                 "workshop": claims.get("w", ""), "date": claims.get("d", ""), "edition": claims.get("e", "")}
    else:
        subject = claims.get("credentialSubject") or {}
        made = subject.get("achievement") or {}
        holder = next((i.get("identityHash", "") for i in subject.get("identifier") or []
                       if isinstance(i, dict) and i.get("identityType") == "name" and not i.get("hashed")), "")
        found = {"number": str(claims.get("id", "")).rsplit("/", 1)[-1], "holder": holder,
                 "achievement": made.get("name", ""), "date": str(claims.get("awardedDate", ""))[:10],
                 "edition": made.get("version", ""), "issuer": (claims.get("issuer") or {}).get("name", "")}
    return {name: value for name, value in found.items() if value}
