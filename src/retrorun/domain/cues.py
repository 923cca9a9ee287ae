"""Cues that fit the step: where it is done, how, and what to stop for (evidence B3, B6, B7).

A cue is chosen by the step's surface and gait, so a treadmill never says "look back"
(turning the head on a belt is how people fall off it) and a 5-second sprint never says
"every few strides". Every backward step carries the stop rule of B6.
"""

from __future__ import annotations

import functools

from retrorun.domain.model import Gait, Surface

# B6 [A]: stop the backward part at once on these; the next session repeats the stage at
# half volume.
CUE_STOP = "Stop the backward part at once on dizziness, a near-fall or sharp pain."
# B7 [X]: look back over alternating shoulders every few strides.
CUE_SHOULDERS = "Look back over alternating shoulders every few strides."
CUE_FORM = "Core engaged, natural arm swing, land on the ball of the foot."
# Expert practice (evidence (a) coaching sources): walk before you jog.
CUE_WALK_FIRST = "Walk before you jog: stay at walking until it feels steady."
# B7 / Hammer 2021 [E]: safety key, handrail allowed for the first 3 sessions; [X] no
# turning the head on a moving belt.
CUE_TREADMILL = ("Clip the safety key; hold the handrail for your first three sessions; keep "
                 "your head still and eyes forward: never turn your head on a moving belt.")
# B3 [X]: start the belt at 2-3 km/h and raise it by 0.5 km/h steps.
CUE_BELT_METRIC = "Start the belt at 2-3 km/h and raise it in 0.5 km/h steps."
CUE_BELT_IMPERIAL = "Start the belt at 1.2-1.9 mph and raise it in 0.3 mph steps."
# B7 [X]: on a track, the lane lines are the guide.
CUE_TRACK = "Follow the lane lines and check behind you at each lap."
CUE_LANES = "Follow the lane lines."
CUE_GRASS = "Flat, clear grass or turf only: walk the stretch first to check it."
CUE_INDOOR = "A clear hallway or gym floor, with a wall or rail within reach."
# Stage 4 [X]: one look before a short rep, none during it.
CUE_REP = "Look back before each rep and start only in a clear lane; eyes ahead during it."
# After a yes on the screen (vertigo, balance, concussion...) head turns are what provokes
# symptoms [A]: keep the head still and let a partner or mirror watch behind.
CUE_HEAD_STILL = ("Keep your head still: a partner or a mirror watches behind you, and a wall "
                  "or rail stays within reach.")
CUE_TREADMILL_SCREENED = ("Clip the safety key and hold the handrail throughout; keep your "
                          "head still and eyes forward.")
CUE_SUPERVISION = ("Under 18: do this session with a coach or another adult supervising, as "
                   "in the youth studies.")
CUE_CLINICIAN = "See a clinician before any backward jogging or running."


def _where(surface: Surface, imperial: bool, screened: bool, reps: bool) -> tuple[str, ...]:
    belt = CUE_BELT_IMPERIAL if imperial else CUE_BELT_METRIC
    if surface is Surface.TREADMILL:
        return (CUE_TREADMILL_SCREENED if screened else CUE_TREADMILL, belt)
    if surface is Surface.TRACK:
        return (CUE_LANES,) if reps else (CUE_TRACK,)
    if surface is Surface.INDOOR:
        return (CUE_INDOOR,)
    return (CUE_GRASS,)


@functools.cache
def backward_cue(surface: Surface, gait: Gait, reps: bool = False, imperial: bool = False,
                 screened: bool = False) -> str:
    """The cue of one backward step: where, how, and when to stop. `screened`: after a
    yes on the safety screen, no head turns."""
    parts: list[str] = list(_where(surface, imperial, screened, reps))
    if screened and surface is not Surface.TREADMILL:
        parts.append(CUE_HEAD_STILL)
    elif reps:
        parts.append(CUE_REP)
    elif surface is not Surface.TREADMILL:
        parts.append(CUE_SHOULDERS)
    if gait is Gait.WALK and not reps:
        parts.append(CUE_WALK_FIRST)
    elif gait is not Gait.WALK:
        parts.append(CUE_FORM)
    parts.append(CUE_STOP)
    return " ".join(parts)
