"""The installed console script never shows a traceback for a usage error (exit 2)."""

from __future__ import annotations

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


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=lambda a: " ".join(a) or "<none>")
def test_usage_error_exits_2_without_traceback(args: list[str], tmp_path: Path) -> None:
    proc = subprocess.run(
        [*_script(), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"SKILLPATH_DB": str(tmp_path / "s.db"), "PATH": str(Path(sys.executable).parent)},
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert "Traceback" not in out
    assert "Error" in out or "Usage:" in out


def test_help_exits_0() -> None:
    proc = subprocess.run([*_script(), "--help"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert "Usage:" in proc.stdout
