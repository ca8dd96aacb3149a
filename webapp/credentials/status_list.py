"""W3C Bitstring Status List: one bit per certificate, set when it is revoked.

Bit ``i`` is the (i mod 8)-th bit, counted from the most significant, of byte i // 8. The list is
at least 131,072 bits long (16 KB before compression), the specification's floor, so that a
verifier fetching it learns nothing about which certificate it is checking. Gzip, then multibase
base64url (the ``u`` prefix)."""
from __future__ import annotations

import gzip
from collections.abc import Iterable

from .vcjwt import b64url, unb64url

MIN_BITS = 131_072


def encode(revoked: Iterable[int], length: int = MIN_BITS) -> str:
    indexes = list(revoked)
    bits = max(length, MIN_BITS, (max(indexes) + 1) if indexes else 0)
    data = bytearray((bits + 7) // 8)
    for index in indexes:
        data[index // 8] |= 0x80 >> (index % 8)
    return "u" + b64url(gzip.compress(bytes(data), mtime=0))


def is_set(encoded: str, index: int) -> bool:
    """Read one bit back (for a verifier). Raises ValueError for a list that cannot be read."""
    if not encoded.startswith("u"):
        raise ValueError("not multibase base64url")
    data = gzip.decompress(unb64url(encoded[1:]))
    if index < 0 or index // 8 >= len(data):
        raise ValueError("index outside the list")
    return bool(data[index // 8] & (0x80 >> (index % 8)))
