"""Sharing a week's forward filler among its sessions: by weight, each under its spike cap,
the long run first and longest."""

from __future__ import annotations

from retrorun.domain.frames import Frame, first_long_run

# [X] A long run of about 30 % of the week's running (coaches use 25-35 %), and at least
# 1.3 times the week's average run.
LONG_RUN_SHARE, LONG_OVER_AVERAGE = 0.30, 1.3


def allocate(frames: list[Frame], slack: float, caps: dict[int, int]) -> list[int]:
    """Share `slack` seconds of forward filler so the sessions even out (see `_shares`),
    each frame under its spike cap, the long run first; the filler seconds of each frame,
    in order.

    Filler below its frame's smallest worthwhile size is dropped (size 0; a plain run goes
    with it, a backward session keeps its fixed parts), unless
    the athlete's own runs are that short (its spike cap is below it); the long run is then
    made the week's longest run."""
    room = [max(0, caps.get(f.weekday, 0) - f.fixed_seconds) if f.weight else 0
            for f in frames]
    active = [i for i, frame in enumerate(frames) if frame.weight > 0]
    long = first_long = first_long_run(frames, active)
    reserve = 0
    if long is not None:
        # The long run first: about 30 % of the week, and longer than any fixed session.
        week_total = max(0.0, slack) + sum(f.fixed_seconds for f in frames if f.weight)
        longest_fixed = max((f.fixed_seconds for f in frames), default=0)
        runs = sum(1 for f in frames if f.weight)
        reserve = int(min(room[long], max(0.0, slack),
                          max(LONG_RUN_SHARE * week_total, longest_fixed + 60,
                              LONG_OVER_AVERAGE * week_total / runs)))
        active = [i for i in active if i != long]
    while True:
        sizes = _shares(active, frames, room, max(0.0, slack) - reserve)
        if long is not None:
            left = max(0.0, slack) - reserve - sum(sizes)
            sizes[long] = int(min(room[long], reserve + max(0.0, left)))
        tiny = [i for i in (*active, *((long,) if long is not None else ()))
                if 0 < sizes[i] < min(frames[i].min_filler, 0.9 * room[i])]
        if not tiny:
            return _long_is_longest(frames, sizes, room, first_long)
        if tiny[-1] == long:
            long, reserve = None, 0
        else:
            active.remove(tiny[-1])


def _shares(active: list[int], frames: list[Frame], room: list[int],
            remaining: float) -> list[int]:
    """Filler that evens the sessions out: each active frame is filled up to one level
    (times its weight), its fixed part included, within its room; the level is the one at
    which the filler adds up to `remaining`. A session with a long fixed part (a backward
    session's warm-up, bouts and cool-down) so gets less forward filler than a plain run."""
    sizes = [0] * len(frames)
    if not active or remaining <= 1:
        return sizes
    level = _level(active, frames, room, remaining)
    for i in active:
        weight, fixed = frames[i].weight, frames[i].fixed_seconds
        sizes[i] = int(min(room[i], max(0.0, weight * level - fixed)))
    return sizes


def _level(active: list[int], frames: list[Frame], room: list[int], remaining: float) -> float:
    """The level at which the filler adds up to `remaining`: the filler is piecewise
    linear in the level, so walk its breakpoints (a frame starts filling at fixed/weight
    and is full at (fixed + room)/weight) and solve the segment where it crosses."""
    spans = [(frame.fixed_seconds / frame.weight,
              (frame.fixed_seconds + room[i]) / frame.weight, frame.weight)
             for i in active for frame in (frames[i],)]
    points = sorted({start for start, _, _ in spans} | {end for _, end, _ in spans})
    total_before, before = 0.0, points[0]
    for point in points[1:]:
        # On (before, point] the filling frames and their slopes are fixed.
        slope = sum(weight for start, end, weight in spans if start <= before < end)
        total_at = total_before + slope * (point - before)
        if total_at >= remaining:
            return before + (remaining - total_before) / slope if slope else before
        total_before, before = total_at, point
    return before  # every frame full: the rest is not used


def _minute(seconds: int) -> int:
    """Filler as it is written: whole minutes (see `forward.filler`)."""
    return seconds // 60 * 60 if seconds >= 60 else 0


def _long_is_longest(frames: list[Frame], sizes: list[int], room: list[int],
                     long: int | None) -> list[int]:
    """Move filler from runs longer than the long run (`long`, its index) into it (within
    its spike cap), so the long run is the week's longest run and the week's load stays
    what it was. When a session's fixed part alone is longer than the long run can grow,
    nothing moves."""
    if long is None or not sizes[long]:
        return sizes
    sizes = [_minute(s) for s in sizes]
    fixed = [f.fixed_seconds for f in frames]
    totals = [fixed[i] + s if s or frames[i].head else 0 for i, s in enumerate(sizes)]
    others = [i for i in range(len(frames)) if i != long]
    if not others or totals[long] >= max(totals[i] for i in others):
        return sizes
    spare = room[long] - sizes[long]

    def freed(level: int) -> int:
        return sum(max(0, min(sizes[i], totals[i] - level)) for i in others)

    def reaches(level: int) -> bool:
        return totals[long] + min(spare, freed(level)) >= level

    low = max([totals[long]] + [fixed[i] for i in others if totals[i]])
    high = max(totals[i] for i in others)
    if not reaches(low):
        return sizes
    while high - low > 1:  # the highest level the long run reaches: the least moved
        level = (low + high) // 2
        low, high = (level, high) if reaches(level) else (low, level)
    out = list(sizes)
    for i in others:
        out[i] = _minute(min(sizes[i], max(0, low - fixed[i])))
    moved = sum(sizes[i] - out[i] for i in others)
    out[long] = _minute(sizes[long] + min(spare, moved))
    return out
