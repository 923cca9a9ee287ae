"""The numbered rules of DESIGN §3 and evidence B1-B8 as named constants with sources.

Generation, adaptation and the invariant checks all read them from here, so a limit is
written once. Tags: [E] evidence, [E*] extrapolated evidence, [X] expert practice,
[A] our assumption — as in shared/research/evidence.md part (b).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Invariant 1 / B2: backward running <= 10 % of weekly running minutes in stages 2-3,
# <= 15 % for advanced athletes. [A] Ordway's share could not be verified. The cap counts
# backward jogging, running and sprinting: B2 scopes it to stages 2-3, so stage-1 walking
# (e.g. Alghadir's 10 min x 3/week) is outside it.
BACKWARD_SHARE_CAP = 0.10
BACKWARD_SHARE_CAP_ADVANCED = 0.15
# B4: when no RPE is logged, backward minutes weigh 1.3 x forward minutes (metabolic cost
# +30-35 %, Wright & Weyand 2001, Rasica 2020). [E*]
BACKWARD_LOAD_FACTOR = 1.3

# Invariant 2 / B4: weekly load rises <= 15 % (soft target 10-15 %) and <= 30 % over any
# two weeks (Nielsen 2014: > 30 % linked to distance-related injuries, HR 1.59). [E]
WEEKLY_RISE_CAP = 0.15
TWO_WEEK_RISE_CAP = 0.30
# A lighter week (-20 to -30 % load) at least every 4th week. [X]
LIGHTER_WEEK_DROP = (0.20, 0.30)
LIGHTER_EVERY_MAX = 4
# We aim a lighter week at -22 %: inside the band with room for rounding. [A]
LIGHTER_WEEK_TARGET = 0.78

# Invariant 3 / B4: no session above 110 % of the longest equivalent session in the last
# 30 days (Frandsen 2025: spikes of 10-30 % carried HRR 1.64). [E]
SESSION_SPIKE_CAP = 1.10
SPIKE_WINDOW_DAYS = 30
# [A] Someone with no running yet starts from a 30-minute walk: the first on-ramp session
# (brisk walking with short runs) is the equivalent session.
ONRAMP_BASELINE_SECONDS = 30 * 60
# Invariant 6 / B2: a stage's advancement test needs two sessions at it ("2 sessions in a
# row with no stumble", "completed twice"); until then the week is repeated. [A] criteria
SESSIONS_BEFORE_ADVANCING = 2
# [A] Without a longest run given, the average run estimates it, but never above 2.5 h:
# a week's volume on one free day is not one session anyone has run recently.
LONGEST_ESTIMATE_MAX_SECONDS = 150 * 60
# [A] Below this weekly volume (minutes) a runner starts with the walk/run on-ramp.
ONRAMP_BELOW_WEEKLY_MINUTES = 30.0

# Invariant 5 / B6: backward sessions in stages 1-2 at least 48 h apart (calf soreness and
# DOMS in the first weeks [E*]); sprints never on consecutive days (Bouguezzi 2024 ran 2
# sessions a week). We keep every backward session 2 days apart.
MIN_DAYS_BETWEEN_BACKWARD = 2

# Invariant 8 / B5: about 80 % of running time easy (Seiler 2010; Festa 2020). [E]
EASY_SHARE = 0.80
INTENSE_SHARE_CAP = 1.0 - EASY_SHARE

# Invariant 6 / B2: time off drops stages. [A]
DROP_ONE_STAGE_AFTER_DAYS = 7
DROP_TWO_STAGES_AFTER_DAYS = 14

# B1.2: at 65 or over, a 3 m backward walk slower than 5.5 s keeps the athlete at backward
# walking and flags fall risk (Polo-Ferrero 2025; cut-off from older adults). [E*]
BALANCE_TEST_AGE = 65
BACKWARD_WALK_3M_CUTOFF_S = 5.5

# B6 pain-monitoring model (Silbernagel 2007). [E*]
PAIN_FINE_MAX = 3
PAIN_ACCEPTABLE_MAX = 5
PAIN_NEXT_MORNING_SETTLED_MAX = 3


class PainDecision(StrEnum):
    CONTINUE = "continue"
    HOLD = "hold"
    HALVE_AND_DROP_STAGE = "halve_and_drop_stage"
    STOP_BACKWARD = "stop_backward"


@dataclass(frozen=True, slots=True)
class PainVerdict:
    decision: PainDecision
    reason: str
    rule: str


def pain_verdict(pain_during: int, pain_next_morning: int | None,
                 *, dizziness_or_fall: bool = False) -> PainVerdict:
    """B6: what one logged session's pain and events mean for the next backward session."""
    if dizziness_or_fall:
        return PainVerdict(PainDecision.STOP_BACKWARD, "dizziness, a stumble or neck pain ends "
                           "the backward part; the next session repeats the stage at half "
                           "volume", "B6")
    if pain_during > PAIN_ACCEPTABLE_MAX:
        return PainVerdict(PainDecision.HALVE_AND_DROP_STAGE, f"pain {pain_during}/10 is above "
                           f"{PAIN_ACCEPTABLE_MAX}/10", "B6")
    settled = pain_next_morning is None or pain_next_morning <= PAIN_NEXT_MORNING_SETTLED_MAX
    if pain_during > PAIN_FINE_MAX and not settled:
        return PainVerdict(PainDecision.HALVE_AND_DROP_STAGE, f"pain {pain_during}/10 had not "
                           "settled by next morning", "B6")
    if pain_during > PAIN_FINE_MAX:
        return PainVerdict(PainDecision.HOLD, f"pain {pain_during}/10 is acceptable only "
                           "because it settled by next morning: hold the stage", "B6")
    return PainVerdict(PainDecision.CONTINUE, f"pain {pain_during}/10 is fine", "B6")


def stages_to_drop(days_off: int) -> int:
    """Invariant 6: >= 7 days off drops one stage, >= 14 days two (never below walking)."""
    if days_off >= DROP_TWO_STAGES_AFTER_DAYS:
        return 2
    return 1 if days_off >= DROP_ONE_STAGE_AFTER_DAYS else 0
