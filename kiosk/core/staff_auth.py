"""Staff PIN: salted scrypt hashes, PIN rules and a lockout that survives restarts."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kiosk.core import pin_hash
from kiosk.core.i18n import N_
from kiosk.core.pin_hash import is_pin_hash

PIN_MIN_LENGTH = 4
PIN_MAX_LENGTH = 8

# Message ids returned by validate_new_pin(); the UI translates them with gettext.
PIN_ERROR_LENGTH = N_("The PIN must have 4 to 8 digits.")
PIN_ERROR_NOT_DIGITS = N_("The PIN may only contain the digits 0 to 9.")
PIN_ERROR_REPEATED = N_("This PIN is too easy to guess. Do not use the same digit only.")
PIN_ERROR_RUN = N_("This PIN is too easy to guess. Do not use a run like 1234 or 4321.")

KEY_PIN_HASH = "staff.pin_hash"
KEY_FAILED_TRIES = "staff.failed_tries"
KEY_LOCKED_UNTIL = "staff.locked_until"
KEY_LOCKOUTS = "staff.lockouts"


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen, maxmem=pin_hash.MAX_MEM
    )


def hash_pin(pin: str) -> str:
    """A self-describing salted hash: ``scrypt$16384$8$1$<salt b64>$<hash b64>``."""
    salt = secrets.token_bytes(pin_hash.SALT_BYTES)
    n, r, p = pin_hash.N, pin_hash.R, pin_hash.P
    digest = _scrypt(pin, salt, n, r, p, pin_hash.HASH_BYTES)
    return pin_hash.encode(pin_hash.ScryptHash(n, r, p, salt, digest))


def verify_pin(pin: str, encoded: str) -> bool:
    """Whether pin matches the hash; a malformed hash is simply a mismatch, never an error."""
    parsed = pin_hash.parse(encoded)
    if parsed is None or not isinstance(pin, str):
        return False
    n, r, p, salt, expected = parsed
    try:
        actual = _scrypt(pin, salt, n, r, p, len(expected))
    except (ValueError, MemoryError):  # parameters the local OpenSSL refuses
        return False
    return hmac.compare_digest(actual, expected)


def _is_run(pin: str) -> bool:
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    return steps in ({1}, {-1})


def validate_new_pin(pin: str) -> str | None:
    """None if pin may be used as the staff PIN, else the message id saying why not."""
    if not pin.isascii() or not pin.isdigit():
        return PIN_ERROR_NOT_DIGITS if pin else PIN_ERROR_LENGTH
    if not PIN_MIN_LENGTH <= len(pin) <= PIN_MAX_LENGTH:
        return PIN_ERROR_LENGTH
    if len(set(pin)) == 1:
        return PIN_ERROR_REPEATED
    if _is_run(pin):
        return PIN_ERROR_RUN
    return None


class PinRejectedError(ValueError):
    """A new PIN broke the rules; message_id says which (a gettext message id)."""

    def __init__(self, message_id: str) -> None:
        super().__init__(message_id)
        self.message_id = message_id


class PinStore(Protocol):
    """Where the PIN hash and the lockout state live (the settings repository in production)."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...

    def delete(self, key: str) -> None: ...


@dataclass(frozen=True)
class AttemptResult:
    """The outcome of one PIN attempt."""

    ok: bool
    tries_left: int  # wrong PINs still allowed before the next lockout
    locked_for_s: float  # > 0 while staff mode is locked


class StaffGate:
    """Checks the staff PIN and locks out guessing with growing waits that survive a restart.

    The wall clock is used on purpose: a monotonic clock restarts with the machine, and the lock
    must hold across a power cycle.
    """

    def __init__(
        self,
        store: PinStore,
        *,
        clock: Callable[[], float] = time.time,
        fallback_hash: str | None = None,
        max_tries: int = 5,
        base_lock_s: float = 30,
        max_lock_s: float = 900,
    ) -> None:
        if max_tries < 1 or base_lock_s <= 0 or max_lock_s < base_lock_s:
            raise ValueError("need max_tries >= 1 and 0 < base_lock_s <= max_lock_s")
        self._store = store
        self._clock = clock
        self._fallback_hash = fallback_hash
        self._max_tries = max_tries
        self._base_lock_s = float(base_lock_s)
        self._max_lock_s = float(max_lock_s)

    @property
    def max_tries(self) -> int:
        return self._max_tries

    def _pin_hash(self) -> str | None:
        # A corrupt stored hash falls back to the site config's hash instead of locking staff out.
        for candidate in (self._store.get(KEY_PIN_HASH), self._fallback_hash):
            if candidate and is_pin_hash(candidate):
                return candidate
        return None

    @property
    def has_pin(self) -> bool:
        """False when no usable PIN is set up here: staff mode is unavailable."""
        return self._pin_hash() is not None

    def _read_int(self, key: str) -> int:
        try:
            return max(0, int(self._store.get(key) or 0))
        except ValueError:
            return 0

    def _read_float(self, key: str) -> float:
        try:
            return float(self._store.get(key) or 0.0)
        except ValueError:
            return 0.0

    def locked_for_s(self) -> float:
        """Seconds until the next attempt is allowed; 0.0 when not locked."""
        now = self._clock()
        remaining = self._read_float(KEY_LOCKED_UNTIL) - now
        if remaining > self._max_lock_s:
            # The clock went backwards (or the value was tampered with): never lock longer than
            # the longest lock, and write that down so the wait still counts down.
            self._store.set(KEY_LOCKED_UNTIL, repr(now + self._max_lock_s))
            return self._max_lock_s
        return max(0.0, remaining)

    def tries_left(self) -> int:
        """Wrong PINs still allowed before the next lockout."""
        return max(0, self._max_tries - self._read_int(KEY_FAILED_TRIES))

    def attempt(self, pin: str) -> AttemptResult:
        """Check a PIN; while locked the PIN is not even looked at."""
        locked_for = self.locked_for_s()
        if locked_for > 0:
            return AttemptResult(ok=False, tries_left=0, locked_for_s=locked_for)
        encoded = self._pin_hash()
        if encoded is None:
            # Nothing to guess: refuse without counting, the UI shows "not set up".
            return AttemptResult(ok=False, tries_left=self.tries_left(), locked_for_s=0.0)
        if verify_pin(pin, encoded):
            self._reset_counters()
            return AttemptResult(ok=True, tries_left=self._max_tries, locked_for_s=0.0)
        failed = self._read_int(KEY_FAILED_TRIES) + 1
        if failed < self._max_tries:
            self._store.set(KEY_FAILED_TRIES, str(failed))
            return AttemptResult(ok=False, tries_left=self._max_tries - failed, locked_for_s=0.0)
        lockouts = self._read_int(KEY_LOCKOUTS)
        lock_s = min(self._base_lock_s * 2 ** min(lockouts, 32), self._max_lock_s)
        self._store.set(KEY_LOCKED_UNTIL, repr(self._clock() + lock_s))
        self._store.set(KEY_LOCKOUTS, str(lockouts + 1))
        self._store.set(KEY_FAILED_TRIES, "0")
        return AttemptResult(ok=False, tries_left=0, locked_for_s=lock_s)

    def set_pin(self, pin: str) -> None:
        """Store a new PIN's hash; PinRejectedError (a ValueError) if it breaks the rules."""
        problem = validate_new_pin(pin)
        if problem is not None:
            raise PinRejectedError(problem)
        self._store.set(KEY_PIN_HASH, hash_pin(pin))
        self._reset_counters()

    def _reset_counters(self) -> None:
        for key in (KEY_FAILED_TRIES, KEY_LOCKED_UNTIL, KEY_LOCKOUTS):
            self._store.delete(key)
