"""Two writers on one SQLite file: the second waits (busy timeout), then says so; no traceback."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from skillpath.store import open_store
from taxonomy._release import small_release


def _script() -> str:
    exe = shutil.which("skillpath", path=str(Path(sys.executable).parent)) or shutil.which(
        "skillpath"
    )
    if exe is None:
        pytest.skip("the skillpath console script is not installed")
    return exe


def _run(db: Path, *args: str, wait: str = "30") -> subprocess.Popen[str]:
    env = {**os.environ, "SKILLPATH_DB": str(db), "SKILLPATH_DB_WAIT": wait}
    return subprocess.Popen(
        [_script(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def test_locked_database_gives_a_clear_message_and_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    open_store(f"sqlite:///{db}")  # migrated before another process takes the lock
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        proc = _run(db, "data", "import", str(small_release(tmp_path / "rel")), wait="1")
        out, err = proc.communicate(timeout=300)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 2, err
    assert "in use by another Skillpath process" in err and "Traceback" not in out + err


def test_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    open_store(f"sqlite:///{db}")
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Thread(target=lambda: (time.sleep(3), holder.execute("COMMIT")), daemon=True).start()
    proc = _run(db, "data", "import", str(small_release(tmp_path / "rel")))
    _out, err = proc.communicate(timeout=300)
    holder.close()
    assert proc.returncode == 0, err


def test_two_imports_at_once_both_succeed(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    open_store(f"sqlite:///{db}")
    rel = small_release(tmp_path / "rel")
    procs = [
        _run(db, "data", "import", str(rel)),
        _run(db, "data", "import", str(rel / "Skills.txt")),
    ]
    results = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in out + err
