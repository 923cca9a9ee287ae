"""The columnar stream blob: exact round trip, versioned, compact, and corrupt blobs refused."""

from __future__ import annotations

import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrorun.formats.activities import BlobError, Imported, decode_streams, encode_streams
from retrorun.formats.activities.blob import BLOB_VERSION, COLUMNS, build_streams
from retrorun.formats.activities.model import Streams
from retrorun.formats.activities.registry import read_upload
from tests.formats.activities.oracle import LOCAL

_values = st.one_of(st.none(), st.floats(min_value=-1e5, max_value=1e5, allow_nan=False))


@st.composite
def streams(draw: st.DrawFn) -> Streams:
    count = draw(st.integers(min_value=0, max_value=60))
    times = sorted(draw(st.lists(st.integers(0, 2**32 - 1), min_size=count, max_size=count)))
    present = draw(st.sets(st.sampled_from([name for name, _ in COLUMNS])))
    columns = {name: draw(st.lists(_values, min_size=count, max_size=count))
               for name in present}
    return build_streams(times, columns)


@given(streams())
def test_encode_then_decode_gives_the_same_streams(original: Streams) -> None:
    blob = encode_streams(original)
    assert blob[0] == BLOB_VERSION
    assert decode_streams(blob) == original


@given(st.lists(st.floats(min_value=-1e4, max_value=1e4, allow_nan=False), min_size=1,
                max_size=20))
def test_stored_precision_is_a_centimetre_for_distance(values: list[float]) -> None:
    stored = build_streams(list(range(len(values))), {"distance_m": values}).distance_m
    assert stored is not None
    for value, kept in zip(values, stored, strict=True):
        assert kept == pytest.approx(value, abs=0.005 + 1e-9)


def test_a_column_of_only_missing_values_is_left_out() -> None:
    built = build_streams([0, 1], {"heart_rate": [None, None], "cadence": [80, None]})
    assert built.heart_rate is None
    assert built.cadence == (80, None)


def test_nan_and_out_of_range_values_are_missing() -> None:
    built = build_streams([0, 1, 2], {"speed_mps": [float("nan"), 1e12, 2.5]})
    assert built.speed_mps == (None, None, 2.5)


def test_an_unknown_version_is_refused() -> None:
    blob = encode_streams(Streams(time_s=(0, 1)))
    with pytest.raises(BlobError, match="version 2"):
        decode_streams(bytes([2]) + blob[1:])
    with pytest.raises(BlobError, match="version None"):
        decode_streams(b"")


def test_corrupt_or_short_blobs_are_refused() -> None:
    blob = encode_streams(build_streams([0, 1, 2], {"heart_rate": [100, 101, 102]}))
    with pytest.raises(BlobError, match="does not decompress"):
        decode_streams(blob[:-3])
    payload = zlib.decompress(blob[1:])
    with pytest.raises(BlobError, match="shorter than its header"):
        decode_streams(bytes([BLOB_VERSION]) + zlib.compress(payload[:-4]))
    with pytest.raises(BlobError, match="trailing"):
        decode_streams(bytes([BLOB_VERSION]) + zlib.compress(payload + b"\0"))


def test_a_column_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(BlobError, match="3 times"):
        build_streams([0, 1, 2], {"lat": [1.0]})


def test_a_real_run_round_trips_and_is_compact() -> None:
    data = (LOCAL / "garmin-fenix-5-run.fit").read_bytes()
    (result,) = read_upload("garmin-fenix-5-run.fit", data)
    assert isinstance(result, Imported)
    streams = result.activity.streams
    blob = encode_streams(streams)
    assert decode_streams(blob) == streams
    present = sum(getattr(streams, name) is not None for name, _ in COLUMNS) + 1
    assert len(blob) < len(streams.time_s) * present * 4  # under the raw int32 columns
