"""Fixtures for the web app: a service over the real data, actors signed in, CSRF-aware clients."""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def web(real_store, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The app over a copy-free real store (O*NET, ESCO, edX), with a fresh set of web tables."""
    from sqlalchemy import delete, func, select

    from skillpath.catalog import import_path, tag_catalog
    from skillpath.service import Service
    from skillpath.store.models import web as w
    from skillpath.store.models.catalog import CatCourse
    from skillpath.web import create_app

    with real_store.session() as s:
        n = s.scalar(select(func.count()).select_from(CatCourse))
    if not n:
        import_path(real_store, data_dir / "catalogs" / "edx_courses.csv", preset="edx")
        tag_catalog(real_store)
    with real_store.session() as s:  # each module starts with no accounts
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
    svc = Service(real_store, blob_dir=tmp_path_factory.mktemp("blobs"))
    svc.warm()
    app = create_app(svc)
    yield app
    svc.close()


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
