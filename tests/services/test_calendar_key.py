"""A plan made from the free preview keeps the preview's calendar key: its calendar UIDs
(feed and downloads) are the ones the free download used, and stay through replacements."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest
from icalendar import Calendar

from retrorun.formats import ExportOptions, export
from retrorun.services import calendar_feed, coaching, plans
from retrorun.services.errors import InvalidInput
from tests.services.conftest import PROFILE

if TYPE_CHECKING:
    from retrorun.services.views import UserView
    from tests.services.conftest import App

KEY = "0123456789abcdef"
OTHER = "fedcba9876543210"


def _uids(data: bytes) -> set[str]:
    return {str(event["uid"]) for event in Calendar.from_ical(data).walk("VEVENT")}


def _free_download(app: App, key: str | None) -> set[str]:
    """The free plan's ICS as the web's preview download makes it."""
    plan = plans.preview_plan(profile_data=PROFILE, planner=app.planner).plan
    made = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    return _uids(export(plan, "ics", ExportOptions(made_at=made, plan_key=key)).data)


def _stored_uids(app: App, user: UserView) -> set[str]:
    return _uids(calendar_feed.own_calendar(app.uow(), user_id=user.id).data)


def _feed_uids(app: App, user: UserView) -> set[str]:
    token = calendar_feed.get_or_create_feed_token(app.uow(), user_id=user.id,
                                                   tokens=app.tokens, clock=app.clock)
    return _uids(calendar_feed.feed_calendar(app.uow(), token=token)[0])


def _keep(app: App, user: UserView, key: str | None, **changes: object) -> str:
    view = plans.create_plan(app.uow(), user_id=user.id, profile_data={**PROFILE, **changes},
                             planner=app.planner, clock=app.clock, calendar_key=key,
                             replace=True)
    return view.plan_key


def test_a_plan_kept_from_the_preview_serves_every_uid_the_free_download_had(app: App) -> None:
    ann = app.user()
    free = _free_download(app, KEY)
    assert _keep(app, ann, KEY) == KEY
    assert free
    assert _stored_uids(app, ann) == free
    assert _feed_uids(app, ann) == free
    assert plans.get_plan(app.uow(), user_id=ann.id).plan_key == KEY


def test_replacing_or_rebuilding_the_plan_keeps_its_key(app: App) -> None:
    ann, coach = app.user(), app.user("coach@example.com")
    _keep(app, ann, KEY)
    before = _stored_uids(app, ann)
    app.clock.advance(days=1)
    assert _keep(app, ann, OTHER) == KEY  # a second preview kept: same calendar
    assert _keep(app, ann, None) == KEY  # a profile sent through the API
    assert _stored_uids(app, ann) == before
    app.invite(athlete_id=ann.id, coach_email=coach.email)
    coaching.set_limits(app.uow(), user_id=coach.id, athlete_id=ann.id,
                        max_backward_minutes_per_week=8, pain_threshold=None,
                        planner=app.planner, clock=app.clock)
    rebuilt = plans.get_plan(app.uow(), user_id=ann.id)
    assert rebuilt.version == 2  # each kept preview is a new plan; the rebuild its version 2
    assert rebuilt.plan_key == KEY
    assert _stored_uids(app, ann) == before


def test_a_plan_made_without_a_preview_keeps_uids_by_its_id(app: App) -> None:
    ann = app.user()
    view = app.plan(ann)
    assert view.plan_key == view.id
    uids = _stored_uids(app, ann)
    assert uids
    assert all(uid.endswith(f".{view.id}@retrorun") for uid in uids)
    # A preview kept later replaces the plan, not its calendar: existing events stay.
    assert _keep(app, ann, KEY) == view.id
    assert _stored_uids(app, ann) == uids


@pytest.mark.parametrize("wrong", ["short", "0123456789ABCDEF", "0123456789abcdeg",
                                   "0123456789abcdef\n", "a" * 33, 12345678901234567])
def test_a_malformed_key_is_refused_and_nothing_is_stored(app: App, wrong: object) -> None:
    ann = app.user()
    with pytest.raises(InvalidInput) as error:
        plans.create_plan(app.uow(), user_id=ann.id, profile_data=PROFILE,
                          planner=app.planner, clock=app.clock,
                          calendar_key=wrong)  # type: ignore[arg-type]
    assert error.value.field == "calendar_key"
    assert app.count("plans") == 0
