"""Load benchmark of the web app: requests/s and latency percentiles at 20 and 50 clients.

    .venv/bin/python benchmarks/bench_web.py [--seconds 2] [--rounds 3] [--clients 20 50]
                                             [--databases sqlite postgresql]

For each database it starts the app in its own process (uvicorn, one worker, access log
off, the demo athlete seeded: a plan with three weeks of logs), signs in as the demo
athlete, and measures in the same run, one after the other:

- `/health` (trivial, no database),
- `/plan` (the plan calendar page, HTML, signed in),
- `/api/v1/plan` (the plan JSON twin, signed in).

The load generator is a separate process speaking HTTP/1.1 keep-alive over raw asyncio
streams (one connection per client), cheap enough not to be the bottleneck it measures.
PostgreSQL: a fresh database is created on the server at --postgres-url and dropped after.
Target (issue 3): calendar ≥ 1/5 of /health's throughput, p95 < 100 ms at 20 clients on
SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

SERVER = """
import sys, uvicorn
from retrorun.bootstrap import start
from retrorun.config import load_settings
from retrorun.web.app import create_app
settings = load_settings(port=int(sys.argv[1]), seed_demo=True)
threads = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] != "0" else None
app = create_app(settings, start(settings), worker_threads=threads)
uvicorn.run(app, host="127.0.0.1", port=settings.port, access_log=False, log_level="warning")
"""
DEMO_EMAIL = "demo@retrorun.example"
DEMO_PASSWORD = "run-backwards"  # noqa: S105  (the documented demo account)
ENDPOINTS = ("/health", "/plan", "/api/v1/plan")


@dataclass
class Result:
    database: str
    path: str
    clients: int
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    server_cpu_s: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms(self) -> float:
        """Server CPU time per request: robust to other load on the machine."""
        return 1000 * self.server_cpu_s / max(1, self.requests)

    def pct(self, q: float) -> float:
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, int(q * len(data)))] if data else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(database_url: str, data_dir: Path,
                 threads: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "RETRORUN_DATA_DIR": str(data_dir),
           "RETRORUN_DATABASE_URL": database_url, "RETRORUN_ENVIRONMENT": "development"}
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(threads)], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return proc, port
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("the server did not start") from None
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not answer within 60 s")


def sign_in(port: int) -> str:
    """Sign in as the demo athlete through the real form; the session cookie header."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/signin").read().decode()
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if match is None:
        raise SystemExit("no CSRF token on /signin")
    form = urllib.parse.urlencode({"csrf_token": match.group(1), "email": DEMO_EMAIL,
                                   "password": DEMO_PASSWORD, "next": "/plan"}).encode()
    response = opener.open(f"{base}/signin", data=form)
    if not response.geturl().endswith("/plan"):
        raise SystemExit(f"sign-in failed: ended at {response.geturl()}")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


async def _client(port: int, request: bytes, until: float, warm: float,
                  latencies: list[float], counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while True:
            begin = time.perf_counter()
            if begin >= until:
                return
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            end = time.perf_counter()
            if begin >= warm:
                latencies.append((end - begin) * 1000)
                counts[0] += 1
                if status != 200:
                    counts[1] += 1
    finally:
        writer.close()


async def _load(port: int, path: str, cookie: str, clients: int,
                seconds: float, warmup: float) -> tuple[list[float], int, int]:
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
               "Accept: */*\r\n\r\n").encode()
    latencies: list[float] = []
    counts = [0, 0]
    now = time.perf_counter()
    warm, until = now + warmup, now + warmup + seconds
    await asyncio.gather(*(_client(port, request, until, warm, latencies, counts)
                           for _ in range(clients)))
    return latencies, counts[0], counts[1]


def load_worker(argv: list[str]) -> None:
    """Run in a child process: one load run, result as JSON on stdout."""
    port, path, cookie, clients, seconds, warmup = argv
    latencies, done, errors = asyncio.run(
        _load(int(port), path, cookie, int(clients), float(seconds), float(warmup)))
    json.dump({"latencies": latencies, "requests": done, "errors": errors}, sys.stdout)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(database: str, server: int, port: int, cookie: str, path: str, clients: int,
            seconds: float) -> Result:
    before = cpu_seconds(server)
    out = subprocess.run(
        [sys.executable, __file__, "--load-worker", str(port), path, cookie, str(clients),
         str(seconds), "1.0"], check=True, capture_output=True, text=True).stdout
    data = json.loads(out)
    # Includes the 1 s warm-up: CPU per request is slightly overstated, evenly for all.
    used = cpu_seconds(server) - before
    return Result(database, path, clients, data["requests"], data["errors"], seconds,
                  data["latencies"], used * seconds / (seconds + 1.0))


def pool(runs: list[Result]) -> Result:
    first = runs[0]
    return Result(first.database, first.path, first.clients,
                  sum(r.requests for r in runs), sum(r.errors for r in runs),
                  sum(r.seconds for r in runs), [x for r in runs for x in r.latencies_ms],
                  sum(r.server_cpu_s for r in runs))


def postgres_database(admin_url: str) -> tuple[str, str]:
    import psycopg

    name = f"retrorun_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}", name


def drop_postgres(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_database(database: str, args: argparse.Namespace) -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        pg_name = None
        if database == "sqlite":
            url = ""
        else:
            url, pg_name = postgres_database(args.postgres_url)
        proc, port = start_server(url, Path(tmp), args.threads)
        try:
            cookie = sign_in(port)
            results = []
            for clients in args.clients:
                # Rounds interleave the endpoints, so background load on a shared
                # machine falls on all of them alike; the rounds are then pooled.
                runs: dict[str, list[Result]] = {path: [] for path in ENDPOINTS}
                for _ in range(args.rounds):
                    for path in ENDPOINTS:
                        runs[path].append(measure(database, proc.pid, port, cookie, path,
                                                  clients, args.seconds))
                for path in ENDPOINTS:
                    result = pool(runs[path])
                    print(row(result), flush=True)
                    results.append(result)
            return results
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            if pg_name:
                drop_postgres(args.postgres_url, pg_name)


def row(r: Result) -> str:
    return (f"{r.database:10} {r.path:14} {r.clients:>4} {r.rps:>9.1f} {r.pct(0.5):>8.1f} "
            f"{r.pct(0.95):>8.1f} {r.pct(0.99):>8.1f} {r.cpu_ms:>8.2f} {r.requests:>8} "
            f"{r.errors:>6}")


def summary(results: list[Result]) -> bool:
    ok = True
    print("\nratio = endpoint requests/s ÷ /health requests/s in the same run")
    for r in results:
        if r.path == "/health":
            continue
        health = next(h for h in results if h.database == r.database and
                      h.clients == r.clients and h.path == "/health")
        ratio = r.rps / health.rps
        line = f"{r.database:10} {r.path:14} {r.clients:>4} clients: ratio {ratio:.2f}"
        if r.path == "/plan" and r.database == "sqlite" and r.clients == 20:
            met = ratio >= 0.2 and r.pct(0.95) < 100
            ok = ok and met
            line += f"  p95 {r.pct(0.95):.1f} ms  target {'MET' if met else 'NOT MET'}"
        print(line)
    return ok


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--load-worker":
        load_worker(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0,
                        help="measured seconds per endpoint and round")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds, each measuring every endpoint once")
    parser.add_argument("--clients", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--threads", type=int, default=0,
                        help="worker threads of the app (default 0: the app's own choice)")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--postgres-url", default=os.environ.get(
        "RETRORUN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    print(f"retrorun web benchmark: {os.cpu_count()} CPUs, {args.rounds} interleaved rounds of "
          f"{args.seconds:g} s per endpoint (each after 1 s warm-up), one uvicorn worker, "
          "access log off")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine load average before the run (1, 5, 15 min): {load}")
    print(f"{'database':10} {'path':14} {'clients':>4} {'req/s':>9} {'p50 ms':>8} "
          f"{'p95 ms':>8} {'p99 ms':>8} {'cpu ms/r':>8} {'requests':>8} {'errors':>6}")
    results: list[Result] = []
    for database in args.databases:
        results += run_database(database, args)
    sys.exit(0 if summary(results) else 1)


if __name__ == "__main__":
    main()
