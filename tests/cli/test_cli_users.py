"""`retrorun users add EMAIL --password-file FILE` through the installed command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli._stored import PASSWORD, Cli, one_error_line


def signs_in(cli: Cli, email: str, password: str) -> bool:
    from retrorun.bootstrap import build_services
    from retrorun.config import load_settings
    from retrorun.services import accounts
    from retrorun.services.errors import InvalidCredentials

    services = build_services(load_settings(database_url=cli.database_url,
                                            environment="development"))
    try:
        accounts.authenticate(services.uow(), email=email, password=password,
                              hasher=services.hasher, clock=services.clock)
    except InvalidCredentials:
        return False
    finally:
        services.close()
    return True


def test_an_account_is_made_and_its_id_printed(cli: Cli) -> None:
    result = cli.ok("users", "add", "Runner@Example.com", "--password-file",
                    cli.password_file())
    user_id = result.stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{32}", user_id), result.stdout
    assert "runner@example.com" in result.stderr
    # One trailing newline is not part of the password; the rest is.
    assert signs_in(cli, "runner@example.com", PASSWORD)
    assert not signs_in(cli, "runner@example.com", PASSWORD + "\n")
    # The id and the email name the same athlete in the other commands.
    for who in (user_id, "runner@example.com"):
        assert one_error_line(cli.run("plan", "--athlete", who)).startswith(
            f"--athlete {who}: has no plan yet")


def test_a_password_file_without_newline_and_with_crlf(cli: Cli) -> None:
    cli.ok("users", "add", "a@example.com", "--password-file", cli.password_file(PASSWORD))
    cli.ok("users", "add", "b@example.com", "--password-file",
           cli.password_file(PASSWORD + "\r\n", "crlf.txt"))
    assert signs_in(cli, "a@example.com", PASSWORD)
    assert signs_in(cli, "b@example.com", PASSWORD)


def test_an_existing_email_is_exit_2_and_a_message(cli: Cli) -> None:
    first = cli.add_user("runner@example.com")
    line = one_error_line(cli.run("users", "add", "RUNNER@example.com ", "--password-file",
                                  cli.password_file("another-password\n", "other.txt")))
    assert line == "RUNNER@example.com already has an account"
    # The first account is untouched: its password still works, the new one does not.
    assert signs_in(cli, "runner@example.com", PASSWORD)
    assert not signs_in(cli, "runner@example.com", "another-password")
    assert first


@pytest.mark.parametrize(("email", "password", "starts"), [
    ("runner@example.com", "short\n", "--password-file {file}: the password must be at "
                                      "least 8 characters"),
    ("runner@example.com", "\n", "--password-file {file}: the password is required"),
    ("not-an-email", PASSWORD, "EMAIL: 'not-an-email' is not an email address"),
    ("", PASSWORD, "EMAIL: is required"),
])
def test_a_weak_password_or_a_bad_email_is_named(cli: Cli, email: str, password: str,
                                                 starts: str) -> None:
    file = cli.password_file(password)
    assert one_error_line(cli.run("users", "add", email, "--password-file", file)) == \
        starts.format(file=file)
    # Nothing was stored: the address is still free.
    cli.add_user("runner@example.com")


def test_an_unreadable_password_file_is_one_line(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    assert one_error_line(cli.run("users", "add", "a@example.com", "--password-file",
                                  missing)).startswith(f"--password-file {missing}: cannot read")
    assert one_error_line(cli.run("users", "add", "a@example.com", "--password-file",
                                  tmp_path)).startswith(f"--password-file {tmp_path}:")
    binary = tmp_path / "binary"
    binary.write_bytes(b"\xff\xfe\x00 not text")
    assert one_error_line(cli.run("users", "add", "a@example.com", "--password-file",
                                  binary)) == f"--password-file {binary}: not UTF-8 text"
    big = tmp_path / "big"
    big.write_text("x" * 10_000)
    assert "larger than" in one_error_line(cli.run("users", "add", "a@example.com",
                                                   "--password-file", big))
    assert not signs_in(cli, "a@example.com", PASSWORD)


def test_a_fresh_database_is_set_up_by_the_first_account(tmp_path: Path) -> None:
    fresh = Cli(f"sqlite:///{tmp_path / 'new.sqlite3'}", tmp_path)
    # Reading a database never set up says what to run, in one line.
    assert one_error_line(fresh.run("plan", "--athlete", "a@example.com")) == \
        "the database is not set up or is behind: run `retrorun db upgrade`"
    user_id = fresh.add_user("a@example.com")
    assert one_error_line(fresh.run("progress", "--athlete", user_id)) == \
        f"--athlete {user_id}: has no plan yet"


def test_the_commands_on_the_local_database_run_in_the_default_environment(
        tmp_path: Path) -> None:
    """Production is the default (issue 11); the commands on the local database sign
    nothing, so they need no RETRORUN_SECRET_KEY, but a weak one set is still refused."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"RETRORUN_ENVIRONMENT", "RETRORUN_SECRET_KEY"}}
    env["RETRORUN_DATABASE_URL"] = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    retrorun = [sys.executable, "-c", "from retrorun.cli import main; main()"]
    made = subprocess.run([*retrorun, "users", "add", "p@example.com", "--password-file",
                           str(tmp_path / "pw")], env=env, capture_output=True, text=True,
                          check=False)
    assert made.returncode == 0, made.stderr
    weak = subprocess.run([*retrorun, "progress", "--athlete", "p@example.com"],
                          env={**env, "RETRORUN_SECRET_KEY": " " * 32},
                          capture_output=True, text=True, check=False)
    assert weak.returncode == 2
    assert weak.stderr.startswith("error: RETRORUN_SECRET_KEY")
    assert len(weak.stderr.splitlines()) == 1


def test_an_account_the_operator_adds_is_verified(cli: Cli) -> None:
    """The operator vouches for the address: a coach added this way can accept an
    invitation without a mailed link (issue 11's invitations need a verified address)."""
    from retrorun.bootstrap import build_services
    from retrorun.config import load_settings

    user_id = cli.add_user("coach@example.com")
    services = build_services(load_settings(database_url=cli.database_url,
                                            environment="development"))
    try:
        with services.uow() as uow:
            user = uow.users.get(user_id)
    finally:
        services.close()
    assert user is not None
    assert user.email_verified_at is not None
