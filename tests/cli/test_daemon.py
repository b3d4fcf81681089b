"""``skillpath daemon``: advice commands handed to a warm process answer exactly as in-process,
follow the store when it changes, and fall back to in-process whenever the daemon cannot serve."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from skillpath.cli import _client as _daemon
from skillpath.cli import _daemon as _server

RUN = "import sys; from skillpath.cli import main; sys.exit(main(sys.argv[1:]))"


def test_command_word_and_store_key(tmp_path: Path) -> None:
    assert _daemon._command(["--db", "x.db", "plan", "--cv", "a"]) == "plan"
    assert _daemon._command(["paths", "--json"]) == "paths"
    assert _daemon._command(["--help"]) is None
    assert _daemon._db_option(["--db", "x.db", "plan"]) == "x.db"
    assert _daemon._db_option(["plan", "--db", "x.db"]) is None  # a command's own option
    env = {"SKILLPATH_HOME": "/h", "SKILLPATH_DB": "a.db", "OTHER": "1"}
    cwd = str(tmp_path)
    key = _daemon._key(env, ["plan"], cwd)
    # --db names the store over SKILLPATH_DB; a bare path is resolved in the caller's folder
    assert _daemon._key(env, ["--db", str(tmp_path / "a.db"), "plan"], "/") == key
    assert _daemon._key(env, ["--db", "b.db", "plan"], cwd) != key
    assert _daemon._key({**env, "SKILLPATH_HOME": "/g"}, ["plan"], cwd) != key
    assert _daemon._key({**env, "OTHER": "2", "SKILLPATH_DAEMON": "0"}, ["plan"], cwd) == key


def test_no_daemon_runs_in_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SKILLPATH_DB", str(tmp_path / "s.db"))
    assert _daemon.call_daemon(["plan", "--from", "x", "--target", "y"]) is None
    # a stale socket file (the daemon was killed) is no daemon
    path = _daemon.socket_path(os.environ, [])
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    assert _daemon.call_daemon(["plan", "--from", "x", "--target", "y"]) is None
    monkeypatch.setenv("SKILLPATH_DAEMON", "0")
    assert _daemon.call_daemon(["plan"]) is None
    assert _daemon.call_daemon(["catalog", "list"]) is None  # never a writing command


def _wait_for(path: Path, proc: subprocess.Popen[bytes], seconds: float = 600) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if _server._pid_of(path) == proc.pid:
            return
        if proc.poll() is not None:
            raise AssertionError(f"the daemon exited: {proc.stdout.read() if proc.stdout else ''}")
        time.sleep(0.5)
    raise AssertionError("the daemon did not start")


def _run(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    p = subprocess.run(
        [sys.executable, "-c", RUN, *args], env=env, capture_output=True, text=True, check=False
    )
    return p.returncode, p.stdout, p.stderr


def _without_solver_time(doc: str) -> object:
    plan = json.loads(doc)
    plan["solver"].pop("seconds", None)
    return plan


@pytest.mark.realdata
@pytest.mark.slow
def test_daemon_answers_as_in_process_and_follows_the_store(
    real_store, data_dir: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from skillpath.catalog import import_path, tag_catalog
    from skillpath.store import open_store

    db = tmp_path / "store.db"
    src = Path(str(real_store.url).removeprefix("sqlite:///"))
    with real_store.engine.connect() as c:  # a consistent copy (the WAL checkpointed)
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(src, db)
    store = open_store(f"sqlite:///{db}")
    import_path(store, data_dir / "catalogs" / "edx_courses.csv", preset="edx")
    tag_catalog(store)
    store.engine.dispose()
    env = {**os.environ, "SKILLPATH_DB": str(db), "PYTHONPATH": os.pathsep.join(sys.path)}
    path = _daemon.socket_path(env, [])
    assert path is not None
    proc = subprocess.Popen(
        [sys.executable, "-c", RUN, "daemon", "--idle", "30"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(path, proc)
        assert _server._pid_of(path) == proc.pid
        solo = {**env, "SKILLPATH_DAEMON": "0"}
        plan = ["plan", "--from-code", "15-1252.00", "--target-code", "11-3021.00", "--json"]
        paths = ["paths", "--from-code", "43-4051.00", "--json", "--top", "5"]
        bad = ["plan", "--from-code", "15-1252.00", "--target-code", "99-9999.99"]
        for args in (plan, paths, bad):
            got, want = _run(args, env), _run(args, solo)
            assert got[0] == want[0], (args, got[2], want[2])
            if args is plan:
                assert _without_solver_time(got[1]) == _without_solver_time(want[1])
            else:
                assert got[1:] == want[1:], args
        assert _run(bad, env)[0] == 2  # a user error keeps its exit code through the daemon

        # served by the daemon (the call's own descriptors), not in-process
        env_here = dict(os.environ)
        try:
            os.environ.update({"SKILLPATH_DB": str(db)})
            assert _daemon.call_daemon(["--db", str(db), *bad]) == 2
        finally:
            os.environ.clear()
            os.environ.update(env_here)

        # the store changes (another catalogue): the next call answers from the new content
        rec = [
            "recommend",
            "--cv",
            str(Path(__file__).resolve().parents[2] / "examples" / "cv" / "developer.resume.json"),
            "--target-code",
            "15-1211.00",
            "--json",
        ]
        before = _run(rec, env)
        import_path(store, data_dir / "catalogs" / "udemy_courses.csv", preset="udemy")
        tag_catalog(store)
        store.engine.dispose()
        after, fresh = _run(rec, env), _run(rec, solo)
        assert after == fresh
        assert after[1] != before[1]  # (the new catalogue's courses are recommended)
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert not path.exists()
