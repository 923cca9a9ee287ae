"""One registry: pick the reader by content (magic bytes, XML root) and name, for any upload."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import replace

from retrorun.formats.activities import strava as strava_csv
from retrorun.formats.activities.containers import (
    GZIP_MAGIC,
    ZIP_MAGICS,
    Budget,
    base_name,
    gunzip,
    zip_members,
)
from retrorun.formats.activities.errors import ActivityRefusal
from retrorun.formats.activities.fit import is_fit, read_fit
from retrorun.formats.activities.gpx import read_gpx
from retrorun.formats.activities.limits import DEFAULT_LIMITS, Limits
from retrorun.formats.activities.model import (
    Activity,
    FileResult,
    Imported,
    RefusalReason,
    Refused,
)
from retrorun.formats.activities.tcx import read_tcx
from retrorun.formats.activities.xmlsafe import root_name

Reader = Callable[[str, bytes], Activity]
XML_READERS: dict[str, tuple[str, Reader]] = {
    "gpx": ("gpx", read_gpx),
    "TrainingCenterDatabase": ("tcx", read_tcx),
}
NAMED_FORMATS = {".fit": "fit", ".gpx": "gpx", ".tcx": "tcx"}
_TRUNCATED_GZIP = "the gzip stream ends early (truncated): read what came before"


def sniff(data: bytes) -> str | None:
    """"zip", "gzip", "fit", "gpx", "tcx", or None: decided by content only."""
    if data[:4] in ZIP_MAGICS:
        return "zip"
    if data[:2] == GZIP_MAGIC:
        return "gzip"
    if is_fit(data):
        return "fit"
    root = root_name(data)
    return XML_READERS[root][0] if root in XML_READERS else None


def _reader(kind: str) -> Reader:
    return read_fit if kind == "fit" else read_gpx if kind == "gpx" else read_tcx


def _unknown(label: str, data: bytes) -> Refused:
    named = next((fmt for ext, fmt in NAMED_FORMATS.items()
                  if label.lower().removesuffix(".gz").endswith(ext)), None)
    if named is not None:
        message = f"{label} is named as {named.upper()} but its content is not {named.upper()}"
    elif root_name(data) is not None:
        message = f"{label} is XML but neither GPX nor TCX (root <{root_name(data)}>)"
    else:
        message = f"{label} is not a FIT, GPX or TCX file (nor a zip or gzip of them)"
    return Refused(label, RefusalReason.UNKNOWN_FORMAT, message, _sha256(data))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_activity(label: str, kind: str, data: bytes) -> FileResult:
    digest = _sha256(data)
    try:
        return Imported(label, digest, _reader(kind)(label, data))
    except ActivityRefusal as refusal:
        return Refused(label, refusal.reason, refusal.message, digest)
    except RecursionError as exc:  # a pathologically nested XML file
        return Refused(label, RefusalReason.MALFORMED, f"{label} nests too deeply ({exc})",
                       digest)


def _with_note(result: FileResult, note: str) -> FileResult:
    if not isinstance(result, Imported):
        return result
    return replace(result, activity=replace(result.activity,
                                            warnings=(*result.activity.warnings, note)))


def _read_any(label: str, data: bytes, depth: int, limits: Limits,
              budget: Budget) -> Iterator[FileResult]:
    if not data:
        yield Refused(label, RefusalReason.EMPTY, f"{label} is empty")
        return
    kind = sniff(data)
    if kind == "zip":
        yield from _read_zip(label, data, depth, limits, budget)
    elif kind == "gzip":
        try:
            inner, truncated = gunzip(label, data, limits, budget)
        except ActivityRefusal as refusal:
            yield Refused(label, refusal.reason, refusal.message)
            return
        for result in _read_any(label, inner, depth, limits, budget):
            yield _with_note(result, _TRUNCATED_GZIP) if truncated else result
    elif kind is None:
        yield _unknown(label, data)
    else:
        yield _read_activity(label, kind, data)


def _read_zip(label: str, data: bytes, depth: int, limits: Limits,
              budget: Budget) -> Iterator[FileResult]:
    if depth >= limits.zip_depth:
        yield Refused(label, RefusalReason.TOO_DEEP,
                      f"{label} is a zip nested {depth + 1} deep, over the limit of "
                      f"{limits.zip_depth}")
        return
    strava: dict[str, str] = {}
    try:
        for member_label, raw_name, content in zip_members(label, data, limits, budget,
                                                            sidecar=strava_csv.CSV_NAME):
            if isinstance(content, ActivityRefusal):
                yield Refused(member_label, content.reason, content.message)
            elif raw_name.endswith(strava_csv.CSV_NAME):
                strava = strava_csv.sports_by_file(content)
            else:
                for result in _read_any(member_label, content, depth + 1, limits, budget):
                    yield strava_csv.with_csv_sport(result, strava.get(raw_name))
    except ActivityRefusal as refusal:  # the zip itself: damaged, or too many members
        yield Refused(label, refusal.reason, refusal.message)


def iter_upload(name: str, data: bytes,
                limits: Limits = DEFAULT_LIMITS) -> Iterator[FileResult]:
    """Every activity in one uploaded file (a FIT, GPX, TCX, a .gz of one, or a zip of many),
    in archive order, one result per activity file as it is read: a caller that stores each
    and lets it go holds one activity at a time (a bulk export of 1,000 runs held whole
    peaked at 368 MiB RSS, benchmarks/bench_import.py)."""
    label = base_name(name)
    if len(data) > limits.upload_bytes:
        yield Refused(label, RefusalReason.TOO_LARGE,
                      f"{label} is {len(data):,} bytes, over the upload limit of "
                      f"{limits.upload_bytes:,}")
        return
    yield from _read_any(label, data, 0, limits, Budget(limits.total_bytes))


def read_upload(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[FileResult]:
    """iter_upload's results as a list."""
    return list(iter_upload(name, data, limits))
