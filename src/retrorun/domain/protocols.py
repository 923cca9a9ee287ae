"""Each program beside the protocol of the studies it follows, and what its plans contain.

`PROTOCOLS` is the studies' side, copied from shared/research/evidence.md (what was
studied, and what was not known); `measure` reads the same quantities off a built plan, so
a test can hold every program to its study and the dose table (docs/doses.md) is generated
from the code rather than written by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrorun.domain.model import Direction, Gait, Plan, Repeat, Session, SessionKind


@dataclass(frozen=True, slots=True)
class Protocol:
    program: str
    studies: tuple[str, ...]  # source ids in evidence.SOURCES
    sessions_per_week: tuple[int, int]  # backward sessions a week, as studied
    weeks: int
    # Backward minutes a session at each stage the studies dosed in minutes.
    minutes: dict[Gait, tuple[float, float]]
    # Sprint protocols: sets of 7 x 20 m a session, and the effort steps in order.
    sets: tuple[int, int] | None
    efforts: tuple[tuple[int, int], ...]
    studied: str  # the studied dose in words
    ours: str  # what this program derives or assumes, in words


PROTOCOLS: tuple[Protocol, ...] = (
    Protocol("starter-8", ("expert", "myatt1995", "alghadir2019", "hreljac2005"), (2, 3), 8,
             {Gait.WALK: (5, 10), Gait.JOG: (2, 6), Gait.RUN: (6, 15)}, None, (),
             "B2 stage ladder (expert practice, lab speeds): walking 5-10 min in 1-2 min "
             "bouts; 2-3 x 1 min jogging building to 5-6 min; 6-15 min running in 3-5 min "
             "blocks, +2 min a week at most",
             "8 weeks, 2 sessions a week, stages advance on their tests [A]"),
    Protocol("economy-10", ("ordway2016",), (2, 3), 10,
             {Gait.WALK: (5, 10), Gait.JOG: (2, 6), Gait.RUN: (6, 15)}, None, (),
             "Ordway 2016: 5-week backward run-in at 134 m/min then 5 weeks at 161 m/min "
             "(0.62 and 0.75 of the 215 m/min economy-test speed); sessions a week and "
             "minutes not known",
             "B2 stage minutes; speeds derived from Ordway's ratios applied to the "
             "economy-check speed (the easy pace) [A]"),
    Protocol("speed-power-8", ("uthoff2020", "negra2022", "bouguezzi2024",
                               "uthoff2018sports"), (2, 2), 8, {}, (1, 3),
             ((40, 55), (60, 75), (90, 100)),
             "Uthoff 2020 and Negra 2022: 8 weeks, 2 sessions a week; Bouguezzi 2024: "
             "1-2 sets x 7 x 20 m a session; efforts 40-55 / 60-75 / >= 90 % (Uthoff 2018)",
             "one familiarisation week at each lower effort, then >= 90 %; up to 3 sets; "
             "rest times [A]"),
    Protocol("knee-friendly-6", ("alghadir2019", "lin2025"), (3, 3), 6,
             {Gait.WALK: (10, 10)}, None, (),
             "Alghadir 2019: 10 min of supervised retro walking, 3 days a week, 6 weeks, "
             "added to physiotherapy",
             "unsupervised; stays at walking; pain-gated [A]"),
    Protocol("walk-only-6", ("myatt1995", "hammer2021"), (2, 3), 6,
             {Gait.WALK: (5, 10)}, None, (),
             "B1.1 after a yes on the screen: backward walking only, treadmill with "
             "handrails or indoors; B2 stage 1: 5-10 min, 2-3 sessions a week",
             "the B1.1 rule itself is our assumption [A]; a gentler +1 min a week"),
    Protocol("maintenance", ("expert",), (1, 1), 4,
             {Gait.WALK: (5, 10), Gait.JOG: (2, 6), Gait.RUN: (6, 15)}, None, (),
             "expert practice: less forward volume, one short backward session a week",
             "70 % of forward volume, a little intensity kept, the athlete's stage held "
             "(one set of 20 m efforts at sprint stage) [A]"),
)
PROTOCOL_BY_PROGRAM = {p.program: p for p in PROTOCOLS}

# One athlete each program is for, whose plan the dose table measures (profile JSON).
_WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
REFERENCE_PROFILES: dict[str, dict[str, object]] = {
    "starter-8": {"experience": "recreational", "weekly_minutes": 150, "runs_per_week": 4,
                  "longest_run_minutes": 60, "available_days": ["mon", "wed", "fri", "sun"],
                  "long_run_day": "sun", "goal": "general", "age": 35,
                  "surfaces": ["road", "track"], "start_date": "2027-01-04", "screen": {}},
    "economy-10": {"experience": "trained", "weekly_minutes": 300, "runs_per_week": 6,
                   "longest_run_minutes": 100, "available_days": _WEEK, "long_run_day": "sun",
                   "goal": "economy", "age": 29, "surfaces": ["road", "track"],
                   "easy_pace_s_per_km": 320, "start_date": "2027-01-04", "screen": {}},
    "speed-power-8": {"experience": "recreational", "weekly_minutes": 120,
                      "longest_run_minutes": 40, "available_days": ["tue", "thu", "sat"],
                      "goal": "speed_power", "age": 15, "surfaces": ["grass", "track"],
                      "start_date": "2027-01-04", "screen": {}},
    "knee-friendly-6": {"experience": "recreational", "weekly_minutes": 90,
                        "longest_run_minutes": 35, "available_days": ["mon", "wed", "fri"],
                        "goal": "knee_friendly", "age": 58, "surfaces": ["treadmill", "road"],
                        "start_date": "2027-01-04", "screen": {}},
    "walk-only-6": {"experience": "recreational", "weekly_minutes": 120,
                    "longest_run_minutes": 50, "available_days": ["mon", "tue", "thu", "sat"],
                    "goal": "general", "age": 35, "surfaces": ["road", "treadmill"],
                    "start_date": "2027-01-04", "screen": {"vertigo": True}},
    "maintenance": {"experience": "trained", "weekly_minutes": 300, "runs_per_week": 5,
                    "longest_run_minutes": 100, "available_days": _WEEK,
                    "goal": "maintenance", "age": 30, "surfaces": ["road", "track"],
                    "backward_stage": "run", "start_date": "2027-01-04", "screen": {}},
}


@dataclass(frozen=True, slots=True)
class Measured:
    """What one plan contains, in the protocol's terms."""

    program: str
    weeks: int
    sessions_per_week: tuple[int, int]  # backward sessions in ordinary (not lighter) weeks
    minutes: dict[Gait, tuple[float, float]]  # prescribed backward minutes a session
    peak_running_minutes: float  # the most backward running in one session
    run_weeks: int
    sets: tuple[int, int] | None  # sets of 20 m efforts a session
    efforts: tuple[tuple[int, int], ...]  # effort steps in the order they come
    maximal_share: float  # sessions with efforts of 90 % or more, of all effort sessions


def _efforts(session: Session) -> list[tuple[int, int]]:
    return [(int(s.target.low or 0), int(s.target.high or 0)) for s in session.flat_steps
            if s.direction is Direction.BACKWARD and s.meters and s.target.low is not None
            and "Build-up" not in s.name and not s.optional and s.gait is not Gait.WALK]


def _sets(session: Session) -> int:
    """Sets of 20 m efforts: the repeats of backward reps at the session's effort."""
    return sum(1 for item in session.steps if isinstance(item, Repeat)
               and any(s.direction is Direction.BACKWARD and s.meters and not s.optional
                       and s.gait is not Gait.WALK and "Build-up" not in s.name
                       for s in item.steps))


def measure(plan: Plan) -> Measured:
    backward = [[s for s in w.sessions if s.kind in (SessionKind.BACKWARD,
                                                    SessionKind.BACKWARD_SPRINTS)]
                for w in plan.weeks]
    ordinary = [len(b) for w, b in zip(plan.weeks, backward, strict=True) if not w.lighter]
    minutes: dict[Gait, list[float]] = {}
    for week, sessions in zip(plan.weeks, backward, strict=True):
        for session in sessions:
            seconds = session.prescribed_backward_by_gait.get(week.stage, 0)
            if seconds and not _efforts(session):
                minutes.setdefault(week.stage, []).append(seconds / 60)
    effort_sessions = [s for b in backward for s in b if _efforts(s)]
    order: list[tuple[int, int]] = []
    for session in effort_sessions:
        for effort in _efforts(session):
            if effort not in order:
                order.append(effort)
    sets = [_sets(s) for s in effort_sessions]
    return Measured(
        program=plan.program, weeks=len(plan.weeks),
        sessions_per_week=(min(ordinary, default=0), max(ordinary, default=0)),
        minutes={g: (min(v), max(v)) for g, v in minutes.items()},
        peak_running_minutes=max((s.prescribed_backward_running_seconds for s in plan.sessions),
                                 default=0) / 60,
        run_weeks=sum(w.stage is Gait.RUN for w in plan.weeks),
        sets=(min(sets), max(sets)) if sets else None,
        efforts=tuple(order),
        maximal_share=(sum(any(e[0] >= 90 for e in _efforts(s)) for s in effort_sessions)
                       / len(effort_sessions)) if effort_sessions else 0.0,
    )
