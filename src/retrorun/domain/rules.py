"""The numbered rules of DESIGN §3 and evidence B1-B8 as named constants with sources.

Generation, adaptation and the invariant checks all read them from here, so a limit is
written once. Tags: [E] evidence, [E*] extrapolated evidence, [X] expert practice,
[A] our assumption — as in shared/research/evidence.md part (b).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Invariant 1 / B2: backward jogging, running and sprinting as a share of weekly running
# time. B2 caps stage 2 at 10 % (15 % for advanced athletes) [A: Ordway's share could not be
# verified]. Stage 3 may take up to about 20 % (25 % advanced) so that it reaches the studied
# 6-15 min a session [A] (issue 9; DESIGN §3 invariant 1). Stage-1 walking is outside the
# cap: B2 scopes it to stages 2-3 (Alghadir's 10 min x 3/week would not fit under it).
BACKWARD_SHARE_CAP = 0.10
BACKWARD_SHARE_CAP_ADVANCED = 0.15
RUN_STAGE_SHARE_CAP = 0.20
RUN_STAGE_SHARE_CAP_ADVANCED = 0.25
# B2 stage 3: "add at most 2 min per session per week"; we hold every backward running
# part to the longest of the week before plus 2 min. [E]/[A] minutes
BACKWARD_GROWTH_PER_WEEK_SECONDS = 120
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
# Invariant 6 / B2: a stage's advancement test needs two sessions at its test dose ("2
# sessions in a row with no stumble", "5-6 min total completed twice"); until then the
# stage is held. [A] criteria
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

# B1.2: a 3 m backward walk slower than 5.5 s keeps the athlete at backward walking and
# flags fall risk (Polo-Ferrero 2025; cut-off from older adults) [E*]. The test counts at
# any age when given, and is asked for at 65 or over and with self-reported poor balance.
BALANCE_TEST_AGE = 65
BACKWARD_WALK_3M_CUTOFF_S = 5.5

# Ages outside the studied range: the sprint studies were 13-16-year-olds (Uthoff 2020,
# Negra 2022, Bouguezzi 2024) and young adults (Jawed 2024). No maximal (>= 90 %) backward
# sprints under 13 or from 60. [A]
MAX_SPRINT_MIN_AGE = 13
MAX_SPRINT_FROM_AGE = 60
# Under 18, strength and sprint sessions carry a supervision note (the youth studies were
# supervised). [A]
SUPERVISION_UNDER_AGE = 18
# B8: strength twice a week (Lauersen 2014), for athletes of 13 and over. [E]/[A] age
STRENGTH_SESSIONS_PER_WEEK = 2
STRENGTH_MIN_AGE = 13

# [A] The shortest easy run worth going out for, beyond the walk/run on-ramp and named
# shake-outs (a coach's convention; issue 9).
MIN_EASY_RUN_SECONDS = 20 * 60
SHAKEOUT_MIN_SECONDS = 10 * 60

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

# --- Adaptation (issue 10; DESIGN §4) ------------------------------------------------
# B2 advancement tests, per stage: the most session RPE (CR-10) a test session may have;
# walking also asks next-morning pain <= 2/10. Pain during a test session <= 3/10
# ("no pain flags", B6). [A] criteria, as B2 marks them.
TEST_RPE_MAX = {"walk": 3, "jog": 4, "run": 4}
TEST_WALK_NEXT_MORNING_PAIN_MAX = 2
# B6: the same back-off again within three weeks pauses backward work. [E*]
PAIN_REPEAT_WINDOW_DAYS = 21
# B6: a back-off halves the backward minutes of the week after. [E*]
BACK_OFF_BACKWARD_FACTOR = 0.5
# B6 [A]: dizziness, a stumble or neck pain: the next backward session at half volume.
EVENT_SESSION_FACTOR = 0.5
# B6 [A]: session RPE this many points above its target counts as "too hard";
# twice in a row holds the stage, three times regresses it.
RPE_OVER_TARGET = 2
RPE_HOLD_AFTER = 2
RPE_REGRESS_AFTER = 3
# [A] A session's RPE target when its steps give none (easy running, CR-10 3-4).
DEFAULT_SESSION_RPE_TARGET = 4
# [A] After time off the weekly load restarts at 80 % of the last completed week
# ("restarts below", B4's load guards; our number).
TIME_OFF_RESTART_FACTOR = 0.8
# [A] A key session missed (skipped, or not logged two days after its day) is moved
# within its week; later than that it is dropped, never crammed.
MISSED_UNLOGGED_GRACE_DAYS = 2
