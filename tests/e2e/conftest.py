"""End-to-end tests: a real `retrorun serve` on a free port with a temporary SQLite file,
driven by Debian's chromium through Playwright (never `playwright install`)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
SERVER_LOGS: list[Path] = []  # the running server's console, where the mailer prints


def confirm_email(page: Any, server: str, email: str) -> None:
    """Open the confirmation link the development mailer printed for `email` and confirm
    (sign-up signs the browser in only then: issue 11)."""
    deadline = time.monotonic() + 10
    while True:
        mails = SERVER_LOGS[-1].read_text().split("--- mail to ")
        found = [re.search(r"/verify\?token=(\S+)", m) for m in mails
                 if m.startswith(f"{email}: Confirm")]
        if found and found[-1]:
            break
        assert time.monotonic() < deadline, f"no confirmation mail to {email}"
        time.sleep(0.1)
    page.goto(f"{server}/verify?token={found[-1].group(1)}")
    page.get_by_role("button", name="Confirm my email").click()
    page.wait_for_load_state()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=f"no chromium at {CHROMIUM} (scripts/setup installs it)")
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app as the README runs it, on a free port and a fresh SQLite file."""
    port = _free_port()
    data = tmp_path_factory.mktemp("e2e-data")
    env = {**os.environ, "RETRORUN_DATA_DIR": str(data), "RETRORUN_ENVIRONMENT": "development",
           "RETRORUN_SEED_DEMO": "false", "RETRORUN_DATABASE_URL": "",
           # Every browser test signs up from 127.0.0.1 on this one server.
           "RETRORUN_SIGN_UPS_PER_ADDRESS_HOUR": "1000"}
    log = (data / "server.log").open("w")
    SERVER_LOGS.append(data / "server.log")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from retrorun.cli import main; main()", "serve",
         "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((data / "server.log").read_text()) from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
