"""The Coursera catalogue client against recorded pages through httpx.MockTransport (no network)."""

from __future__ import annotations

import json

import httpx
import pytest

from skillpath.catalog import ApiConfig, CourseraClient, import_from_api, load_catalog
from skillpath.errors import InputError, OfflineError
from skillpath.store import Store

from .conftest import FIXTURES

PAGES = {
    "0": json.loads((FIXTURES / "coursera_courses_v1_start0.json").read_text()),
    "2": json.loads((FIXTURES / "coursera_courses_v1_start2.json").read_text()),
}


class FakeTime:
    """A clock that only moves when slept on."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, s: float) -> None:
        self.sleeps.append(round(s, 3))
        self.now += s

    def clock(self) -> float:
        return self.now


def _client(handler, config: ApiConfig | None = None) -> tuple[CourseraClient, FakeTime]:  # type: ignore[no-untyped-def]
    t = FakeTime()
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return CourseraClient(http, config or ApiConfig(page_size=2), sleep=t.sleep, clock=t.clock), t


def _recorded(request: httpx.Request) -> httpx.Response:
    assert request.url.host == "api.coursera.org"
    assert request.url.params["limit"] == "2"
    assert "workload" in request.url.params["fields"]
    return httpx.Response(200, json=PAGES[request.url.params["start"]])


def test_pages_through_and_resolves_partners() -> None:
    client, t = _client(_recorded)
    els = list(client.iter_elements())
    assert [e["slug"] for e in els] == ["machine-learning", "python-data", "learning-how-to-learn"]
    assert els[0]["partnerNames"] == "Stanford University"
    assert client.requests == 2
    assert t.sleeps == [0.5]  # rate limit: the second request waited min_interval


def test_retries_429_with_retry_after_then_succeeds() -> None:
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 1:
            return httpx.Response(429, headers={"Retry-After": "3"})
        if calls["n"] == 2:
            return httpx.Response(503)
        return _recorded(request)

    client, t = _client(handler, ApiConfig(page_size=2, max_pages=1, min_interval=0))
    assert len(list(client.iter_elements())) == 2
    assert t.sleeps == [3.0, 6.0]  # Retry-After wins over the 1 s backoff, then doubles


def test_gives_up_after_retries() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    client, t = _client(handler, ApiConfig(retries=2, backoff=0.5, min_interval=0))
    with pytest.raises(OfflineError, match="after 3 attempts"):
        client.get_page(0)
    assert t.sleeps == [0.5, 1.0]


def test_client_errors_are_not_retried() -> None:
    client, _ = _client(lambda r: httpx.Response(404), ApiConfig(min_interval=0))
    with pytest.raises(InputError, match="HTTP 404"):
        client.get_page(0)
    assert client.requests == 1
    client, _ = _client(lambda r: httpx.Response(200, json={"oops": 1}), ApiConfig(min_interval=0))
    with pytest.raises(InputError, match="no 'elements'"):
        client.get_page(0)


def test_import_from_api_is_idempotent(store: Store) -> None:
    client, _ = _client(_recorded)
    rep = import_from_api(store, client)
    assert (rep.inserted, len(rep.rejected)) == (3, 0)
    got = {c.id: c for c in load_catalog(store)}
    ml = got["coursera:machine-learning"]
    assert ml.institution == "Stanford University" and ml.url.endswith("/learn/machine-learning")
    assert ml.hours == 20 and ml.hours_estimated  # 4-6 h/week, no length: 4 weeks
    assert got["coursera:python-data"].hours == 19
    assert got["coursera:learning-how-to-learn"].language == "en, es"
    client2, _ = _client(_recorded)
    assert import_from_api(store, client2).unchanged == 3
