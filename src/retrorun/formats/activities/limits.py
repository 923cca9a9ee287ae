"""Hardening limits for uploads, containers and decoded values, each a named constant.

Sizes are for one upload held in memory by the web or CLI layer. The corpus figures are from
../shared/data/activities (SOURCES.md): its largest file is 2.4 MB (big_activity.fit, about
100,000 records of a 8.6 h ride) and zlib -9 compresses its files 1.6 x to 18 x
(measured 2026-12-03 with `zlib.compress(data, 9)` over every file).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MIB = 1024 * 1024

# [A] one upload: a whole Strava or Garmin export of several years fits; larger exports are split.
MAX_UPLOAD_BYTES = 512 * MIB
# [A] members of one zip (central directory entries, nested zips counted separately): a daily
# runner's 13 years of activities plus activities.csv; 10,000 entries is refused (test).
MAX_ZIP_MEMBERS = 5_000
# [A] one decompressed activity file: 25 x the corpus's largest (2.4 MB), an ultra at 1 s.
MAX_MEMBER_BYTES = 64 * MIB
# [A] all decompressed bytes of one upload, nested zips included.
MAX_TOTAL_BYTES = 2048 * MIB
# [A] decompressed / compressed: the corpus's best ratio is 18 x (GPX), zip bombs reach 1,000 x+.
MAX_COMPRESSION_RATIO = 100
# [A] below this many decompressed bytes a high ratio is harmless (a tiny, repetitive file).
RATIO_FLOOR_BYTES = 1 * MIB
# [A] the upload, a Garmin export's zip inside it, and one more level; deeper is refused.
MAX_ZIP_DEPTH = 3
# streaming read size for gzip and zip members: bounds memory past the limit to one chunk
READ_CHUNK_BYTES = 1 * MIB

# [A] plausible activity times: GPS watches appeared after 1990 (the FIT epoch is 1989-12-31);
# a time past 2100 is a corrupt or hostile value (e.g. year 9999), not a run.
EARLIEST_START = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)
LATEST_START = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
# [A] longest plausible single activity (a multi-day ultra); longer elapsed times are corrupt.
MAX_ELAPSED_S = 14 * 24 * 3600
# [A] records kept per activity: 14 days at 1 s.
MAX_RECORDS = MAX_ELAPSED_S


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits one read uses; tests pass smaller ones to build bombs cheaply."""

    upload_bytes: int = MAX_UPLOAD_BYTES
    zip_members: int = MAX_ZIP_MEMBERS
    member_bytes: int = MAX_MEMBER_BYTES
    total_bytes: int = MAX_TOTAL_BYTES
    compression_ratio: int = MAX_COMPRESSION_RATIO
    ratio_floor_bytes: int = RATIO_FLOOR_BYTES
    zip_depth: int = MAX_ZIP_DEPTH


DEFAULT_LIMITS = Limits()
