"""In-memory implementations of the small ports (no mocks): clock, hasher, tokens, mail."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from retrorun.services.ports import Email

START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # a Monday


@dataclass
class FakeClock:
    current: dt.datetime = START

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += dt.timedelta(**delta)


class FakeHasher:
    """Deterministic and fast; `rehash_prefix` marks hashes that need upgrading."""

    def __init__(self) -> None:
        self.hashed = 0

    def hash(self, password: str) -> str:
        self.hashed += 1
        return "fake$" + hashlib.sha256(password.encode()).hexdigest()

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash.removeprefix("old") == self.hash(password)

    def needs_rehash(self, password_hash: str) -> bool:
        return password_hash.startswith("old")


class FakeTokens:
    def __init__(self) -> None:
        self.count = 0

    def new_token(self) -> str:
        self.count += 1
        return f"token-{self.count}"


@dataclass
class FakeMailer:
    sent: list[Email] = field(default_factory=list)

    def send(self, message: Email) -> None:
        self.sent.append(message)

    def last_link_token(self) -> str:
        body = self.sent[-1].body
        return body.split("token=")[1].split()[0]
