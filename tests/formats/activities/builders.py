"""Build uploads in tests: zips, gzips and small XML activities."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.formats.activities.oracle import LOCAL

RUN_FIT = "garmin-fenix-5-run.fit"
TRUNCATED_FIT = "activity-unexpected-eof.fit"
RUN_GPX = "run_gpxtpx.gpx"
RUN_TCX = "sample.tcx"
WORKOUT_FIT = Path(__file__).resolve().parents[2] / "data" / "WorkoutIndividualSteps.fit"


def local(name: str) -> bytes:
    return (LOCAL / name).read_bytes()


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def gpx(times: list[str], lat: str = "51.0", lon: str = "4.0", prologue: str = "") -> bytes:
    points = "".join(f'<trkpt lat="{lat}" lon="{lon}"><time>{t}</time></trkpt>' for t in times)
    return (f'<?xml version="1.0"?>{prologue}<gpx xmlns="http://www.topografix.com/GPX/1/1">'
            f"<trk><type>running</type><trkseg>{points}</trkseg></trk></gpx>").encode()


def tcx(times: list[str]) -> bytes:
    points = "".join(f"<Trackpoint><Time>{t}</Time><DistanceMeters>{i * 3.0}</DistanceMeters>"
                     "</Trackpoint>" for i, t in enumerate(times))
    return ('<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
            'TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
            f"<Id>{times[0]}</Id><Track>{points}</Track></Activity></Activities>"
            "</TrainingCenterDatabase>").encode()
