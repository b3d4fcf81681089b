"""Shared fixtures: the real data folder, fresh stores (SQLite and PostgreSQL), a seeded rng."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from skillpath.config import default_data_dir


def _data_dir() -> Path | None:
    return default_data_dir()


DATA = _data_dir()
NO_DATA = "shared data folder not found: set SKILLPATH_DATA or put it at ../shared/data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shared real-data folder; skips the test with a reason when it is absent."""
    if DATA is None:
        pytest.skip(NO_DATA)
    return DATA


@pytest.fixture
def rng() -> random.Random:
    """A seeded random generator."""
    return random.Random(20261129)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the user's real data directory or database from tests."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SKILLPATH_HOME", str(home))
    monkeypatch.setenv("SKILLPATH_CACHE_DIR", str(home / "cache"))
    # The default text engine (hybrid) embeds a whole taxonomy on first use, minutes per fresh
    # cache: tests run the lexical engine unless SKILLPATH_TEST_TEXT_ENGINE says otherwise; the
    # hybrid default itself is tested in tests/text/test_semantic.py.
    monkeypatch.setenv(
        "SKILLPATH_TEXT_ENGINE", os.environ.get("SKILLPATH_TEST_TEXT_ENGINE", "lexical")
    )
    if "SKILLPATH_DB" in os.environ:
        monkeypatch.delenv("SKILLPATH_DB")


PG_URL = os.environ.get("SKILLPATH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_available() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"), connect_timeout=3):
            return None
    except Exception as exc:  # any failure means: skip, with the reason
        return f"PostgreSQL not reachable at {PG_URL}: {exc}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, and a PostgreSQL schema when a server answers."""
    from skillpath.store import close_all

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        close_all()
        return
    reason = _pg_available()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = f"t_{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**8}"
    base = PG_URL.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    close_all()
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def real_store(data_dir: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A SQLite store with the shared O*NET and ESCO data imported (once per test session)."""
    from skillpath.store import open_store
    from skillpath.taxonomy import import_paths

    db = tmp_path_factory.mktemp("real") / "real.db"
    if _copy_prebuilt("SKILLPATH_TEST_REAL_DB", db):
        return open_store(f"sqlite:///{db}")
    store = open_store(f"sqlite:///{db}")
    import_paths(store, [data_dir / "onet", data_dir / "esco"])
    return store


def _copy_prebuilt(env: str, db: Path) -> bool:
    """Copy the store named by ``env`` (a developer's store that already holds exactly the
    fixture's imports) to ``db``; False when the variable is unset."""
    prebuilt = os.environ.get(env)
    if not prebuilt:
        return False
    import shutil

    shutil.copy(prebuilt, db)
    return True


@pytest.fixture(scope="session")
def real_taxonomy(real_store):  # type: ignore[no-untyped-def]
    """The shared O*NET and ESCO data as a Taxonomy (imported once per test session)."""
    from skillpath.taxonomy import Taxonomy

    return Taxonomy.load(real_store)


@pytest.fixture(scope="session")
def full_store(data_dir: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A SQLite store with the newest O*NET release (29.3), the older unnamed ``onet`` folder and
    ESCO imported together, as the demo and the benchmarks see them (once per test session)."""
    from skillpath.store import open_store
    from skillpath.taxonomy import default_paths, import_paths

    paths = default_paths(data_dir)
    if not paths or paths[0].name == "onet":
        pytest.skip("no named O*NET release folder (e.g. onet-29.3-excel) in the data folder")
    db = tmp_path_factory.mktemp("full") / "full.db"
    if _copy_prebuilt("SKILLPATH_TEST_FULL_DB", db):
        store = open_store(f"sqlite:///{db}")
        store.report = None  # type: ignore[attr-defined]  # (the import report is not kept)
        return store
    store = open_store(f"sqlite:///{db}")
    report = import_paths(store, [data_dir / "onet", *paths])
    store.report = report  # type: ignore[attr-defined]
    return store


@pytest.fixture(scope="session")
def full_taxonomy(full_store):  # type: ignore[no-untyped-def]
    """The taxonomy of :func:`full_store`."""
    from skillpath.taxonomy import Taxonomy

    return Taxonomy.load(full_store)
