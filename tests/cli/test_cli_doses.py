"""`retrorun doses`: the dose table, and a clear one-line refusal for a path it cannot write."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.cli.test_cli_plan import RETRORUN


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RETRORUN, *args], capture_output=True, text=True, timeout=60,
                          check=False)


def test_doses_prints_the_table_that_docs_holds() -> None:
    result = run("doses")
    assert result.returncode == 0, result.stderr
    docs = Path(__file__).parents[2] / "docs" / "doses.md"
    assert result.stdout == docs.read_text(encoding="utf-8")


def test_doses_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "doses.md"
    assert run("doses", "--write", str(target)).returncode == 0
    assert target.read_text(encoding="utf-8").startswith("# Doses")


def test_a_path_it_cannot_write_gets_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run("doses", "--write", str(tmp_path / "missing" / "doses.md"))
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot write ")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "missing").exists()
