"""The calendar subscription feed: secret tokens, rotation, and SEQUENCE per session."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from icalendar import Calendar

from retrorun.formats.ics import calendar_sessions
from retrorun.services import accounts, calendar_feed, plans
from retrorun.services.errors import NotFound
from tests.services.conftest import PASSWORD

if TYPE_CHECKING:
    from retrorun.services.views import UserView
    from tests.services.conftest import App


def _token(app: App, user: UserView) -> str:
    token = calendar_feed.get_or_create_feed_token(app.uow(), user_id=user.id,
                                                   tokens=app.tokens, clock=app.clock)
    assert token is not None  # the user's first token
    return token


def _events(app: App, token: str) -> dict[str, tuple[int, str]]:
    """UID -> (SEQUENCE, what the event shows) of every VEVENT in the feed."""
    data, _ = calendar_feed.feed_calendar(app.uow(), token=token)
    return {str(e["uid"]): (int(e["sequence"]),
                            f"{e['summary']}|{e['description']}|{e['dtstart'].to_ical()!r}")
            for e in Calendar.from_ical(data).walk("VEVENT")}


def _again(app: App, user: UserView) -> str | None:
    return calendar_feed.get_or_create_feed_token(app.uow(), user_id=user.id,
                                                  tokens=app.tokens, clock=app.clock)


def test_the_token_is_made_once_and_shown_once(app: App) -> None:
    """Only its hash is kept, so a later call cannot give it again (and makes none)."""
    ann = app.user()
    app.plan(ann)
    first = _token(app, ann)
    assert _again(app, ann) is None
    assert app.count("calendar_feeds") == 1
    assert calendar_feed.feed_calendar(app.uow(), token=first)[0].startswith(b"BEGIN:")
    with pytest.raises(NotFound):  # the hash is no token
        calendar_feed.feed_calendar(app.uow(), token=calendar_feed.feed_token_hash(first))


def test_rotating_kills_the_old_token_at_once(app: App) -> None:
    ann = app.user()
    app.plan(ann)
    old = _token(app, ann)
    new = calendar_feed.rotate_feed_token(app.uow(), user_id=ann.id, tokens=app.tokens,
                                          clock=app.clock)
    assert new != old
    assert _again(app, ann) is None
    with pytest.raises(NotFound):
        calendar_feed.feed_calendar(app.uow(), token=old)
    assert calendar_feed.feed_calendar(app.uow(), token=new)[0].startswith(b"BEGIN:VCALENDAR")


def test_unknown_tokens_and_athletes_without_a_plan_are_not_found(app: App) -> None:
    ann = app.user()
    token = _token(app, ann)
    for wrong in (token, "no-such-token", ""):
        with pytest.raises(NotFound):
            calendar_feed.feed_calendar(app.uow(), token=wrong)


def test_one_event_per_session_with_the_same_bytes_on_every_poll(app: App) -> None:
    ann = app.user()
    view = app.plan(ann)
    token = _token(app, ann)
    first, tag = calendar_feed.feed_calendar(app.uow(), token=token)
    app.clock.advance(hours=5)
    again, same_tag = calendar_feed.feed_calendar(app.uow(), token=token)
    assert (again, same_tag) == (first, tag)
    events = _events(app, token)
    assert len(events) == len(calendar_sessions(view.plan))
    assert {sequence for sequence, _ in events.values()} == {0}
    assert app.count("calendar_events") == len(events)


def test_only_the_changed_sessions_get_a_higher_sequence(app: App) -> None:
    ann = app.user()
    app.plan(ann)
    token = _token(app, ann)
    before = _events(app, token)
    app.clock.advance(days=1)
    app.plan(ann, long_run_day="sat")  # moves the long runs, leaves other sessions alone
    after = _events(app, token)
    assert after.keys() == before.keys()  # same UIDs: the calendar updates, not duplicates
    changed = {uid for uid in after if after[uid][1] != before[uid][1]}
    assert changed
    assert changed != set(after)
    for uid, (sequence, _) in after.items():
        assert sequence == (1 if uid in changed else 0), uid
    assert _events(app, token) == after  # a further poll bumps nothing


def test_another_users_token_never_shows_this_plan(app: App) -> None:
    ann, bob = app.user("ann@example.com"), app.user("bob@example.com")
    app.plan(ann)
    app.plan(bob, long_run_day="sat")
    ann_token, bob_token = _token(app, ann), _token(app, bob)
    assert ann_token != bob_token
    ann_plan = plans.get_plan(app.uow(), user_id=ann.id)
    ann_uids = set(_events(app, ann_token))
    bob_uids = set(_events(app, bob_token))
    assert not ann_uids & bob_uids
    assert all(ann_plan.id in uid for uid in ann_uids)


def test_deleting_the_account_deletes_the_token_and_versions(app: App) -> None:
    ann = app.user()
    app.plan(ann)
    token = _token(app, ann)
    _events(app, token)
    accounts.delete_account(app.uow(), user_id=ann.id, password=PASSWORD, hasher=app.hasher)
    assert app.count("calendar_feeds") == 0
    assert app.count("calendar_events") == 0
    with pytest.raises(NotFound):
        calendar_feed.feed_calendar(app.uow(), token=token)


def test_tokens_are_only_for_existing_users(app: App) -> None:
    with pytest.raises(NotFound):
        calendar_feed.get_or_create_feed_token(app.uow(), user_id="nobody",
                                               tokens=app.tokens, clock=app.clock)


def _download(app: App, user: UserView, session_id: str | None = None) -> dict[str, int]:
    """UID -> SEQUENCE of the user's own ICS download (the whole plan, or one session)."""
    result = calendar_feed.own_calendar(app.uow(), user_id=user.id, session_id=session_id)
    assert result.filename.endswith(".ics")
    return {str(e["uid"]): int(e["sequence"])
            for e in Calendar.from_ical(result.data).walk("VEVENT")}


def test_downloads_alone_bump_sequence_for_changed_sessions(app: App) -> None:
    # Someone who never subscribes, downloads, and re-imports after the plan changed.
    ann = app.user()
    app.plan(ann)
    first = _download(app, ann)
    assert set(first.values()) == {0}
    assert _download(app, ann) == first  # downloading again bumps nothing
    app.clock.advance(days=1)
    app.plan(ann, long_run_day="sat")
    second = _download(app, ann)
    assert second.keys() == first.keys()
    assert set(second.values()) == {0, 1}
    # The feed, subscribed later, serves the same versions: never a lower SEQUENCE.
    feed = {uid: sequence for uid, (sequence, _) in _events(app, _token(app, ann)).items()}
    assert feed == second


def test_a_session_download_matches_its_event_in_the_whole_calendar(app: App) -> None:
    ann = app.user()
    view = app.plan(ann)
    session = calendar_sessions(view.plan)[0]
    whole = _download(app, ann)
    one = _download(app, ann, session.id)
    assert len(one) == 1
    ((uid, sequence),) = one.items()
    assert whole[uid] == sequence


def test_downloads_are_only_of_ones_own_existing_plan(app: App) -> None:
    ann, bob = app.user("ann@example.com"), app.user("bob@example.com")
    with pytest.raises(NotFound):
        calendar_feed.own_calendar(app.uow(), user_id=ann.id)  # no plan yet
    bob_plan = app.plan(bob)
    app.plan(ann)
    with pytest.raises(NotFound):
        calendar_feed.own_calendar(app.uow(), user_id="nobody")
    with pytest.raises(NotFound):  # a session id of another plan: not in ann's
        calendar_feed.own_calendar(app.uow(), user_id=ann.id,
                                   session_id=bob_plan.plan.sessions[0].id + "-x")
