"""Streaming XML for GPX and TCX: stdlib iterparse behind defusedxml's protections.

defusedxml (0.7) refuses every entity declaration and external reference before expat
expands anything, so billion-laughs and XXE payloads end in a message naming the file, not
in memory or a file read (../shared/research/import.md section 3). A streaming reader
validates values itself: numbers and times are parsed here, and a bad one is None.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml  # type: ignore[import-untyped]
from defusedxml import ElementTree as DefusedET

from retrorun.formats.activities.errors import ActivityRefusal
from retrorun.formats.activities.model import RefusalReason

_SNIFF_BYTES = 4096
# the first element name after any BOM, XML declaration, comments and doctype
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
# declaration and comments (a doctype is skipped by _doctype_end)
_PROLOGUE = ((b"<?", b"?>"), (b"<!--", b"-->"))


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def root_name(data: bytes) -> str | None:
    """The root element's local name, from the file's first bytes (None: not XML-like)."""
    head = data[:_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf")
    while True:
        head = head.lstrip(b" \t\r\n")
        if head.startswith(b"<!DOCTYPE"):
            head = head[_doctype_end(head):]
            continue
        for opener, closer in _PROLOGUE:
            if head.startswith(opener):
                end = head.find(closer)
                if end == -1:
                    return None
                head = head[end + len(closer):]
                break
        else:
            found = _ROOT.match(head)
            return found.group(2).decode("ascii") if found else None


def _doctype_end(head: bytes) -> int:
    close, subset = head.find(b">"), head.find(b"[")
    if subset != -1 and subset < close:
        end = head.find(b"]>", subset)
        return len(head) if end == -1 else end + 2
    return len(head) if close == -1 else close + 1


def events(name: str, data: bytes) -> Iterator[tuple[str, Any]]:
    """(event, element) pairs, start and end; hostile or broken XML raises ActivityRefusal."""
    try:
        yield from DefusedET.iterparse(io.BytesIO(data), events=("start", "end"),
                                        forbid_dtd=False, forbid_entities=True,
                                        forbid_external=True)
    except defusedxml.EntitiesForbidden as exc:
        raise ActivityRefusal(RefusalReason.HOSTILE_XML,
                              f"{name} declares XML entities ({exc.name!s}), refused: "
                              "activity files never need them and they can expand "
                              "without bound") from exc
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden) as exc:
        raise ActivityRefusal(RefusalReason.HOSTILE_XML,
                              f"{name} refers to an external XML resource, refused") from exc
    except ParseError as exc:
        raise ActivityRefusal(RefusalReason.MALFORMED,
                              f"{name} is not well-formed XML ({exc})") from exc


def number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def timestamp(text: str | None) -> float | None:
    """Unix seconds of an ISO 8601 time (no offset: UTC), None if it cannot be one."""
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.timestamp()
    except (ValueError, OverflowError, OSError):
        return None


def utc_offset(text: str | None) -> dt.timedelta | None:
    """The offset an ISO 8601 time is written in (None for Z, none, or unreadable)."""
    try:
        moment = dt.datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None
    offset = moment.utcoffset()
    return offset if offset else None


def position(lat: float | None, lon: float | None) -> tuple[float | None, float | None]:
    """A position in range; 0,0 ("null island") is what broken exporters write for none."""
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    if lat == 0 and lon == 0:
        return None, None
    return lat, lon
