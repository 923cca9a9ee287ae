"""One registry: pick the reader by content (magic bytes, XML root) and name, for any upload."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace

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


def _with_note(results: list[FileResult], note: str) -> list[FileResult]:
    return [replace(r, activity=replace(r.activity, warnings=(*r.activity.warnings, note)))
            if isinstance(r, Imported) else r for r in results]


def _read_any(label: str, data: bytes, depth: int, limits: Limits,
              budget: Budget) -> list[FileResult]:
    if not data:
        return [Refused(label, RefusalReason.EMPTY, f"{label} is empty")]
    kind = sniff(data)
    try:
        if kind == "zip":
            return _read_zip(label, data, depth, limits, budget)
        if kind == "gzip":
            inner, truncated = gunzip(label, data, limits, budget)
            results = _read_any(label, inner, depth, limits, budget)
            return _with_note(results, _TRUNCATED_GZIP) if truncated else results
    except ActivityRefusal as refusal:
        return [Refused(label, refusal.reason, refusal.message)]
    if kind is None:
        return [_unknown(label, data)]
    return [_read_activity(label, kind, data)]


def _read_zip(label: str, data: bytes, depth: int, limits: Limits,
              budget: Budget) -> list[FileResult]:
    if depth >= limits.zip_depth:
        return [Refused(label, RefusalReason.TOO_DEEP,
                        f"{label} is a zip nested {depth + 1} deep, over the limit of "
                        f"{limits.zip_depth}")]
    results: list[FileResult] = []
    for member_label, content in zip_members(label, data, limits, budget):
        if isinstance(content, ActivityRefusal):
            results.append(Refused(member_label, content.reason, content.message))
        else:
            results.extend(_read_any(member_label, content, depth + 1, limits, budget))
    return results


def read_upload(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[FileResult]:
    """Every activity in one uploaded file (a FIT, GPX, TCX, a .gz of one, or a zip of many),
    in archive order; one result per activity file, imported or refused with the reason."""
    label = base_name(name)
    if len(data) > limits.upload_bytes:
        return [Refused(label, RefusalReason.TOO_LARGE,
                        f"{label} is {len(data):,} bytes, over the upload limit of "
                        f"{limits.upload_bytes:,}")]
    return _read_any(label, data, 0, limits, Budget(limits.total_bytes))
