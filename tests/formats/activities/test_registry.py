"""The registry: the reader is picked by content, containers unpacked, exports read whole."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib

import pytest

from retrorun.formats.activities import Imported, RefusalReason, Refused, read_upload, sniff
from tests.formats.activities.builders import (
    RUN_FIT,
    RUN_GPX,
    RUN_TCX,
    TRUNCATED_FIT,
    WORKOUT_FIT,
    local,
    zip_of,
)
from tests.formats.activities.oracle import fitdecode_oracle, gpx_oracle, tcx_oracle


@pytest.mark.parametrize(("data", "kind"), [
    (local(RUN_FIT), "fit"), (local(RUN_GPX), "gpx"), (local(RUN_TCX), "tcx"),
    (gzip.compress(b"x"), "gzip"), (zip_of({}), "zip"), (zip_of({"a.fit": b"x"}), "zip"),
    (b"\xef\xbb\xbf<?xml version='1.0'?><!-- c --><gpx/>", "gpx"),
    (b"<kml/>", None), (b"", None), (b"\0" * 20, None),
])
def test_sniff_decides_by_content(data: bytes, kind: str | None) -> None:
    assert sniff(data) == kind


def test_content_wins_over_a_wrong_extension() -> None:
    (result,) = read_upload("actually-a-fit.gpx", local(RUN_FIT))
    assert isinstance(result, Imported)
    assert result.activity.source_format == "fit"


def test_xml_that_is_neither_gpx_nor_tcx_is_named_so() -> None:
    (result,) = read_upload("places.kml", b"<?xml version='1.0'?><kml><Placemark/></kml>")
    assert isinstance(result, Refused)
    assert result.reason is RefusalReason.UNKNOWN_FORMAT
    assert result.message == "places.kml is XML but neither GPX nor TCX (root <kml>)"


@pytest.mark.parametrize("name", [RUN_FIT, RUN_GPX, RUN_TCX])
def test_each_format_imports_from_the_copied_files(name: str) -> None:
    (result,) = read_upload(name, local(name))
    assert isinstance(result, Imported)
    assert result.sha256 == hashlib.sha256(local(name)).hexdigest()
    assert result.activity.start.tzinfo is dt.UTC


def test_the_copied_files_figures_agree_with_their_oracles() -> None:
    fit, gpx, tcx = (read_upload(n, local(n))[0] for n in (RUN_FIT, RUN_GPX, RUN_TCX))
    assert isinstance(fit, Imported)
    assert isinstance(gpx, Imported)
    assert isinstance(tcx, Imported)
    (session,) = fitdecode_oracle(local(RUN_FIT)).sessions
    assert (fit.activity.start, fit.activity.distance_m) == (session["start_time"],
                                                             session["total_distance"])
    assert gpx.activity.start == gpx_oracle(local(RUN_GPX)).start
    assert tcx.activity.distance_m == pytest.approx(tcx_oracle(local(RUN_TCX)).distance_m)


def test_a_gzipped_file_has_the_same_hash_and_activity_as_the_plain_one() -> None:
    (plain,) = read_upload(RUN_FIT, local(RUN_FIT))
    (packed,) = read_upload(RUN_FIT + ".gz", gzip.compress(local(RUN_FIT)))
    assert isinstance(plain, Imported)
    assert isinstance(packed, Imported)
    assert packed.file == "garmin-fenix-5-run.fit.gz"
    assert (packed.sha256, packed.activity) == (plain.sha256, plain.activity)


def test_a_multi_member_gzip_is_read_whole() -> None:
    data = local(RUN_GPX)
    half = len(data) // 2
    (result,) = read_upload("two.gpx.gz", gzip.compress(data[:half]) + gzip.compress(data[half:]))
    assert isinstance(result, Imported)
    assert result.sha256 == hashlib.sha256(data).hexdigest()


def test_a_strava_export_reads_every_activity_and_skips_the_rest() -> None:
    export = zip_of({
        "activities.csv": b"Activity ID,Activity Date,Activity Type\n1,x,Run\n",
        "activities/1.fit.gz": gzip.compress(local(RUN_FIT)),
        "activities/2.gpx": local(RUN_GPX),
        "activities/3.tcx.gz": gzip.compress(local(RUN_TCX)),
        "activities/4.fit.gz": gzip.compress(WORKOUT_FIT.read_bytes()),
        "media/photo.jpg": b"\xff\xd8\xff",
        "profile.csv": b"x",
    })
    results = read_upload("export_12345.zip", export)
    assert [r.file for r in results] == ["export_12345.zip/1.fit.gz", "export_12345.zip/2.gpx",
                                         "export_12345.zip/3.tcx.gz", "export_12345.zip/4.fit.gz"]
    assert [type(r).__name__ for r in results] == ["Imported"] * 3 + ["Refused"]
    assert results[3].message == ("export_12345.zip/4.fit.gz is a FIT workout file, "  # type: ignore[union-attr]
                                  "not an activity")


def test_a_garmin_export_with_nested_zips_is_read_through() -> None:
    uploaded = zip_of({"run.fit": local(RUN_FIT), "broken.fit": local(TRUNCATED_FIT),
                       "empty.fit": b""})
    export = zip_of({"DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": uploaded,
                     "DI_CONNECT/DI-Connect-Fitness/summary.json": b"{}"})
    results = read_upload("garmin.zip", export)
    prefix = "garmin.zip/UploadedFiles_0-_Part1.zip/"
    assert [r.file for r in results] == [prefix + "run.fit", prefix + "broken.fit",
                                         prefix + "empty.fit"]
    run, broken, empty = results
    assert isinstance(run, Imported)
    assert isinstance(broken, Imported)
    assert any("truncated" in w for w in broken.activity.warnings)
    assert isinstance(empty, Refused)
    assert empty.message == prefix + "empty.fit is empty"


def test_a_damaged_zip_is_refused_by_name() -> None:
    data = zip_of({"a.fit": local(RUN_FIT)})
    (result,) = read_upload("bad.zip", data[:40])
    assert isinstance(result, Refused)
    assert result.reason is RefusalReason.MALFORMED
    assert result.message.startswith("bad.zip is a damaged zip file")


def test_a_damaged_gzip_is_refused_by_name() -> None:
    (result,) = read_upload("bad.fit.gz", b"\x1f\x8b\x08\x00garbage-not-deflate")
    assert isinstance(result, Refused)
    assert result.reason is RefusalReason.MALFORMED
    assert result.message.startswith("bad.fit.gz is a damaged gzip file")


def test_strava_activities_csv_names_the_sport_a_gpx_lacks() -> None:
    generic_gpx = local(RUN_GPX)  # Strava GPX without <type>: generic on its own
    (alone,) = read_upload(RUN_GPX, generic_gpx)
    assert isinstance(alone, Imported)
    assert alone.activity.sport == "generic"
    csv = (b"Activity ID,Activity Date,Activity Name,Activity Type,Filename\n"
           b"1,x,Morning Run,Run,activities/1.gpx\n"
           b"2,x,Ride,Ride,activities/2.fit.gz\n")
    export = zip_of({"activities/1.gpx": generic_gpx, "activities.csv": csv,
                     "activities/2.fit.gz": gzip.compress(local(RUN_FIT))})
    gpx_result, fit_result = read_upload("export.zip", export)
    assert isinstance(gpx_result, Imported)
    assert isinstance(fit_result, Imported)
    assert (gpx_result.activity.sport, gpx_result.activity.on_foot) == ("running", True)
    assert gpx_result.activity.warnings == ("sport from Strava's activities.csv (Run)",)
    assert fit_result.activity.sport == "running"  # the file's own sport wins over the CSV
    assert fit_result.activity.warnings == ()


def test_an_unreadable_activities_csv_changes_nothing() -> None:
    export = zip_of({"activities.csv": b"\xff\xfe not utf-8", "activities/1.gpx": local(RUN_GPX)})
    (result,) = read_upload("export.zip", export)
    assert isinstance(result, Imported)
    assert result.activity.sport == "generic"
