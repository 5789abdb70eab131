"""Terminal tokens: made once at enrolment, shown once, stored by the hub only as a SHA-256."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_PREFIX = "pkh_"  # noqa: S105 - not a secret: recognisable in a config folder or a leak scanner


def new_token() -> str:
    """256 random bits, URL-safe, with a prefix that says what it is."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> bytes:
    """What the hub stores and looks tokens up by. A token has 256 random bits, so a plain hash
    cannot be reversed by guessing; a password hash (slow on purpose) would only slow every
    request."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def same_digest(a: bytes, b: bytes) -> bool:
    return hmac.compare_digest(a, b)
