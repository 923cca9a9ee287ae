"""Settings: one typed object, read from `RETRORUN_*` environment variables.

Built once by `load_settings()` at start-up and passed to `bootstrap.build_services` and
the web app factory; nothing reads the environment anywhere else, and importing this
module reads nothing.

| variable | default | meaning |
|---|---|---|
| RETRORUN_ENVIRONMENT | production | development, test or production (scripts/run: development) |
| RETRORUN_DATA_DIR | ./data | where the SQLite file (and other local files) live |
| RETRORUN_DATABASE_URL | SQLite file in data_dir | or postgresql+psycopg://user@host/db |
| RETRORUN_SECRET_KEY | development-only value | signs cookies; set it outside development |
| RETRORUN_HOST / RETRORUN_PORT | 127.0.0.1 / 8000 | where `retrorun serve` listens |
| RETRORUN_BASE_URL | http://<host>:<port> | address in mailed links; needed in production |
| RETRORUN_SMTP_HOST | (none) | mail server; a server in production must have one |
| RETRORUN_SMTP_PORT | 587 | its port (465 for implicit TLS) |
| RETRORUN_SMTP_SECURITY | starttls | starttls, tls (implicit) or none (a relay on localhost) |
| RETRORUN_SMTP_USER / RETRORUN_SMTP_PASSWORD | (none) | SMTP login, if the server asks |
| RETRORUN_MAIL_FROM | retrorun <no-reply@host of the base URL> | the From of every mail |
| RETRORUN_SIGN_IN_MAX_FAILURES | 5 | failed sign-ins per account and address within the window |
| RETRORUN_SIGN_IN_MAX_FAILURES_PER_CLIENT | 20 | failed sign-ins per address, any account |
| RETRORUN_SIGN_IN_WINDOW_SECONDS | 900 | the sliding window of the two limits above |
| RETRORUN_SIGN_UPS_PER_ADDRESS_HOUR | 10 | sign-ups an hour from one address |
| RETRORUN_RESET_TOKEN_MINUTES | 60 | how long a password-reset link works |
| RETRORUN_MIN_PASSWORD_LENGTH | 8 | shortest password accepted |
| RETRORUN_SEED_DEMO | true in development | create the demo athlete (never in production) |
| RETRORUN_TRUSTED_PROXIES | (none) | proxies whose X-Forwarded-For counts: IPs/CIDRs, a,b |
| RETRORUN_HASH_WORKERS | half the cores, 1+ | password hashes (Argon2, 64 MiB) at once |
| RETRORUN_MAX_BODY_BYTES | 1048576 | largest request body accepted (1 MiB); larger: 413 |
| RETRORUN_JOBS | redis on PostgreSQL, else sqlite | import jobs: inline (tests), sqlite or redis |
| RETRORUN_REDIS_URL | redis://127.0.0.1:6379/0 | the job queue's Redis (RETRORUN_JOBS=redis) |
"""

from __future__ import annotations

import ipaddress
import itertools
import math
import os
import secrets
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "retrorun-development-secret-do-not-use-in-production"  # noqa: S105
MIN_SECRET_LENGTH = 32
# [A] Production secrets must also be hard to guess: at least this many bits by the
# characters' own frequencies (Shannon). secrets.token_urlsafe(32) gives about 200; 32
# spaces give 0, "ab" repeated 16 times 32; 32 random hex digits about 115.
MIN_SECRET_ENTROPY_BITS = 100
# [A] A secret whose neighbouring characters mostly step by one ("abcdef...", "987...")
# is a run, however many symbols it has. By chance about 2 pairs in 64 do in
# secrets.token_urlsafe, 2 in 16 in hex; the most seen in 200,000 random 32-digit hex
# secrets was 0.42, so half is out of chance's reach.
MAX_SEQUENTIAL_SHARE = 0.5
SQLITE_FILE_NAME = "retrorun.sqlite3"


def half_the_cores() -> int:
    """The default hashing pool: Argon2 with the library's defaults (parallelism 4) keeps
    more than one core busy per hash, so half the cores hash and the rest serve pages.
    Measured on 2 cores (benchmarks/bench_flood.py): 1 slot kept log writes under a flood
    of 8 at 2.5x their quiet p50 on PostgreSQL, 2 slots at 10.7x."""
    return max(1, (os.cpu_count() or 2) // 2)


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class SmtpSecurity(StrEnum):
    STARTTLS = "starttls"
    TLS = "tls"
    NONE = "none"


class JobsBackend(StrEnum):
    """Where import jobs run (retrorun.jobs): in the caller at once, or on a huey queue."""

    INLINE = "inline"
    SQLITE = "sqlite"
    REDIS = "redis"


class SettingsError(ValueError):
    """A setting is missing, malformed or unsafe; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RETRORUN_", extra="ignore", frozen=True)

    # Fail safe: a server started without saying otherwise is a production one.
    environment: Environment = Field(
        Environment.PRODUCTION, description="development, test or production")
    data_dir: Path = Field(Path("data"), description="folder for the SQLite file")
    database_url: str = Field(
        "", description="SQLAlchemy URL; empty means a SQLite file in data_dir")
    secret_key: SecretStr = Field(
        SecretStr(DEVELOPMENT_SECRET), description="signs cookies and CSRF tokens")
    host: str = Field("127.0.0.1", description="address `retrorun serve` listens on")
    port: int = Field(8000, ge=1, le=65535, description="port `retrorun serve` listens on")
    base_url: str = Field("", description="public address for mailed links; empty: host:port")
    sign_in_max_failures: int = Field(
        5, ge=1, description="failed sign-ins per account and address")
    sign_in_max_failures_per_client: int = Field(
        20, ge=1, description="failed sign-ins per address, any account")
    sign_in_window_seconds: int = Field(900, ge=1, description="window of the sign-in limits")
    sign_ups_per_address_hour: int = Field(
        10, ge=1, description="sign-ups an hour from one address (services.throttle)")
    reset_token_minutes: int = Field(60, ge=1, le=24 * 60, description="reset link lifetime")
    min_password_length: int = Field(8, ge=8, le=128, description="shortest password")
    seed_demo: bool | None = Field(
        None, description="create the demo athlete at start; default: in development only")
    trusted_proxies: str = Field(
        "", description="addresses/CIDRs of reverse proxies whose X-Forwarded-For is used")
    hash_workers: int = Field(default_factory=half_the_cores, ge=1, le=64,
                              description="password hashes run at once")
    max_body_bytes: int = Field(
        1024 * 1024, ge=1024, description="largest request body; larger ones answer 413")
    smtp_host: str = Field("", description="mail server; empty: the console (development)")
    smtp_port: int = Field(587, ge=1, le=65535, description="mail server port")
    smtp_security: SmtpSecurity = Field(SmtpSecurity.STARTTLS,
                                        description="starttls, tls or none")
    smtp_user: str = Field("", description="SMTP login name, if the server asks for one")
    smtp_password: SecretStr = Field(SecretStr(""), description="SMTP password")
    mail_from: str = Field("", description="From address; empty: no-reply@ the base URL host")
    jobs: JobsBackend | None = Field(
        None, description="inline, sqlite or redis; unset: by database and environment")
    redis_url: str = Field("redis://127.0.0.1:6379/0",
                           description="the job queue's Redis (RETRORUN_JOBS=redis)")

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Self:
        if self.environment is Environment.DEVELOPMENT:
            return self
        secret = self.secret_key.get_secret_value()
        if secret == DEVELOPMENT_SECRET:
            raise ValueError(
                f"RETRORUN_SECRET_KEY must be set in {self.environment.value}: the default "
                "secret is public. Generate one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'")
        if len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"RETRORUN_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters")
        if self.environment is Environment.PRODUCTION and (
                secret_entropy_bits(secret) < MIN_SECRET_ENTROPY_BITS
                or secret in (secret + secret)[1:-1]  # one piece repeated: "0123456789"*4
                or sequential_share(secret) > MAX_SEQUENTIAL_SHARE):  # "abcd...012345"
            raise ValueError(
                "RETRORUN_SECRET_KEY is too easy to guess (a run, a repeat or too few different "
                "characters). Generate one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'")
        if self.environment is Environment.PRODUCTION and self.seed_demo:
            raise ValueError("RETRORUN_SEED_DEMO: the demo accounts have a published "
                             "password; they are for development only")
        return self

    @model_validator(mode="after")
    def _check_proxies(self) -> Self:
        try:
            self.trusted_networks  # noqa: B018  (parse now: fail at start, not per request)
        except ValueError as error:
            raise ValueError(f"RETRORUN_TRUSTED_PROXIES: {error}") from None
        return self

    @property
    def trusted_networks(
        self,
    ) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """The trusted proxies as networks (a plain address is a /32 or /128)."""
        networks = []
        for item in (part.strip() for part in self.trusted_proxies.split(",")):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or CIDR network") from None
        return tuple(networks)

    @property
    def development(self) -> bool:
        return self.environment is Environment.DEVELOPMENT

    @property
    def resolved_database_url(self) -> str:
        """The database URL to connect to: the setting, or the SQLite file in data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / SQLITE_FILE_NAME).resolve()}"

    @property
    def resolved_jobs(self) -> JobsBackend:
        """The job queue: the setting; else inline in tests (a job runs in the test's own
        thread), Redis beside PostgreSQL (several processes share it), else SQLite."""
        if self.jobs is not None:
            return self.jobs
        if self.environment is Environment.TEST:
            return JobsBackend.INLINE
        if self.resolved_database_url.startswith("postgresql"):
            return JobsBackend.REDIS
        return JobsBackend.SQLITE

    @property
    def public_url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def plan_url(self) -> str:
        """The athlete's plan page: the link in every calendar event. The feed, the web
        downloads and the CLI all use this one, so their ICS bytes agree."""
        return self.public_url + "/plan"

    @property
    def sender(self) -> str:
        if self.mail_from:
            return self.mail_from
        host = urlsplit(self.public_url).hostname or "localhost"
        return f"retrorun <no-reply@{host}>"

    @property
    def should_seed_demo(self) -> bool:
        return self.development if self.seed_demo is None else self.seed_demo


def secret_entropy_bits(secret: str) -> float:
    """Bits of a secret by the frequencies of its own characters (Shannon), times its
    length: an upper bound of what a guesser must try, low for repeats and few symbols."""
    counts = Counter(secret)
    total = len(secret)
    per_char = -sum(n / total * math.log2(n / total) for n in counts.values()) if total else 0
    return per_char * total


def sequential_share(secret: str) -> float:
    """The share of neighbouring characters one code point apart, either way."""
    pairs = list(itertools.pairwise(secret))
    steps = sum(abs(ord(b) - ord(a)) == 1 for a, b in pairs)
    return steps / len(pairs) if pairs else 0.0


def load_settings(**overrides: Any) -> Settings:
    """Read the settings from the environment; keyword arguments win (tests, CLI options).

    Raises SettingsError naming each bad variable, or saying why the secret is unsafe.
    """
    try:
        return Settings(**overrides)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where = "".join(str(part) for part in item["loc"][:1]).upper()
            message = str(item["msg"]).removeprefix("Value error, ")
            problems.append(f"RETRORUN_{where}: {message}" if where else message)
        raise SettingsError("; ".join(problems)) from None


def check_server_settings(settings: Settings) -> None:
    """What a web server needs beyond what every command needs: in production, a public
    address for the links it mails (unset, they would point at 127.0.0.1) and a mail
    server (the console fallback would write working sign-in links into the server's
    log). SettingsError with one line naming the variable."""
    if settings.environment is not Environment.PRODUCTION:
        return
    if not settings.base_url:
        raise SettingsError(
            "RETRORUN_BASE_URL must be set in production: mailed links would point at "
            f"{settings.public_url}. Set it to the address users open, e.g. "
            "https://retrorun.example.org")
    if urlsplit(settings.base_url).scheme not in ("http", "https"):
        raise SettingsError("RETRORUN_BASE_URL must start with https:// (or http://)")
    if not settings.smtp_host:
        raise SettingsError(
            "RETRORUN_SMTP_HOST must be set in production: without a mail server, sign-up "
            "and reset links would go to the server's log (see README, Running in "
            "production)")


def load_operator_settings() -> Settings:
    """The settings for commands on the local database (`retrorun users`, `plan
    --athlete`, `log`, `progress`, `export`, `db`): like `load_settings`, except that an
    unset RETRORUN_SECRET_KEY gets a throwaway one instead of a refusal. These commands
    sign nothing that outlives them (cookies, CSRF tokens and mailed links are the
    server's), so a secret a production server must have is not theirs to demand; a
    secret that is set is still checked.
    """
    if os.environ.get("RETRORUN_SECRET_KEY"):
        return load_settings()
    return load_settings(secret_key=secrets.token_urlsafe(48))

