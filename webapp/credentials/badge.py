"""A certificate as an Open Badges 3.0 ``OpenBadgeCredential``, and as the short statement its QR
code carries. Plain functions of the certificate and the site's settings: no HTTP, no signing.

The holder is named, not emailed: her email appears only as a salted SHA-256 hash, which lets her
prove the credential is hers (she knows the address) without printing it in every file she shares."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from ..content import catalog
from ..links import base_url, external_url
from ..models import Certificate, Workshop

CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
STATUS_LIST = 1  # every certificate is in list 1, at its id: 131,072 certificates before list 2 is needed


@dataclass(frozen=True)
class Facts:
    """What a credential says, gathered once (the caller reads the database)."""
    cert: Certificate
    shown_number: str   # as printed: ABCD-EFGH-JKMN-PQRS
    email: str
    lang: str
    workshop: Workshop | None
    workshop_text: str  # "Title, City (Country), dates": the certificate's own wording
    edition: str        # the content edition in force on the completion day, YYYY-MM-DD, or ""
    day: str = ""       # the completion day where the holder lives, YYYY-MM-DD (the certificate's date)


def iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"  # stored in UTC, without a zone


def issuer_id() -> str:
    return external_url("credentials.issuer")


def issuer_profile() -> dict:
    config = current_app.config
    profile = {"id": issuer_id(), "type": ["Profile"], "name": config["ISSUER_NAME"],
               "url": config.get("ISSUER_URL") or base_url() + "/"}
    if config.get("ISSUER_EMAIL"):
        profile["email"] = config["ISSUER_EMAIL"]
    return profile


def status_list_url() -> str:
    return external_url("credentials.status_list", number=STATUS_LIST)


def achievement(facts: Facts) -> dict:
    """The achievement, in the holder's language (call inside ``in_language``)."""
    cat = catalog()
    course = (cat.course.get("title") or {}).get(facts.lang, "Passerelle")
    if facts.workshop is None:
        name = course
        description = (cat.course.get("purpose") or {}).get(facts.lang, course)
        # The completion rule: a lesson counts once its quiz is passed, not once it is read.
        narrative = _("Pass the quiz of each of the %(count)d lessons of the course, and its final assessment "
                      "with at least %(mark)d %% of the points.", count=len(cat.lessons),
                      mark=round(cat.final_pass_mark * 100))
        achievement_id = base_url() + "/credentials/achievements/course"
    else:
        workshop = facts.workshop
        name = _("Workshop: %(title)s", title=workshop.title)
        description = _("%(course)s, taught in the workshop %(workshop)s.", course=course,
                        workshop=facts.workshop_text)
        narrative = _("Complete the course (the quiz of every lesson and the final assessment passed), and attend at "
                      "least %(needed)d of the %(days)d days of the workshop %(workshop)s.",
                      needed=workshop.required_days, days=len(workshop.days), workshop=facts.workshop_text)
        achievement_id = base_url() + f"/credentials/achievements/workshop-{workshop.id}"
    result = {"id": achievement_id, "type": ["Achievement"], "achievementType": "Certificate", "name": name,
              "description": description, "criteria": {"narrative": narrative}, "inLanguage": facts.lang,
              "creator": issuer_profile()}
    if facts.edition:
        result["version"] = facts.edition
    return result


def email_identity(email: str, number: str) -> dict:
    salt = hashlib.sha256(f"passerelle-credential:{number}".encode()).hexdigest()[:16]
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return {"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
            "identityHash": "sha256$" + digest, "salt": salt}


def credential(facts: Facts) -> dict:
    """The unsigned OpenBadgeCredential (call inside ``in_language(facts.lang)``)."""
    cert = facts.cert
    shown = facts.shown_number
    made = achievement(facts)
    status_url = status_list_url()
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": cert.holder_name},
            email_identity(facts.email, cert.number)],
        "achievement": made,
        "activityEndDate": iso(cert.completed_at),
    }
    body = {
        "@context": CONTEXTS,
        "id": external_url("certificates.verify", number=shown),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": _("%(achievement)s: certificate %(number)s", achievement=made["name"], number=shown),
        "description": _("Certificate of completion %(number)s, held by %(holder)s.", number=shown,
                         holder=cert.holder_name),
        "issuer": issuer_profile(),
        "validFrom": iso(cert.issued_at),
        "awardedDate": iso(cert.completed_at),
        "credentialSubject": subject,
        "credentialStatus": {"id": f"{status_url}#{cert.id}", "type": "BitstringStatusListEntry",
                             "statusPurpose": "revocation", "statusListIndex": str(cert.id),
                             "statusListCredential": status_url},
    }
    return body


def jwt_claims(body: dict) -> dict:
    """The credential as a VC-JWT payload (OB 3.0 section 8.2): the credential's own members, plus the
    registered claims a JWT library checks (iss, jti, nbf; exp only when the credential expires)."""
    claims = dict(body)
    claims["iss"] = body["issuer"]["id"]
    claims["jti"] = body["id"]
    claims["nbf"] = epoch(body["validFrom"])
    if body.get("validUntil"):
        claims["exp"] = epoch(body["validUntil"])
    return claims


def epoch(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def statement(facts: Facts) -> dict:
    """What the QR code on the paper carries, signed: short keys keep the code small enough to scan
    when printed. n: number, h: holder, w: the workshop (absent for the course), d: completion day,
    e: content edition."""
    cert = facts.cert
    claims = {"n": cert.number, "h": cert.holder_name[:80], "d": facts.day or cert.completed_at.date().isoformat()}
    if facts.workshop is not None:
        claims["w"] = f"{facts.workshop.title}, {facts.workshop.city}"[:70]
    if facts.edition:
        claims["e"] = facts.edition
    return claims
