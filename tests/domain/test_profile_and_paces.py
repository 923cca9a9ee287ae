"""Profile validation (retrorun.profile/1), paces and zones, the evidence registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings

from retrorun.domain.catalogue import load_catalogue
from retrorun.domain.errors import InvalidProfile
from retrorun.domain.evidence import CLAIMS, FORBIDDEN_CLAIMS
from retrorun.domain.paces import easy_pace_from_race, heart_rate_zones
from retrorun.domain.profile import SCREEN_QUESTIONS, BackwardStage, parse_profile
from tests.domain.strategies import profiles

SCHEMA = json.loads((Path(__file__).parents[1] / "contracts" / "profile.schema.json")
                    .read_text())
VALID: dict[str, Any] = {"experience": "recreational", "weekly_minutes": 120,
                         "available_days": ["mon"], "goal": "general", "age": 40,
                         "surfaces": [], "start_date": "2026-11-30", "screen": {}}


@settings(max_examples=200, deadline=None, derandomize=True)
@given(profiles())
def test_every_schema_valid_profile_is_accepted(raw: dict[str, Any]) -> None:
    jsonschema.validate(raw, SCHEMA)  # the strategy really produces contract profiles
    assert parse_profile(raw).age == raw["age"]


@pytest.mark.parametrize(("change", "field"), [
    ({"weekly_minutes": -1}, "weekly_minutes"), ({"weekly_minutes": 1501}, "weekly_minutes"),
    ({"age": 7}, "age"), ({"age": 30.5}, "age"), ({"age": True}, "age"),
    ({"hr_max": 99}, "hr_max"), ({"easy_pace_s_per_km": 100}, "easy_pace_s_per_km"),
    ({"available_days": []}, "available_days"), ({"available_days": ["mon", "mon"]},
                                                 "available_days"),
    ({"surfaces": ["sand"]}, "surfaces"), ({"start_date": "30/11/2026"}, "start_date"),
    ({"race": {"distance_m": 5000}}, "race.time_s"), ({"race": {"distance_m": 0,
                                                                "time_s": 10}},
                                                      "race.distance_m"),
    ({"units": "furlongs"}, "units"), ({"screen": {"dizzy": True}}, "screen.dizzy"),
    ({"weeks": 53}, "weeks"), ({"extra": 1}, "extra"),
    ({"backward_stage": "fly"}, "backward_stage"), ({"backward_stage": 3}, "backward_stage"),
    ({"poor_balance": "yes"}, "poor_balance"), ({"poor_balance": 1}, "poor_balance"),
    ({"screen": {"uncorrected_vision": "no"}}, "screen.uncorrected_vision"),
])
def test_bad_values_are_refused_naming_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidProfile) as error:
        parse_profile({**VALID, **change})
    assert error.value.field == field
    if "." not in field:  # the contract agrees (it leaves nested objects open)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**VALID, **change}, {**SCHEMA, "additionalProperties": False},
                                format_checker=jsonschema.FormatChecker())


def test_backward_stage_and_poor_balance_default_when_absent() -> None:
    athlete = parse_profile(VALID)
    assert athlete.backward_stage is BackwardStage.NEVER
    assert athlete.poor_balance is False


@pytest.mark.parametrize("stage", ["never", "walk", "jog", "run", "sprint"])
def test_every_backward_stage_is_read(stage: str) -> None:
    athlete = parse_profile({**VALID, "backward_stage": stage})
    assert athlete.backward_stage is BackwardStage(stage)
    assert athlete.backward_stage.value == stage
    jsonschema.validate({**VALID, "backward_stage": stage}, SCHEMA)


@pytest.mark.parametrize("answer", [True, False])
def test_poor_balance_is_read_and_is_not_a_screen_answer(answer: bool) -> None:
    athlete = parse_profile({**VALID, "poor_balance": answer})
    assert athlete.poor_balance is answer
    assert athlete.screen_yes == ()
    assert not athlete.screened_out  # it asks for the 3 m test; it is not walking only
    jsonschema.validate({**VALID, "poor_balance": answer}, SCHEMA)


def test_an_uncorrected_vision_problem_is_a_screen_question() -> None:
    assert SCREEN_QUESTIONS["uncorrected_vision"] == "an uncorrected vision problem"
    athlete = parse_profile({**VALID, "screen": {"uncorrected_vision": True}})
    assert athlete.screen_yes == ("uncorrected_vision",)
    assert athlete.screened_out
    assert parse_profile({**VALID, "screen": {"uncorrected_vision": False}}).screen_yes == ()
    screen = SCHEMA["properties"]["screen"]["properties"]
    assert set(screen) == set(SCREEN_QUESTIONS)  # the contract lists every question


def test_the_contract_describes_the_new_fields() -> None:
    for key in ("backward_stage", "poor_balance"):
        assert SCHEMA["properties"][key]["description"]
    assert SCHEMA["properties"]["backward_stage"]["enum"] == [s.value for s in BackwardStage]


def _nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(("change", "message"), [
    ({"age": None}, "age: got null; must be an integer"),
    ({"age": True}, "age: got true; must be an integer"),
    ({"age": 30.5}, "age: got 30.5; must be an integer"),
    ({"weekly_minutes": float("nan")}, "weekly_minutes: got NaN; must be a number"),
    ({"weekly_minutes": "lots"}, 'weekly_minutes: got "lots"; must be a number'),
    ({"goal": None}, "goal: got null; allowed: general, economy"),
    ({"available_days": [False]}, "available_days: got false; allowed: mon, tue"),
    ({"surfaces": {"road": None}}, 'surfaces: got {"road": null}; must be a list of'),
    ({"start_date": ["2026", 11]}, 'start_date: got ["2026", 11]; must be a date'),
    ({"screen": {"vertigo": None}}, "screen.vertigo: got null; must be true or false"),
    ({"screen": {"vertigo": "no"}}, 'screen.vertigo: got "no"; must be true or false'),
    ({"program": False}, "program: got false; must be a program id"),
    ({"long_run_day": "Sunday"}, 'long_run_day: got "Sunday"; allowed: mon'),
    ({"backward_stage": 3}, "backward_stage: got 3; allowed: never, walk, jog, run, sprint"),
    ({"backward_stage": "Walk"}, 'backward_stage: got "Walk"; allowed: never, walk, jog'),
    ({"backward_stage": None}, "backward_stage: got null; allowed: never"),
    ({"poor_balance": "yes"}, 'poor_balance: got "yes"; must be true or false'),
    ({"poor_balance": 0}, "poor_balance: got 0; must be true or false"),
    ({"poor_balance": None}, "poor_balance: got null; must be true or false"),
    ({"screen": {"uncorrected_vision": 1}},
     "screen.uncorrected_vision: got 1; must be true or false"),
])
def test_values_in_messages_are_spelled_as_json(change: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidProfile) as error:
        parse_profile({**VALID, **change})
    assert str(error.value).startswith(message), str(error.value)


@pytest.mark.parametrize(("change", "got"), [
    ({"goal": "x" * 500}, '"' + "x" * 58 + "…"),  # long values are cut to 60 characters
    ({"age": _nested(100_000)}, "[…]"),  # too deep for json.dumps
    ({"age": 10**400}, "1" + "0" * 58 + "…"),  # out of range, not an OverflowError
    ({"goal": "a\nb\u2028c\ud800"}, '"a\\nb\\u2028c\\ud800"'),  # one printable line
])
def test_odd_values_are_shown_short_on_one_line(change: dict[str, Any], got: str) -> None:
    with pytest.raises(InvalidProfile) as error:
        parse_profile({**VALID, **change})
    assert error.value.problem.startswith(f"got {got};"), error.value.problem
    assert str(error.value).isprintable()


@pytest.mark.parametrize(("change", "field"), [
    ({"a\nb": 1}, '"a\\nb"'),
    ({"": 1}, '""'),
    ({"screen": {"x" * 100: True}}, 'screen."' + "x" * 58 + "…"),
])
def test_odd_unknown_keys_are_quoted(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidProfile) as error:
        parse_profile({**VALID, **change})
    assert error.value.field == field
    assert str(error.value).isprintable()


def test_whole_numbers_beyond_floats_are_out_of_range() -> None:
    with pytest.raises(InvalidProfile) as error:
        parse_profile({**VALID, "race": {"distance_m": 10**400, "time_s": 1200}})
    assert error.value.field == "race.distance_m"
    assert error.value.problem.endswith("must be at most 1.79769e+308")


def test_daniels_easy_pace_from_a_5k() -> None:
    pace, score = easy_pace_from_race(5000, 25 * 60)
    assert 38.0 < score < 38.6  # VDOT of a 25:00 5 km in Daniels' tables: ~38
    assert 380 < pace < 410  # E pace for VDOT 38: about 6:30-6:50 per km


def test_karvonen_zones_use_the_reserve() -> None:
    zones = heart_rate_zones(190, 50)
    assert zones is not None
    assert zones.zones[0] == (120, 134)
    assert zones.easy_ceiling == 148
    assert heart_rate_zones(190, None).method == "percent of max"  # type: ignore[union-attr]


def test_no_text_makes_a_forbidden_claim() -> None:
    texts = [c.text for c in CLAIMS.values()]
    texts += [p.rationale for p in load_catalogue().values()]
    for text in texts:
        for phrase in FORBIDDEN_CLAIMS:
            assert phrase not in text.lower(), (phrase, text)


def test_the_brain_claim_is_marked_unproven() -> None:
    assert CLAIMS["brain"].shown is False
    assert "unproven" in CLAIMS["brain"].text.lower()
