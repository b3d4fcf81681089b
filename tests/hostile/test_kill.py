"""kill -9 during ``data import``, ``catalog import FOLDER`` and ``portfolio import``.

Each import runs through the installed console script against a copy of the seeded store and is
killed with SIGKILL the moment it starts writing (a new attachment file, or SQLite's write-ahead
log growing) and at several fractions of the time a complete run takes. Afterwards the store
must pass ``PRAGMA integrity_check`` (SQLite), hold either exactly what it held before (same
content hash) or exactly what a complete import gives (same row counts), keep every row it held,
and have no row whose attachment file is missing and no half-written file. Running the same
import again must then complete and leave no attachment file that no row refers to (a killed
run's files are swept by the next write, see docs/decisions/0102).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ._harness import Env, Fingerprint, integrity_ok, script

pytestmark = pytest.mark.slow

FRACTIONS = (0.25, 0.5, 0.75, 0.9)


def _big_release(folder: Path, n_occ: int = 600) -> Path:
    """A synthetic O*NET release: n_occ occupations, 35 rated skills each, titles, technologies."""
    folder.mkdir(parents=True, exist_ok=True)
    codes = [f"{11 + i // 9000:02d}-{1000 + i % 9000:04d}.00" for i in range(n_occ)]
    occ = ["O*NET-SOC Code\tTitle\tDescription"] + [
        f"{c}\tOccupation {i}\tDoes work {i}." for i, c in enumerate(codes)
    ]
    (folder / "Occupation Data.txt").write_text("\n".join(occ) + "\n", encoding="utf-8")
    head = (
        "O*NET-SOC Code\tTitle\tElement ID\tElement Name\tScale ID\tScale Name\tData Value\tN\t"
        "Standard Error\tLower CI Bound\tUpper CI Bound\tRecommend Suppress\tNot Relevant\tDate\t"
        "Domain Source"
    )
    rows = [head]
    for c in codes:
        for k in range(35):
            for scale, name in (("IM", "Importance"), ("LV", "Level")):
                rows.append(
                    f"{c}\tT\t2.A.{k}.a\tSkill {k}\t{scale}\t{name}\t{1 + (k % 4)}.0\t8\t0.1\t\t\tN\t"
                    f"{'N' if scale == 'LV' else ''}\t07/2020\tAnalyst"
                )
    (folder / "Skills.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    alt = ["O*NET-SOC Code\tTitle\tAlternate Title\tShort Title\tSource(s)"]
    alt += [f"{c}\tT\tAlt title {i}-{j}\t\t08" for i, c in enumerate(codes) for j in range(20)]
    (folder / "Alternate Titles.txt").write_text("\n".join(alt) + "\n", encoding="utf-8")
    return folder


_EDX_H = (
    "title,summary,course_description,course_url,subject,institution,Level,course_effort,"
    "course_length,price"
)


def _catalogue_folder(folder: Path, files: int = 3, per_file: int = 1500) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        lines = [_EDX_H] + [
            f"Course {f}-{i},Learn topic {i},Long description of topic {i} with Python and data,"
            f"https://www.edx.org/course/c-{f}-{i},Data,MITx,Introductory,2-3 hours per week,6 Weeks,FREE"
            for i in range(per_file)
        ]
        (folder / f"edx_part{f}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _portfolio_zip(path: Path, items: int = 120, size: int = 40_000) -> Path:
    """An export of a fresh portfolio with ``items`` items, each with its own attachment."""
    from skillpath.portfolio import add_evidence, export_zip
    from skillpath.store import close_all, open_store

    root = path.parent / "src-portfolio"
    root.mkdir(parents=True, exist_ok=True)
    old = os.environ.get("SKILLPATH_HOME")
    os.environ["SKILLPATH_HOME"] = str(root / "home")
    try:
        store = open_store(f"sqlite:///{root / 'src.db'}")
        for i in range(items):
            f = root / f"notes{i}.txt"
            f.write_bytes((f"notes {i}\n".encode() * (size // 8))[:size])
            add_evidence(store, kind="artefact", title=f"Work {i}", files=[f])
        export_zip(store, path)
        close_all()
    finally:
        if old is None:
            os.environ.pop("SKILLPATH_HOME", None)
        else:
            os.environ["SKILLPATH_HOME"] = old
    return path


def _attachment_problems(env: Env) -> list[str]:
    """Orphan or half-written attachment files, and rows whose file is missing."""
    from sqlalchemy import create_engine, text

    url = env.url.replace("postgresql://", "postgresql+psycopg://", 1)
    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            rows = {r[0] for r in conn.execute(text("SELECT sha256 FROM pf_blob"))}
    finally:
        eng.dispose()
    root = env.home / "attachments"
    # blobs live in root/xx/; root's own files are bookkeeping (.lock, a live writer's journal)
    files = {p.name: p for p in root.glob("??/*") if p.is_file()} if root.is_dir() else {}
    journals = [p.name for p in root.glob(".inflight-*")] if root.is_dir() else []
    out = [f"half-written file {n}" for n in files if n.startswith(".tmp")]
    out += [f"orphan attachment {n}" for n in files if not n.startswith(".tmp") and n not in rows]
    out += [f"row {r} has no attachment file" for r in rows if r not in files]
    out += [f"journal {n} of a killed writer" for n in journals]
    return out


def _writing(env: Env, *, files_only: bool = False) -> Callable[[], bool]:
    """A trigger that fires once the command starts writing: a new attachment file appears, or
    (unless ``files_only``) SQLite's write-ahead log grows (a write transaction is under way)."""
    root = env.home / "attachments"
    wal = (
        Path(env.url.split("///", 1)[1] + "-wal")
        if env.url.startswith("sqlite") and not files_only
        else None
    )

    def count() -> int:
        return sum(1 for p in root.rglob("*") if p.is_file()) if root.is_dir() else 0

    files0 = count()
    wal0 = wal.stat().st_size if wal is not None and wal.exists() else 0

    def fired() -> bool:
        if wal is not None and wal.exists() and wal.stat().st_size > wal0:
            return True
        return count() > files0

    return fired


def _kill_run(
    env: Env,
    args: list[str],
    delay: float | None = None,
    when: Callable[[], bool] | None = None,
    limit: float = 600,
) -> tuple[bool, str]:
    """Start ``skillpath ARGS`` and SIGKILL it after ``delay`` s, or as soon as ``when()`` is
    true; returns (was it still running when killed, its output)."""
    exe = script()
    assert exe is not None
    proc = subprocess.Popen(
        [exe, *args],
        env=env.environ(),
        cwd=env.work,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if when is None:
        time.sleep(delay or 0)
    else:
        end = time.monotonic() + limit
        while proc.poll() is None and not when() and time.monotonic() < end:
            time.sleep(0.002)
    alive = proc.poll() is None
    if alive:
        os.killpg(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate(timeout=120)
    return alive, out.decode("utf-8", "replace")


def _same_counts(a: Fingerprint, b: Fingerprint) -> bool:
    return a.counts == b.counts


def _dangling(env: Env, *, files_too: bool = True) -> list[str]:
    """Rows whose attachment file is missing (and, with ``files_too``, half-written files)."""
    return [
        p
        for p in _attachment_problems(env)
        if p.startswith("row") or (files_too and p.startswith("half"))
    ]


def _kill_test(
    make_env: Callable[[], Env],
    build: Callable[[Path], list[str]],
    *,
    files: bool = False,
    next_write: list[str] | None = None,
) -> None:
    """Measure a complete run, then kill fresh copies as the command starts writing and at
    FRACTIONS of a full run's time, and check the store after each kill and after a retry."""
    ref = make_env()
    args = build(ref.work)
    t0 = time.monotonic()
    done = ref.run(args, timeout=900, exec_script=True)
    full = time.monotonic() - t0
    assert done.returncode == 0, done.stdout + done.stderr
    complete = ref.fingerprint()
    killed_mid_run = 0
    for frac in (None, *FRACTIONS):  # None: the moment it starts writing
        env = make_env()
        args = build(env.work)
        before = env.fingerprint()
        if frac is None:
            alive, out = _kill_run(env, args, when=_writing(env, files_only=files))
            where = "killed as it started writing"
        else:
            alive, out = _kill_run(env, args, full * frac)
            where = f"killed at {frac:.0%} of a {full:.1f} s run"
        where += " (still running)" if alive else " (it had finished)"
        killed_mid_run += alive
        after = env.fingerprint()
        assert "Traceback" not in out or alive, f"{where}: {out[-2000:]}"
        if env.url.startswith("sqlite"):
            assert integrity_ok(env.url) == "ok", where
        if after.hashes != before.hashes:
            assert _same_counts(after, complete), (
                f"{where}: neither the previous data nor a complete import: "
                + "; ".join(before.diff(after))
            )
        # previous data intact: every table that held rows before holds at least as many now
        for table, n in before.counts.items():
            assert after.counts.get(table, 0) >= n, (
                f"{where}: {table} lost rows ({n} -> {after.counts.get(table)})"
            )
        assert not _dangling(env, files_too=False), f"{where}: {_dangling(env, files_too=False)}"
        if next_write:  # the next write sweeps what the killed run left, before anything else
            nxt = env.run(next_write, timeout=900, exec_script=True)
            assert nxt.returncode == 0, f"{where}, then {next_write}: {nxt.stdout + nxt.stderr}"
            assert not _attachment_problems(env), f"{where}, then {next_write}: " + ", ".join(
                _attachment_problems(env)[:5]
            )
            continue
        # the user runs it again: it completes, and nothing a killed run left behind remains
        again = env.run(args, timeout=900, exec_script=True)
        assert again.returncode == 0, f"{where}, then re-run: {again.stdout + again.stderr}"
        assert _same_counts(env.fingerprint(), complete), f"{where}, then re-run"
        assert not _attachment_problems(env), f"{where}, then re-run: {_attachment_problems(env)}"
    assert killed_mid_run >= 2, (
        f"fewer than two kills landed while the import ran (a full run takes {full:.1f} s)"
    )


@pytest.fixture
def make_env(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[], Env]:
    """Fresh copies of the seeded SQLite store, one per run of a kill test."""
    import shutil

    tpl: Env = request.getfixturevalue("_sqlite_template")
    if script() is None:
        pytest.skip("the skillpath console script is not installed")

    def make() -> Env:
        d = tmp_path_factory.mktemp("kill")
        shutil.copy2(Path(tpl.url.split("///", 1)[1]), d / "store.db")
        shutil.copytree(tpl.home, d / "home")
        (d / "work").mkdir()
        return Env(f"sqlite:///{d / 'store.db'}", d / "home", d / "work", tpl.ids)

    return make


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The big inputs, built once."""
    d = tmp_path_factory.mktemp("kill-inputs")
    return {
        "release": _big_release(d / "release"),
        "catalogue": _catalogue_folder(d / "catalogue"),
        "portfolio": _portfolio_zip(d / "portfolio.zip"),
    }


def test_kill_during_data_import(make_env: Callable[[], Env], inputs: dict[str, Any]) -> None:
    _kill_test(make_env, lambda work: ["data", "import", str(inputs["release"])])


@pytest.mark.xfail(
    reason="fixed by imports: catalog import FOLDER all-or-nothing (a kill after the "
    "first file's commit leaves it); not strict because it depends on where the kill lands"
)
def test_kill_during_catalog_import_folder(
    make_env: Callable[[], Env], inputs: dict[str, Any]
) -> None:
    _kill_test(make_env, lambda work: ["catalog", "import", str(inputs["catalogue"]), "--no-tag"])


def test_kill_during_portfolio_import(make_env: Callable[[], Env], inputs: dict[str, Any]) -> None:
    _kill_test(
        make_env,
        lambda work: ["portfolio", "import", str(inputs["portfolio"])],
        files=True,
        next_write=["portfolio", "add", "--kind", "feedback", "--title", "After the crash"],
    )
