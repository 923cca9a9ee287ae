"""The mailers against a real SMTP server (aiosmtpd), and a production server that mails
its links by SMTP and never writes them into its log (issue 11, the outside audit: the
console mailer put working confirmation and reset links into production logs)."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from retrorun.bootstrap import build_mailer
from retrorun.config import load_settings
from retrorun.mail import BackgroundMailer, SmtpMailer, SmtpSettings
from retrorun.services.ports import Email

SECRET = "Zr8kq2N0vLw5pX1sYt7uA3bC9dE4fG6hJ2mQ8nR0"  # a test server's


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps what it receives; `delay` makes it a slow server."""

    delay: float = 0.0
    received: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        if self.delay:
            time.sleep(self.delay)  # blocks the server's loop: a slow mail server
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.received.append(message_from_bytes(envelope.content))
        self.arrived.set()
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _settings(port: int, **changes: Any) -> SmtpSettings:
    return SmtpSettings(**{"host": "127.0.0.1", "port": port, "security": "none", "user": "",
                           "password": "", "sender": "retrorun <no-reply@example.org>",
                           **changes})


MAIL = Email(to="ann@example.com", subject="Confirm your retrorun email address",
             body="Open https://retrorun.example.org/verify?token=abc123 within 24 hours.\n")


def test_smtp_delivers_the_mail_as_written(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    SmtpMailer(_settings(port)).send(MAIL)
    (message,) = inbox.received
    assert inbox.envelopes == [("no-reply@example.org", ["ann@example.com"])]
    assert message["From"] == "retrorun <no-reply@example.org>"
    assert message["To"] == "ann@example.com"
    assert message["Subject"] == MAIL.subject
    assert message["Message-ID"].endswith("@example.org>")
    sent = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert sent.replace("\r\n", "\n") == MAIL.body  # SMTP lines end in CRLF


def test_the_background_mailer_answers_at_once_even_when_the_server_is_slow(
        smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    inbox.delay = 1.0
    mailer = BackgroundMailer(SmtpMailer(_settings(port)))
    started = time.perf_counter()
    mailer.send(MAIL)
    queued_in = time.perf_counter() - started
    assert not inbox.received  # not delivered yet: the caller did not wait for it
    assert mailer.wait_until_sent(timeout=15)
    assert len(inbox.received) == 1
    assert queued_in < inbox.delay  # the request went on while the server dawdled


def test_a_failed_mail_is_logged_without_its_link(caplog: pytest.LogCaptureFixture) -> None:
    closed = _free_port()  # nothing listens here
    mailer = BackgroundMailer(SmtpMailer(_settings(closed, timeout=2.0)))
    with caplog.at_level(logging.INFO, logger="retrorun.mail"):
        mailer.send(MAIL)
        assert mailer.wait_until_sent(timeout=15)
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    text = record.getMessage()
    assert "ann@example.com" in text
    assert "not sent" in text
    assert "abc123" not in caplog.text


def test_a_full_queue_drops_the_mail_with_a_line(caplog: pytest.LogCaptureFixture) -> None:
    release = threading.Event()

    class Stuck:
        def send(self, _message: Email) -> None:
            release.wait(10)

    mailer = BackgroundMailer(Stuck(), max_queued=1)
    with caplog.at_level(logging.ERROR, logger="retrorun.mail"):
        for _ in range(4):  # one in the sender's hands, one queued, the rest dropped
            mailer.send(MAIL)
        release.set()
    assert "dropped" in caplog.text
    assert "abc123" not in caplog.text


def test_settings_choose_smtp_when_a_host_is_set(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    settings = load_settings(environment="test", secret_key=SECRET, smtp_host="127.0.0.1",
                             smtp_port=port,
                             smtp_security="none", base_url="https://retrorun.example.org")
    mailer = build_mailer(settings)
    assert isinstance(mailer, BackgroundMailer)
    mailer.send(MAIL)
    assert mailer.wait_until_sent(timeout=15)
    assert inbox.received[0]["From"] == "retrorun <no-reply@retrorun.example.org>"


def _serve(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("w") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-c", "from retrorun.cli import main; main()", "serve"],
            env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1):  # noqa: S310
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.2)


def _sign_up(url: str, email: str) -> int:
    """Sign up as a browser would: the form's CSRF token and cookie, then the post. The
    cookie is sent back by hand: production cookies are Secure, and this server is
    plain HTTP on loopback (behind the TLS proxy a real one has)."""
    with urllib.request.urlopen(f"{url}/signup") as page:  # noqa: S310
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode())
        cookie = "; ".join(c.split(";", 1)[0] for c in page.headers.get_all("set-cookie"))
    assert token
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "email": email,
                                   "password": "a long enough password"}).encode()
    request = urllib.request.Request(f"{url}/signup", data=data,  # noqa: S310
                                     headers={"Cookie": cookie})
    with urllib.request.urlopen(request) as answer:  # noqa: S310
        return int(answer.status)


def test_a_production_server_mails_links_by_smtp_and_keeps_them_out_of_its_log(
        smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    inbox, smtp_port = smtp
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    proc = _serve({"RETRORUN_ENVIRONMENT": "production", "RETRORUN_SECRET_KEY": SECRET,
                   "RETRORUN_DATA_DIR": str(tmp_path), "RETRORUN_DATABASE_URL": "",
                   "RETRORUN_PORT": str(port), "RETRORUN_BASE_URL": url,
                   "RETRORUN_SMTP_HOST": "127.0.0.1", "RETRORUN_SMTP_PORT": str(smtp_port),
                   "RETRORUN_SMTP_SECURITY": "none"}, log)
    try:
        _wait_until_up(url, proc, log)
        assert _sign_up(url, "new@example.com") == 200
        assert inbox.arrived.wait(15)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    (message,) = inbox.received
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    link = re.search(r"/verify\?token=(\S+)", body)
    assert link
    assert body.count(f"{url}/verify?token=") == 1  # the public address, not 127.0.0.1:8000
    assert link.group(1) not in log.read_text()
    assert "mail to" not in log.read_text()


@pytest.mark.parametrize(("missing", "named"), [
    ({"RETRORUN_BASE_URL": ""}, "RETRORUN_BASE_URL"),
    ({"RETRORUN_SMTP_HOST": ""}, "RETRORUN_SMTP_HOST"),
])
def test_a_production_server_without_a_base_url_or_mail_server_refuses_to_start(
        tmp_path: Path, missing: dict[str, str], named: str) -> None:
    env = {"RETRORUN_ENVIRONMENT": "production", "RETRORUN_SECRET_KEY": SECRET,
           "RETRORUN_DATA_DIR": str(tmp_path), "RETRORUN_BASE_URL": "https://r.example.org",
           "RETRORUN_SMTP_HOST": "127.0.0.1", "RETRORUN_PORT": str(_free_port()), **missing}
    done = subprocess.run(
        [sys.executable, "-c", "from retrorun.cli import main; main()", "serve"],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert named in lines[0]
    assert "Traceback" not in done.stderr
