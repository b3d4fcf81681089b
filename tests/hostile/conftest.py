"""Fixtures of the hostile-input corpus: a seeded store per backend, copied (SQLite) per test.

Commands run in children forked from one pre-imported CLI (``_forkserver.py``; set
``SKILLPATH_CORPUS_RUNNER=exec`` to start the installed console script for every case instead);
``test_console_script`` runs a sample of cases through the installed script either way.

SQLite: the store is seeded once per session and each test gets its own copy of the database
file and home folder (a file copy, milliseconds). PostgreSQL: one schema per run, seeded once;
each case compares the store before and after itself, so one failing case cannot hide another.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import PG_URL, _pg_available

from ._harness import Env, ForkServer, script, seed

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Env:
    root = tmp_path_factory.mktemp("hostile-sqlite")
    home = root / "home"
    env = Env(f"sqlite:///{root / 'store.db'}", home, root / "work")
    env.work.mkdir()
    env.ids = seed(env.url, home, env.work)
    return env


@pytest.fixture(scope="session")
def _pg_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    reason = _pg_available()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = f"hostile_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    base = PG_URL.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    root = tmp_path_factory.mktemp("hostile-pg")
    env = Env(f"{base}{sep}options=-csearch_path%3D{schema}", root / "home", root / "work")
    env.work.mkdir()
    env.ids = seed(env.url, env.home, env.work)
    yield env
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def fork_server() -> Iterator[ForkServer | None]:
    """The session's fork server, or ``None`` when every case should exec the console script."""
    if os.environ.get("SKILLPATH_CORPUS_RUNNER", "fork") == "exec" or not hasattr(os, "fork"):
        yield None
        return
    server = ForkServer()
    yield server
    server.close()


def _env_for(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Env:
    if script() is None:
        pytest.skip("the skillpath console script is not installed (pip install -e .)")
    work = tmp_path / "work"
    work.mkdir()
    server = request.getfixturevalue("fork_server")
    if backend == "sqlite":
        tpl: Env = request.getfixturevalue("_sqlite_template")
        src = Path(tpl.url.split("///", 1)[1])
        shutil.copy2(src, tmp_path / "store.db")
        shutil.copytree(tpl.home, tmp_path / "home")
        return Env(f"sqlite:///{tmp_path / 'store.db'}", tmp_path / "home", work, tpl.ids, server)
    pg: Env = request.getfixturevalue("_pg_store")
    home = tmp_path / "home"
    shutil.copytree(pg.home, home)
    return Env(pg.url, home, work, pg.ids, server)


@pytest.fixture(params=BACKENDS)
def hostile_env(request: pytest.FixtureRequest, tmp_path: Path) -> Env:
    """A seeded store for one case: a private SQLite copy, or the run's PostgreSQL schema."""
    return _env_for(request, request.param, tmp_path)


@pytest.fixture
def sqlite_env(request: pytest.FixtureRequest, tmp_path: Path) -> Env:
    """A private copy of the seeded SQLite store."""
    return _env_for(request, "sqlite", tmp_path)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the corpus result line per backend (the figure docs/benchmarks.md records)."""
    from .test_corpus import summary_lines

    lines = summary_lines()
    if lines:
        terminalreporter.section("hostile-input corpus")
        for line in lines:
            terminalreporter.write_line(line)
