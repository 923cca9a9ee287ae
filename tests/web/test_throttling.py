"""Throttling and hashing over HTTP (issue 11, findings 3 and 4), on SQLite and PostgreSQL.

Each browser below has an address of its own (the test client's socket peer). The
numbers come from `services.throttle` and the test settings (the defaults).
"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from retrorun.bootstrap import ConsoleMailer, Services
from retrorun.config import Settings
from retrorun.services import accounts, throttle, verification
from retrorun.services.ports import PasswordHasher
from retrorun.web import device
from retrorun.web.app import create_app
from retrorun.web.hashing import HASH_QUEUE_PER_SLOT, PER_ADDRESS_SHARE
from tests.web._client import TestClient
from tests.web.helpers import PASSWORD, csrf

ATTACKER, OWNER, PROXY = "203.0.113.9", "198.51.100.7", "10.0.0.1"
ANN = "ann@example.com"


def browser(app: Any, address: str, **headers: str) -> TestClient:
    return TestClient(app, base_url="https://testserver", follow_redirects=False,
                      client=(address, 50000), headers=headers)


@pytest.fixture
def ann(services: Services) -> str:
    user = accounts.sign_up(services.uow(), email=ANN, password=PASSWORD,
                            hasher=services.hasher, clock=services.clock)
    verification.mark_verified(services.uow(), user_id=user.id, clock=services.clock)
    return ANN


def sign_in(client: TestClient, email: str = ANN, password: str = PASSWORD,
            **headers: str) -> Any:
    token = csrf(client, "/signin")
    return client.post("/signin", data={"csrf_token": token, "email": email,
                                        "password": password}, headers=headers)


def assert_retry_after(response: Any, status: int = 429) -> int:
    assert response.status_code == status, response.text
    seconds = int(response.headers["retry-after"])
    assert seconds > 0
    return seconds


def test_failures_from_another_address_do_not_lock_the_owner_out(app: Any, ann: str) -> None:
    with browser(app, ATTACKER) as attacker, browser(app, OWNER) as owner:
        for _ in range(throttle.SIGN_IN_PAIR.events * 2):
            assert sign_in(attacker, password="guess-guess").status_code in (422, 429)
        limited = sign_in(attacker)  # even the right password, from there
        assert_retry_after(limited)
        assert "try again in" in limited.text.lower()
        welcomed = sign_in(owner)
        assert welcomed.status_code == 303
        assert owner.get("/account").status_code == 200


def test_one_address_guessing_many_accounts_meets_a_ceiling(app: Any, ann: str) -> None:
    with browser(app, ATTACKER) as attacker, browser(app, OWNER) as owner:
        for n in range(throttle.SIGN_IN_ADDRESS.events):
            assert sign_in(attacker, email=f"guess{n}@example.com").status_code == 422
        assert_retry_after(sign_in(attacker))
        assert sign_in(owner).status_code == 303


def _mails_to(mailer: ConsoleMailer, to: str) -> int:
    return sum(1 for m in mailer.sent if m.to == to and "reset" in m.subject.lower())


def test_reset_mails_are_limited_per_account_and_per_address(app: Any, ann: str,
                                                             mailer: ConsoleMailer) -> None:
    for n in range(throttle.RESET_ACCOUNT.events + 5):
        with browser(app, f"192.0.2.{n}") as someone:
            answer = someone.post("/reset", data={"csrf_token": csrf(someone, "/reset"),
                                                  "email": ANN})
            assert answer.status_code in (200, 429)
    assert _mails_to(mailer, ANN) == throttle.RESET_ACCOUNT.events  # not 125 a minute
    with browser(app, ATTACKER) as attacker:
        token = csrf(attacker, "/reset")
        for n in range(throttle.RESET_ADDRESS.events):
            sent = attacker.post("/reset", data={"csrf_token": token,
                                                 "email": f"someone{n}@example.com"})
            assert sent.status_code == 200
        html = attacker.post("/reset", data={"csrf_token": token, "email": "x@example.com"})
        assert_retry_after(html)
        assert "<html" in html.text.lower()
        as_json = attacker.post("/reset", data={"csrf_token": token, "email": "x@example.com"},
                                headers={"Accept": "application/json"})
        assert_retry_after(as_json)
        assert as_json.json()["error"]["status"] == 429


def test_sign_ups_and_password_changes_are_limited_per_address(app: Any, ann: str) -> None:
    with browser(app, ATTACKER) as attacker:
        token = csrf(attacker, "/signup")
        for n in range(throttle.SIGN_UP_ADDRESS.events):
            made = attacker.post("/signup", data={"csrf_token": token, "password": PASSWORD,
                                                  "email": f"new{n}@example.com"})
            assert made.status_code in (200, 303), made.text
        assert_retry_after(attacker.post("/signup", data={
            "csrf_token": csrf(attacker, "/signup"), "password": PASSWORD,
            "email": "one.more@example.com"}))
    with browser(app, OWNER) as owner:
        assert sign_in(owner).status_code == 303
        token = csrf(owner, "/account")
        for _ in range(throttle.PASSWORD_ADDRESS.events):
            wrong = owner.post("/account/password", data={
                "csrf_token": token, "current_password": "not it at all",
                "new_password": "a new password"})
            assert wrong.status_code == 422
        assert_retry_after(owner.post("/account/password", data={
            "csrf_token": token, "current_password": PASSWORD,
            "new_password": "a new password"}))


@pytest.fixture
def behind_proxy(settings: Settings, services: Services) -> Any:
    trusted = settings.model_copy(update={"trusted_proxies": PROXY})
    return create_app(trusted, services)


def test_forwarded_for_is_ignored_from_an_untrusted_peer(behind_proxy: Any, ann: str) -> None:
    with browser(behind_proxy, OWNER) as direct:
        for n in range(throttle.SIGN_IN_PAIR.events):
            wrong = sign_in(direct, password="guess-guess",
                            **{"X-Forwarded-For": f"192.0.2.{n}"})
            assert wrong.status_code == 422
        # A fresh forged address each time changes nothing: the peer is counted.
        assert_retry_after(sign_in(direct, **{"X-Forwarded-For": "192.0.2.99"}))


def test_forwarded_for_is_honoured_from_a_trusted_proxy(behind_proxy: Any, ann: str) -> None:
    with browser(behind_proxy, PROXY) as proxy:
        for _ in range(throttle.SIGN_IN_PAIR.events):
            wrong = sign_in(proxy, password="guess-guess", **{"X-Forwarded-For": ATTACKER})
            assert wrong.status_code == 422
        assert_retry_after(sign_in(proxy, **{"X-Forwarded-For": ATTACKER}))
        # The owner, through the same proxy, is another client: not blocked.
        assert sign_in(proxy, **{"X-Forwarded-For": f"{ATTACKER}, {OWNER}"}).status_code == 303


# --- hashing off the critical path ---------------------------------------------------------

class TransactionProbe:
    """A hasher that, while it hashes, asks the database whether a transaction is open:
    on SQLite, whether another connection can take the write lock at once; on PostgreSQL,
    whether any connection of this database sits idle in a transaction."""

    def __init__(self, inner: PasswordHasher, url: str) -> None:
        self.inner, self.url = inner, url
        self.open_while_hashing: list[bool] = []
        self._engine = None if url.startswith("sqlite") else create_engine(url)

    def _transaction_open(self) -> bool:
        if self._engine is None:
            connection = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=0)
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.rollback()
                return False
            except sqlite3.OperationalError:  # "database is locked"
                return True
            finally:
                connection.close()
        with self._engine.connect() as pg:
            waiting = pg.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"))
            return int(waiting.scalar_one()) > 0

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def hash(self, password: str) -> str:
        self.open_while_hashing.append(self._transaction_open())
        return self.inner.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.open_while_hashing.append(self._transaction_open())
        return self.inner.verify(password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self.inner.needs_rehash(password_hash)


def test_passwords_are_hashed_with_no_transaction_open(settings: Settings, services: Services,
                                                       ann: str) -> None:
    probe = TransactionProbe(services.hasher, settings.resolved_database_url)
    probed = create_app(settings, dataclasses.replace(services, hasher=probe))
    with browser(probed, OWNER) as owner, browser(probed, ATTACKER) as attacker:
        assert sign_in(attacker, password="guess-guess").status_code == 422
        assert sign_in(attacker, email="nobody@example.com").status_code == 422
        assert sign_in(owner).status_code == 303
        changed = owner.post("/account/password", data={
            "csrf_token": csrf(owner, "/account"), "current_password": PASSWORD,
            "new_password": "a new password"})
        assert changed.status_code == 303
    probe.close()
    assert len(probe.open_while_hashing) >= 5
    assert not any(probe.open_while_hashing)


class Gate:
    """A hasher whose first call waits for the test to open the gate."""

    def __init__(self, inner: PasswordHasher) -> None:
        self.inner = inner
        self.entered = threading.Event()
        self.opened = threading.Event()

    def verify(self, password_hash: str, password: str) -> bool:
        self.entered.set()
        self.opened.wait(10)
        return self.inner.verify(password_hash, password)

    def hash(self, password: str) -> str:
        return self.inner.hash(password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self.inner.needs_rehash(password_hash)


@pytest.fixture
def one_slot(settings: Settings, services: Services) -> Iterator[tuple[Any, Gate]]:
    """One hashing slot behind a trusted proxy, so one client speaks for many addresses
    (the pool lives in one event loop, as in a server)."""
    gate = Gate(services.hasher)
    app = create_app(settings.model_copy(update={"hash_workers": 1, "trusted_proxies": PROXY}),
                     dataclasses.replace(services, hasher=gate))
    yield app, gate
    gate.opened.set()


def _flood(proxy: TestClient, token: str, addresses: list[str]) -> tuple[
        list[threading.Thread], list[int]]:
    answers: list[int] = []

    def guess(address: str) -> None:
        answers.append(proxy.post("/signin", data={
            "csrf_token": token, "email": ANN, "password": "guess-guess"},
            headers={"X-Forwarded-For": address}).status_code)

    threads = [threading.Thread(target=guess, args=(a,)) for a in addresses]
    for thread in threads:
        thread.start()
    return threads, answers


def _wait_for(condition: Any) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the hashing pool never got there"
        time.sleep(0.01)


def test_a_sign_in_flood_gets_503_but_not_the_owner_and_pages_still_answer(
        one_slot: tuple[Any, Gate], ann: str) -> None:
    """Outside audit: with one hashing slot, the owner's correct sign-in answered 503
    during a flood. Now one address holds at most its share, and a browser that signed in
    to the account before waits in a lane served first."""
    app, gate = one_slot
    with browser(app, PROXY) as proxy:
        gate.opened.set()  # the owner signed in from this browser last week
        assert sign_in(proxy, **{"X-Forwarded-For": OWNER}).status_code == 303
        remembered = proxy.cookies[device.COOKIE]
        proxy.cookies.clear()
        gate.opened.clear()
        token = csrf(proxy, "/signin")
        first, answers = _flood(proxy, token, ["203.0.113.1"])
        _wait_for(gate.entered.is_set)
        flooders = [f"203.0.113.{n}" for n in range(2, 2 + HASH_QUEUE_PER_SLOT)]
        rest, more = _flood(proxy, token, flooders)
        _wait_for(lambda: app.state.hashing_pool.waiting == HASH_QUEUE_PER_SLOT)
        form = {"csrf_token": token, "email": ANN, "password": PASSWORD}
        # The queue is full: a newcomer is told to come back, with Retry-After ...
        assert_retry_after(proxy.post("/signin", data=form,
                                      headers={"X-Forwarded-For": "192.0.2.77"}), 503)
        # ... and so is a flooder past its address's share, whatever the queue.
        assert app.state.hashing_pool.held["203.0.113.2"] == 1
        # The rest of the app does not wait behind the hashing.
        started = time.monotonic()
        assert proxy.get("/").status_code == 200
        assert time.monotonic() - started < 2
        # The owner's browser, known to the account, gets in ahead of the flood.
        proxy.cookies.set(device.COOKIE, remembered)
        owner: list[int] = []
        thread = threading.Thread(target=lambda: owner.append(proxy.post(
            "/signin", data=form, headers={"X-Forwarded-For": OWNER}).status_code))
        thread.start()
        _wait_for(lambda: len(app.state.hashing_pool.known) == 1)
        gate.opened.set()
        for t in [*first, *rest, thread]:
            t.join(10)
    assert owner == [303]
    assert sorted(answers + more) == [422] * (1 + HASH_QUEUE_PER_SLOT)


def test_one_address_cannot_hold_more_than_its_share(one_slot: tuple[Any, Gate],
                                                     ann: str) -> None:
    app, gate = one_slot
    with browser(app, PROXY) as proxy:
        token = csrf(proxy, "/signin")
        held, answers = _flood(proxy, token, [ATTACKER] * PER_ADDRESS_SHARE)
        _wait_for(lambda: app.state.hashing_pool.held.get(ATTACKER) == PER_ADDRESS_SHARE)
        form = {"csrf_token": token, "email": ANN, "password": "guess-guess"}
        assert_retry_after(proxy.post("/signin", data=form,
                                      headers={"X-Forwarded-For": ATTACKER}), 503)
        owner: list[int] = []
        thread = threading.Thread(target=lambda: owner.append(proxy.post(
            "/signin", data={**form, "password": PASSWORD},
            headers={"X-Forwarded-For": OWNER}).status_code))
        thread.start()
        _wait_for(lambda: app.state.hashing_pool.held.get(OWNER) == 1)
        gate.opened.set()
        for t in [*held, thread]:
            t.join(10)
    assert owner == [303]
    assert answers == [422] * PER_ADDRESS_SHARE
