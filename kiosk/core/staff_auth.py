"""Staff PIN: salted scrypt hashes, PIN rules and a lockout that survives restarts and fails
closed (an attempt that cannot be counted is refused)."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kiosk.core import pin_hash
from kiosk.core.i18n import N_
from kiosk.core.pin_hash import is_pin_hash
from kiosk.storage import StorageError

log = logging.getLogger(__name__)

PIN_MIN_LENGTH = 4
PIN_MAX_LENGTH = 12
DEMO_PIN = "2468"  # the embedded demo's, printed in its config: never a site's own

# Message ids returned by validate_new_pin(); the UI translates them with gettext.
PIN_ERROR_LENGTH = N_("The PIN must have 4 to 12 digits.")
PIN_ERROR_NOT_DIGITS = N_("The PIN may only contain the digits 0 to 9.")
PIN_ERROR_REPEATED = N_("This PIN is too easy to guess. Do not use the same digit only.")
PIN_ERROR_RUN = N_("This PIN is too easy to guess. Do not use a run like 1234 or 4321.")
PIN_ERROR_DEMO = N_("This is the demo PIN, which anyone can look up. Please choose another PIN.")

KEY_PIN_HASH = "staff.pin_hash"
KEY_FAILED_TRIES = "staff.failed_tries"
KEY_LOCKED_UNTIL = "staff.locked_until"
KEY_LOCKOUTS = "staff.lockouts"

# Staff log entries of the PIN pad: what happened and counts, never a PIN or who typed it.
EVENT_LOGIN = "staff_login"
EVENT_PIN_WRONG = "staff_pin_wrong"  # detail: wrong PINs in a row
EVENT_LOCKED = "staff_pin_locked"  # detail: the lock's seconds and which lockout in a row
EVENT_NOT_COUNTED = "staff_pin_not_counted"  # detail: attempts refused since the last entry

# What a store raises when it cannot be read or written (full disk, read-only or locked
# database): the lockout then fails closed.
_STORE_FAILURES = (StorageError, OSError)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen, maxmem=pin_hash.MAX_MEM
    )


def hash_pin(pin: str) -> str:
    """A self-describing salted hash: ``scrypt$131072$8$1$<salt b64>$<hash b64>``."""
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
    if pin == DEMO_PIN:
        return PIN_ERROR_DEMO
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
    # The attempt could not be counted (full disk, read-only or locked database): refused
    # without looking at the PIN, as if locked, until the store can be written again.
    not_counted: bool = False


NOT_COUNTED = AttemptResult(ok=False, tries_left=0, locked_for_s=0.0, not_counted=True)

EventSink = Callable[[str, str], object]
"""Adds a staff log entry: (event id, detail of counts)."""


class StaffGate:
    """Checks the staff PIN and locks out guessing with growing waits that survive a restart.

    Each attempt is counted before the PIN is looked at, and an attempt that cannot be counted is
    refused: otherwise a full disk would allow guessing without end. The wall clock is used on
    purpose: a monotonic clock restarts with the machine, and the lock must hold across a power
    cycle.
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
        events: EventSink | None = None,
    ) -> None:
        if max_tries < 1 or base_lock_s <= 0 or max_lock_s < base_lock_s:
            raise ValueError("need max_tries >= 1 and 0 < base_lock_s <= max_lock_s")
        self._store = store
        self._clock = clock
        self._fallback_hash = fallback_hash
        self._max_tries = max_tries
        self._base_lock_s = float(base_lock_s)
        self._max_lock_s = float(max_lock_s)
        self._events = events
        # Refused attempts whose staff log entry could not be written yet (the log may share
        # the full disk); written with the next entry that succeeds.
        self._unlogged_not_counted = 0

    @property
    def max_tries(self) -> int:
        return self._max_tries

    def _stored_hash(self) -> str | None:
        stored = self._store.get(KEY_PIN_HASH)
        return stored if stored and is_pin_hash(stored) else None

    def _pin_hash(self) -> str | None:
        # A corrupt stored hash falls back to the site config's hash instead of locking staff out.
        stored = self._stored_hash()
        if stored is not None:
            return stored
        fallback = self._fallback_hash
        return fallback if fallback and is_pin_hash(fallback) else None

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
        """Check a PIN; while locked, or when the attempt cannot be counted, the PIN is not even
        looked at."""
        try:
            locked_for = self.locked_for_s()
            if locked_for > 0:
                return AttemptResult(ok=False, tries_left=0, locked_for_s=locked_for)
            encoded = self._pin_hash()
            if encoded is None:
                # Nothing to guess: refuse without counting, the UI shows "not set up".
                return AttemptResult(ok=False, tries_left=self.tries_left(), locked_for_s=0.0)
            # Counted first: a guess that is never counted (the write failed, or the power was
            # cut while scrypt ran) must not be possible.
            failed = self._read_int(KEY_FAILED_TRIES) + 1
            self._store.set(KEY_FAILED_TRIES, str(failed))
        except _STORE_FAILURES as error:
            return self._not_counted(error)
        if failed > self._max_tries:
            # The lockout the last wrong PIN earned could not be written: it is written now,
            # before this PIN is looked at (or the attempt is refused).
            return self._lock_or_refuse()
        if verify_pin(pin, encoded):
            self._logged_in(pin, encoded)
            return AttemptResult(ok=True, tries_left=self._max_tries, locked_for_s=0.0)
        if failed < self._max_tries:
            self._log(EVENT_PIN_WRONG, str(failed))
            return AttemptResult(ok=False, tries_left=self._max_tries - failed, locked_for_s=0.0)
        return self._lock_or_refuse()

    def _lock_or_refuse(self) -> AttemptResult:
        try:
            return self._lock()
        except _STORE_FAILURES as error:
            # The count stands above max_tries, so the next attempt tries to lock again.
            return self._not_counted(error)

    def _lock(self) -> AttemptResult:
        lockouts = self._read_int(KEY_LOCKOUTS)
        lock_s = min(self._base_lock_s * 2 ** min(lockouts, 32), self._max_lock_s)
        self._store.set(KEY_LOCKED_UNTIL, repr(self._clock() + lock_s))
        self._store.set(KEY_LOCKOUTS, str(lockouts + 1))
        self._store.set(KEY_FAILED_TRIES, "0")
        self._log(EVENT_LOCKED, f"{lock_s:g} s, lockout {lockouts + 1}")
        return AttemptResult(ok=False, tries_left=0, locked_for_s=lock_s)

    def _logged_in(self, pin: str, encoded: str) -> None:
        try:
            self._reset_counters()
            if encoded == self._stored_hash() and pin_hash.is_weaker(encoded):
                # A hash stored before the parameters were raised gets today's cost now that the
                # PIN is known. A hash from the site config stays: a stored one would outrank it.
                self._store.set(KEY_PIN_HASH, hash_pin(pin))
        except _STORE_FAILURES as error:
            # The attempt was counted before the PIN was checked: staff may come in, and the
            # count is reset at a later login.
            log.warning("PIN counters could not be reset after a login: %s", type(error).__name__)
        self._log(EVENT_LOGIN, "")

    def _not_counted(self, error: Exception) -> AttemptResult:
        log.error("a PIN attempt could not be counted, so it was refused: %s", type(error).__name__)
        self._unlogged_not_counted += 1
        self._log(EVENT_NOT_COUNTED, "")
        return NOT_COUNTED

    def _log(self, event: str, detail: str) -> None:
        """A staff log entry, never in the way of the answer: the log may be unwritable too."""
        if self._events is None:
            return
        try:
            if self._unlogged_not_counted:
                self._events(EVENT_NOT_COUNTED, str(self._unlogged_not_counted))
                self._unlogged_not_counted = 0
            if event != EVENT_NOT_COUNTED:
                self._events(event, detail)
        except _STORE_FAILURES as error:
            log.warning("staff log entry %s not written: %s", event, type(error).__name__)

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
