"""What the safety screen, the 3 m backward-walk test and age decide (evidence B1).

A "yes" on the screen means backward walking only, on a treadmill with handrails or
indoors, with advice to see a clinician first (B1.1); a slow 3 m backward walk keeps an
athlete at walking at any age (B1.2); some answers change more than that: a recent
concussion pauses running, late pregnancy rules out lying on the back. Ages outside the
studied range get no maximal sprints. Pure: a profile in, a decision and its notices out.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrorun.domain.model import Gait
from retrorun.domain.profile import Profile
from retrorun.domain.rules import (
    BACKWARD_WALK_3M_CUTOFF_S,
    BALANCE_TEST_AGE,
    MAX_SPRINT_FROM_AGE,
    MAX_SPRINT_MIN_AGE,
)

# What each screen answer is about, for the plan's words (a vertigo reason is not a knee
# program). Keys missing here read as the question's own text.
REASON_WORDS = {
    "vertigo": "your vertigo or vestibular disorder",
    "fall_last_year": "your fall in the last year",
    "balance_condition": "your balance or neurological condition",
    "leg_pain": "your current leg pain",
    "concussion": "your recent concussion",
    "late_pregnancy": "your late pregnancy",
    "uncorrected_vision": "your uncorrected vision problem",
}


@dataclass(frozen=True, slots=True)
class Screening:
    walk_only: bool = False
    # A recent concussion: no running of any kind until a clinician clears it. [A]
    no_running: bool = False
    # Late pregnancy: no core work lying on the back (supine), and no session longer than
    # the longest recent run (volume held, not built). [A]
    no_supine: bool = False
    # The highest stage age allows (no maximal sprints under 13 or from 60). [A]
    age_stage_cap: Gait = Gait.SPRINT
    notices: tuple[str, ...] = ()
    # Shown only with a program that sprints.
    age_notice: str | None = None


def _reasons(profile: Profile) -> str:
    words = [REASON_WORDS.get(k, k.replace("_", " ")) for k in profile.screen_yes]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _screen_notices(profile: Profile) -> list[str]:
    if not profile.screened_out:
        return []
    forward = ("" if "concussion" in profile.screen_yes
               else " Your forward training goes on as you gave it.")
    notices = [f"Safety screen: because of {_reasons(profile)}, this plan is backward walking "
               "only, on a treadmill with handrails or in a clear hallway or gym, in short "
               "sessions of its own. Please see a clinician before any backward jogging or "
               f"running (evidence B1).{forward}"]
    if "concussion" in profile.screen_yes:
        notices.append("Recent concussion: this plan has no running at all, forward or "
                       "backward, until a clinician clears you to run; it keeps short backward "
                       "walking sessions only, and you should ask your clinician about those "
                       "too.")
    if "late_pregnancy" in profile.screen_yes:
        notices.append("Late pregnancy: the core routine has no exercises lying on your back, "
                       "and backward work stays at walking. Please check every part of this plan "
                       "with your midwife or doctor.")
    return notices


def _balance_notice(profile: Profile) -> str | None:
    """B1.2: the 3 m test counts at any age when given; at 65 or over, or with poor
    balance, it is asked for, and until it is recorded the plan keeps to walking."""
    test = profile.backward_walk_3m_seconds
    if test is not None:
        if test > BACKWARD_WALK_3M_CUTOFF_S:
            return (f"Your 3 m backward walk took {test:g} s (over "
                    f"{BACKWARD_WALK_3M_CUTOFF_S:g} s), a sign of fall risk: this plan keeps to "
                    "backward walking (Polo-Ferrero 2025, a cut-off from older adults).")
        return None
    asked = profile.age >= BALANCE_TEST_AGE or profile.poor_balance
    if not asked:
        return None
    why = f"At {profile.age}" if profile.age >= BALANCE_TEST_AGE else "With poor balance"
    return (f"{why}, do the 3 m backward-walk self-test before backward jogging: walk 3 m "
            f"backwards at your normal speed with someone beside you; slower than "
            f"{BACKWARD_WALK_3M_CUTOFF_S:g} s means stay with backward walking. Until you record "
            "it, this plan keeps to backward walking.")


def _age_cap(profile: Profile) -> tuple[Gait, str | None]:
    if profile.age < MAX_SPRINT_MIN_AGE or profile.age >= MAX_SPRINT_FROM_AGE:
        return Gait.RUN, (f"At {profile.age}, backward efforts stay at 60-75 % of maximal: the "
                          "sprint studies were in 13-16-year-olds and young adults, so maximal "
                          "backward sprints are outside what was studied (our assumption).")
    return Gait.SPRINT, None


def screen(profile: Profile) -> Screening:
    notices = _screen_notices(profile)
    balance = _balance_notice(profile)
    if balance:
        notices.append(balance)
    cap, age_note = _age_cap(profile)
    return Screening(
        walk_only=profile.screened_out or balance is not None,
        no_running="concussion" in profile.screen_yes,
        no_supine="late_pregnancy" in profile.screen_yes,
        age_stage_cap=cap,
        notices=tuple(notices),
        age_notice=age_note,
    )
