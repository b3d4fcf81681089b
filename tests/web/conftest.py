"""Fixtures for the web app: a service over the real data, actors signed in, CSRF-aware clients.

The web app runs on SQLite (the real store) and, for the authorisation matrix, on PostgreSQL too
(a fresh schema holding a copy of the same taxonomy and catalogue), skipped with the reason when
no PostgreSQL server answers.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient

CV = Path(__file__).parents[2] / "examples" / "cv" / "developer.resume.json"
TARGET = "computer and information systems manager"


class Actor:
    """A browser-like client: keeps its cookies and the page's CSRF token."""

    def __init__(self, app: Any, name: str) -> None:
        self.c = TestClient(app)
        self.name = name
        self.csrf = ""
        self.id = 0

    def page(self, url: str, **kw: Any) -> Any:
        r = self.c.get(url, **kw)
        m = re.search(r'name="csrf" value="([^"]+)"', r.text)
        if m:
            self.csrf = m.group(1)
        return r

    def post(self, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        if not self.csrf:
            self.page("/verify")
        return self.c.post(url, data={"csrf": self.csrf, **(data or {})}, **kw)

    def signup(self, email: str, role: str = "learner") -> Actor:
        self.page("/register")
        r = self.post(
            "/register",
            {"email": email, "password": "correct horse 1", "name": self.name, "role": role},
        )
        assert r.status_code == 200, r.text[:300]
        self.page("/me" if role == "learner" else "/mentor")
        me = self.c.get("/api/v1/me").json()
        self.id = me["id"]
        return self


@pytest.fixture(scope="session")
def web_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One home for the web tests of a session (the key secret, caches, the text engine).

    The stores here outlive a test function (the real store is per session, an app per module):
    the badge issuer's private key sealed under one test's home could not be opened under the
    next test's (tests/conftest.py gives every function its own), and a review then failed with
    "cannot decrypt the private signing key" (the browser flow's timeouts after the authorisation
    matrix had issued a badge).
    """
    home = tmp_path_factory.mktemp("web-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("SKILLPATH_HOME", str(home))
    mp.setenv("SKILLPATH_CACHE_DIR", str(home / "cache"))
    mp.setenv("SKILLPATH_TEXT_ENGINE", os.environ.get("SKILLPATH_TEST_TEXT_ENGINE", "lexical"))
    mp.delenv("SKILLPATH_DB", raising=False)
    yield home
    mp.undo()


@pytest.fixture(autouse=True)
def _isolated_home(web_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Overrides tests/conftest.py's per-function home: every web test uses :func:`web_home`."""
    monkeypatch.setenv("SKILLPATH_HOME", str(web_home))
    monkeypatch.setenv("SKILLPATH_CACHE_DIR", str(web_home / "cache"))
    monkeypatch.setenv(
        "SKILLPATH_TEXT_ENGINE", os.environ.get("SKILLPATH_TEST_TEXT_ENGINE", "lexical")
    )
    monkeypatch.delenv("SKILLPATH_DB", raising=False)


PG_URL = os.environ.get("SKILLPATH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test").replace(
    "postgresql+psycopg", "postgresql"
)


class _PgSchema:
    """A fresh schema on the test PostgreSQL server (the test skips, with why, when none answers)."""

    def __init__(self, name: str) -> None:
        try:
            import psycopg

            with psycopg.connect(PG_URL, connect_timeout=3, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
                conn.execute(f'CREATE SCHEMA "{name}"')
        except Exception as exc:  # any failure means: skip, with the reason
            pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {exc}")
        self.name = name
        sep = "&" if "?" in PG_URL else "?"
        self.url = f"{PG_URL}{sep}options=-csearch_path%3D{name}"

    def drop(self) -> None:
        import psycopg

        from skillpath.store._db import _OPEN

        store = _OPEN.pop(self.url, None)
        if store is not None:
            store.dispose()
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')


# what the web app needs from the real store: the taxonomy and the tagged catalogue
_COPIED_PREFIXES = ("tx_", "cat_")


def _copy_to_postgres(src: Any, url: str) -> Any:
    """A PostgreSQL store (fresh schema) holding the taxonomy and catalogue of ``src``."""
    from sqlalchemy import text

    from skillpath.store import open_store
    from skillpath.store._base import Base

    dst = open_store(url)
    tables = [t for t in Base.metadata.sorted_tables if t.name.startswith(_COPIED_PREFIXES)]
    raw_src = src.engine.raw_connection()
    raw_dst = dst.engine.raw_connection()
    try:
        for table in tables:
            cols = [c.name for c in table.columns]
            names = ", ".join(f'"{c}"' for c in cols)
            rows = raw_src.cursor().execute(f'SELECT {names} FROM "{table.name}"')
            with (
                raw_dst.cursor() as cur,
                cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as cp,
            ):
                for row in rows:
                    cp.write_row(row)
        raw_dst.commit()
    finally:
        raw_src.close()
        raw_dst.close()
    with dst.engine.begin() as conn:  # serial ids continue after the copied rows
        for table in tables:
            pk = list(table.primary_key.columns)
            if len(pk) == 1 and pk[0].autoincrement is not False and pk[0].type.python_type is int:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{pk[0].name}'), "
                        f'COALESCE((SELECT MAX("{pk[0].name}") FROM "{table.name}"), 0) + 1, false) '
                        f"WHERE pg_get_serial_sequence('\"{table.name}\"', '{pk[0].name}') IS NOT NULL"
                    )
                )
    return dst


@pytest.fixture(scope="module")
def web(  # type: ignore[no-untyped-def]
    request: pytest.FixtureRequest,
    real_store,
    data_dir: Path,
    web_home: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Any]:
    """The app over the real data (O*NET, ESCO, edX) with a fresh set of web tables.

    ``sqlite`` (the default) uses the real store itself; ``postgres`` (parametrise indirectly)
    a fresh PostgreSQL schema with a copy of its taxonomy and catalogue.
    """
    from sqlalchemy import delete, func, select

    from skillpath.catalog import import_path, tag_catalog
    from skillpath.service import Service
    from skillpath.store.models import web as w
    from skillpath.store.models.catalog import CatCourse
    from skillpath.web import create_app

    backend = getattr(request, "param", "sqlite")
    with real_store.session() as s:
        n = s.scalar(select(func.count()).select_from(CatCourse))
    if not n:
        import_path(real_store, data_dir / "catalogs" / "edx_courses.csv", preset="edx")
        tag_catalog(real_store)
    schema = None
    if backend == "postgres":
        schema = _PgSchema(f"web_{os.getpid()}_{request.module.__name__.rsplit('.', 1)[-1]}")
        store = _copy_to_postgres(real_store, schema.url)
    else:
        store = real_store
    with store.session() as s:  # each module starts with no accounts
        for model in (
            w.WebComment,
            w.WebReview,
            w.WebBadge,
            w.WebEndorsement,
            w.WebEvidence,
            w.WebLink,
            w.WebLearner,
            w.WebSession,
            w.WebApiToken,
            w.WebLoginAttempt,
            w.WebUser,
        ):
            s.execute(delete(model))
    svc = Service(store, blob_dir=tmp_path_factory.mktemp("blobs"))
    svc.warm()
    app = create_app(svc)
    yield app
    svc.close()
    if schema is not None:
        schema.drop()


def wait_plan(app: Any, learner_id: int, timeout: float = 240) -> dict[str, Any]:
    """Wait for the background re-plan of a learner to finish; returns the state."""
    from skillpath.service import User

    svc = app.state.service
    fut = svc.jobs.get(learner_id)
    if fut is not None:
        fut.result(timeout=timeout)
    t0 = time.time()
    while True:
        st = svc.learner_state(User(learner_id, "", "", "learner"), learner_id)
        if st["plan_status"] != "running" or time.time() - t0 > timeout:
            return st
        time.sleep(0.2)


#: a test module's mark to run it on SQLite and on PostgreSQL (skipped, with why, when no server
#: answers), one web app per backend for the module
BOTH_BACKENDS = pytest.mark.parametrize(
    "web",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
    scope="module",
)
