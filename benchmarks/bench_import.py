"""Import throughput: three FIT decoders on the same files in the same run, and our full path.

Run: .venv/bin/python benchmarks/bench_import.py [--repeat N] [--activities N]

Baseline: fitdecode with its defaults (the reference decoder, ../shared/research/import.md
section 2). On every FIT file of ../shared/data/activities, each decoder takes its turn on the
file before the next file (so a burst of load from other work hits all of them alike), and the
minimum CPU time over --repeat runs is kept per decoder and file. Then our full import path
(`read_upload`: sniffing, decoding, streams, laps) over the whole corpus (FIT, GPX, TCX), and
over a synthetic bulk export: the corpus's on-foot files repeated to --activities activities in
one Strava-like zip (FIT as .fit.gz), read with iter_upload. Peak memory: tracemalloc over
one decode of the largest FIT file per decoder, and the process's peak RSS after the bulk.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import resource
import time
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import fitdecode  # type: ignore[import-untyped]
import garmin_fit_sdk

from retrorun.formats.activities import Imported, iter_upload, read_upload

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "activities"
MB = 1_000_000
MIB = 1024 * 1024
Decoder = Callable[[bytes], None]


def fitdecode_defaults(data: bytes) -> None:
    for _frame in fitdecode.FitReader(io.BytesIO(data)):
        pass


def fitdecode_fast(data: bytes) -> None:
    """import.md's fast options: CRC off and no processor (1.8 x there)."""
    for _frame in fitdecode.FitReader(io.BytesIO(data), processor=None,
                                      check_crc=fitdecode.CrcCheck.DISABLED):
        pass


def fitdecode_ours(data: bytes) -> None:
    """The options our reader uses: no processor, CRC checked but only reported."""
    for _frame in fitdecode.FitReader(io.BytesIO(data), processor=None,
                                      check_crc=fitdecode.CrcCheck.WARN):
        pass


def sdk_defaults(data: bytes) -> None:
    garmin_fit_sdk.Decoder(garmin_fit_sdk.Stream.from_byte_array(bytearray(data))).read()


def sdk_options_off(data: bytes) -> None:
    garmin_fit_sdk.Decoder(garmin_fit_sdk.Stream.from_byte_array(bytearray(data))).read(
        apply_scale_and_offset=False, convert_datetimes_to_dates=False,
        convert_types_to_strings=False, enable_crc_check=False, expand_sub_fields=False,
        expand_components=False, merge_heart_rates=False)


def our_import(data: bytes) -> None:
    read_upload("bench.fit", data)


DECODERS: dict[str, Decoder] = {
    "fitdecode defaults (baseline)": fitdecode_defaults,
    "fitdecode CRC off + processor=None": fitdecode_fast,
    "fitdecode processor=None, CRC reported": fitdecode_ours,
    "garmin-fit-sdk Decoder defaults": sdk_defaults,
    "garmin-fit-sdk Decoder options off": sdk_options_off,
    "retrorun read_upload (full path)": our_import,
}


def _cpu(action: Callable[[], object]) -> tuple[float, bool]:
    """CPU seconds of one run and whether it failed (a decoder error on a broken file)."""
    started = time.process_time()
    failed = False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            action()
        except Exception:  # a decoder that gives up on a broken file: timed, and counted
            failed = True
    return time.process_time() - started, failed


def _sdk_failed(data: bytes) -> bool:
    decoder = garmin_fit_sdk.Decoder(garmin_fit_sdk.Stream.from_byte_array(bytearray(data)))
    _messages, errors = decoder.read()
    return bool(errors)


def time_decoders(files: dict[str, bytes], repeat: int) -> dict[str, tuple[float, list[str]]]:
    best: dict[str, dict[str, float]] = {name: {} for name in DECODERS}
    failures: dict[str, set[str]] = {name: set() for name in DECODERS}
    for file_name, data in files.items():
        sdk_failed = _sdk_failed(data)  # the SDK reports errors rather than raising
        for _ in range(repeat):
            for decoder_name, decode in DECODERS.items():
                seconds, failed = _cpu(functools.partial(decode, data))
                if failed or (decoder_name.startswith("garmin") and sdk_failed):
                    failures[decoder_name].add(file_name)
                previous = best[decoder_name].get(file_name, float("inf"))
                best[decoder_name][file_name] = min(previous, seconds)
    return {name: (sum(per_file.values()), sorted(failures[name]))
            for name, per_file in best.items()}


def peak_mib(decode: Decoder, data: bytes) -> float:
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            decode(data)
        return tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


def on_foot_files() -> dict[str, bytes]:
    """The corpus files that import as on-foot activities (the runs and walks)."""
    kept = {}
    for path in sorted(CORPUS.iterdir()):
        if path.suffix not in (".fit", ".gpx", ".tcx"):
            continue
        data = path.read_bytes()
        results = read_upload(path.name, data)
        if all(isinstance(r, Imported) and r.activity.on_foot for r in results):
            kept[path.name] = data
    return kept


def bulk_zip(files: dict[str, bytes], activities: int) -> bytes:
    names = list(files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activities.csv", "Activity ID,Activity Type\n")
        for index in range(activities):
            name = names[index % len(names)]
            data = files[name]
            if name.endswith(".fit"):
                archive.writestr(f"activities/{index}-{name}.gz", gzip.compress(data))
            else:
                archive.writestr(f"activities/{index}-{name}", data)
    return buffer.getvalue()


def _row(label: str, seconds: float, megabytes: float, count: int, baseline: float,
         note: str = "") -> str:
    return (f"{label:40} {seconds:8.2f} {megabytes / seconds:8.2f} {count / seconds:9.1f} "
            f"{baseline / seconds:7.2f} x  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--activities", type=int, default=1000)
    args = parser.parse_args()
    fits = {p.name: p.read_bytes() for p in sorted(CORPUS.glob("*.fit"))}
    fit_mb = sum(map(len, fits.values())) / MB
    print(f"FIT decoders on {len(fits)} FIT files, {fit_mb:.2f} MB, min CPU of "
          f"{args.repeat} run(s) per file (seconds, MB/s, files/s, vs baseline)")
    timings = time_decoders(fits, args.repeat)
    baseline = timings["fitdecode defaults (baseline)"][0]
    largest = max(fits, key=lambda n: len(fits[n]))
    for name, (seconds, failed) in timings.items():
        peak = peak_mib(DECODERS[name], fits[largest])
        note = f"peak {peak:6.2f} MiB on {largest}; errors on: {', '.join(failed) or 'none'}"
        print(_row(name, seconds, fit_mb, len(fits), baseline, note))

    everything = {p.name: p.read_bytes() for p in sorted(CORPUS.iterdir())
                  if p.suffix in (".fit", ".gpx", ".tcx")}
    corpus_mb = sum(map(len, everything.values())) / MB
    seconds, _ = _cpu(lambda: [read_upload(n, d) for n, d in everything.items()])
    print(f"\nfull import path over the corpus ({len(everything)} files, {corpus_mb:.2f} MB):")
    print(_row("retrorun read_upload", seconds, corpus_mb, len(everything), seconds))

    runs = on_foot_files()
    bulk = bulk_zip(runs, args.activities)
    raw_mb = sum(len(runs[n]) for n in [list(runs)[i % len(runs)]
                                         for i in range(args.activities)]) / MB
    counts: list[bool] = []  # stored and let go one by one, as an import job would
    wall = time.perf_counter()
    seconds, _ = _cpu(lambda: counts.extend(isinstance(r, Imported)
                                            for r in iter_upload("bulk.zip", bulk)))
    wall = time.perf_counter() - wall
    imported = sum(counts)
    print(f"\nbulk export: {args.activities} activities from {len(runs)} on-foot files, zip "
          f"{len(bulk) / MB:.1f} MB, {raw_mb:.1f} MB of activity files; wall {wall:.1f} s")
    print(_row("retrorun iter_upload (bulk zip)", seconds, raw_mb, imported, seconds,
               f"{imported} imported; zip MB/s {len(bulk) / MB / seconds:.2f}"))
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the whole run: {peak_rss:.0f} MiB")


if __name__ == "__main__":
    main()
