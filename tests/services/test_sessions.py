"""Server-side sessions (services.sessions) on the in-memory and SQL units of work."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrorun.services import accounts, sessions
from retrorun.services.errors import NotFound
from tests.services.conftest import PASSWORD

if TYPE_CHECKING:
    from retrorun.services.views import UserView
    from tests.services.conftest import App

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


def _start(app: App, user: UserView, agent: str = FIREFOX,
           replacing: str | None = None) -> str:
    return sessions.start(app.uow(), user_id=user.id, user_agent=agent, tokens=app.tokens,
                          clock=app.clock, replacing=replacing)


def _who(app: App, token: str) -> str | None:
    found = sessions.current(app.uow(), token=token, clock=app.clock)
    return found.user.id if found else None


def test_a_started_session_signs_in_until_it_is_ended(app: App) -> None:
    ann = app.user()
    token = _start(app, ann)
    assert _who(app, token) == ann.id
    assert _who(app, token + "x") is None
    assert _who(app, sessions.token_hash(token)) is None  # the stored hash is no token
    sessions.end_current(app.uow(), token=token, clock=app.clock)
    assert _who(app, token) is None
    sessions.end_current(app.uow(), token="unknown", clock=app.clock)  # harmless


def test_signing_in_again_ends_the_token_the_browser_had(app: App) -> None:
    ann = app.user()
    planted = _start(app, ann)
    fresh = _start(app, ann, replacing=planted)
    assert _who(app, planted) is None
    assert _who(app, fresh) == ann.id


def test_last_seen_moves_at_most_once_a_minute(app: App) -> None:
    ann = app.user()
    token = _start(app, ann)
    [listed] = sessions.active(app.uow(), user_id=ann.id, current_id=None, clock=app.clock)
    made = listed.last_seen_at
    app.clock.advance(seconds=59)
    _who(app, token)
    [listed] = sessions.active(app.uow(), user_id=ann.id, current_id=None, clock=app.clock)
    assert listed.last_seen_at == made
    app.clock.advance(seconds=1)
    _who(app, token)
    [listed] = sessions.active(app.uow(), user_id=ann.id, current_id=None, clock=app.clock)
    assert listed.last_seen_at == made + sessions.TOUCH_EVERY


def test_an_idle_session_ends_with_its_cookie(app: App) -> None:
    ann = app.user()
    token = _start(app, ann)
    app.clock.advance(seconds=sessions.IDLE_LIMIT.total_seconds() - 1)
    assert _who(app, token) == ann.id  # and seen now: idle counts from here
    app.clock.advance(seconds=sessions.IDLE_LIMIT.total_seconds())
    assert _who(app, token) is None
    assert sessions.active(app.uow(), user_id=ann.id, current_id=None, clock=app.clock) == []


def test_the_list_names_devices_and_this_one_and_ends_only_own_sessions(app: App) -> None:
    ann, bob = app.user(), app.user("bob@example.com")
    laptop = _start(app, ann)
    app.clock.advance(minutes=2)
    phone = _start(app, ann, "Mozilla/5.0 (Linux; Android 15) Chrome/140.0 Mobile Safari/537")
    app.clock.advance(minutes=1)
    mine = sessions.current(app.uow(), token=laptop, clock=app.clock)  # seen after the phone
    assert mine is not None
    listed = sessions.active(app.uow(), user_id=ann.id, current_id=mine.session_id,
                             clock=app.clock)
    assert [(s.device, s.current) for s in listed] == [
        ("Firefox on Linux", True), ("Chrome on Android", False)]  # laptop seen just now
    with pytest.raises(NotFound):
        sessions.end_one(app.uow(), user_id=bob.id, session_id=listed[1].id, clock=app.clock)
    assert _who(app, phone) == ann.id
    sessions.end_one(app.uow(), user_id=ann.id, session_id=listed[1].id, clock=app.clock)
    assert _who(app, phone) is None
    with pytest.raises(NotFound):  # ended already
        sessions.end_one(app.uow(), user_id=ann.id, session_id=listed[1].id, clock=app.clock)


def test_end_others_keeps_the_current_session(app: App) -> None:
    ann, bob = app.user(), app.user("bob@example.com")
    tokens = [_start(app, ann) for _ in range(3)]
    bobs = _start(app, bob)
    keep = sessions.current(app.uow(), token=tokens[0], clock=app.clock)
    assert keep is not None
    assert sessions.end_others(app.uow(), user_id=ann.id, keep=keep.session_id,
                               clock=app.clock) == 2
    assert [_who(app, t) for t in tokens] == [ann.id, None, None]
    assert _who(app, bobs) == bob.id


def test_password_change_ends_the_others_and_reset_and_deletion_end_all(app: App) -> None:
    ann = app.user()
    here, there = _start(app, ann), _start(app, ann)
    current = sessions.current(app.uow(), token=here, clock=app.clock)
    assert current is not None
    accounts.change_password(app.uow(), user_id=ann.id, current_password=PASSWORD,
                             new_password="another long password", hasher=app.hasher,
                             clock=app.clock, keep_session=current.session_id)
    assert (_who(app, here), _who(app, there)) == (ann.id, None)
    accounts.request_password_reset(app.uow(), email=ann.email, tokens=app.tokens,
                                    mailer=app.mailer, clock=app.clock,
                                    reset_link="https://x/reset?token={token}")
    accounts.reset_password(app.uow(), token=app.mailer.last_link_token(),
                            new_password="a third long password", hasher=app.hasher,
                            clock=app.clock)
    assert _who(app, here) is None
    again = _start(app, ann)
    accounts.delete_account(app.uow(), user_id=ann.id, password="a third long password",
                            hasher=app.hasher)
    assert _who(app, again) is None
    assert app.count("user_sessions") == 0


@given(st.text(max_size=400))
def test_any_user_agent_gives_a_short_device_name(agent: str) -> None:
    name = sessions.device(agent)
    assert name
    assert len(name) <= 40


@pytest.mark.parametrize(("agent", "name"), [
    (FIREFOX, "Firefox on Linux"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0", "Edge on Windows"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/18.0 Safari/605.1.15", "Safari on macOS"),
    ("curl/8.5.0", "curl"),
    ("", "Unknown device"),
    ("python-httpx/0.28.1", "python-httpx"),
])
def test_known_user_agents(agent: str, name: str) -> None:
    assert sessions.device(agent) == name
