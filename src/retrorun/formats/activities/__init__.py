"""Watch-file import, pure: bytes in, activities (or refusals saying why) out. No I/O.

Public API
----------
read_upload(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[FileResult]
    One uploaded file: FIT, GPX, TCX, a `.gz` of one, or a zip of many (Strava's export:
    activities/*.fit.gz|*.gpx|*.tcx.gz, activities.csv skipped; Garmin's: nested zips). The
    reader is picked by content (magic bytes `.FIT`, gzip 1f8b, zip PK, XML root gpx /
    TrainingCenterDatabase); the name only words the message. One result per activity file:
      Imported(file, sha256, activity)        file: "name" or "zipname/member" (base names)
      Refused(file, reason, message, sha256)  reason: RefusalReason; message names the file
    sha256 is of the activity file's bytes after any gzip layer (idempotent re-imports).
iter_upload(name, data, limits) -> Iterator[FileResult]
    The same, lazily: one activity in memory at a time (what a bulk import job should use).
Activity (frozen): source_format, sport, sub_sport, on_foot (None: the file does not say),
    start (UTC), utc_offset, local_start, elapsed_s, moving_s, distance_m, laps (Lap: start,
    elapsed_s, timer_s, distance_m, avg_heart_rate, avg_speed_mps, wkt_step_index), streams
    (Streams: columns time_s, distance_m, speed_mps, heart_rate, cadence, altitude_m, lat,
    lon), legs (sessions of a multisport file), warnings, device, records.
encode_streams(streams) -> bytes / decode_streams(blob) -> Streams
    The columnar blob (version byte + zlib'd int32 columns) to store one activity's streams.
Limits / DEFAULT_LIMITS, and the limit constants in `limits`.
"""

from retrorun.formats.activities.blob import BlobError, decode_streams, encode_streams
from retrorun.formats.activities.limits import DEFAULT_LIMITS, Limits
from retrorun.formats.activities.model import (
    Activity,
    FileResult,
    Imported,
    Lap,
    Leg,
    RefusalReason,
    Refused,
    Streams,
    is_on_foot,
)
from retrorun.formats.activities.registry import iter_upload, read_upload, sniff

__all__ = [
    "DEFAULT_LIMITS",
    "Activity",
    "BlobError",
    "FileResult",
    "Imported",
    "Lap",
    "Leg",
    "Limits",
    "RefusalReason",
    "Refused",
    "Streams",
    "decode_streams",
    "encode_streams",
    "is_on_foot",
    "iter_upload",
    "read_upload",
    "sniff",
]
