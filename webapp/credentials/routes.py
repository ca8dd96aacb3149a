import hashlib
import json
from datetime import date

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..content import catalog
from ..downloads import attachment
from ..errors import render_error
from ..extensions import db
from ..i18n import in_language, lang
from ..links import base_url
from ..models import Certificate
from ..models.base import utcnow
from ..people import is_erased
from ..zones import local_date
from . import badge, bp, issuing, keys, verification
from .forms import MAX_TEXT, CheckForm

JSON_TYPE = "application/json"


def _own_certificate(number: str) -> Certificate:
    canonical = number.replace("-", "").upper()
    cert = db.session.scalar(select(Certificate).where(Certificate.number == canonical)) \
        if 0 < len(canonical) <= 16 else None
    # Someone else's certificate is "not found"; so is one whose holder deleted her account.
    if cert is None or not (current_user.is_admin or cert.user_id == current_user.id) or is_erased(cert.user):
        abort(404)
    return cert


@bp.route("/certificates/<number>/credential")
@login_required
def download(number):
    cert = _own_certificate(number)
    if not cert.is_valid:
        # A fresh signature would be a document vouching for a withdrawn certificate.
        return render_error(409, _("This certificate has been revoked: no verifiable credential is made for it "
                                   "any more."))
    response = make_response(issuing.signed_credential(cert))
    response.headers["Content-Type"] = "application/vc+jwt"
    response.headers["Content-Disposition"] = attachment(_("passerelle-%(number)s.credential.jwt",
                                                           number=issuing.shown(cert.number)))
    return response


def _json(value, max_age: int = 300):
    response = make_response(json.dumps(value, ensure_ascii=False, indent=1))
    response.headers["Content-Type"] = JSON_TYPE
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers on other sites read it
    return response


def _published(row) -> dict:
    jwk = json.loads(row.public_jwk)
    if row.retired_at:
        jwk["exp"] = int(row.retired_at.timestamp())  # RFC 7517 has no expiry; verifiers read ours
    return jwk


@bp.route("/.well-known/jwks.json")
def jwks():
    """Every public key the site ever signed with: current, retired (still verifying what they
    signed) and revoked (listed so that a verifier can say so); revoked ones are marked."""
    keys.signing_key()  # a site that never signed yet still publishes the key it will use
    published = []
    for row in keys.keyring():
        jwk = _published(row)
        if row.revoked_at:
            jwk["revoked"] = badge.iso(row.revoked_at)
        published.append(jwk)
    return _json({"keys": published})


@bp.route("/credentials/keys/<kid>")
def key(kid):
    row = keys.find(kid) if len(kid) == 43 else None
    if row is None:
        abort(404)
    return _json(_published(row))


@bp.route("/credentials/issuer")
def issuer():
    return _json({"@context": badge.CONTEXTS, **badge.issuer_profile()}, max_age=3600)


@bp.route("/credentials/status/<int:number>")
def status_list(number):
    if number != badge.STATUS_LIST:
        abort(404)
    response = make_response(issuing.signed_status_list(number))
    response.headers["Content-Type"] = "application/vc+jwt"
    response.headers["Cache-Control"] = "no-cache"  # a revocation shows on the next request
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/verify/credential", methods=["GET", "POST"])
def check():
    form = CheckForm()
    verdict = None
    if request.method == "POST":
        text = form.text.data or ""
        upload = request.files.get("file")
        # Validated first: validating clears a field's errors, and with them what is said of the file.
        valid = form.validate_on_submit()
        if valid and upload and upload.filename:
            raw = upload.read(MAX_TEXT + 1)
            text = raw.decode("utf-8", "replace") if len(raw) <= MAX_TEXT else ""
            if raw.startswith(b"%PDF"):  # the certificate itself, which is what an employer is sent
                form.file.errors = [_("This is a certificate's PDF, not its verifiable credential (a .jwt file). "
                                      "To check it, enter the number printed on it at %(page)s.",
                                      page=url_for("certificates.lookup", _external=False))]
            elif not text:
                form.file.errors = [_("This file is too large to be a credential.")]
        if not valid or form.file.errors:
            return render_template("credentials/check.html", form=form, verdict=None), 400
        if not text.strip():
            form.text.errors = [_("Paste a credential or the text of a QR code, or choose a credential file.")]
            return render_template("credentials/check.html", form=form, verdict=None), 400
        if _number_or_link(text):
            # The number or the link printed on a certificate, not a signed document: it is checked by
            # number (found, revoked or unknown), never called "invalid" here.
            return redirect(url_for("certificates.lookup", number=text.strip()))
        verdict = verification.check(text)
    return render_template("credentials/check.html", form=form, verdict=verdict, details=_details(verdict)), \
        (200 if verdict is None or verdict.status != verification.MALFORMED else 400)


def _number_or_link(text: str) -> bool:
    """A certificate number as typed (no dots, short), or a verification link without the signed
    statement that a QR code adds after "#"."""
    text = text.strip()
    return ("/verify/" in text and "#" not in text and len(text) <= 200) or ("." not in text and len(text) <= 40)


def _details(verdict) -> dict:
    if verdict is None:
        return {}
    facts = verification.summary(verdict)
    if facts and verdict.kind == verification.STATEMENT:
        facts["course"] = (catalog().course.get("title") or {}).get(lang(), "")
    # A verified credential names its number as this site wrote it: ABCD-EFGH-JKMN-PQRS.
    number = (facts.get("number") or "").replace("-", "") if facts and verdict.kind != verification.STATEMENT else ""
    cert = db.session.scalar(select(Certificate).where(Certificate.number == number)) if number else None
    if cert is not None:  # the credential's moment, dated as its certificate is: in its holder's zone
        facts["date"] = issuing.completion_day(cert).isoformat()
    if facts and facts.get("date"):
        try:  # said as the certificate says it ("5 December 2026"), not as the credential stores it
            facts["date"] = local_date(date.fromisoformat(facts["date"]), "long")
        except ValueError:
            pass  # a date this site did not write: shown as it is
    return facts


@bp.route("/credentials/verifier.html")
def offline_verifier():
    """The offline verifier: one HTML file with the public keys inside, to keep on a phone or laptop."""
    keys.signing_key()
    revoked_numbers = db.session.scalars(select(Certificate.number).where(Certificate.revoked_at.is_not(None)))
    data = {
        "made": utcnow().date().isoformat(),
        "site": base_url(),
        "keys": [{"kid": row.kid, "x": json.loads(row.public_jwk)["x"],
                  "retired": row.retired_at.date().isoformat() if row.retired_at else None,
                  "revoked": bool(row.revoked_at)} for row in keys.keyring()],
        # Hashes, not numbers: the file is shared freely, and a number opens its holder's public page.
        "revoked": sorted(hashlib.sha256(number.encode()).hexdigest() for number in revoked_numbers),
        "course": catalog().course.get("title") or {},
        "texts": {},
    }
    for language in current_app.config["LANGUAGES"]:
        with in_language(language):
            data["texts"][language] = _verifier_texts()
    html = render_template("credentials/verifier.html", data=json.dumps(data, ensure_ascii=False).replace("</", "<\\/"),
                           first=lang())
    response = make_response(html)
    response.headers["Content-Disposition"] = attachment(_("passerelle-verifier.html"))
    # The file works alone, opened from disk: its script and style are inside it. Served here it is
    # only downloaded (attachment), so the site's own pages keep their strict policy.
    response.headers["Content-Security-Policy"] = ("default-src 'none'; script-src 'unsafe-inline'; "
                                                   "style-src 'unsafe-inline'; img-src data:; media-src blob:")
    return response


def _verifier_texts() -> dict:
    return {
        "title": _("Check a Passerelle certificate"),
        "intro": _("Scan the QR code printed on the certificate, or paste its text below, then press Check. "
                   "This page works without a connection: the keys it checks with are inside it."),
        "label": _("Text of the QR code, or a credential"),
        "check": _("Check"), "scan": _("Scan with the camera"), "stop": _("Stop the camera"),
        "valid": _("Valid: this certificate was issued by Passerelle and has not been altered."),
        "invalid": _("Invalid: this text was altered or was not signed by Passerelle. Do not accept it."),
        "unknown_key": _("Unknown key: this was signed with a key this verifier does not know. It may be newer "
                         "than this file: download the verifier again, or check online."),
        "key_revoked": _("Invalid: the key that signed this was withdrawn by Passerelle. Check online."),
        "key_retired": _("Invalid: this is dated after its signing key was retired. Check online."),
        "revoked": _("Revoked: this certificate was withdrawn, and is no longer valid."),
        "expired": _("Expired: the validity period of this credential has ended."),
        "malformed": _("This is not the text of a Passerelle QR code or credential."),
        "unsupported": _("This browser cannot check signatures. Open this file in a recent Chrome, Firefox, "
                         "Edge or Safari, or check online."),
        "camera_failed": _("The camera could not be used. Type or paste the text instead."),
        "limits": _("What this page cannot know: a certificate revoked after %(date)s, the day this file was "
                    "downloaded. When you have a connection, also check the number at %(site)s/verify.",
                    date="{made}", site="{site}"),
        "number": _("Certificate number"), "holder": _("Holder"), "course": _("Course"),
        "workshop": _("Workshop"), "date": _("Completed on"), "edition": _("Content edition"),
        "achievement": _("Achievement"), "language": _("Language"),
        "noscript": _("This verifier needs JavaScript, which is turned off in this browser."),
    }


@bp.app_errorhandler(keys.NoSigningKey)
def no_signing_key(error):
    current_app.logger.error("%s", error)
    return render_error(503, _("Credentials cannot be signed yet: the site's administrator must create the "
                               "signing key. Your certificate and its PDF are not affected."))
