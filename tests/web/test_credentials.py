"""Open Badges 3.0 credentials: downloaded by the holder, valid against 1EdTech's schema, verified by
an independent library (jwcrypto, not joserfc which signs), revoked through the status list, and
still valid after a key rotation. Every wrong case gets its own verdict."""
import base64
import gzip
import json
import os
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from joserfc.jwk import OKPKey
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws

from webapp.certificates import services
from webapp.certificates.numbers import display
from webapp.credentials import issuing, keys, vcjwt, verification
from webapp.extensions import db
from webapp.models import Certificate

from ..factories import make_user
from ..records_builders import complete_course

pytestmark = pytest.mark.engine_sensitive  # the key table's unique kid under two workers; status by id

# The standards' public files, read where the workplace keeps them (beside the checkout), never copied.
STANDARDS = Path(os.environ.get("STANDARDS_DIR", Path(__file__).resolve().parents[3] / "shared" / "standards")) / "ob3"
EN = {"Accept-Language": "en"}


def _issue(user, at=datetime(2026, 3, 10, 10, 0)) -> Certificate:
    complete_course(user, at=at)
    [cert] = services.issue_due(user.id)
    return cert


def _download(client, auth, email, cert) -> str:
    auth.login(email)
    response = client.get(f"/certificates/{display(cert.number)}/credential")
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "application/vc+jwt"
    assert "attachment" in response.headers["Content-Disposition"]
    return response.get_data(as_text=True)


def _independent_payload(client, token: str) -> dict:
    """Verify with jwcrypto against the published JWKS, as another verifier would; the payload."""
    published = jwcrypto_jwk.JWKSet.from_json(client.get("/.well-known/jwks.json").get_data(as_text=True))
    kid = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "==="))["kid"]
    checker = jwcrypto_jws.JWS()
    checker.deserialize(token)
    checker.verify(published.get_key(kid), alg="EdDSA")
    return json.loads(checker.payload)


def _status_bit(client, credential: dict) -> bool:
    """Read the certificate's bit from the published status list, decoded here, independently."""
    entry = credential["credentialStatus"]
    path = entry["statusListCredential"].replace("http://127.0.0.1:5000", "")
    token = client.get(path).get_data(as_text=True)
    listing = _independent_payload(client, token)
    assert listing["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    encoded = listing["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "==="))
    assert len(bits) * 8 >= 131_072
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def _schema_errors(credential: dict) -> list[str]:
    schema = json.loads((STANDARDS / "schema" / "ob_v3p0_achievementcredential_schema.json").read_text())
    validator = jsonschema.Draft201909Validator(schema)
    return [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(credential)]


def _tampered(token: str, change) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(vcjwt.unb64url(payload))
    change(claims)
    return f"{header}.{vcjwt.b64url(vcjwt.compact_json(claims))}.{signature}"


def test_the_holder_downloads_a_credential_that_the_schema_and_another_library_accept(client, auth):
    holder = make_user(email="aissatou@example.org", name="Aïssatou N'Diaye", language="fr")
    cert = _issue(holder)
    token = _download(client, auth, "aissatou@example.org", cert)
    credential = _independent_payload(client, token)
    assert _schema_errors(credential) == []
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["iss"] == credential["issuer"]["id"] == "http://127.0.0.1:5000/credentials/issuer"
    assert credential["nbf"] == credential["validFrom"] and False or credential["nbf"] > 0
    names = [i["identityHash"] for i in credential["credentialSubject"]["identifier"] if i["identityType"] == "name"]
    assert names == ["Aïssatou N'Diaye"]
    assert "aissatou@example.org" not in json.dumps(credential)  # her email only as a salted hash
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == "Cours d'essai" and achievement["inLanguage"] == "fr"
    assert "2 leçons" in achievement["criteria"]["narrative"] and "80" in achievement["criteria"]["narrative"]
    # The rule as it is: each lesson's quiz passed, not merely the lesson read.
    assert "quiz de chacune" in achievement["criteria"]["narrative"]
    assert "Lire" not in achievement["criteria"]["narrative"]
    assert credential["awardedDate"] == "2026-03-10T10:00:00Z"
    assert credential["id"] == f"http://127.0.0.1:5000/verify/{display(cert.number)}"
    assert _status_bit(client, credential) is False
    # The issuer profile is published where the credential says.
    assert client.get("/credentials/issuer").get_json()["name"] == credential["issuer"]["name"]
    # Signing is deterministic: a second download is the same file.
    assert _download(client, auth, "aissatou@example.org", cert) == token
    assert verification.check(token).status == verification.VALID


def test_a_workshop_certificate_names_the_workshop_and_its_attendance_rule(client, auth):
    from .test_workshop_records import DAYS, attend, workshop
    holder = make_user(email="w@example.org", language="en")
    w = workshop(members=[holder])
    attend(w, holder, DAYS)
    complete_course(holder, at=datetime(2026, 3, 20, 10, 0))
    cert = next(c for c in services.issue_due(holder.id) if c.workshop_id)
    credential = _independent_payload(client, _download(client, auth, "w@example.org", cert))
    assert _schema_errors(credential) == []
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == "Workshop: Atelier de Dakar"
    assert "attend at least" in achievement["criteria"]["narrative"] and "Dakar" in achievement["description"]
    assert "the quiz of every lesson" in achievement["criteria"]["narrative"]
    assert "every lesson read" not in achievement["criteria"]["narrative"]


def test_only_the_holder_or_an_admin_downloads_and_never_after_erasure(client, auth, trainee):
    holder = make_user(email="holder@example.org", language="en")
    cert = _issue(holder)
    url = f"/certificates/{display(cert.number)}/credential"
    assert client.get(url).status_code == 302  # to sign in
    auth.login()  # another trainee
    assert client.get(url).status_code == 404
    auth.logout()
    make_user(email="admin@example.org", role="admin")
    auth.login("admin@example.org")
    assert client.get(url).status_code == 200
    from webapp.records.erasure import erase_account
    erase_account(db.session.get(type(holder), holder.id))
    db.session.commit()
    assert client.get(url).status_code == 404


def test_revoking_flips_the_status_bit_and_the_verdict_on_the_next_request(app, client, auth):
    holder = make_user(email="holder@example.org", language="en")
    cert = _issue(holder)
    token = _download(client, auth, "holder@example.org", cert)
    credential = _independent_payload(client, token)
    assert _status_bit(client, credential) is False
    services.revoke(db.session.get(Certificate, cert.id), by=None, reason="Fraud")
    assert _status_bit(client, credential) is True
    assert client.get(credential["credentialStatus"]["statusListCredential"].replace(
        "http://127.0.0.1:5000", "")).headers["Cache-Control"] == "no-cache"
    page = client.post("/verify/credential", data={"text": token}, headers=EN)
    assert page.status_code == 200
    assert "The signature is genuine, but the certificate was revoked" in page.get_data(as_text=True)
    with app.test_request_context():
        statement = issuing.qr_text(db.session.get(Certificate, cert.id))
    assert verification.check(statement).status == verification.REVOKED


@pytest.mark.parametrize("change", [
    lambda c: c["credentialSubject"]["identifier"][0].update(identityHash="Someone Else"),
    lambda c: c.update(awardedDate="2025-01-01T00:00:00Z"),
    lambda c: c["credentialSubject"]["achievement"].update(name="A doctorate"),
    lambda c: c["credentialStatus"].update(statusListIndex="999"),
    lambda c: c.update(validUntil="2099-01-01T00:00:00Z"),
])
def test_a_changed_field_is_invalid_on_the_page_and_for_the_other_library(client, auth, change):
    holder = make_user(email="holder@example.org", language="en")
    token = _download(client, auth, "holder@example.org", _issue(holder))
    forged = _tampered(token, change)
    assert verification.check(forged).status == verification.INVALID
    with pytest.raises(jwcrypto_jws.InvalidJWSSignature):
        _independent_payload(client, forged)
    page = client.post("/verify/credential", data={"text": forged}, headers=EN).get_data(as_text=True)
    assert "The signature does not match the text" in page
    assert "Someone Else" not in page and "A doctorate" not in page  # nothing of a forgery is shown


def test_a_credential_signed_with_another_key_is_refused(client, auth):
    holder = make_user(email="holder@example.org", language="en")
    token = _download(client, auth, "holder@example.org", _issue(holder))
    claims = vcjwt.read(token).payload
    stranger = OKPKey.generate_key("Ed25519")
    ours = vcjwt.read(token).header["kid"]
    assert verification.check(vcjwt.sign(claims, stranger, ours)).status == verification.INVALID
    assert verification.check(vcjwt.sign(claims, stranger, keys.kid_of(stranger))).status == verification.UNKNOWN_KEY
    page = client.post("/verify/credential", data={"text": vcjwt.sign(claims, stranger, "x" * 43)}, headers=EN)
    assert "Unknown key" in page.get_data(as_text=True)


def test_rotation_keeps_old_credentials_valid_and_a_retired_or_revoked_key_signs_nothing(client, auth, app, tmp_path):
    app.config["CREDENTIAL_KEY_FILE"] = str(tmp_path / "key.pem")
    holder = make_user(email="holder@example.org", language="en")
    cert = _issue(holder)
    old_token = _download(client, auth, "holder@example.org", cert)
    old_kid = vcjwt.read(old_token).header["kid"]
    old_key = OKPKey.import_key((tmp_path / "key.pem").read_bytes())
    retired, new_kid = keys.rotate()
    assert retired == old_kid and new_kid != old_kid
    # Old credentials still verify, here and for the other library (the JWKS keeps the old key).
    assert verification.check(old_token).status == verification.VALID
    _independent_payload(client, old_token)
    published = client.get("/.well-known/jwks.json").get_json()["keys"]
    assert {k["kid"] for k in published} == {old_kid, new_kid}
    assert "exp" in next(k for k in published if k["kid"] == old_kid)
    assert client.get(f"/credentials/keys/{old_kid}").get_json()["x"] == old_key.as_dict(private=False)["x"]
    # New downloads use the new key.
    assert vcjwt.read(_download(client, auth, "holder@example.org", cert)).header["kid"] == new_kid
    # The retired key (a stolen backup) cannot sign anything dated after its retirement.
    later = {**vcjwt.read(old_token).payload, "nbf": int((datetime.now() + timedelta(days=1)).timestamp())}
    assert verification.check(vcjwt.sign(later, old_key, old_kid)).status == verification.KEY_RETIRED
    # Declared compromised: nothing it signed verifies any more.
    keys.revoke(old_kid)
    assert verification.check(old_token).status == verification.KEY_REVOKED
    page = client.post("/verify/credential", data={"text": old_token}, headers=EN).get_data(as_text=True)
    assert "withdrew (it may have been stolen)" in page


def test_an_expired_credential_says_so(app, client, auth):
    holder = make_user(email="holder@example.org", language="en")
    cert = _issue(holder)
    with app.test_request_context():
        claims = issuing.credential(cert)
    claims["validUntil"] = "2026-04-01T00:00:00Z"
    key = keys.signing_key()
    token = vcjwt.sign(claims | {"nbf": 1773136800}, key, keys.kid_of(key))
    assert verification.check(token).status == verification.EXPIRED
    page = client.post("/verify/credential", data={"text": token}, headers=EN).get_data(as_text=True)
    assert "Its validity period has ended." in page


def test_the_qr_statement_is_small_signed_and_checked_like_a_credential(app, client, auth):
    import segno
    holder = make_user(email="holder@example.org", name="Marie-Françoise Ouédraogo-Kaboré", language="en")
    cert = _issue(holder)
    with app.test_request_context():
        text = issuing.qr_text(cert)
    link, statement = text.split("#")
    assert link == f"http://127.0.0.1:5000/verify/{display(cert.number)}"
    claims = vcjwt.read(statement).payload
    assert claims == {"n": cert.number, "h": "Marie-Françoise Ouédraogo-Kaboré", "d": "2026-03-10",
                      "e": claims["e"]}
    assert segno.make(text, error="m").version <= 14  # 73 modules: 0.5 mm each in the PDF's 40 mm
    verdict = verification.check(text)
    assert verdict.status == verification.VALID and verification.summary(verdict)["holder"] == holder.name
    one_off = text[:-20] + ("A" if text[-20] != "A" else "B") + text[-19:]
    assert verification.check(one_off).status == verification.INVALID
    page = client.post("/verify/credential", data={"text": text}, headers=EN).get_data(as_text=True)
    assert "Valid" in page and "Marie-Françoise Ouédraogo-Kaboré" in page
    assert "10 March 2026" in page and "2026-03-10" not in page  # said as the certificate says it
    # The certificate page's QR code carries it.
    auth.login("holder@example.org")
    from webapp.certificates.document import qr_svg_data_uri
    assert qr_svg_data_uri(text) in client.get(f"/certificates/{display(cert.number)}").get_data(as_text=True)


def test_certificates_from_before_credentials_get_theirs_on_first_request(client, auth):
    holder = make_user(email="old@example.org", language="en")
    cert = Certificate(number="ABCDEFGHJKMNPQRS", user_id=holder.id, scope="course", holder_name=holder.name,
                       completed_at=datetime(2025, 1, 5, 9, 0), completed_on=date(2025, 1, 5),
                       issued_at=datetime(2025, 1, 6, 9, 0))
    db.session.add(cert)
    db.session.commit()
    credential = _independent_payload(client, _download(client, auth, "old@example.org", cert))
    assert credential["validFrom"] == "2025-01-06T09:00:00Z"
    assert client.get("/verify/ABCD-EFGH-JKMN-PQRS").status_code == 200


def test_the_check_page_refuses_what_is_not_a_credential_with_a_message(client):
    empty = client.post("/verify/credential", data={"text": "  "}, headers=EN)
    assert empty.status_code == 400
    assert "Paste a credential or the text of a QR code" in empty.get_data(as_text=True)
    junk = client.post("/verify/credential", data={"text": "hello.world.again"}, headers=EN)
    assert junk.status_code == 400 and "This is not a Passerelle credential" in junk.get_data(as_text=True)
    assert client.post("/verify/credential", data={"text": "x" * 30_000}, headers=EN).status_code == 400


@pytest.mark.parametrize("where", ["file", "header", "payload"])
def test_json_nested_too_deep_is_not_a_credential_never_a_server_error(client, where):
    """A few KB of brackets made the JSON reader give up (RecursionError): a 500 for anyone, without
    signing in. It is a text that is not a credential, said as for any other."""
    deep = "[" * 3000 + "]" * 3000
    if where == "file":
        text = '{"credential": ' + deep + "}"
    else:
        parts = [vcjwt.b64url(b'{"alg":"EdDSA"}'), vcjwt.b64url(b'{"n":"X"}'), "A" * 86]
        parts[0 if where == "header" else 1] = vcjwt.b64url(('{"n":' + deep + "}").encode())
        text = ".".join(parts)
    assert len(text) < 20_000
    page = client.post("/verify/credential", data={"text": text}, headers=EN)
    assert page.status_code == 400 and "This is not a Passerelle credential" in page.get_data(as_text=True)


def test_the_check_page_takes_an_uploaded_file(client, auth):
    import io
    holder = make_user(email="holder@example.org", language="en")
    token = _download(client, auth, "holder@example.org", _issue(holder))
    page = client.post("/verify/credential", data={"file": (io.BytesIO(token.encode()), "c.jwt")},
                       content_type="multipart/form-data", headers=EN)
    assert page.status_code == 200 and "has not been altered" in page.get_data(as_text=True)
    auth.logout()  # a visitor reading French
    french = client.post("/verify/credential", data={"file": (io.BytesIO(token.encode()), "c.jwt")},
                         content_type="multipart/form-data", headers={"Accept-Language": "fr"})
    assert "10 mars 2026" in french.get_data(as_text=True)


def test_the_verify_command_reads_a_file_or_a_qr_text(app, client, auth, tmp_path):
    holder = make_user(email="holder@example.org", name="Awa Traoré", language="en")
    cert = _issue(holder)
    path = tmp_path / "c.jwt"
    path.write_text(_download(client, auth, "holder@example.org", cert))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["verify", str(path)])
    assert result.exit_code == 0 and result.output.startswith("VALID") and "Awa Traoré" in result.output
    with app.test_request_context():
        text = issuing.qr_text(cert)
    assert runner.invoke(args=["verify", text]).exit_code == 0
    result = runner.invoke(args=["verify", text[:-3] + "abc"])
    assert result.exit_code == 1 and result.output.startswith("INVALID")
    assert runner.invoke(args=["verify", "nonsense"]).output.startswith("MALFORMED")


def test_key_commands_generate_rotate_and_revoke(app, tmp_path):
    app.config["CREDENTIAL_KEY_FILE"] = str(tmp_path / "keys" / "key.pem")
    runner = app.test_cli_runner()
    made = runner.invoke(args=["credentials", "generate-key"])
    assert made.exit_code == 0 and "Back this file up" in made.output
    assert (tmp_path / "keys" / "key.pem").stat().st_mode & 0o077 == 0  # readable by its owner only
    assert runner.invoke(args=["credentials", "generate-key"]).exit_code != 0  # never overwrites
    first = keys.kid_of(keys.signing_key())
    refused = runner.invoke(args=["credentials", "revoke-key", "--", first])
    assert refused.exit_code != 0 and "rotate-key" in refused.output
    assert runner.invoke(args=["credentials", "rotate-key"]).exit_code == 0
    assert runner.invoke(args=["credentials", "revoke-key", "--", first[:10]]).exit_code == 0
    listing = runner.invoke(args=["credentials", "keys"]).output
    assert f"{first}" in listing and "revoked" in listing and "in use" in listing


def _production_without_a_key(app, auth, tmp_path) -> Certificate:
    """A holder signed in with her certificate, on a production site whose key file is missing."""
    cert = _issue(make_user(email="holder@example.org", language="en"))
    app.config.update(PRODUCTION=True, CREDENTIAL_KEY_FILE=str(tmp_path / "missing.pem"))
    app.extensions.pop("passerelle.credential_kids", None)
    auth.login("holder@example.org")
    return cert


def test_production_without_a_key_says_what_to_do(app, client, auth, tmp_path):
    cert = _production_without_a_key(app, auth, tmp_path)
    response = client.get(f"/certificates/{display(cert.number)}/credential", headers=EN)
    assert response.status_code == 503
    assert "administrator must create the signing key" in response.get_data(as_text=True)
    assert not (tmp_path / "missing.pem").exists()


def test_the_key_can_come_from_the_environment(app, client):
    key = OKPKey.generate_key("Ed25519")
    app.config["CREDENTIAL_KEY"] = key.as_pem(private=True).decode()
    assert keys.kid_of(keys.signing_key()) == keys.kid_of(key)
    assert keys.kid_of(key) in {k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]}


def test_the_certificate_and_its_pdf_still_work_before_production_has_a_key(app, client, auth, tmp_path):
    cert = _production_without_a_key(app, auth, tmp_path)
    assert client.get(f"/certificates/{display(cert.number)}").status_code == 200
    assert client.get(f"/certificates/{display(cert.number)}/pdf").status_code == 200
    runner = app.test_cli_runner()
    assert runner.invoke(args=["credentials", "generate-key", "--if-missing"]).exit_code == 0
    assert runner.invoke(args=["credentials", "generate-key", "--if-missing"]).exit_code == 0  # and again
    with app.test_request_context():
        assert "#" in issuing.qr_text(db.session.get(Certificate, cert.id))


def test_a_revoked_certificate_gets_no_new_credential_and_its_page_offers_none(client, auth):
    holder = make_user(email="revoked@example.org", language="en")
    cert = _issue(holder)
    number = display(cert.number)
    services.revoke(db.session.get(Certificate, cert.id), by=None, reason="Fraud")
    auth.login("revoked@example.org")
    refused = client.get(f"/certificates/{number}/credential", headers=EN)
    assert refused.status_code == 409
    assert "no verifiable credential is made for it" in refused.get_data(as_text=True)
    assert refused.headers["Content-Type"].startswith("text/html")
    page = client.get(f"/certificates/{number}", headers=EN).get_data(as_text=True)
    assert "This certificate has been revoked." in page
    assert f"/certificates/{number}/credential" not in page and "Download the verifiable credential" not in page
    records = client.get("/records", headers=EN).get_data(as_text=True)
    assert "Revoked" in records and "A verifiable credential is your certificate" not in records


def test_an_employer_who_uploads_the_pdf_or_a_large_file_is_told_what_it_is(client):
    from io import BytesIO
    pdf = client.post("/verify/credential", headers=EN, content_type="multipart/form-data",
                      data={"file": (BytesIO(b"%PDF-1.7\n" + b"x" * 30_000), "passerelle-ABCD.pdf")})
    assert pdf.status_code == 400
    page = pdf.get_data(as_text=True)
    assert "This is a certificate&#39;s PDF, not its verifiable credential" in page and "/verify" in page
    assert "choose a credential file" not in page
    large = client.post("/verify/credential", headers=EN, content_type="multipart/form-data",
                        data={"file": (BytesIO(b"x" * 30_000), "photo.png")})
    assert large.status_code == 400
    assert "This file is too large to be a credential." in large.get_data(as_text=True)


def test_a_number_or_printed_link_pasted_as_a_credential_is_checked_by_number_not_called_invalid(client):
    cert = _issue(make_user(email="awa@example.org", language="en"))
    number = display(cert.number)
    for pasted in (number, f"http://127.0.0.1:5000/verify/{number}", number.lower().replace("-", " ")):
        response = client.post("/verify/credential", data={"text": pasted}, headers=EN, follow_redirects=True)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, pasted
        assert "This certificate is valid." in page and "Invalid" not in page, pasted
    # a signed QR text still goes through the signature check
    with client.application.test_request_context():
        statement = issuing.qr_text(db.session.get(Certificate, cert.id))
    assert client.post("/verify/credential", data={"text": statement}, headers=EN).status_code == 200


def test_the_certificate_page_links_to_the_credential_checker(client, auth):
    holder = make_user(email="binta@example.org", language="en")
    cert = _issue(holder)
    auth.login("binta@example.org")
    page = client.get(f"/certificates/{display(cert.number)}", headers=EN).get_data(as_text=True)
    hint = re.search(r'<p class="hint">The verifiable credential is.*?</p>', page, re.S).group(0)
    assert '<a href="/verify/credential">/verify/credential</a>' in hint  # a link, not an address to retype
