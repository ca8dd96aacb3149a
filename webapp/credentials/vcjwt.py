"""Compact JWS with Ed25519: signing credentials (VC-JWT, Open Badges 3.0 section 8.2) and QR
statements, and reading them back.

The header says ``alg: EdDSA``, the name every Open Badges 3.0 and VC-JWT verifier knows. RFC 9864
(2025) prefers the new name ``Ed25519`` for the same signature, and joserfc warns about the old
one; the warning is silenced where we sign, on purpose."""
from __future__ import annotations

import base64
import binascii
import json
import warnings
from dataclasses import dataclass

from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError, SecurityWarning
from joserfc.jwk import OKPKey

ALG = "EdDSA"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def compact_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(payload: dict, key: OKPKey, kid: str, typ: str | None = None) -> str:
    header = {"alg": ALG, "kid": kid}
    if typ:
        header["typ"] = typ
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SecurityWarning)
        return jws.serialize_compact(header, compact_json(payload), key, algorithms=[ALG])


class Malformed(ValueError):
    """Not a compact JWS this site could have made."""


@dataclass(frozen=True)
class Token:
    header: dict
    payload: dict
    text: str


def read(text: str) -> Token:
    """The header and payload of a compact JWS, not yet verified."""
    parts = text.split(".")
    if len(parts) != 3 or not all(parts):
        raise Malformed("not three parts")
    try:
        header = json.loads(unb64url(parts[0]))
        payload = json.loads(unb64url(parts[1]))
        unb64url(parts[2])
    except (ValueError, binascii.Error, RecursionError) as error:  # RecursionError: JSON nested too deep
        raise Malformed(str(error)) from error
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise Malformed("not JSON objects")
    return Token(header, payload, text)


def signature_holds(token: Token, public_jwk: dict) -> bool:
    if token.header.get("alg") != ALG or token.header.get("crit"):
        return False
    try:
        key = OKPKey.import_key({k: public_jwk[k] for k in ("kty", "crv", "x")})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SecurityWarning)
            jws.deserialize_compact(token.text, key, algorithms=[ALG])
    except (BadSignatureError, JoseError, ValueError, KeyError):
        return False
    return True
