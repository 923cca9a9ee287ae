"""gzip and zip layers, streamed under limits: a bomb is refused before it is in memory.

Every decompression reads at most READ_CHUNK_BYTES more than the limit it checks, whatever the
headers claim (a zip's declared sizes are checked first, then the real output while it is
read). Member names are never used as paths: only their base name is reported.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from retrorun.formats.activities.errors import ActivityRefusal
from retrorun.formats.activities.limits import MIB, READ_CHUNK_BYTES, Limits
from retrorun.formats.activities.model import RefusalReason

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header; an empty zip's directory
GZIP_WBITS = 16 + zlib.MAX_WBITS  # zlib: expect a gzip header and trailer
MAX_NAME_CHARS = 120  # [A] a reported name longer than this is cut (it is only shown)
# extensions worth opening inside an archive; others (activities.csv, photos) are skipped
MEMBER_EXTENSIONS = (".fit", ".gpx", ".tcx", ".zip", ".fit.gz", ".gpx.gz", ".tcx.gz")


@dataclass
class Budget:
    """Decompressed bytes the whole upload may still produce."""

    remaining: int


def base_name(name: str) -> str:
    """The last path part, control characters replaced: never a path, only a label."""
    last = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    clean = "".join(c if c.isprintable() else "?" for c in last)[:MAX_NAME_CHARS]
    return clean if clean not in ("", ".", "..") else "(unnamed)"


def _mib(size: int) -> str:
    return f"{size / MIB:,.0f} MiB" if size >= MIB else f"{size:,} bytes"


def _check_output(name: str, produced: int, compressed: int, limit: int, budget: Budget,
                  limits: Limits) -> None:
    if produced > budget.remaining:
        raise ActivityRefusal(RefusalReason.BOMB,
                              f"{name}: the upload's decompressed size is over "
                              f"{_mib(limits.total_bytes)}, refused as a possible zip bomb")
    if produced > limit:
        raise ActivityRefusal(RefusalReason.BOMB,
                              f"{name}: decompressed size over {_mib(limit)}, "
                              "refused as a possible zip bomb")
    if produced > limits.ratio_floor_bytes and produced > compressed * limits.compression_ratio:
        raise ActivityRefusal(RefusalReason.BOMB,
                              f"{name}: compression ratio over {limits.compression_ratio}:1, "
                              "refused as a possible zip bomb")


def gunzip(name: str, data: bytes, limits: Limits, budget: Budget) -> tuple[bytes, bool]:
    """The decompressed bytes and whether the stream ended early (truncated)."""
    out = bytearray()
    rest = data
    while rest[:2] == GZIP_MAGIC:  # one or more gzip members, as gzip(1) writes them
        inflater = zlib.decompressobj(GZIP_WBITS)
        pending = rest
        try:
            while pending and not inflater.eof:
                out += inflater.decompress(pending, READ_CHUNK_BYTES)
                _check_output(name, len(out), len(data), limits.member_bytes, budget, limits)
                pending = inflater.unconsumed_tail
        except zlib.error as exc:
            if not out:
                raise ActivityRefusal(RefusalReason.MALFORMED,
                                      f"{name} is a damaged gzip file ({exc})") from exc
            return bytes(out), True
        if not inflater.eof:
            return bytes(out), True
        rest = inflater.unused_data
    budget.remaining -= len(out)
    return bytes(out), False


def _read_member(label: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits,
                 budget: Budget) -> bytes:
    if info.file_size > limits.member_bytes:
        raise ActivityRefusal(RefusalReason.TOO_LARGE,
                              f"{label} is {_mib(info.file_size)}, over the limit of "
                              f"{_mib(limits.member_bytes)} for one file")
    _check_output(label, info.file_size, info.compress_size, limits.member_bytes, budget, limits)
    out = bytearray()
    try:
        with archive.open(info) as member:
            while chunk := member.read(READ_CHUNK_BYTES):
                out += chunk
                _check_output(label, len(out), info.compress_size, limits.member_bytes,
                              budget, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise ActivityRefusal(RefusalReason.MALFORMED,
                              f"{label} cannot be read from the zip ({exc})") from exc
    budget.remaining -= len(out)
    return bytes(out)


def zip_members(name: str, data: bytes, limits: Limits, budget: Budget,
                sidecar: str | None = None,
                ) -> Iterator[tuple[str, str, bytes | ActivityRefusal]]:
    """(zipname/member, the member's name in the zip, its bytes or its refusal) for each
    activity-like member; first the `sidecar` file (e.g. Strava's activities.csv) if present.
    The raw name is for matching the sidecar's rows only, never a path."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise ActivityRefusal(RefusalReason.MALFORMED, f"{name} is a damaged zip file ({exc})") \
            from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.zip_members:
            raise ActivityRefusal(RefusalReason.TOO_MANY_MEMBERS,
                                  f"{name}: zip member count {len(infos):,} is over "
                                  f"{limits.zip_members:,}; split the export into smaller zips")
        sidecars = [i for i in infos if sidecar and base_name(i.filename) == sidecar][:1]
        members = [i for i in infos
                   if not i.is_dir() and i.filename.lower().endswith(MEMBER_EXTENSIONS)]
        for info in sidecars + members:
            label = f"{name}/{base_name(info.filename)}"
            try:
                yield label, info.filename, _read_member(label, archive, info, limits, budget)
            except ActivityRefusal as refusal:
                yield label, info.filename, refusal
