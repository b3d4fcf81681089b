"""schemathesis against the /api/v1 OpenAPI schema: generated requests never get a 5xx."""

from __future__ import annotations

from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402

from .conftest import BOTH_BACKENDS, Actor  # noqa: E402

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.slow,
    BOTH_BACKENDS,  # on SQLite and on PostgreSQL
]


@pytest.fixture(scope="module")
def api(web: Any) -> Any:
    from skillpath.service import new_api_token

    a = Actor(web, "Fuzzer").signup("fuzzer@example.org")
    from skillpath.service import User

    token = new_api_token(web.state.service.store, User(a.id, "", "", "learner"))
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", web)
    schema.config.headers = {"Authorization": f"Bearer {token}"}  # type: ignore[attr-defined]
    return schema


schema = schemathesis.pytest.from_fixture("api")


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: Any) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
