"""Every GPX and TCX file of the shared corpus, by name, against minidom-computed figures.

GPX: start, point count and haversine distance recomputed from the whole DOM. TCX: the file's
own lap StartTime and DistanceMeters totals, and its Trackpoint times.
"""

from __future__ import annotations

import datetime as dt
import functools

import pytest

from retrorun.formats.activities import Imported, RefusalReason, Refused, read_upload
from tests.formats.activities.oracle import (
    CORPUS,
    corpus,
    gpx_oracle,
    monotonic_count,
    tcx_oracle,
)

# name: (sport, on_foot, a stream that must be there, a warning it must carry or None)
IMPORTED = {
    "run.gpx": ("generic", None, "heart_rate", None),  # Garmin Connect GPX: no <type>
    "run_gpxtpx.gpx": ("generic", None, "heart_rate", None),
    "Friday-Evening-Run.gpx": ("running", True, "cadence", None),
    "track-with-empty-segment.gpx": ("generic", None, "altitude_m", None),
    "broken1.gpx": ("generic", None, "altitude_m", None),
    "test.tcx": ("running", True, "heart_rate", None),
    "no_hr.tcx": ("running", True, "distance_m", None),
    "running_activity_1.tcx": ("running", True, "heart_rate", None),
    "sample.tcx": ("running", True, "lat", None),
    "bad.tcx": ("cycling", False, "heart_rate", "lap(s) repeated in the file were counted once"),
}
REFUSED = {
    "bad.gpx": (RefusalReason.MALFORMED,
                "bad.gpx has no track point with a valid time and position"),
    "Mojstrovka.gpx": (RefusalReason.MALFORMED,  # its times are in 1901 (SOURCES.md)
                       "Mojstrovka.gpx has no track point with a plausible time"),
    "unicode_with_bom.gpx": (RefusalReason.NOT_AN_ACTIVITY,
                             "unicode_with_bom.gpx is waypoints only, not an activity"),
    "tcx-courses.tcx": (RefusalReason.NOT_AN_ACTIVITY,
                        "tcx-courses.tcx is a course, not an activity"),
}


@functools.cache
def _only(name: str) -> Imported | Refused:
    results = read_upload(name, corpus(name))
    assert len(results) == 1
    return results[0]


def _activity(name: str):  # type: ignore[no-untyped-def]
    result = _only(name)
    assert isinstance(result, Imported), result
    return result.activity


def test_every_gpx_and_tcx_file_of_the_corpus_has_an_expectation() -> None:
    names = {p.name for p in CORPUS.iterdir() if p.suffix in (".gpx", ".tcx")}
    assert names == set(IMPORTED) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_xml_file_refused_with_its_message(name: str) -> None:
    result = _only(name)
    assert isinstance(result, Refused)
    assert (result.reason, result.message) == REFUSED[name]


@pytest.mark.parametrize("name", sorted(IMPORTED))
def test_xml_sport_streams_and_warnings(name: str) -> None:
    sport, on_foot, stream, warning = IMPORTED[name]
    activity = _activity(name)
    assert (activity.sport, activity.on_foot) == (sport, on_foot)
    assert getattr(activity.streams, stream) is not None
    if warning is None:
        assert activity.warnings == ()
    else:
        assert any(warning in w for w in activity.warnings), activity.warnings


@pytest.mark.parametrize("name", sorted(n for n in IMPORTED if n.endswith(".gpx")))
def test_gpx_start_points_and_distance_agree_with_the_dom(name: str) -> None:
    oracle = gpx_oracle(corpus(name))
    activity = _activity(name)
    assert activity.start == oracle.start
    assert activity.records == monotonic_count(oracle.times)
    assert activity.distance_m == pytest.approx(oracle.distance_m, rel=1e-6)
    assert activity.elapsed_s == pytest.approx(
        (max(oracle.times) - oracle.start).total_seconds(), abs=0.001)


@pytest.mark.parametrize("name", sorted(n for n in IMPORTED if n.endswith(".tcx")))
def test_tcx_start_points_and_lap_distance_agree_with_the_file(name: str) -> None:
    oracle = tcx_oracle(corpus(name))
    activity = _activity(name)
    assert activity.start == oracle.start
    assert activity.records == monotonic_count(oracle.times)
    expected = oracle.distance_m / 2 if name == "bad.tcx" else oracle.distance_m  # lap twice
    assert activity.distance_m == pytest.approx(expected, abs=0.01)


def test_tcx_laps_keep_the_files_totals() -> None:
    activity = _activity("test.tcx")
    assert activity.laps[0].start == dt.datetime(2012, 12, 26, 21, 29, 53, tzinfo=dt.UTC)
    assert activity.laps[0].elapsed_s == pytest.approx(608.47)
    assert activity.laps[0].distance_m == pytest.approx(1609.34399414)
    assert activity.laps[0].avg_heart_rate == 139
    assert activity.laps[0].avg_speed_mps == pytest.approx(1609.34399414 / 608.47)


def test_tcx_offset_is_read_from_the_activity_id() -> None:
    activity = _activity("bad.tcx")  # Id 2020-12-27T15:43:49.000+01:00
    assert activity.utc_offset == dt.timedelta(hours=1)
    assert activity.start == dt.datetime(2020, 12, 27, 14, 43, 49, tzinfo=dt.UTC)
    assert activity.elapsed_s == pytest.approx(2283.0)  # the lap's TotalTimeSeconds


def test_positions_at_zero_zero_are_no_positions() -> None:
    streams = _activity("bad.tcx").streams  # its points: 0,0 / 0,10 / no,undefined
    assert streams.lat is not None
    assert streams.lon is not None
    assert list(zip(streams.lat, streams.lon, strict=True)) == [(None, None), (0.0, 10.0),
                                                                (None, None)]


def test_no_hr_tcx_has_no_heart_rate_stream() -> None:
    assert _activity("no_hr.tcx").streams.heart_rate is None
    assert _activity("test.tcx").streams.heart_rate is not None
