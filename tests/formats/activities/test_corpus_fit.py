"""Every FIT file of the shared corpus, by name, against fitdecode's defaults and the FIT SDK.

Sports, record counts and breaks are as SOURCES.md describes each file; start, distance,
elapsed time and record counts are recomputed here from fitdecode's own session and record
messages (and, where the SDK decodes the file, from the SDK's sessions too).
"""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from retrorun.formats.activities import Imported, RefusalReason, Refused, read_upload
from tests.formats.activities.oracle import (
    CORPUS,
    corpus,
    fitdecode_oracle,
    monotonic_count,
    sdk_sessions,
)

# name: (sport, on_foot, a warning it must carry or None for none)
IMPORTED = {
    "garmin-fenix-5-run.fit": ("running", True, None),
    "activity-small-fenix2-run.fit": ("running", True, None),
    "2013-02-06-12-11-14.fit": ("running", True, None),  # header CRC 0 is allowed
    "developer-types-sample.fit": ("running", True, None),
    "strava-android-app-201.10-b1218918.fit":
        ("running", True, "unreadable at byte 7471: kept 473 records before the break"),
    "compressed-speed-distance.fit": ("running", True, "times since power-on"),
    "mornindew-broken.fit": ("running", True, None),
    "activity-large-fenxi2-multisport.fit":  # a cycling leg; two records step back in time
        ("multisport", False, "dropped 2 record(s) whose time went backwards"),
    "sample_mulitple_header.fit": ("multisport", False, None),
    "big_activity.fit": ("cycling", False, None),
    "coros-pace-2-cycling-misaligned-fields.fit": ("cycling", False, "invalid field size"),
    "HrmPluginTestActivity.fit": ("walking", True, None),
    "activity-filecrc.fit": ("running", True, "CRC mismatch"),
    "activity-unexpected-eof.fit":
        ("running", True, "truncated at byte 768: kept 14 records before the break"),
    "activity-settings-corruptheader.fit":
        ("running", True, "chained after the activity at byte 771 has a corrupt header"),
}
REFUSED = {
    "WorkoutRepeatSteps.fit": "WorkoutRepeatSteps.fit is a FIT workout file, not an activity",
    "WorkoutIndividualSteps.fit":
        "WorkoutIndividualSteps.fit is a FIT workout file, not an activity",
}
# files the FIT SDK decodes without an error (SOURCES.md: not the compressed-timestamp one,
# nor the broken ones)
SDK_CLEAN = ["garmin-fenix-5-run.fit", "activity-small-fenix2-run.fit",
             "2013-02-06-12-11-14.fit", "developer-types-sample.fit", "mornindew-broken.fit",
             "HrmPluginTestActivity.fit", "big_activity.fit"]


@functools.cache
def _only(name: str) -> Imported | Refused:
    results = read_upload(name, corpus(name))
    assert len(results) == 1
    return results[0]


def _imported(name: str) -> Imported:
    result = _only(name)
    assert isinstance(result, Imported), result
    return result


def test_every_fit_file_of_the_corpus_has_an_expectation() -> None:
    assert {p.name for p in CORPUS.glob("*.fit")} == set(IMPORTED) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_non_activity_fit_is_refused_saying_what_it_is(name: str) -> None:
    result = _only(name)
    assert isinstance(result, Refused)
    assert result.reason is RefusalReason.NOT_AN_ACTIVITY
    assert result.message == REFUSED[name]
    assert fitdecode_oracle(corpus(name)).file_types == ["workout"]


@pytest.mark.parametrize("name", sorted(IMPORTED))
def test_fit_sport_and_warnings_are_as_the_sources_say(name: str) -> None:
    sport, on_foot, warning = IMPORTED[name]
    activity = _imported(name).activity
    assert (activity.sport, activity.on_foot) == (sport, on_foot)
    if warning is None:
        assert activity.warnings == ()
    else:
        assert any(warning in w for w in activity.warnings), activity.warnings


def _expected_start(name: str) -> dt.datetime:
    oracle = fitdecode_oracle(corpus(name))
    starts = [s["start_time"] for s in oracle.sessions]
    if all(isinstance(s, dt.datetime) for s in starts):
        return min(starts)
    # device-relative times (below 0x10000000): place them by the activity's local clock
    local_end, relative_end = oracle.activity["local_timestamp"], oracle.activity["timestamp"]
    assert isinstance(local_end, dt.datetime)  # fitdecode: local clock, labelled UTC
    return local_end - dt.timedelta(seconds=relative_end - min(starts))


@pytest.mark.parametrize("name", sorted(IMPORTED))
def test_fit_start_distance_and_records_agree_with_fitdecode_sessions(name: str) -> None:
    oracle = fitdecode_oracle(corpus(name))
    activity = _imported(name).activity
    assert activity.start == _expected_start(name)
    assert activity.start.utcoffset() == dt.timedelta(0)
    expected_distance = sum(s["total_distance"] for s in oracle.sessions)
    assert activity.distance_m == pytest.approx(expected_distance, abs=0.01)
    elapsed = sum(s["total_elapsed_time"] for s in oracle.sessions)
    assert activity.elapsed_s == pytest.approx(elapsed, abs=0.01)
    assert activity.records == monotonic_count(oracle.record_times)
    assert len(activity.laps) <= len(oracle.record_times) + 1


@pytest.mark.parametrize("name", SDK_CLEAN)
def test_fit_start_and_distance_agree_with_the_fit_sdk(name: str) -> None:
    sessions = sdk_sessions(corpus(name))
    activity = _imported(name).activity
    assert activity.start == min(s["start_time"] for s in sessions)
    sdk_distance = sum(s.get("total_distance") or 0 for s in sessions)
    assert activity.distance_m == pytest.approx(sdk_distance, abs=0.01)


def test_the_broken_strava_file_keeps_the_473_records_sources_md_counts() -> None:
    activity = _imported("strava-android-app-201.10-b1218918.fit").activity
    assert activity.records == 473
    assert "local message 11 not defined" in fitdecode_oracle(
        corpus("strava-android-app-201.10-b1218918.fit")).error  # type: ignore[operator]


def test_the_triathlon_keeps_its_legs_with_the_run_on_foot() -> None:
    activity = _imported("sample_mulitple_header.fit").activity
    sports = [leg.sport for leg in activity.legs]
    assert sports[:3] == ["swimming", "transition", "cycling"]
    assert "running" in sports
    assert [leg.on_foot for leg in activity.legs if leg.sport == "running"] == [True]


def test_laps_carry_the_lap_messages_figures() -> None:
    activity = _imported("compressed-speed-distance.fit").activity
    assert len(activity.laps) == 11
    assert [lap.distance_m for lap in activity.laps[:3]] == [1000.0, 1000.0, 1000.0]
    assert activity.laps[0].avg_speed_mps == pytest.approx(1.919)
    assert activity.laps[0].elapsed_s == pytest.approx(539.672)


def test_a_utc_offset_comes_from_the_activity_local_timestamp() -> None:
    oracle = fitdecode_oracle(corpus("garmin-fenix-5-run.fit"))
    offset = oracle.activity["local_timestamp"] - oracle.activity["timestamp"]
    activity = _imported("garmin-fenix-5-run.fit").activity
    assert activity.utc_offset == offset
    assert activity.local_start.utcoffset() == offset


def test_streams_hold_heart_rate_and_positions_of_a_gps_run() -> None:
    activity = _imported("activity-small-fenix2-run.fit").activity
    streams = activity.streams
    assert streams.time_s[0] == 0
    assert streams.time_s == tuple(sorted(streams.time_s))
    assert streams.lat is not None
    assert streams.heart_rate is not None
    assert streams.distance_m is not None
    last = next(d for d in reversed(streams.distance_m) if d is not None)
    assert last == pytest.approx(activity.distance_m, rel=0.01)
