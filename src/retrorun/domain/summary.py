"""The plan document's `athlete` object: the profile as understood, with derived paces,
zones, baselines and the program's sources."""

from __future__ import annotations

from retrorun.domain.context import Context
from retrorun.domain.model import Gait
from retrorun.domain.paces import format_pace
from retrorun.domain.profile import Units


def athlete_summary(ctx: Context) -> dict[str, object]:
    profile = ctx.profile
    imperial = profile.units is Units.IMPERIAL
    summary: dict[str, object] = {
        "experience": profile.experience.value,
        "goal": profile.goal.value,
        "age": profile.age,
        "units": profile.units.value,
        "intensity_model": profile.intensity_model.value,
        "available_days": list(profile.available_days),
        "surfaces": list(profile.surfaces),
        "screen": {"passed": not profile.screened_out, "yes": list(profile.screen_yes)},
        "backward_stage": profile.backward_stage.value,
        "poor_balance": profile.poor_balance,
        "easy_pace_s_per_km": round(ctx.paces.easy_s_per_km, 1),
        "easy_pace": format_pace(ctx.paces.easy_s_per_km, imperial),
        "easy_pace_source": ctx.paces.source,
        "backward_surface": ctx.backward_surface.value,
        "starting_backward_stage": ctx.start_stage.value,
        "highest_backward_stage": ctx.max_stage.value,
        "backward_share_cap": ctx.share_cap,
        "backward_share_cap_running": ctx.share_cap_for(Gait.RUN),
        "onramp": ctx.onramp,
        "baseline": {
            "weekly_seconds": ctx.baseline_weekly_seconds,
            "longest_session_seconds": ctx.baseline_longest_seconds,
        },
    }
    if ctx.zones is not None:
        summary["hr_zones"] = {"method": ctx.zones.method,
                               "zones_bpm": [list(z) for z in ctx.zones.zones],
                               "easy_ceiling_bpm": ctx.zones.easy_ceiling}
    limits = ctx.limits
    if limits.max_backward_minutes_per_week is not None or limits.pain_threshold is not None:
        summary["limits"] = {"max_backward_minutes_per_week":
                             limits.max_backward_minutes_per_week,
                             "pain_threshold": limits.pain_threshold}
    return summary
