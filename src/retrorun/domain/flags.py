"""Who needs a coach's look, and why (issue 10 point 5): pure, over a plan and its logs.

An athlete is flagged for pain over their coach's threshold (above 5/10 without one:
evidence B6's limit), for dizziness, a stumble or neck pain, for two or more planned
sessions missed (before today, not logged or logged skipped), and for a plan whose
backward work is paused. Each flag is one dated line; the list is newest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from retrorun.domain.logbook import Change, Event, SessionLog
from retrorun.domain.model import Plan, SessionKind
from retrorun.domain.rules import PAIN_ACCEPTABLE_MAX


class FlagKind(StrEnum):
    PAIN = "pain"
    EVENT = "event"
    MISSED = "missed"
    PAUSED = "paused"


# The short badge each kind shows on the coach's athlete list.
BADGES = {FlagKind.PAIN: "Pain", FlagKind.EVENT: "Dizziness, stumble or neck pain",
          FlagKind.MISSED: "Missed sessions", FlagKind.PAUSED: "Paused"}
# [A] A coach looks at what is recent: logs and missed sessions of the last two weeks
# flag an athlete; older ones are in the logs table, not on the list.
FLAG_WINDOW_DAYS = 14
# [A] One missed session is life; two or more in the window are worth a look (issue 10).
MISSED_FLAG_AT = 2
# B6 [E*]: without a coach's threshold, pain above 5/10 is over the limit.
DEFAULT_PAIN_LIMIT = PAIN_ACCEPTABLE_MAX

EVENT_WORDS = {Event.DIZZINESS: "Dizziness", Event.STUMBLE: "A stumble or near-fall",
               Event.NECK_PAIN: "Neck pain from looking back"}


@dataclass(frozen=True, slots=True)
class Flag:
    kind: FlagKind
    day: dt.date
    what: str
    session_id: str = ""
    session_title: str = ""

    @property
    def badge(self) -> str:
        return BADGES[self.kind]


def flags(plan: Plan | None, logs: tuple[SessionLog, ...], today: dt.date,
          pain_threshold: int | None, pause: Change | None,
          tracked_since: dt.date | None = None) -> tuple[Flag, ...]:
    """Every reason to look at this athlete now, newest first (ties: by kind).

    `tracked_since`: the day the athlete kept the plan; sessions dated before it were
    never theirs to log, so they are not missed."""
    since = today - dt.timedelta(days=FLAG_WINDOW_DAYS)
    titles = {s.id: s.title for s in plan.sessions} if plan is not None else {}
    recent = [log for log in logs if since <= log.date <= today]
    found = [*_pain(recent, pain_threshold, titles), *_events(recent, titles)]
    if plan is not None:
        found += _missed(plan, logs, max(since, tracked_since or since), today)
    if pause is not None:
        found.append(Flag(FlagKind.PAUSED, pause.decided_on,
                          f"Backward work is paused: {pause.reason}"))
    order = list(FlagKind)
    return tuple(sorted(found, key=lambda f: (-f.day.toordinal(), order.index(f.kind),
                                              f.session_id)))


def badges(found: tuple[Flag, ...]) -> tuple[str, ...]:
    """One badge per kind present, in a fixed order."""
    kinds = {f.kind for f in found}
    return tuple(BADGES[k] for k in FlagKind if k in kinds)


def _pain(logs: list[SessionLog], threshold: int | None,
          titles: dict[str, str]) -> list[Flag]:
    limit = DEFAULT_PAIN_LIMIT if threshold is None else threshold
    whose = f"the {limit}/10 threshold your coach or physio set" if threshold is not None \
        else f"the {limit}/10 limit (evidence B6)"
    out = []
    for log in logs:
        worst = max((p for p in (log.pain_during, log.pain_next_morning) if p is not None),
                    default=None)
        if worst is not None and worst > limit:
            out.append(Flag(FlagKind.PAIN, log.date,
                            f"Pain {worst}/10, over {whose}",
                            log.session_id, titles.get(log.session_id, "")))
    return out


def _events(logs: list[SessionLog], titles: dict[str, str]) -> list[Flag]:
    return [Flag(FlagKind.EVENT, log.date, EVENT_WORDS[event], log.session_id,
                 titles.get(log.session_id, ""))
            for log in logs for event in (Event.DIZZINESS, Event.STUMBLE, Event.NECK_PAIN)
            if event in log.events]


def _missed(plan: Plan, logs: tuple[SessionLog, ...], since: dt.date,
            today: dt.date) -> list[Flag]:
    by_session = {log.session_id: log for log in logs}
    missed = []
    for session in plan.sessions:
        if session.kind is SessionKind.REST or not since <= session.date < today:
            continue
        log = by_session.get(session.id)
        if log is None or log.status == "skipped":
            what = "Skipped" if log is not None else "Not logged"
            missed.append(Flag(FlagKind.MISSED, session.date, what, session.id,
                               session.title))
    return missed if len(missed) >= MISSED_FLAG_AT else []
