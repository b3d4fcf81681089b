"""The installed console script never shows a traceback for a usage error (exit 2)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

USAGE_ERRORS = [
    [],
    ["bogus"],
    ["gap", "--from", "nurse"],
    ["roles", "--top", "abc"],
    ["plan", "--hours-per-week", "x"],
    ["badge"],
    ["profile", "--cv"],
]


def _script() -> list[str]:
    exe = shutil.which("skillpath", path=str(Path(sys.executable).parent)) or shutil.which(
        "skillpath"
    )
    if exe is None:
        pytest.skip("the skillpath console script is not installed (pip install -e .)")
    return [exe]


def _run(args: list[str], tmp_path: Path) -> tuple[int, str]:
    """The console script on an empty store in ``tmp_path``: exit code and all output."""
    proc = subprocess.run(
        [*_script(), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SKILLPATH_DB": str(tmp_path / "s.db")},
    )
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=lambda a: " ".join(a) or "<none>")
def test_usage_error_exits_2_without_traceback(args: list[str], tmp_path: Path) -> None:
    rc, out = _run(args, tmp_path)
    assert rc == 2, out
    assert "Traceback" not in out
    assert "Error" in out or "Usage:" in out


def test_help_exits_0() -> None:
    proc = subprocess.run([*_script(), "--help"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert "Usage:" in proc.stdout


# Old spellings keep working as hidden aliases of the documented options (scripts rely on them):
# an empty store then fails for missing data (exit 2), never with "No such option".
ALIASES = [
    ["paths", "--from", "nurse", "--n", "3"],
    ["paths", "--from", "nurse", "-n", "3", "--free", "--max-hours", "10"],
    ["gap", "--from", "nurse", "--to", "doctor", "--limit", "3"],
    ["gap", "--from", "nurse", "--to", "doctor", "-n", "3"],
    ["roles", "--like", "nurse", "-n", "3"],
    ["catalog", "search", "python", "--limit", "3"],
    ["catalog", "search", "python", "-n", "3", "--free", "--max-hours", "5"],
    ["plan", "--from", "nurse", "--target", "doctor", "--free-only", "--max-item-hours", "4"],
    ["plan", "--from", "nurse", "--target", "doctor", "--free", "--max-hours", "4", "--json"],
    ["skills", "link", "python", "-k", "3"],
    ["skills", "link", "python", "-n", "3"],
]


@pytest.mark.parametrize("args", ALIASES, ids=" ".join)
def test_documented_options_and_old_aliases_parse(args: list[str], tmp_path: Path) -> None:
    rc, out = _run(args, tmp_path)
    assert "No such option" not in out, out
    assert "Traceback" not in out, out
    assert rc in (0, 2), out


@pytest.mark.parametrize(
    "command", [["plan"], ["roles"], ["paths"], ["gap"], ["catalog", "search"]]
)
def test_help_has_no_bool_noise_and_every_option_is_explained(command: list[str]) -> None:
    proc = subprocess.run(
        [*_script(), *command, "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert proc.returncode == 0
    assert "<bool>" not in proc.stdout
    for line in proc.stdout.splitlines():
        if line.lstrip("│ *").startswith("--"):
            # an option row: name, maybe a type, then its help text
            assert len(line.strip("│ ").split()) > 2, f"option without help: {line.strip()}"


def test_plan_without_a_target_says_so_before_reading_anything(tmp_path: Path) -> None:
    """A missing --target is a usage error: said at once, before the store or the CV is read
    (on an empty store the message is about the target, not the missing taxonomy)."""
    cv = tmp_path / "cv.txt"
    cv.write_text("Chef\n2015 - 2020 Head chef at Bistro\n", encoding="utf-8")
    rc, out = _run(["plan", "--cv", str(cv)], tmp_path)
    assert rc == 2, out
    assert "give the target role" in out
    assert "Traceback" not in out
