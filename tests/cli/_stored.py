"""The installed `retrorun` command on a database file of its own, for the commands on
stored data (users, plan --athlete, log, progress, export)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RETRORUN = str(Path(sys.executable).with_name("retrorun"))
PASSWORD = "backwards-is-forwards"  # a test account's
SECRET = "cli-test-secret-" + "x" * 40
# Four days a week, so a fortnight holds several past sessions of each kind.
PROFILE: dict[str, Any] = {
    "experience": "recreational", "weekly_minutes": 150, "longest_run_minutes": 60,
    "available_days": ["mon", "wed", "fri", "sun"], "long_run_day": "sun", "goal": "general",
    "age": 35, "surfaces": ["road", "track"], "screen": {},
}


def today() -> dt.date:
    """The athlete's today: UTC, as no calendar time zone is set."""
    return dt.datetime.now(dt.UTC).date()


@dataclass
class Cli:
    """The command on one database: `run` calls the `retrorun` entry point (`cli.main`, as
    the installed script does) in this process, or with `installed` the script itself in a
    child process. In process is some ten times cheaper; the flow test runs the script."""

    database_url: str
    folder: Path
    installed: bool = False

    def environment(self) -> dict[str, str]:
        # The test environment hashes passwords cheaply (still argon2id).
        return {"RETRORUN_DATABASE_URL": self.database_url, "COLUMNS": "100",
                "RETRORUN_ENVIRONMENT": "test", "RETRORUN_SECRET_KEY": SECRET}

    def run(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        argv = [RETRORUN, *map(str, args)]
        if self.installed:
            clean = {k: v for k, v in os.environ.items() if not k.startswith("RETRORUN_")}
            return subprocess.run(argv, capture_output=True, text=True, timeout=120,
                                  check=False, cwd=self.folder,
                                  env={**clean, **self.environment()})
        return self._in_process(argv)

    def _in_process(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        from retrorun.cli import main

        out, err = io.StringIO(), io.StringIO()
        saved = {k: v for k, v in os.environ.items() if k.startswith("RETRORUN_")
                 or k == "COLUMNS"}
        for key in saved:
            del os.environ[key]
        os.environ.update(self.environment())
        old_argv, sys.argv = sys.argv, argv
        code: int | str | None = 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                main()
        except SystemExit as exit_:
            code = exit_.code
        finally:
            sys.argv = old_argv
            for key in self.environment():
                os.environ.pop(key, None)
            os.environ.update(saved)
        returncode = code if isinstance(code, int) else 0 if code is None else 1
        return subprocess.CompletedProcess(argv, returncode, out.getvalue(), err.getvalue())

    def ok(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        result = self.run(*args)
        assert result.returncode == 0, result.stderr
        return result

    def password_file(self, text: str = PASSWORD + "\n", name: str = "pw.txt") -> Path:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        return path

    def add_user(self, email: str) -> str:
        return self.ok("users", "add", email, "--password-file",
                       self.password_file()).stdout.strip()

    def profile(self, start: dt.date, name: str = "me.json", **changes: Any) -> Path:
        path = self.folder / name
        path.write_text(json.dumps({**PROFILE, "start_date": start.isoformat(), **changes}))
        return path

    def keep(self, email: str, start: dt.date, *flags: str) -> subprocess.CompletedProcess[str]:
        return self.run("plan", "--profile", self.profile(start), "--athlete", email,
                        "--keep", *flags)

    def document(self, who: str) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(self.ok("plan", "--athlete", who,
                                                      "--json").stdout)
        return document


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a refused command prints (exit 2, nothing on stdout, no traceback)."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    return lines[0].removeprefix("error: ")


def sessions(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for week in document["weeks"] for s in week["sessions"]]
