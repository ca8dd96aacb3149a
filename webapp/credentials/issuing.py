"""Signed documents for a certificate: its Open Badges credential (VC-JWT), the statement its QR code
carries, and the status list that says which certificates are revoked.

Nothing is stored: Ed25519 signatures are deterministic, so the same certificate signed with the
same key gives the same file on every download, and certificates issued before credentials existed
get theirs on first request."""
from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from ..achievements import workshops as workshop_facts
from ..content import catalog
from ..extensions import db
from ..i18n import in_language
from ..links import external_url
from ..models import Certificate, Workshop
from ..models.base import utcnow
from . import badge, keys, status_list, vcjwt
from .verification import shown

CREDENTIAL_TYP = "vc+jwt"


def holder_language(cert: Certificate) -> str:
    """A certificate is in its holder's language (the site's first one if hers is not offered)."""
    languages = current_app.config["LANGUAGES"]
    return cert.user.language if cert.user.language in languages else languages[0]


def completion_day(cert: Certificate) -> date:
    """The day she completed, in her zone when the certificate was issued (stored with it): the one
    date that her certificate, its PDF, its QR statement and every verification page give, whoever
    reads them, and that stays when she picks another zone later."""
    return cert.completed_on


def facts(cert: Certificate) -> badge.Facts:
    lang = holder_language(cert)
    edition = catalog().edition_on(completion_day(cert))
    workshop = db.session.get(Workshop, cert.workshop_id) if cert.workshop_id else None
    with in_language(lang):
        text = workshop_facts.describe(cert.workshop_id, lang) if workshop else ""
    return badge.Facts(cert=cert, shown_number=shown(cert.number), email=cert.user.email, lang=lang,
                       workshop=workshop, workshop_text=text, edition=edition.date if edition else "",
                       day=completion_day(cert).isoformat())


def _sign(payload: dict, typ: str | None = None) -> str:
    key = keys.signing_key()
    return vcjwt.sign(payload, key, keys.kid_of(key), typ=typ)


def credential(cert: Certificate) -> dict:
    found = facts(cert)
    with in_language(found.lang):
        return badge.credential(found)


def signed_credential(cert: Certificate) -> str:
    return _sign(badge.jwt_claims(credential(cert)), typ=CREDENTIAL_TYP)


def signed_statement(cert: Certificate) -> str:
    key = keys.signing_key()
    # A QR statement names its key by the first 12 characters of the thumbprint: 31 fewer to print.
    return vcjwt.sign(badge.statement(facts(cert)), key, keys.kid_of(key)[:12])


def qr_text(cert: Certificate) -> str:
    """The verification link, and after ``#`` the signed statement: a phone's camera opens the link
    (the fragment never reaches the server); the offline verifier reads the statement."""
    return external_url("certificates.verify", number=shown(cert.number)) + "#" + signed_statement(cert)


def revoked_ids() -> list[int]:
    return list(db.session.scalars(select(Certificate.id).where(Certificate.revoked_at.is_not(None))))


def status_list_credential(number: int, now: datetime | None = None) -> dict:
    url = badge.status_list_url()
    moment = badge.iso(now or utcnow())
    return {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": badge.issuer_id(), "validFrom": moment,
            "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList",
                                  "statusPurpose": "revocation", "encodedList": status_list.encode(revoked_ids())}}


def signed_status_list(number: int) -> str:
    body = status_list_credential(number)
    claims = {**body, "iss": body["issuer"], "jti": body["id"], "nbf": badge.epoch(body["validFrom"])}
    return _sign(claims, typ=CREDENTIAL_TYP)
