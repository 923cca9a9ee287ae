"""What adaptation hands the generator: the weeks to keep and how to rebuild the rest.

A plan version after a decision keeps every week already begun exactly as it was
(`kept`), and the generator builds the weeks after them with its usual rules from that
history, the first of them under the decision's `WeekOverride` (DESIGN §4: "applying
them makes a new plan version from today on; the past is never rewritten").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from retrorun.domain.model import STAGE_LADDER, Gait, Week
from retrorun.domain.progression import StagePlan, plan_stage, stage_gait
from retrorun.domain.rules import BACKWARD_GROWTH_PER_WEEK_SECONDS

if TYPE_CHECKING:
    from retrorun.domain.context import Context


@dataclass(frozen=True, slots=True)
class WeekOverride:
    """How the first rebuilt week differs from what the rules alone would give.

    `stage`: the stage it is at (a hold, or a drop); `backward_cap_seconds`: the most
    backward seconds the week may hold (half of the week that hurt); `load_cap`: the
    most load (a restart below the last completed week after time off)."""

    stage: Gait | None = None
    backward_cap_seconds: int | None = None
    load_cap: float | None = None

    @property
    def empty(self) -> bool:
        return self.stage is None and self.backward_cap_seconds is None \
            and self.load_cap is None


@dataclass(frozen=True, slots=True)
class Resume:
    """`kept`: weeks 1..k-1 as they stay; `first`: the override of week k; `paused`:
    no backward work in any rebuilt week (a safety pause, until it is lifted)."""

    kept: tuple[Week, ...]
    first: WeekOverride = WeekOverride()
    paused: bool = False
    # Weeks adaptation made lighter than the schedule: a lighter one among them may drop
    # more than the usual 30 % (the week the athlete was hurt, or back from time off).
    waived: frozenset[int] = frozenset()

    def waived_weeks(self) -> frozenset[int]:
        first = len(self.kept) + 1
        return self.waived | ({first} if self.paused or not self.first.empty else set())


def week_under(ctx: Context, resume: Resume, index: int, stage: StagePlan,
               weeks: list[Week]) -> tuple[StagePlan, Context]:
    """The stage and the context a rebuilt week is built with."""
    first = index == len(resume.kept) + 1
    override = resume.first if first else WeekOverride()
    if resume.paused and weeks:
        stage = plan_stage(replace(ctx.program, hold_stage=True), ctx.start_stage,
                           ctx.max_stage, weeks, stage.lighter)
    # An override only ever lowers the stage (a hold, a drop): a back-off named after an
    # earlier, higher week must not lift a week the rules keep lower above its test.
    if override.stage is not None and \
            STAGE_LADDER.index(override.stage) < STAGE_LADDER.index(stage.stage):
        stage = _forced(ctx, override.stage, stage, weeks)
    week_ctx = ctx
    if resume.paused:
        # No backward day, and no backward warm-up jog (allowed only above walking).
        week_ctx = replace(week_ctx, pattern=replace(ctx.pattern, backward_days=()),
                           max_stage=Gait.WALK)
    if override.backward_cap_seconds is not None:
        given = ctx.limits.max_backward_minutes_per_week
        cap = override.backward_cap_seconds / 60
        week_ctx = replace(week_ctx, limits=replace(
            ctx.limits, max_backward_minutes_per_week=cap if given is None else min(given, cap)))
    if override.load_cap is not None:
        week_ctx = replace(week_ctx, load_cap=override.load_cap)
    return stage, week_ctx


def _forced(ctx: Context, gait: Gait, computed: StagePlan, weeks: list[Week]) -> StagePlan:
    """The stage adaptation decided: held (the rules' own hold) or dropped (its start
    dose, within the growth rule of the week before)."""
    if weeks and gait is weeks[-1].stage:
        return plan_stage(replace(ctx.program, hold_stage=True), ctx.start_stage,
                          ctx.max_stage, weeks, computed.lighter)
    dose = ctx.program.dose(gait)
    if dose is None:
        return computed
    before = max((s.prescribed_backward_running_seconds for s in weeks[-1].sessions),
                 default=0) if weeks else 0
    seconds = dose.start_seconds
    if before and dose.format != "sprint_sets" and stage_gait(dose) is not Gait.WALK:
        seconds = min(seconds, before + BACKWARD_GROWTH_PER_WEEK_SECONDS)
    low = dose.sets[0]
    return StagePlan(gait, dose, seconds, low, 1, computed.lighter)
