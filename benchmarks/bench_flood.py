"""Sign-in flood benchmark (issue 11, finding 4): does a flood of sign-ins slow the rest?

    .venv/bin/python benchmarks/bench_flood.py [--seconds 4] [--floods 0 4 8]
                                               [--database sqlite|postgresql]

It seeds the demo athlete (a development set-up step), then starts the real server
(`retrorun serve`, production settings, a strong secret, access log on), signs in as the
demo athlete and, for each number of flooding clients, measures in the same run:

- the landing page `GET /` (2 probing clients),
- a log write `PUT /api/v1/plan/sessions/{id}/log` (1 probing client, a new note each time),

while that many clients loop `POST /signin` with a wrong password for an existing account.
The flood models many attacking addresses: the sign-in limits are raised so every flood
request reaches the password hash (one address would be throttled after a few tries).
The table prints p50/p95 against the no-flood row of the same run, and the statuses the
flood and the probes got (a 500 is a failure; 429/503 with Retry-After is the intended
answer to overload).

To measure another checkout with this venv: PYTHONPATH=/tmp/before/src .venv/bin/python
benchmarks/bench_flood.py (the server is started with the same interpreter and PYTHONPATH).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

DEMO_EMAIL = "demo@retrorun.example"
DEMO_COACH_EMAIL = "coach@retrorun.example"
DEMO_PASSWORD = "run-backwards"  # noqa: S105  (the documented demo account)
WRONG_PASSWORD = "not-the-password"  # noqa: S105
LANDING_CLIENTS = 2
LOG_CLIENTS = 1
REQUEST_TIMEOUT_S = 30.0
SERVE = "from retrorun.cli import main; main()"
# Production never seeds the demo accounts (their password is public), so they are made
# beforehand, by the same code, in a development set-up step.
SEED = """
import sys
from retrorun.bootstrap import build_services, migrate, seed_demo
from retrorun.config import load_settings
settings = load_settings(environment="development", data_dir=sys.argv[1],
                         database_url=sys.argv[2], seed_demo=True)
migrate(settings)
services = build_services(settings)
seed_demo(services)
services.close()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: Path, database_url: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    subprocess.run([sys.executable, "-c", SEED, str(data_dir), database_url], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {**os.environ,
           "RETRORUN_ENVIRONMENT": "production",
           "RETRORUN_SECRET_KEY": secrets.token_urlsafe(48),
           "RETRORUN_DATA_DIR": str(data_dir),
           "RETRORUN_DATABASE_URL": database_url,
           "RETRORUN_SIGN_IN_MAX_FAILURES": "1000000000",
           "RETRORUN_SIGN_IN_MAX_FAILURES_PER_CLIENT": "1000000000",
           # What a production server must have; nothing is mailed here (no listener).
           "RETRORUN_BASE_URL": f"http://127.0.0.1:{port}",
           "RETRORUN_SMTP_HOST": "127.0.0.1", "RETRORUN_SMTP_PORT": str(free_port()),
           # The flooders speak through this "proxy" with an address each (see _flooder).
           "RETRORUN_TRUSTED_PROXIES": "127.0.0.1"}
    proc = subprocess.Popen([sys.executable, "-c", SERVE, "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            status, _, _ = asyncio.run(request(port, "GET", "/health"))
            if status == 200:
                return proc, port
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("the server did not start") from None
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not answer within 90 s")


# --- a tiny HTTP/1.1 client over asyncio streams (cookies by hand: they are Secure) ---

class Conn:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, method: str, path: str, body: bytes = b"",
                   headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}",
                f"Content-Length: {len(body)}", "Accept: text/html"]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        raw = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), REQUEST_TIMEOUT_S)
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0][9:12])
        found: dict[str, str] = {}
        for line in lines[1:]:
            if ":" not in line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                if val and 'expires=thu, 01 jan 1970' not in value.lower():
                    self.cookies[key] = val
                else:
                    self.cookies.pop(key, None)
            found[name] = value
        length = int(found.get("content-length", "0"))
        data = await asyncio.wait_for(self.reader.readexactly(length), REQUEST_TIMEOUT_S)
        if found.get("connection", "").lower() == "close":
            self.close()
        return status, found, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def request(port: int, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = Conn(port)
    try:
        return await conn.send(method, path)
    finally:
        conn.close()


def _csrf(page: bytes) -> str:
    match = re.search(rb'name="csrf_token" value="([^"]+)"', page) or re.search(
        rb'"X-CSRF-Token": "([^"]+)"', page)
    if match is None:
        raise SystemExit("no CSRF token on the page")
    return match.group(1).decode()


async def signin_form(conn: Conn, email: str, password: str) -> int:
    _, _, page = await conn.send("GET", "/signin")
    form = urllib.parse.urlencode({"csrf_token": _csrf(page), "email": email,
                                   "password": password, "next": "/plan"}).encode()
    status, _, _ = await conn.send(
        "POST", "/signin", form, {"Content-Type": "application/x-www-form-urlencoded"})
    return status


async def signed_in(port: int) -> tuple[dict[str, str], str, str]:
    """The demo athlete's cookies, CSRF token, and a session id with a log to rewrite."""
    conn = Conn(port)
    try:
        status = await signin_form(conn, DEMO_EMAIL, DEMO_PASSWORD)
        if status != 303:
            raise SystemExit(f"demo sign-in answered {status}")
        _, _, page = await conn.send("GET", "/plan")
        token = _csrf(page)
        _, _, logs = await conn.send("GET", "/api/v1/logs")
        session_id = str(json.loads(logs)[0]["session_id"])
        return dict(conn.cookies), token, session_id
    finally:
        conn.close()


# --- the flood and the probes, in a child process so the probes are not the bottleneck ---

async def _flooder(port: int, until: float, statuses: collections.Counter[int]) -> None:
    # Each flooder has an address of its own (X-Forwarded-For through the trusted proxy):
    # one address is held to its share of the hashing pool (web.hashing), many are not.
    address = f"203.0.113.{secrets.randbelow(250) + 1}"
    conn = Conn(port)
    _, _, page = await conn.send("GET", "/signin")
    form = urllib.parse.urlencode({"csrf_token": _csrf(page), "email": DEMO_COACH_EMAIL,
                                   "password": WRONG_PASSWORD, "next": "/plan"}).encode()
    while time.perf_counter() < until:
        try:
            status, _, _ = await conn.send(
                "POST", "/signin", form, {"Content-Type": "application/x-www-form-urlencoded",
                                          "X-Forwarded-For": address})
        except (OSError, asyncio.IncompleteReadError, TimeoutError):
            conn.close()
            status = 0
        statuses[status] += 1
        if status in (429, 503):
            await asyncio.sleep(0.05)  # an attacker ignores Retry-After; still, no busy loop
    conn.close()


async def _probe(port: int, kind: str, until: float, warm: float, cookies: dict[str, str],
                 token: str, session_id: str, latencies: list[float],
                 statuses: collections.Counter[int]) -> None:
    conn = Conn(port)
    conn.cookies = dict(cookies)
    n = 0
    while True:
        begin = time.perf_counter()
        if begin >= until:
            break
        n += 1
        try:
            if kind == "landing":
                status, _, _ = await conn.send("GET", "/")
            else:
                body = json.dumps({"status": "skipped", "notes": f"bench {uuid.uuid4().hex}"})
                status, _, _ = await conn.send(
                    "PUT", f"/api/v1/plan/sessions/{session_id}/log", body.encode(),
                    {"Content-Type": "application/json", "X-CSRF-Token": token})
        except (OSError, asyncio.IncompleteReadError, TimeoutError):
            conn.close()
            status = 0
        if begin >= warm:
            latencies.append((time.perf_counter() - begin) * 1000)
            statuses[status] += 1
    conn.close()


async def _round(port: int, floods: int, seconds: float, cookies: dict[str, str], token: str,
                 session_id: str) -> dict[str, object]:
    warmup = 1.0
    start = time.perf_counter()
    until = start + warmup + 2 * seconds
    flood: collections.Counter[int] = collections.Counter()
    floods_running = [asyncio.create_task(_flooder(port, until, flood)) for _ in range(floods)]
    result: dict[str, object] = {}
    begin = start
    for kind, clients in (("landing", LANDING_CLIENTS), ("log", LOG_CLIENTS)):
        latencies: list[float] = []
        statuses: collections.Counter[int] = collections.Counter()
        warm = begin + warmup if kind == "landing" else begin
        end = warm + seconds
        await asyncio.gather(*(_probe(port, kind, end, warm, cookies, token, session_id,
                                      latencies, statuses) for _ in range(clients)))
        seen: dict[str, int] = {str(status): n for status, n in statuses.items()}
        result[kind] = {"latencies": latencies, "statuses": seen}
        begin = end
    await asyncio.gather(*floods_running)
    result["flood"] = dict(flood)
    return result


def round_worker(argv: list[str]) -> None:
    port, floods, seconds, state = argv
    data = json.loads(state)
    out = asyncio.run(_round(int(port), int(floods), float(seconds), data["cookies"],
                             data["token"], data["session_id"]))
    json.dump(out, sys.stdout)


def pct(values: list[float], q: float) -> float:
    data = sorted(values)
    return data[min(len(data) - 1, int(q * len(data)))] if data else float("nan")


def statuses_text(statuses: dict[str, int]) -> str:
    return " ".join(f"{k}:{v}" for k, v in sorted(statuses.items()))


def postgres_database(admin_url: str) -> tuple[str, str]:
    import psycopg

    name = f"retrorun_flood_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}", name


def drop_postgres(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--round-worker":
        round_worker(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0,
                        help="measured seconds per probe (landing, then log writes)")
    parser.add_argument("--floods", type=int, nargs="+", default=[0, 4, 8])
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--postgres-url", default=os.environ.get(
        "RETRORUN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"retrorun sign-in flood benchmark: {args.database}, {os.cpu_count()} CPUs, "
          f"load average {load}; `retrorun serve`, production settings")
    with tempfile.TemporaryDirectory() as tmp:
        url, pg_name = "", None
        if args.database == "postgresql":
            url, pg_name = postgres_database(args.postgres_url)
        proc, port = start_server(Path(tmp), url)
        try:
            cookies, token, session_id = asyncio.run(signed_in(port))
            state = json.dumps({"cookies": cookies, "token": token, "session_id": session_id})
            rows = []
            for floods in args.floods:
                out = subprocess.run(
                    [sys.executable, __file__, "--round-worker", str(port), str(floods),
                     str(args.seconds), state], check=True, capture_output=True,
                    text=True).stdout
                rows.append((floods, json.loads(out)))
        finally:
            proc.terminate()
            proc.wait(timeout=15)
            if pg_name:
                drop_postgres(args.postgres_url, pg_name)
    base = {kind: (pct(rows[0][1][kind]["latencies"], 0.5),
                   pct(rows[0][1][kind]["latencies"], 0.95)) for kind in ("landing", "log")}
    print(f"{'flood':>5} | {'landing p50':>11} {'p95':>7} {'x base':>6} | {'log p50':>8} "
          f"{'p95':>7} {'x base':>6} | probe statuses | flood statuses (sign-ins)")
    for floods, data in rows:
        cells = []
        for kind in ("landing", "log"):
            lat = data[kind]["latencies"]
            p50, p95 = pct(lat, 0.5), pct(lat, 0.95)
            cells.append(f"{p50:>8.1f} ms {p95:>7.1f} {p50 / base[kind][0]:>5.1f}x")
        probes = statuses_text({f"{'L' if kind == 'landing' else 'W'}{status}": count
                                for kind in ("landing", "log")
                                for status, count in data[kind]["statuses"].items()})
        print(f"{floods:>5} | {cells[0]} | {cells[1]} | {probes} | "
              f"{statuses_text(data['flood'])}")
    print("L = landing, W = log write; status 0 = timed out or connection closed")


if __name__ == "__main__":
    main()
