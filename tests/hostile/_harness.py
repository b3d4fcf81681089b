"""The hostile-input harness: a small seeded store, the CLI as a subprocess, a store fingerprint.

The seeded store holds a tiny O*NET release, a three-course catalogue, one evidence item with
an attachment and one issued badge, so every command has something to lose. A case passes when
the command exits with the expected code, names the file (and row/field where one is known),
prints no traceback, and leaves the store exactly as it was: same row counts, same content hash
of every table, same attachment files.
"""

from __future__ import annotations

import hashlib
import json
import os
import select as select_io
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, select, text
from tests.taxonomy._release import small_release

CATALOGUE_CSV = """code,name,about,hours,cost,level,link
A1,Python for Data Analysis,"Analyse data with Python. Critical thinking about results.",12,49,Beginner,https://acme.test/a1
A2,Leading software teams,"Management of personnel resources for IT managers; capstone project.",4-6 hours per week for 8 weeks,$199,Advanced,https://acme.test/a2
A3,Reading technical papers,Reading comprehension for engineers.,90 minutes,free,,https://acme.test/a3
"""

# the generic mapping of the small "acme" catalogues, shared by the tests that import one
CATALOGUE_MAPPING = (
    Path(__file__).resolve().parents[1] / "fixtures" / "catalog" / "acme.toml"
).read_text(encoding="utf-8")

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c63f8cfc000000301010018dd8db00000000049454e44ae426082"
)


def script() -> str | None:
    """The installed ``skillpath`` console script of this interpreter, if any."""
    return shutil.which("skillpath", path=str(Path(sys.executable).parent)) or shutil.which(
        "skillpath"
    )


def _engine(url: str):  # type: ignore[no-untyped-def]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return create_engine(url)


@dataclass
class Fingerprint:
    """Row counts and a content hash per table, and the attachment files under the home folder."""

    counts: dict[str, int]
    hashes: dict[str, str]
    files: dict[str, str]

    def diff(self, other: Fingerprint) -> list[str]:
        """What changed from ``self`` to ``other``, one line per table or file."""
        out = []
        for t in sorted(set(self.counts) | set(other.counts)):
            a, b = self.counts.get(t), other.counts.get(t)
            if a != b:
                out.append(f"table {t}: {a} -> {b} rows")
            elif self.hashes.get(t) != other.hashes.get(t):
                out.append(f"table {t}: content changed ({a} rows)")
        for f in sorted(set(self.files) | set(other.files)):
            if self.files.get(f) != other.files.get(f):
                out.append(f"file {f}: {'added' if f not in self.files else 'changed or removed'}")
        return out


_SCHEMAS: dict[str, MetaData] = {}


def _tables(url: str, eng) -> MetaData:  # type: ignore[no-untyped-def]
    """The store's tables, reflected once per URL scheme (every store here has the same schema)."""
    key = url.split(":", 1)[0]
    if key not in _SCHEMAS:
        md = MetaData()
        md.reflect(eng)
        _SCHEMAS[key] = md
    return _SCHEMAS[key]


def fingerprint(url: str, home: Path) -> Fingerprint:
    """Counts and content hashes of every table of the store, and the files under ``home``."""
    eng = _engine(url)
    try:
        counts: dict[str, int] = {}
        hashes: dict[str, str] = {}
        with eng.connect() as conn:
            for name, table in sorted(_tables(url, eng).tables.items()):
                rows = sorted(repr(tuple(r)) for r in conn.execute(select(table)))
                counts[name] = len(rows)
                hashes[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    finally:
        eng.dispose()
    files = {}
    if home.is_dir():
        for p in sorted(home.rglob("*")):
            if p.is_file() and "cache" not in p.relative_to(home).parts:
                files[str(p.relative_to(home))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return Fingerprint(counts, hashes, files)


def integrity_ok(url: str) -> str:
    """``ok`` when SQLite's integrity check passes (PostgreSQL: a query answers)."""
    eng = _engine(url)
    try:
        with eng.connect() as conn:
            if url.startswith("sqlite"):
                return str(conn.execute(text("PRAGMA integrity_check")).scalar())
            conn.execute(text("SELECT 1"))
            return "ok"
    finally:
        eng.dispose()


def seed(url: str, home: Path, work: Path) -> dict[str, Any]:
    """Fill an empty store with the small fixture taxonomy, catalogue and portfolio.

    Returns what the cases build on: ``item`` (the evidence item's id), ``credential`` (its
    badge, as issued) and ``portfolio_zip`` (the bytes of a lossless export of it all).
    """
    old = {k: os.environ.get(k) for k in ("SKILLPATH_HOME", "SKILLPATH_DB")}
    os.environ["SKILLPATH_HOME"] = str(home)
    os.environ["SKILLPATH_DB"] = url
    try:
        from skillpath.catalog import import_path, tag_catalog
        from skillpath.portfolio import add_evidence, export_zip, issue_badge
        from skillpath.store import close_all, open_store
        from skillpath.taxonomy import import_paths

        store = open_store(url)
        import_paths(store, [small_release(work / "onet")])
        (work / "acme.csv").write_text(CATALOGUE_CSV, encoding="utf-8")
        (work / "acme.toml").write_text(CATALOGUE_MAPPING, encoding="utf-8")
        import_path(store, work / "acme.csv", mapping=work / "acme.toml")
        tag_catalog(store)
        (work / "shot.png").write_bytes(PNG_1PX)
        item = add_evidence(
            store,
            kind="artefact",
            title="Budget dashboard",
            skills=["Critical Thinking"],
            files=[work / "shot.png"],
            visibility="public",
        )
        cred = issue_badge(store, evidence=[item.id], name="Dashboards")
        export_zip(store, work / "portfolio.zip")
        if url.startswith("sqlite"):
            with store.engine.connect() as conn:
                conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        close_all()
        return {
            "item": item.id,
            "credential": cred.text,
            "portfolio_zip": (work / "portfolio.zip").read_bytes(),
        }
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


#: The environment every CLI run shares: wide plain output, one BLAS thread (2-core machine).
FIXED_ENV = {
    "COLUMNS": "400",
    "NO_COLOR": "1",
    "TERM": "dumb",
    "PYTHONDONTWRITEBYTECODE": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


@dataclass
class Result:
    """What a CLI run produced (the fields of subprocess.CompletedProcess the cases use)."""

    returncode: int
    stdout: str
    stderr: str


class ForkServer:
    """A client of :mod:`tests.hostile._forkserver`: one pre-imported CLI, one fork per run."""

    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLPATH_")}
        env.update(FIXED_ENV)
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("_forkserver.py"))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.scratch = Path(tempfile.mkdtemp(prefix="skillpath-forkserver-"))
        ready = self._read(600)
        if ready != {"ready": True}:
            raise RuntimeError(f"the fork server did not start: {ready!r}")

    def _read(self, timeout: float) -> dict[str, Any] | None:
        assert self.proc.stdout is not None
        ready, _, _ = select_io.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.proc.stdout.readline()
        return json.loads(line) if line else None

    def run(self, argv: list[str], env: dict[str, str], cwd: Path, timeout: float) -> Result:
        """Run ``skillpath ARGV`` in a forked child; kills it after ``timeout`` seconds."""
        assert self.proc.stdin is not None
        out, err = self.scratch / "out", self.scratch / "err"
        req = {"argv": argv, "env": env, "cwd": str(cwd), "out": str(out), "err": str(err)}
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        started = self._read(60)
        assert started is not None and "pid" in started, started
        done = self._read(timeout)
        if done is None:
            os.kill(started["pid"], signal.SIGKILL)
            done = self._read(60)
            raise subprocess.TimeoutExpired(argv, timeout)
        read = lambda p: p.read_bytes().decode("utf-8", "replace")  # noqa: E731
        return Result(int(done["rc"]), read(out), read(err))

    def close(self) -> None:
        """Stop the server."""
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.scratch, ignore_errors=True)


@dataclass
class Env:
    """One test's store: its URL, home folder and a scratch folder for the hostile files."""

    url: str
    home: Path
    work: Path
    ids: dict[str, Any] = field(default_factory=dict)
    server: ForkServer | None = None

    def environ(self) -> dict[str, str]:
        """The subprocess environment: only this store, no real data, wide plain output."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLPATH_")}
        env.update(
            SKILLPATH_DB=self.url,
            SKILLPATH_HOME=str(self.home),
            SKILLPATH_CACHE_DIR=str(self.home / "cache"),
            SKILLPATH_DATA=str(self.work / "no-shared-data"),
            **FIXED_ENV,
        )
        return env

    def run(self, args: list[str], *, timeout: float = 180, exec_script: bool = False) -> Result:
        """Run ``skillpath ARGS``: forked from the fork server when there is one, else (or with
        ``exec_script``) the installed console script as a new process."""
        if self.server is not None and not exec_script:
            return self.server.run(args, self.environ(), self.work, timeout)
        exe = script()
        assert exe is not None
        p = subprocess.run(
            [exe, *args],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            env=self.environ(),
            cwd=self.work,
            stdin=subprocess.DEVNULL,
        )
        return Result(p.returncode, p.stdout, p.stderr)

    def fingerprint(self) -> Fingerprint:
        """The store's fingerprint now."""
        return fingerprint(self.url, self.home)
