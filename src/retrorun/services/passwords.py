"""Password hashing: Argon2id, run in a bounded pool, never inside a transaction.

Argon2 with the library's defaults takes 64 MiB and three passes: tens of milliseconds of
a whole core per call, on purpose. Two rules keep a flood of sign-ins from taking the
rest of the app down with it (issue 11, finding 4):

- the use cases hash with no unit of work open (read the user, close; hash; write in a
  short transaction), so on SQLite the single write lock is never held while hashing;
- `BoundedHasher` runs at most `slots` hashes at once across all threads; a caller who
  waits longer than `wait_seconds` for a slot gets `HashingBusy` (503 with Retry-After)
  instead of queueing without end.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from retrorun.services.errors import ServiceError
from retrorun.services.ports import PasswordHasher

T = TypeVar("T")

# [A] one hash at a time unless told (the settings give half the cores, config.py):
# an Argon2 hash with parallelism 4 already keeps more than one core busy.
DEFAULT_HASH_SLOTS = 1
# [A] a sign-in waits at most this long for a slot: a person barely notices two seconds,
# and a flood's requests are refused rather than piling up.
DEFAULT_HASH_WAIT_SECONDS = 2.0
# [A] what a refused caller is told to wait (Retry-After): the flood's own pace.
BUSY_RETRY_AFTER_SECONDS = 5


class HashingBusy(ServiceError):
    """Every hashing slot stayed taken: the server is overloaded (HTTP 503)."""

    def __init__(self, retry_after_seconds: int = BUSY_RETRY_AFTER_SECONDS) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(f"the server is busy; try again in {retry_after_seconds} seconds")


class Argon2Hasher:
    """argon2id with the library's current defaults (RFC 9106 low-memory profile)."""

    def __init__(self, hasher: argon2.PasswordHasher | None = None) -> None:
        self._hasher = hasher or argon2.PasswordHasher()

    @classmethod
    def fast_for_tests(cls) -> Argon2Hasher:
        # Still argon2id, just cheap: the test suite hashes hundreds of passwords.
        return cls(argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True


class BoundedHasher:
    """A PasswordHasher that runs at most `slots` hashes at once (see the module)."""

    def __init__(self, inner: PasswordHasher, slots: int = DEFAULT_HASH_SLOTS,
                 wait_seconds: float = DEFAULT_HASH_WAIT_SECONDS) -> None:
        if slots < 1:
            raise ValueError("slots must be at least 1")
        self.inner = inner
        self.slots = slots
        self._free = threading.BoundedSemaphore(slots)
        self._wait = wait_seconds

    def _run(self, work: Callable[[], T]) -> T:
        if not self._free.acquire(timeout=self._wait):
            raise HashingBusy()
        try:
            return work()
        finally:
            self._free.release()

    def hash(self, password: str) -> str:
        return self._run(lambda: self.inner.hash(password))

    def verify(self, password_hash: str, password: str) -> bool:
        return self._run(lambda: self.inner.verify(password_hash, password))

    def needs_rehash(self, password_hash: str) -> bool:
        return self.inner.needs_rehash(password_hash)  # parses the hash: no slot needed
