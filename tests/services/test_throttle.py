"""Throttling (issue 11, finding 3) and the bounded hashing pool (finding 4), as services.

On the in-memory unit of work and every SQL database (the `app` fixture), with a clock the
test holds. The HTTP side is tests/web/test_throttling.py.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import threading
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrorun.services import accounts, throttle
from retrorun.services.errors import InvalidCredentials, RateLimited
from retrorun.services.passwords import BoundedHasher, HashingBusy
from tests.services.conftest import PASSWORD

if TYPE_CHECKING:
    from tests.services.conftest import App

LINK = "http://test/reset?token={token}"
ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


def _sign_in(app: App, email: str = "ann@example.com", password: str = PASSWORD,
             client: str = "") -> str:
    return accounts.authenticate(app.uow(), email=email, password=password, hasher=app.hasher,
                                 clock=app.clock, client=client).id


def _fail(app: App, times: int, email: str = "ann@example.com", client: str = ATTACKER) -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            _sign_in(app, email=email, password="wrong password", client=client)


def test_failures_from_one_address_never_lock_the_owner_out(app: App) -> None:
    app.user()
    _fail(app, throttle.SIGN_IN_PAIR.events)
    with pytest.raises(RateLimited) as caught:
        _sign_in(app, client=ATTACKER)  # the right password, from the guessing address
    assert 0 < caught.value.retry_after_seconds <= 15 * 60 + 1
    assert _sign_in(app, client=OWNER)  # the owner, elsewhere, is let in at once


def test_the_pair_limit_slides_and_a_success_clears_it(app: App) -> None:
    app.user()
    _fail(app, throttle.SIGN_IN_PAIR.events - 1)
    assert _sign_in(app, client=ATTACKER)  # four mistakes and the right one: fine
    _fail(app, throttle.SIGN_IN_PAIR.events - 1)  # counted from zero again
    assert _sign_in(app, client=ATTACKER)
    _fail(app, throttle.SIGN_IN_PAIR.events)
    with pytest.raises(RateLimited) as caught:
        _sign_in(app, client=ATTACKER)
    app.clock.advance(seconds=caught.value.retry_after_seconds)
    assert _sign_in(app, client=ATTACKER)  # Retry-After was true


def test_the_address_ceiling_spans_accounts(app: App) -> None:
    app.user()
    ceiling = throttle.SIGN_IN_ADDRESS.events
    for n in range(ceiling):
        _fail(app, 1, email=f"guess{n}@example.com")
    with pytest.raises(RateLimited):
        _sign_in(app, client=ATTACKER)
    assert _sign_in(app, client=OWNER)


def test_reset_mails_are_limited_per_account_and_per_address(app: App) -> None:
    app.user()

    def reset(email: str, client: str) -> None:
        accounts.request_password_reset(app.uow(), email=email, tokens=app.tokens,
                                        mailer=app.mailer, clock=app.clock, reset_link=LINK,
                                        client=client)

    for n in range(throttle.RESET_ACCOUNT.events):
        reset("ann@example.com", f"192.0.2.{n}")  # from many addresses: still one account
    with pytest.raises(RateLimited, match="too many reset requests"):
        reset("ann@example.com", "192.0.2.200")
    assert len(app.mailer.sent) == throttle.RESET_ACCOUNT.events
    for n in range(throttle.RESET_ADDRESS.events):
        reset(f"nobody{n}@example.com", ATTACKER)  # unknown accounts count alike
    with pytest.raises(RateLimited):
        reset("someone@example.com", ATTACKER)
    app.clock.advance(hours=1, seconds=1)
    reset("ann@example.com", OWNER)
    assert len(app.mailer.sent) == throttle.RESET_ACCOUNT.events + 1


def test_a_long_window_survives_a_short_one_purging(app: App) -> None:
    """The store purges old events on each question: the hour of resets must not be
    forgotten because a sign-in asked about its 15 minutes."""
    app.user()
    for n in range(throttle.RESET_ACCOUNT.events):
        accounts.request_password_reset(app.uow(), email="ann@example.com", tokens=app.tokens,
                                        mailer=app.mailer, clock=app.clock, reset_link=LINK,
                                        client=f"192.0.2.{n}")
    app.clock.advance(minutes=30)
    assert _sign_in(app, client=OWNER)
    with pytest.raises(RateLimited):
        accounts.request_password_reset(app.uow(), email="ann@example.com", tokens=app.tokens,
                                        mailer=app.mailer, clock=app.clock, reset_link=LINK,
                                        client=OWNER)


def test_sign_ups_and_password_changes_are_limited_per_address(app: App) -> None:
    for n in range(throttle.SIGN_UP_ADDRESS.events):
        accounts.sign_up(app.uow(), email=f"new{n}@example.com", password=PASSWORD,
                         hasher=app.hasher, clock=app.clock, client=ATTACKER)
    with pytest.raises(RateLimited, match="sign-ups"):
        accounts.sign_up(app.uow(), email="one.more@example.com", password=PASSWORD,
                         hasher=app.hasher, clock=app.clock, client=ATTACKER)
    user = app.user()
    for _ in range(throttle.PASSWORD_ADDRESS.events):
        with pytest.raises(InvalidCredentials):
            accounts.change_password(app.uow(), user_id=user.id, current_password="wrong!!",
                                     new_password="another password", hasher=app.hasher,
                                     clock=app.clock, client=ATTACKER)
    with pytest.raises(RateLimited, match="password changes"):
        accounts.change_password(app.uow(), user_id=user.id, current_password=PASSWORD,
                                 new_password="another password", hasher=app.hasher,
                                 clock=app.clock, client=ATTACKER)


def test_retry_after_counts_from_the_oldest_event_still_in_the_window() -> None:
    limit = throttle.Limit(2, dt.timedelta(minutes=10))
    now = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)

    class Store:
        def failures_since(self, key: str, since: dt.datetime) -> list[dt.datetime]:
            del key, since
            return [now - dt.timedelta(minutes=m) for m in (20, 9, 3)]  # 20 is outside

    class Uow:
        sign_ins = Store()

    with pytest.raises(RateLimited) as caught:
        throttle.refuse_if_limited(Uow(), [("k", limit)], now, limit.window)  # type: ignore[arg-type]
    assert caught.value.retry_after_seconds == 61  # the one 9 minutes old leaves in 1


# --- client addresses -----------------------------------------------------------------

PROXY = (ipaddress.ip_network("10.0.0.0/8"),)


def test_forwarded_for_only_from_a_trusted_proxy() -> None:
    assert throttle.client_address("198.51.100.7", ["203.0.113.9"], ()) == "198.51.100.7"
    assert throttle.client_address("198.51.100.7", ["203.0.113.9"], PROXY) == "198.51.100.7"
    assert throttle.client_address("10.0.0.2", ["203.0.113.9"], PROXY) == "203.0.113.9"
    # A client's own forged hops sit left of what the proxy saw: ignored.
    assert throttle.client_address("10.0.0.2", ["1.2.3.4, 203.0.113.9"], PROXY) == \
        "203.0.113.9"
    assert throttle.client_address("10.0.0.2", ["203.0.113.9, 10.0.0.3"], PROXY) == \
        "203.0.113.9"  # through two proxies
    assert throttle.client_address("10.0.0.2", ["garbage"], PROXY) == "10.0.0.2"
    assert throttle.client_address("10.0.0.2", [], PROXY) == "10.0.0.2"


_ips = st.ip_addresses().map(str)


@given(peer=_ips, hops=st.lists(st.text(max_size=20) | _ips, max_size=5))
def test_an_untrusted_peer_is_always_the_client(peer: str, hops: list[str]) -> None:
    if ipaddress.ip_address(peer) in PROXY[0]:
        return
    assert throttle.client_address(peer, [", ".join(hops)], PROXY) == peer


@given(hops=st.lists(_ips, min_size=1, max_size=5))
def test_a_trusted_proxy_yields_a_hop_it_was_given(hops: list[str]) -> None:
    found = throttle.client_address("10.1.2.3", [", ".join(hops)], PROXY)
    assert found in hops or found == "10.1.2.3"
    untrusted = [h for h in hops if ipaddress.ip_address(h) not in PROXY[0]]
    if untrusted:
        assert found == untrusted[-1]  # the right-most hop not a proxy of ours


# --- the hashing pool ---------------------------------------------------------------------

class SlowHasher:
    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()

    def hash(self, password: str) -> str:
        self.started.set()
        self.release.wait(5)
        return "h:" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == self.hash(password)

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash


def test_the_pool_refuses_rather_than_queueing_without_end() -> None:
    slow = SlowHasher()
    pool = BoundedHasher(slow, slots=1, wait_seconds=0.05)
    holder = threading.Thread(target=pool.hash, args=("first",))
    holder.start()
    assert slow.started.wait(5)
    with pytest.raises(HashingBusy) as busy:
        pool.verify("h:x", "x")
    assert busy.value.retry_after_seconds > 0
    slow.release.set()
    holder.join(5)
    assert pool.verify("h:x", "x")  # the slot is free again
    with pytest.raises(ValueError, match="slots"):
        BoundedHasher(slow, slots=0)
