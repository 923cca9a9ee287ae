"""Hostile and broken input, built here: hostile XML, bombs, huge zips, bad names and values.

Each must end in one result per file that says what was wrong, never in an exception, and a
bomb must be refused while streaming (peak memory far below its decompressed size).
"""

from __future__ import annotations

import gzip
import struct
import tracemalloc
import zipfile

import pytest

from retrorun.formats.activities import Imported, Limits, RefusalReason, Refused, read_upload
from retrorun.formats.activities.limits import MAX_MEMBER_BYTES, MAX_ZIP_MEMBERS, MIB
from tests.formats.activities.builders import (
    RUN_FIT,
    RUN_GPX,
    TRUNCATED_FIT,
    WORKOUT_FIT,
    gpx,
    local,
    tcx,
    zip_of,
)
from tests.formats.activities.oracle import fitdecode_oracle

BILLION_LAUGHS = ('<!DOCTYPE gpx [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                  '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
                  '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>')
EXTERNAL_ENTITY = '<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
TIMES = ["2024-05-01T10:00:00Z", "2024-05-01T10:00:05Z", "2024-05-01T10:00:10Z"]


def _one(name: str, data: bytes, limits: Limits | None = None) -> Imported | Refused:
    results = read_upload(name, data) if limits is None else read_upload(name, data, limits)
    assert len(results) == 1, results
    return results[0]


def _refused(name: str, data: bytes, limits: Limits | None = None) -> Refused:
    result = _one(name, data, limits)
    assert isinstance(result, Refused), result
    assert result.message.startswith(result.file)  # every message names its file first
    return result


def _peak_mib(action) -> float:  # type: ignore[no-untyped-def]
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


def test_billion_laughs_is_refused_naming_the_file() -> None:
    data = gpx(TIMES, prologue=BILLION_LAUGHS).replace(b"<type>running", b"<type>&d;running")
    refused = _refused("laughs.gpx", data)
    assert refused.reason is RefusalReason.HOSTILE_XML
    assert refused.message.startswith("laughs.gpx declares XML entities")


def test_an_external_entity_is_refused_and_never_read() -> None:
    data = gpx(TIMES, prologue=EXTERNAL_ENTITY).replace(b"<type>running", b"<type>&secret;")
    refused = _refused("xxe.gpx", data)
    assert refused.reason is RefusalReason.HOSTILE_XML
    assert "root:" not in refused.message


def test_entities_in_tcx_are_refused_too() -> None:
    data = tcx(TIMES).replace(b"<TrainingCenterDatabase", BILLION_LAUGHS.replace(
        "gpx", "TrainingCenterDatabase").encode() + b"<TrainingCenterDatabase", 1)
    assert _refused("laughs.tcx", data).reason is RefusalReason.HOSTILE_XML


def test_a_zip_bomb_member_is_refused_while_streaming() -> None:
    bomb = zip_of({"activities/bomb.gpx": b"\0" * (MAX_MEMBER_BYTES - MIB),
                   "activities/run.fit": local(RUN_FIT)})
    assert len(bomb) < MIB
    results: list[Imported | Refused] = []
    peak = _peak_mib(lambda: results.extend(read_upload("export.zip", bomb)))
    assert [r.file for r in results] == ["export.zip/bomb.gpx", "export.zip/run.fit"]
    first, second = results
    assert isinstance(first, Refused)
    assert first.reason is RefusalReason.BOMB
    assert "refused as a possible zip bomb" in first.message
    assert isinstance(second, Imported)  # the good file beside the bomb still imports
    assert peak < 16  # MiB, against 63 MiB decompressed


def _lying_zip(real: bytes, declared: int) -> bytes:
    """A zip whose headers say its member is `declared` bytes when it inflates to more."""
    honest = zip_of({"liar.gpx": real})
    info = zipfile.ZipFile(__import__("io").BytesIO(honest)).infolist()[0]
    data = bytearray(honest)
    struct.pack_into("<I", data, info.header_offset + 22, declared)  # local header
    directory = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, directory + 24, declared)  # central directory
    return bytes(data)


def test_a_zip_that_lies_about_its_size_is_still_bounded() -> None:
    lying = _lying_zip(b"\0" * (MAX_MEMBER_BYTES + 8 * MIB), declared=1000)
    results: list[Imported | Refused] = []
    peak = _peak_mib(lambda: results.extend(read_upload("liar.zip", lying)))
    (refused,) = results
    assert isinstance(refused, Refused)
    assert refused.file == "liar.zip/liar.gpx"
    assert refused.reason in (RefusalReason.BOMB, RefusalReason.MALFORMED), refused
    assert peak < 16


def test_a_member_over_the_per_file_limit_is_refused_by_its_declared_size() -> None:
    big = zip_of({"big.fit": b"x" * (2 * MIB)}, method=zipfile.ZIP_STORED)
    refused = _refused("big.zip", big, Limits(member_bytes=MIB))
    assert refused.reason is RefusalReason.TOO_LARGE
    assert refused.message == "big.zip/big.fit is 2 MiB, over the limit of 1 MiB for one file"


def test_the_total_decompressed_size_of_an_upload_is_capped() -> None:
    members = {f"run{i}.fit": local(RUN_FIT) for i in range(4)}
    limits = Limits(total_bytes=2 * len(local(RUN_FIT)) + 10)
    results = read_upload("many.zip", zip_of(members), limits)
    assert [isinstance(r, Imported) for r in results] == [True, True, False, False]
    assert all("decompressed size is over" in r.message
               for r in results if isinstance(r, Refused))


def test_a_gzip_bomb_is_refused_while_streaming() -> None:
    bomb = gzip.compress(b"\0" * (MAX_MEMBER_BYTES + MIB))
    refused: list[Refused] = []
    peak = _peak_mib(lambda: refused.append(_refused("bomb.fit.gz", bomb)))
    assert refused[0].reason is RefusalReason.BOMB
    assert refused[0].message.startswith("bomb.fit.gz: compression ratio over 100:1")
    assert peak < 16


def test_a_gzip_over_the_size_limit_at_a_modest_ratio_is_refused() -> None:
    data = gzip.compress(bytes(range(256)) * (8 * 1024))  # 2 MiB, poorly compressible
    refused = _refused("big.gpx.gz", data, Limits(member_bytes=MIB))
    assert refused.message == ("big.gpx.gz: decompressed size over 1 MiB, refused as a "
                               "possible zip bomb")


def test_a_zip_with_10000_members_is_refused_before_reading_them() -> None:
    many = zip_of({f"a/{i}.gpx": b"" for i in range(10_000)}, method=zipfile.ZIP_STORED)
    refused = _refused("many.zip", many)
    assert refused.reason is RefusalReason.TOO_MANY_MEMBERS
    assert refused.message == (f"many.zip: zip member count 10,000 is over "
                               f"{MAX_ZIP_MEMBERS:,}; split the export into smaller zips")


@pytest.mark.parametrize(("member", "label"), [
    ("../../../etc/cron.d/evil.fit", "up.zip/evil.fit"),
    ("/absolute/path/run.fit", "up.zip/run.fit"),
    ("C:\\Windows\\System32\\run.fit", "up.zip/run.fit"),
    ("activities/../../run.fit", "up.zip/run.fit"),
    ("sneaky\x1b[31m.fit", "up.zip/sneaky?[31m.fit"),
])
def test_member_names_are_base_names_only(member: str, label: str) -> None:
    (result,) = read_upload("../../up.zip", zip_of({member: local(RUN_FIT)}))
    assert result.file == label


def test_nested_zips_beyond_the_depth_limit_are_refused() -> None:
    data = local(RUN_FIT)
    nested = zip_of({"run.fit": data})
    for level in range(3):
        nested = zip_of({f"level{level}.zip": nested})
    (result,) = read_upload("deep.zip", nested)
    assert isinstance(result, Refused)
    assert result.reason is RefusalReason.TOO_DEEP
    assert result.file == "deep.zip/level2.zip/level1.zip/level0.zip"


def test_an_upload_over_the_size_limit_is_refused_unread() -> None:
    refused = _refused("huge.fit", b"\0" * 2048, Limits(upload_bytes=1024))
    assert refused.reason is RefusalReason.TOO_LARGE
    assert refused.message == "huge.fit is 2,048 bytes, over the upload limit of 1,024"


def test_an_empty_file_is_refused() -> None:
    refused = _refused("empty.fit", b"")
    assert (refused.reason, refused.message) == (RefusalReason.EMPTY, "empty.fit is empty")


@pytest.mark.parametrize(("name", "message"), [
    ("zeros.fit", "zeros.fit is named as FIT but its content is not FIT"),
    ("zeros.bin", "zeros.bin is not a FIT, GPX or TCX file (nor a zip or gzip of them)"),
])
def test_nul_bytes_are_refused_as_an_unknown_format(name: str, message: str) -> None:
    refused = _refused(name, b"\0" * 1000)
    assert (refused.reason, refused.message) == (RefusalReason.UNKNOWN_FORMAT, message)


def test_nul_bytes_inside_xml_are_a_malformed_file() -> None:
    refused = _refused("nul.gpx", gpx(TIMES).replace(b"<trk>", b"<trk>\0"))
    assert refused.reason is RefusalReason.MALFORMED
    assert refused.message.startswith("nul.gpx is not well-formed XML")


def test_every_prefix_of_a_fit_file_ends_in_an_activity_or_a_message() -> None:
    data = local(RUN_FIT)
    for cut in range(0, len(data), 97):
        (result,) = read_upload("cut.fit", data[:cut])
        if isinstance(result, Imported):
            assert any("before the break" in w for w in result.activity.warnings)
        else:
            assert result.message.startswith("cut.fit")


def test_a_truncated_fit_keeps_the_records_before_the_break() -> None:
    result = _one(TRUNCATED_FIT, local(TRUNCATED_FIT))
    assert isinstance(result, Imported)
    assert result.activity.records == 14
    assert result.activity.warnings == (
        "truncated at byte 768: kept 14 records before the break "
        "(FitEOFError: expected 1 bytes, got 0 @ 768)",)


def test_a_fit_header_never_finalised_is_salvaged_with_a_message() -> None:
    data = bytearray(local(RUN_FIT))
    assert data[0] == 14
    struct.pack_into("<I", data, 4, 0)  # data size 0: the watch never finished the file
    result = _one("unfinished.fit", bytes(data))
    assert isinstance(result, Imported), result
    assert result.activity.warnings[0].startswith("the FIT header was never finalised")
    good = _one(RUN_FIT, local(RUN_FIT))
    assert isinstance(good, Imported)
    assert result.activity.records == good.activity.records == 21
    assert result.activity.distance_m == good.activity.distance_m


def test_a_truncated_gzip_is_read_as_far_as_it_goes() -> None:
    packed = gzip.compress(local(RUN_FIT))
    result = _one("run.fit.gz", packed[: len(packed) * 3 // 4])
    assert isinstance(result, Imported), result
    assert "the gzip stream ends early (truncated): read what came before" in (
        result.activity.warnings)


def test_a_truncated_xml_file_is_malformed() -> None:
    data = local(RUN_GPX)
    refused = _refused("half.gpx", data[: len(data) // 2])
    assert refused.reason is RefusalReason.MALFORMED


@pytest.mark.parametrize("build", [gpx, tcx])
def test_year_9999_timestamps_are_implausible(build) -> None:  # type: ignore[no-untyped-def]
    times = ["9999-12-31T23:59:57Z", "9999-12-31T23:59:58Z", "9999-12-31T23:59:59-01:00"]
    refused = _refused("future.xml", build(times))
    assert refused.message == "future.xml has no track point with a plausible time"


def test_implausible_points_amid_good_ones_are_dropped_with_a_warning() -> None:
    result = _one("mixed.gpx", gpx([*TIMES, "9999-01-01T00:00:00Z"]))
    assert isinstance(result, Imported)
    assert result.activity.records == 3
    assert result.activity.warnings == (
        "dropped 1 point(s) whose time went backwards or was implausible",)


def test_invalid_positions_are_kept_as_missing() -> None:
    result = _one("nopos.gpx", gpx(TIMES).replace(b'lat="51.0"', b'lat="undefined"', 1))
    assert isinstance(result, Imported)
    assert result.activity.streams.lat == (None, 51.0, 51.0)
    assert result.activity.warnings == ("1 track points have no valid position",)


# FIT profile `file` type values (FIT SDK Profile.xlsx): what each is called in the message
FILE_TYPES = {2: ("settings", "settings"), 6: ("course", "course"),
              15: ("monitoring_a", "monitoring (daily tracking)"), 4: ("activity", None)}


def _with_file_type(data: bytes, value: int) -> bytes:
    """The workout file with file_id.type set to `value`, found and checked with fitdecode."""
    for at in range(14, 60):
        if data[at] != 5:  # 5: workout
            continue
        patched = data[:at] + bytes([value]) + data[at + 1:]
        if fitdecode_oracle(patched).file_types[:1] == [FILE_TYPES[value][0]]:
            return patched
    raise AssertionError("file_id.type not found")


@pytest.mark.parametrize("value", [2, 6, 15])
def test_a_non_activity_fit_is_refused_saying_what_it_is(value: int) -> None:
    data = _with_file_type(WORKOUT_FIT.read_bytes(), value)
    refused = _refused("thing.fit", data)
    assert refused.reason is RefusalReason.NOT_AN_ACTIVITY
    assert refused.message == f"thing.fit is a FIT {FILE_TYPES[value][1]} file, not an activity"


def test_an_activity_without_records_or_session_is_refused() -> None:
    data = _with_file_type(WORKOUT_FIT.read_bytes(), 4)  # says activity, holds a workout
    refused = _refused("hollow.fit", data)
    assert refused.message == "hollow.fit holds no session and no records: nothing to import"
