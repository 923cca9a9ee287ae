"""`retrorun users add`: an account from the terminal, through the sign-up use case."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from retrorun.cli._app import UserError, app

users_app = typer.Typer(help="Accounts: add one from the terminal.", no_args_is_help=True)
app.add_typer(users_app, name="users")

# Far above the longest password sign-up accepts (1,024 characters of up to 4 bytes):
# a bigger file is not a password file, and reading /dev/zero must end.
MAX_PASSWORD_FILE_BYTES = 8192


def read_password(path: Path) -> str:
    """The password in a file, without one trailing newline (as `echo` writes it)."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_PASSWORD_FILE_BYTES + 1)
    except OSError as error:
        raise UserError(f"--password-file {path}: cannot read it: {error.strerror}"
                        ) from error
    if len(raw) > MAX_PASSWORD_FILE_BYTES:
        raise UserError(f"--password-file {path}: larger than {MAX_PASSWORD_FILE_BYTES:,} "
                        f"bytes; it should hold only the password")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserError(f"--password-file {path}: not UTF-8 text") from error
    if text.endswith("\n"):
        text = text[:-1].removesuffix("\r")
    return text


@users_app.command("add")
def add(
    email: Annotated[str, typer.Argument(help="The new account's email")],
    password_file: Annotated[Path, typer.Option(
        "--password-file", help="A file holding the password (one trailing newline is "
                                "ignored); never on the command line, where `ps` shows it")],
) -> None:
    """Create an account and print its user id.

    Example: retrorun users add runner@example.com --password-file pw.txt

    The database of the settings (RETRORUN_DATABASE_URL or RETRORUN_DATA_DIR) is brought
    to the newest schema first, as `retrorun serve` does.
    """
    from retrorun.cli._athlete import opened
    from retrorun.services import accounts, verification
    from retrorun.services.errors import Conflict, InvalidInput

    password = read_password(password_file)
    with opened(migrate=True) as services:
        try:
            user = accounts.sign_up(services.uow(), email=email, password=password,
                                    hasher=services.hasher, clock=services.clock,
                                    policy=services.policy)
        except Conflict as error:
            raise UserError(f"{email.strip()} already has an account") from error
        except InvalidInput as error:
            if error.field == "password":
                raise UserError(f"--password-file {password_file}: the password "
                                f"{error.message}") from error
            raise UserError(f"EMAIL: {error.message}") from error
        # The operator vouches for the address: the account needs no mailed link.
        verification.mark_verified(services.uow(), user_id=user.id, clock=services.clock)
    sys.stderr.write(f"account created for {user.email}\n")
    sys.stdout.write(user.id + "\n")
