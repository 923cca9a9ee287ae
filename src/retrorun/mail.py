"""Mail adapters behind the services' Mailer port: SMTP for servers, the console for
development, and a background sender so no request waits for a mail server.

Which one a server uses is `config.Settings.mailer_kind`: SMTP when RETRORUN_SMTP_HOST is
set; the console only in development and test, because a confirmation or reset link is
a key to an account and the console is the server's log. `BackgroundMailer` hands each
mail to one sender thread: a sign-up or reset answers in the same time whether or not
a mail goes out (issue 11, enumeration by timing), and a slow or failing mail server
costs a log line, never a 500. What it logs names the recipient and the subject, never
the body, which holds the link.
"""

from __future__ import annotations

import logging
import queue
import smtplib
import ssl
import threading
from collections import deque
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from retrorun.services.ports import Email, Mailer

log = logging.getLogger("retrorun.mail")

# [A] A mail server that has not answered in this long is down: give up on this mail.
SMTP_TIMEOUT_SECONDS = 20.0
# [A] Mails waiting to be sent; past this the server is flooded or the mail server is
# down, and further mails are dropped with a log line rather than held in memory.
MAX_QUEUED_MAILS = 1000


@dataclass
class ConsoleMailer:
    """The development mailer: prints each mail (links included) and keeps the last ones
    in `sent`. Refused in production (`config`): the console is the server's log."""

    stream: IO[str] | None = None
    sent: deque[Email] = field(default_factory=lambda: deque(maxlen=100))

    def send(self, message: Email) -> None:
        self.sent.append(message)
        if self.stream is not None:
            print(f"--- mail to {message.to}: {message.subject}\n{message.body}---",
                  file=self.stream, flush=True)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # "starttls", "tls" (implicit, usually port 465) or "none"
    user: str
    password: str
    sender: str
    timeout: float = SMTP_TIMEOUT_SECONDS


class SmtpMailer:
    """One SMTP connection per mail: retrorun sends a few mails an hour, not a stream."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def message(self, mail: Email) -> EmailMessage:
        built = EmailMessage()
        built["From"] = self.settings.sender
        built["To"] = mail.to
        built["Subject"] = mail.subject
        built["Date"] = formatdate(localtime=False)
        built["Message-ID"] = make_msgid(domain=self.settings.sender.rpartition("@")[2]
                                         .strip(">") or None)
        built.set_content(mail.body)
        return built

    def send(self, message: Email) -> None:
        s = self.settings
        context = ssl.create_default_context()
        smtp: smtplib.SMTP = (
            smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
            if s.security == "tls" else smtplib.SMTP(s.host, s.port, timeout=s.timeout))
        with smtp:
            if s.security == "starttls":
                smtp.starttls(context=context)
            if s.user:
                smtp.login(s.user, s.password)
            smtp.send_message(self.message(message))


class BackgroundMailer:
    """Sends through `inner` on one daemon thread; `send` only queues (see the module).

    Mails still queued when the process ends are lost: they are links a person can ask
    for again (a new sign-up or reset), so no outbox table is kept for them.
    """

    def __init__(self, inner: Mailer, max_queued: int = MAX_QUEUED_MAILS) -> None:
        self.inner = inner
        self._queue: queue.Queue[Email] = queue.Queue(maxsize=max_queued)
        self._thread = threading.Thread(target=self._run, name="retrorun-mail", daemon=True)
        self._thread.start()

    def send(self, message: Email) -> None:
        try:
            self._queue.put_nowait(message)
        except queue.Full:
            log.error("mail to %s (%s) dropped: %d mails already wait to be sent",
                      message.to, message.subject, self._queue.maxsize)

    def wait_until_sent(self, timeout: float = 10.0) -> bool:
        """For tests and shutdown: True once every queued mail was handed to `inner`."""
        done = threading.Event()

        def wait() -> None:
            self._queue.join()
            done.set()

        threading.Thread(target=wait, daemon=True).start()
        return done.wait(timeout)

    def _run(self) -> None:
        while True:
            message = self._queue.get()
            try:
                self.inner.send(message)
                log.info("mail to %s sent (%s)", message.to, message.subject)
            except Exception as error:  # any failure: log it and go on to the next mail
                log.error("mail to %s (%s) not sent: %s: %s", message.to, message.subject,
                          type(error).__name__, error)
            finally:
                self._queue.task_done()
