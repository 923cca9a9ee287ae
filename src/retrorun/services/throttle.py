"""Throttling that protects without locking owners out (issue 11, finding 3).

Events (failed sign-ins, reset mails, sign-ups, password changes) are counted in the
sign-in store under keys that say what they count:

- a failed sign-in counts for the pair (account, address) and for the address alone. The
  pair limit stops guessing one password from one place; the looser per-address ceiling
  stops one place guessing across many accounts. No limit is per account alone, so
  failures from elsewhere never block the owner's correct password from their own
  address;
- reset mails count per account and per address; sign-ups and password changes per
  address.

`client_address` says which address a request comes from: the socket peer, or the
X-Forwarded-For hop its trusted proxies vouch for.

The store purges every event older than the `since` it is asked about, whatever its key,
so each question asks with the longest window of all (`Limits.horizon`) and each limit
filters its own window afterwards.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from retrorun.services.errors import RateLimited
from retrorun.services.ports import Clock, UnitOfWork

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `events` within the sliding `window`."""

    events: int
    window: dt.timedelta


# [A] the numbers below: OWASP's authentication cheat sheet asks for a limit per account
# and a delay, not figures; these let a person mistype a few times and reset twice, and
# make guessing slow (5 guesses per account and address per 15 minutes).
SIGN_IN_PAIR = Limit(5, dt.timedelta(minutes=15))  # [A] failures per (account, address)
SIGN_IN_ADDRESS = Limit(20, dt.timedelta(minutes=15))  # [A] failures per address, any account
RESET_ACCOUNT = Limit(3, dt.timedelta(hours=1))  # [A] reset mails per account
RESET_ADDRESS = Limit(10, dt.timedelta(hours=1))  # [A] reset requests per address
PASSWORD_ADDRESS = Limit(10, dt.timedelta(minutes=15))  # [A] password changes per address
SIGN_UP_ADDRESS = Limit(10, dt.timedelta(hours=1))  # [A] sign-ups per address


@dataclass(frozen=True, slots=True)
class Limits:
    sign_in_pair: Limit = SIGN_IN_PAIR
    sign_in_address: Limit = SIGN_IN_ADDRESS
    reset_account: Limit = RESET_ACCOUNT
    reset_address: Limit = RESET_ADDRESS
    password_address: Limit = PASSWORD_ADDRESS
    sign_up_address: Limit = SIGN_UP_ADDRESS

    @property
    def horizon(self) -> dt.timedelta:
        """The longest window: every question to the store asks this far back."""
        limits: list[Limit] = [getattr(self, f.name) for f in fields(self)]
        return max(limit.window for limit in limits)


DEFAULT_LIMITS = Limits()

Check = tuple[str, Limit]


class Throttled(RateLimited):
    """A RateLimited that says what was too many (the base class speaks of sign-ins)."""

    def __init__(self, retry_after_seconds: int, what: str) -> None:
        super().__init__(retry_after_seconds)
        self.args = (f"too many {what}; try again in {retry_after_seconds} seconds",)


def sign_in_checks(email: str, client: str, limits: Limits) -> list[Check]:
    """The pair first (a success clears it), then the address's ceiling if known."""
    checks = [(f"signin:{email}|{client}", limits.sign_in_pair)]
    if client:
        checks.append((f"signin-address:{client}", limits.sign_in_address))
    return checks


def reset_checks(email: str, client: str, limits: Limits) -> list[Check]:
    # Keyed by the address typed, so an unknown account is limited alike (no enumeration).
    checks = [(f"reset:{email}", limits.reset_account)]
    if client:
        checks.append((f"reset-address:{client}", limits.reset_address))
    return checks


def address_checks(kind: str, client: str, limit: Limit) -> list[Check]:
    """A per-address limit of one kind ("signup", "password"); none without an address."""
    return [(f"{kind}-address:{client}", limit)] if client else []


def refuse_if_limited(uow: UnitOfWork, checks: Iterable[Check], now: dt.datetime,
                      horizon: dt.timedelta, what: str = "failed sign-ins") -> None:
    """Raise Throttled (with the seconds until the oldest counted event leaves its window)
    when any check is at its limit. Inside the caller's unit of work."""
    for key, limit in checks:
        events = uow.sign_ins.failures_since(key, now - max(horizon, limit.window))
        counted = sorted(at for at in events if at > now - limit.window)
        if len(counted) >= limit.events:
            # The window slides: the oldest counted event leaves it first.
            oldest = counted[len(counted) - limit.events]
            retry = oldest + limit.window - now
            raise Throttled(max(1, int(retry.total_seconds()) + 1), what)


def record(uow: UnitOfWork, checks: Iterable[Check], now: dt.datetime) -> None:
    for key, _ in checks:
        uow.sign_ins.add_failure(key, now)


def spend(uow: UnitOfWork, checks: Sequence[Check], *, clock: Clock, horizon: dt.timedelta,
          what: str) -> None:
    """Refuse when a limit is reached, else count one event for each check: one short
    transaction of its own, before the use case's."""
    if not checks:
        return
    with uow:
        now = clock.now()
        refuse_if_limited(uow, checks, now, horizon, what)
        record(uow, checks, now)
        uow.commit()


def _trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str, forwarded_for: Sequence[str],
                   trusted: Sequence[Network]) -> str:
    """The address a request comes from.

    The socket peer, unless it is a trusted proxy: then X-Forwarded-For is read from the
    right (the hop the proxy itself saw), skipping further trusted proxies; the first
    hop not trusted is the client. A header from an untrusted peer is ignored, since
    anyone can write one. A garbled hop ends the walk at the last address vouched for.
    """
    if not trusted or not _trusted(peer, trusted):
        return peer
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",")]
    client = peer
    for hop in reversed([h for h in hops if h]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break
        client = hop
        if not _trusted(hop, trusted):
            break
    return client
