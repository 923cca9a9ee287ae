"""Streams as one columnar blob: a version byte, then zlib over the columns.

Layout of version 1 (all little-endian):
    byte 0       version (1)
    bytes 1..    zlib( uint32 count | uint16 column mask | columns in COLUMNS order )
Each present column is `count` int32 values, the value times its scale rounded, with
MISSING (int32 min) for a record without that value; time_s is uint32. Storing integers at
a fixed precision keeps the blob small and makes encode/decode exact.
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from array import array
from collections.abc import Iterable, Sequence

from retrorun.formats.activities.model import Streams

BLOB_VERSION = 1
MISSING = -(2**31)
_INT32_MAX = 2**31 - 1
_HEADER = struct.Struct("<IH")
# (column, scale): the stored precision. cm for distance and altitude, mm/s for speed,
# 1e-7 degree (about 1 cm) for positions, whole beats and steps.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("distance_m", 100),
    ("speed_mps", 1000),
    ("heart_rate", 1),
    ("cadence", 1),
    ("altitude_m", 100),
    ("lat", 10_000_000),
    ("lon", 10_000_000),
)
_ZLIB_LEVEL = 6  # [A] zlib's default: level 9 measured no smaller on FIT streams


class BlobError(ValueError):
    pass


def _quantize(value: float | None, scale: int) -> int:
    if value is None or math.isnan(value):
        return MISSING
    stored = round(value * scale)
    return stored if MISSING < stored <= _INT32_MAX else MISSING


def _restore(stored: int, scale: int) -> float | None:
    if stored == MISSING:
        return None
    return stored if scale == 1 else stored / scale


def quantized(values: Iterable[float | None], scale: int) -> tuple[float | None, ...]:
    """The values as the blob keeps them."""
    return tuple(_restore(_quantize(v, scale), scale) for v in values)


def build_streams(time_s: Sequence[int], columns: dict[str, Sequence[float | None]]) -> Streams:
    """Streams at blob precision; a column of only missing values is left out."""
    kept: dict[str, tuple[float | None, ...]] = {}
    for name, scale in COLUMNS:
        values = columns.get(name)
        if values is None:
            continue
        if len(values) != len(time_s):
            raise BlobError(f"column {name} has {len(values)} values for {len(time_s)} times")
        column = quantized(values, scale)
        if any(v is not None for v in column):
            kept[name] = column
    return Streams(time_s=tuple(time_s), **kept)


def _little_endian(values: array[int]) -> bytes:
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def encode_streams(streams: Streams) -> bytes:
    count = len(streams.time_s)
    mask = 0
    parts = [_little_endian(array("I", streams.time_s))]
    for bit, (name, scale) in enumerate(COLUMNS):
        column: tuple[float | None, ...] | None = getattr(streams, name)
        if column is None:
            continue
        if len(column) != count:
            raise BlobError(f"column {name} has {len(column)} values for {count} times")
        mask |= 1 << bit
        parts.append(_little_endian(array("i", (_quantize(v, scale) for v in column))))
    payload = _HEADER.pack(count, mask) + b"".join(parts)
    return bytes([BLOB_VERSION]) + zlib.compress(payload, _ZLIB_LEVEL)


def _read_column(payload: bytes, offset: int, count: int, typecode: str) -> array[int]:
    column = array(typecode)
    end = offset + count * column.itemsize
    if end > len(payload):
        raise BlobError("stream blob is shorter than its header says")
    column.frombytes(payload[offset:end])
    if sys.byteorder == "big":
        column.byteswap()
    return column


def decode_streams(blob: bytes) -> Streams:
    if not blob or blob[0] != BLOB_VERSION:
        version = blob[0] if blob else None
        raise BlobError(f"unknown stream blob version {version}")
    try:
        payload = zlib.decompress(blob[1:])
    except zlib.error as exc:
        raise BlobError(f"stream blob does not decompress: {exc}") from exc
    if len(payload) < _HEADER.size:
        raise BlobError("stream blob has no header")
    count, mask = _HEADER.unpack_from(payload)
    offset = _HEADER.size
    time_s = _read_column(payload, offset, count, "I")
    offset += count * time_s.itemsize
    kept: dict[str, tuple[float | None, ...]] = {}
    for bit, (name, scale) in enumerate(COLUMNS):
        if mask & (1 << bit):
            stored = _read_column(payload, offset, count, "i")
            offset += count * stored.itemsize
            kept[name] = tuple(_restore(v, scale) for v in stored)
    if offset != len(payload):
        raise BlobError("stream blob has trailing bytes")
    return Streams(time_s=tuple(time_s), **kept)
