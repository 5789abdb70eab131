"""The stored form of a staff PIN hash: ``scrypt$N$r$p$<salt b64>$<hash b64>``, written and read.

Only the text form lives here, without hashing: the site config checks a configured hash while
the kiosk starts, and has no use for the hash function itself (kiosk.core.staff_auth).
"""

from __future__ import annotations

import base64
import binascii
from typing import NamedTuple

SCHEME = "scrypt"
# 128 MiB and about 0.3 s for one check on one core of a 2020s x86 machine (measured): a login
# stays well under half a second, and a stolen hash costs a guesser the same per try. The
# parameters are part of every stored hash, so hashes made with other ones still verify.
N, R, P = 2**17, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32
# Bounds for parameters read back from a stored hash: a tampered or corrupt string must not make
# verify_pin() allocate gigabytes or spin for minutes.
MAX_N = 2**20
MAX_R = 32
MAX_P = 16
MAX_MEM = 256 * 1024 * 1024


class ScryptHash(NamedTuple):
    """A stored hash read back: its scrypt parameters, salt and digest."""

    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes


def encode(hashed: ScryptHash) -> str:
    """The text form that is stored in the database or the site config."""
    salt, digest = (base64.b64encode(data).decode("ascii") for data in (hashed.salt, hashed.digest))
    return f"{SCHEME}${hashed.n}${hashed.r}${hashed.p}${salt}${digest}"


def parse(encoded: object) -> ScryptHash | None:
    """The parts of a stored hash, or None if it is not one this kiosk can verify."""
    if not isinstance(encoded, str):
        return None
    parts = encoded.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return None
    try:
        n, r, p = (int(part) for part in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return None
    n_is_power_of_two = n > 1 and n & (n - 1) == 0
    if not (n_is_power_of_two and n <= MAX_N and 1 <= r <= MAX_R and 1 <= p <= MAX_P):
        return None
    if len(salt) < 8 or not 16 <= len(digest) <= 64:
        return None
    return ScryptHash(n, r, p, salt, digest)


def is_weaker(encoded: str) -> bool:
    """Whether a stored hash costs a guesser less than one made today (made before N, R or P
    were raised); a hash that cannot be read is not weaker, only unusable."""
    parsed = parse(encoded)
    return parsed is not None and parsed.n * parsed.r * parsed.p < N * R * P


def is_pin_hash(encoded: object) -> bool:
    """Whether a string is a hash the kiosk can verify (e.g. to validate the site config)."""
    return parse(encoded) is not None
