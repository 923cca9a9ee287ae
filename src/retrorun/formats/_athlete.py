"""The athlete's inputs (the plan document's `athlete` object) as labelled rows to print.

Known keys get a label and a readable value in a fixed order; raw numbers that only exist
for machines (pace in s/km next to its formatted twin) are left out; unknown keys still
print, so nothing the generator adds is silently lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from retrorun.domain.profile import BACKWARD_STAGE_TEXT, Units
from retrorun.formats._text import pace_words

HIDDEN = frozenset({"easy_pace_s_per_km", "easy_pace_source", "onramp"})
ASSUMPTION_TAG = "[A]"  # the domain marks its own assumptions so; a reader sees words


def _words(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_words(v) for v in value) or "none"
    if isinstance(value, Mapping):
        return "; ".join(f"{_words(k)}: {_words(v)}" for k, v in value.items()) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).replace("_", " ")


def _screen(value: object, _: Mapping[str, object], __: Units) -> str:
    if isinstance(value, Mapping):
        yes = value.get("yes") or []
        if value.get("passed") and not yes:
            return "clear"
        return f"answered yes to: {_words(yes)}"
    return _words(value)


def _stage(value: object, _: Mapping[str, object], __: Units) -> str:
    """The backward stage the athlete already does, as the wizard names it."""
    names = {stage.value: text.lower() for stage, text in BACKWARD_STAGE_TEXT.items()}
    return names[value] if isinstance(value, str) and value in names else _words(value)


def pace_source_words(source: str) -> str:
    """Where the easy pace came from (`domain.paces.Paces.source`), for a reader.

    The domain tags its own assumptions "[A]": "default for trained [A]" prints as
    "default for trained runners, our assumption". A source not known here prints as
    itself, without the tag.
    """
    assumed = ASSUMPTION_TAG in source
    text = source.replace(ASSUMPTION_TAG, "").strip().replace("_", " ")
    if text == "profile":
        text = "as you gave it"
    elif text.startswith("race (") and text.endswith(")"):
        text = f"from your race: {text.removeprefix('race (').removesuffix(')')}"
    elif text.startswith("default for "):
        level = text.removeprefix("default for ")
        text = "default for runners new to running" if level == "new to running" else (
            f"default for {level} runners")
    return f"{text}, our assumption" if assumed else text


def _pace(value: object, athlete: Mapping[str, object], units: Units) -> str:
    raw = athlete.get("easy_pace_s_per_km")
    text = pace_words(float(raw), units) if isinstance(raw, int | float) else _words(value)
    source = athlete.get("easy_pace_source")
    return f"{text} ({pace_source_words(str(source))})" if source else text


def _limits(value: object, _: Mapping[str, object], __: Units) -> str:
    """A coach's limits in words, as the web's plan page says them."""
    if not isinstance(value, Mapping):
        return _words(value)
    minutes, pain = value.get("max_backward_minutes_per_week"), value.get("pain_threshold")
    parts = []
    if isinstance(minutes, int | float):
        parts.append(f"at most {minutes:g} backward minutes a week")
    if isinstance(pain, int | float):
        parts.append(f"pain threshold {pain:g}/10")
    return "; ".join(parts) or "none"


def _share(value: object, _: Mapping[str, object], __: Units) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value * 100:.0f} % of running time"
    return _words(value)


def _zones(value: object, _: Mapping[str, object], __: Units) -> str:
    if isinstance(value, Mapping):
        return (
            f"{_words(value.get('method'))}; easy up to {_words(value.get('easy_ceiling_bpm'))} bpm"
        )
    return _words(value)


def _baseline(value: object, _: Mapping[str, object], __: Units) -> str:
    if isinstance(value, Mapping):
        weekly, longest = value.get("weekly_seconds"), value.get("longest_session_seconds")
        if isinstance(weekly, int | float) and isinstance(longest, int | float):
            return f"{weekly / 60:.0f} min a week; longest session {longest / 60:.0f} min"
    return _words(value)


def _plain(value: object, _: Mapping[str, object], __: Units) -> str:
    return _words(value)


Formatter = Callable[[object, Mapping[str, object], Units], str]
ROWS: dict[str, tuple[str, Formatter]] = {
    "experience": ("Experience", _plain),
    "goal": ("Goal", _plain),
    "age": ("Age", _plain),
    "available_days": ("Available days", _plain),
    "surfaces": ("Surfaces", _plain),
    "screen": ("Safety screen", _screen),
    "backward_stage": ("Backward running before this plan", _stage),
    "poor_balance": ("Poor balance (self-reported)", _plain),
    "easy_pace": ("Easy pace", _pace),
    "hr_zones": ("Heart-rate zones", _zones),
    "backward_surface": ("Backward work on", _plain),
    "highest_backward_stage": ("Highest backward stage in this plan", _plain),
    "starting_backward_stage": ("Backward stage this plan starts at", _plain),
    "backward_share_cap": ("Backward share cap while jogging", _share),
    "backward_share_cap_running": ("Backward share cap from running on", _share),
    "baseline": ("Starting point", _baseline),
    "limits": ("Coach limits", _limits),
    "intensity_model": ("Intensity model", _plain),
    "units": ("Units", _plain),
}


def athlete_rows(athlete: Mapping[str, object], units: Units) -> tuple[tuple[str, str], ...]:
    known = [k for k in ROWS if k in athlete]
    other = sorted(k for k in athlete if k not in ROWS and k not in HIDDEN)
    rows = [(ROWS[k][0], ROWS[k][1](athlete[k], athlete, units)) for k in known]
    rows += [(k.replace("_", " ").capitalize(), _words(athlete[k])) for k in other]
    return tuple(rows)
