"""Read a FIT activity with fitdecode (the reference decoder), keeping what a broken file holds.

Options (../shared/research/import.md section 2): `processor=None` and the decoder's CRC
check off (2.0 x fitdecode's defaults here, benchmarks/bench_import.py; we do the few unit
conversions ourselves: FIT epoch, semicircles). The CRC is still checked, by fitcrc.py two
bytes a step (0.2 s for the 4.5 MB of FIT in the corpus, against about 4.5 s inside
fitdecode), and only reported: a mismatch is a warning, not a refusal. Decoder warnings and
errors become the activity's warnings: a truncated file or one that breaks mid-way keeps the
records before the break; a header never finalised (data size 0) is patched to the file's
length and read to its end; a file whose file_id says it is no activity (workout, course,
settings, monitoring...) is refused saying what it is.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import fitdecode  # type: ignore[import-untyped]

from retrorun.formats.activities.assemble import FIT_EPOCH, FitSummary, activity_from_fit
from retrorun.formats.activities.errors import ActivityRefusal
from retrorun.formats.activities.fitcrc import crc_problems
from retrorun.formats.activities.model import Activity, RefusalReason
from retrorun.formats.activities.track import Point

SEMICIRCLE_DEG = 180 / 2**31  # FIT position unit (FIT SDK, semicircles)
FIT_MAGIC = b".FIT"
_OFFSET = re.compile(r"@ (\d+)")
# what a user calls each non-activity FIT file type (FIT profile type `file`)
FILE_TYPE_NAMES = {
    "workout": "workout", "course": "course", "settings": "settings", "sport": "sport settings",
    "monitoring_a": "monitoring (daily tracking)", "monitoring_b": "monitoring (daily tracking)",
    "monitoring_daily": "monitoring (daily tracking)", "totals": "totals", "goals": "goals",
    "schedules": "schedule", "weight": "weight", "blood_pressure": "blood pressure",
    "segment": "segment", "segment_list": "segment list", "device": "device",
    "activity_summary": "activity summary (no records)",
}
_RECORD_FIELDS = ("distance", "enhanced_speed", "speed", "heart_rate", "cadence",
                  "enhanced_altitude", "altitude", "position_lat", "position_long")


@dataclass
class _Collected:
    file_types: list[str] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    laps: list[dict[str, Any]] = field(default_factory=list)
    activity: dict[str, Any] | None = None
    device: str | None = None
    points: list[Point] = field(default_factory=list)
    headers: int = 0
    warnings: list[str] = field(default_factory=list)


def is_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[8:12] == FIT_MAGIC


def _fields(frame: Any) -> dict[str, Any]:
    return {f.name: f.value for f in frame.fields}


def _num(value: Any) -> float | None:
    """A field's number; a damaged file can give a tuple or bytes where a number belongs."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _point(values: dict[str, Any], epoch: int) -> Point | None:
    t = _num(values.get("timestamp"))
    if t is None:
        return None
    lat, lon = _num(values.get("position_lat")), _num(values.get("position_long"))
    speed = _num(values.get("enhanced_speed"))
    altitude = _num(values.get("enhanced_altitude"))
    return Point(
        t=t + epoch,
        distance_m=_num(values.get("distance")),
        speed_mps=speed if speed is not None else _num(values.get("speed")),
        heart_rate=_num(values.get("heart_rate")),
        cadence=_num(values.get("cadence")),
        altitude_m=altitude if altitude is not None else _num(values.get("altitude")),
        lat=lat * SEMICIRCLE_DEG if lat is not None else None,
        lon=lon * SEMICIRCLE_DEG if lon is not None else None,
    )


def _record_values(frame: Any) -> dict[str, Any]:
    values = {"timestamp": None}
    for f in frame.fields:
        if f.name == "timestamp" or f.name in _RECORD_FIELDS:
            values[f.name] = f.value
    return values


def _collect_message(frame: Any, out: _Collected) -> None:
    name = frame.name
    if name == "record":
        point = _point(_record_values(frame), FIT_EPOCH)
        if point is not None:
            out.points.append(point)
    elif name == "lap":
        out.laps.append(_fields(frame))
    elif name == "session":
        out.sessions.append(_fields(frame))
    elif name == "file_id":
        values = _fields(frame)
        out.file_types.append(str(values.get("type")))
        product = values.get("garmin_product") or values.get("product")
        maker = values.get("manufacturer")
        out.device = out.device or " ".join(str(v) for v in (maker, product) if v is not None)
    elif name == "activity":
        out.activity = _fields(frame)


def _break_warning(exc: Exception, out: _Collected, name: str) -> str:
    found = _OFFSET.search(str(exc))
    where = f"at byte {found.group(1)}" if found else "part-way"
    if isinstance(exc, fitdecode.FitHeaderError) and out.headers >= 1 and out.sessions:
        return f"a FIT file chained after the activity {where} has a corrupt header; skipped it"
    kind = "truncated" if isinstance(exc, fitdecode.FitEOFError) else "unreadable"
    if not out.file_types and not out.points:
        raise ActivityRefusal(RefusalReason.MALFORMED,
                              f"{name} is not a readable FIT file ({kind} {where}: {exc})")
    return (f"{kind} {where}: kept {len(out.points):,} records before the break "
            f"({type(exc).__name__}: {exc})")


def _decode(name: str, data: bytes) -> _Collected:
    out = _Collected()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reader = fitdecode.FitReader(io.BytesIO(data), processor=None,
                                     check_crc=fitdecode.CrcCheck.DISABLED,
                                     error_handling=fitdecode.ErrorHandling.WARN)
        try:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage):
                    _collect_message(frame, out)
                    if out.file_types and out.file_types[0] != "activity":
                        break  # a workout, course...: refused below, no need to read on
                elif isinstance(frame, fitdecode.FitHeader):
                    out.headers += 1
        except Exception as exc:  # a hostile file must end in a message, not a crash
            out.warnings.append(_break_warning(exc, out, name))
        finally:
            reader.close()
    out.warnings[:0] = _decoder_warnings([str(w.message) for w in caught])
    return out


def _decoder_warnings(messages: list[str]) -> list[str]:
    """fitdecode's warnings, repeats counted."""
    counts = Counter(_OFFSET.sub("@ …", m) for m in messages)
    return [f"decoder warning{f' ({count} x)' if count > 1 else ''}: {message}"
            for message, count in counts.items()]


def _finalised(name: str, data: bytes) -> tuple[bytes, list[str]]:
    """A header whose data size is 0 (never finalised): patched to the file's length."""
    header_size = data[0]
    if header_size not in (12, 14) or len(data) < header_size:
        raise ActivityRefusal(RefusalReason.MALFORMED,
                              f"{name} has a FIT header of an unknown size ({header_size} bytes)")
    (data_size,) = struct.unpack_from("<I", data, 4)
    if data_size != 0:
        crc = [f"{problem} of the FIT file: it may be damaged; read anyway"
               for problem in crc_problems(data)]
        return data, crc
    patched = bytearray(data)
    struct.pack_into("<I", patched, 4, len(data) - header_size)
    if header_size == 14:
        patched[12:14] = b"\x00\x00"  # header CRC 0: "not computed", allowed by the FIT SDK
    note = ("the FIT header was never finalised (data size 0, the recording did not end "
            "cleanly): read the records up to the end of the file")
    return bytes(patched), [note]


def read_fit(name: str, data: bytes) -> Activity:
    if not is_fit(data):
        raise ActivityRefusal(RefusalReason.MALFORMED, f"{name} is not a FIT file")
    data, notes = _finalised(name, data)
    out = _decode(name, data)
    kind = out.file_types[0] if out.file_types else "activity"
    if kind != "activity":
        what = FILE_TYPE_NAMES.get(kind, kind)
        raise ActivityRefusal(RefusalReason.NOT_AN_ACTIVITY,
                              f"{name} is a FIT {what} file, not an activity")
    if not out.file_types:
        notes.append("the FIT file has no file_id message: read as an activity")
    summary = FitSummary(sessions=out.sessions, laps=out.laps, activity=out.activity,
                         points=out.points, device=out.device or None,
                         warnings=notes + out.warnings)
    return activity_from_fit(name, summary)
