"""The athlete's "today": the date in their time zone, the one the plan's days are in.

The zone is the one the athlete chose for their calendar; without one, UTC. Refusing a
log "before its day" allows one more day when the zone is unknown, so nobody east of
UTC is refused a session they have just finished.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from retrorun.services.ports import Clock, UnitOfWork

_UNKNOWN_ZONE_GRACE = dt.timedelta(days=1)


def athlete_today(uow: UnitOfWork, athlete_id: str, clock: Clock) -> dt.date:
    """Today in the athlete's calendar time zone (UTC when they chose none)."""
    zone = _zone(uow, athlete_id)
    now = clock.now()
    return now.astimezone(zone).date() if zone is not None else now.astimezone(dt.UTC).date()


def latest_loggable_day(uow: UnitOfWork, athlete_id: str, clock: Clock) -> dt.date:
    """The last session date that may be logged done or partial now."""
    zone = _zone(uow, athlete_id)
    now = clock.now()
    if zone is not None:
        return now.astimezone(zone).date()
    return (now.astimezone(dt.UTC) + _UNKNOWN_ZONE_GRACE).date()


def _zone(uow: UnitOfWork, athlete_id: str) -> ZoneInfo | None:
    settings = uow.feeds.settings_for(athlete_id)
    if settings is None or not settings.timezone:
        return None
    try:
        return ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
