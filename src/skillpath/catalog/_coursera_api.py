"""A client for Coursera's public catalogue API (``courses.v1``): paging, retries, rate limit.

The HTTP client and the clock are arguments (one seam per I/O edge): tests pass an
``httpx.Client(transport=httpx.MockTransport(...))`` serving recorded pages and a fake sleep, so
they never touch the network. Decision 0035.

Response shape (``GET https://api.coursera.org/api/courses.v1?start=0&limit=100&fields=...``)::

    {"elements": [{"id": "...", "slug": "machine-learning", "name": "...", "description": "...",
                   "workload": "4-6 hours/week", "primaryLanguages": ["en"], "partnerIds": ["1"],
                   "domainTypes": [{"domainId": "data-science", "subdomainId": "..."}]}],
     "paging": {"next": "100", "total": 5000},
     "linked": {"partners.v1": [{"id": "1", "name": "Stanford University"}]}}
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx

from skillpath.catalog._model import ImportReport
from skillpath.catalog._sources import Mapping, Row
from skillpath.errors import InputError, OfflineError
from skillpath.store import Store

BASE_URL = "https://api.coursera.org/api/courses.v1"
FIELDS = "slug,name,description,workload,primaryLanguages,partnerIds,domainTypes,certificates"


@dataclass(frozen=True, slots=True)
class ApiConfig:
    """Client settings.

    Attributes:
        base_url: the ``courses.v1`` endpoint.
        page_size: elements per request (the API caps it at 100).
        max_pages: stop after this many pages (None: until the last page).
        retries: attempts after the first for 429/5xx and transport errors.
        backoff: first wait in seconds, doubled per retry (a ``Retry-After`` header wins).
        min_interval: minimum seconds between two requests (rate limit).
    """

    base_url: str = BASE_URL
    page_size: int = 100
    max_pages: int | None = None
    retries: int = 4
    backoff: float = 1.0
    min_interval: float = 0.5


class CourseraClient:
    """Pages through the Coursera catalogue API.

    Args:
        http: an ``httpx.Client`` (tests give one with a ``MockTransport``).
        config: paging, retry and rate-limit settings.
        sleep, clock: the time seam (``time.sleep`` / ``time.monotonic`` by default).
    """

    def __init__(
        self,
        http: httpx.Client,
        config: ApiConfig | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.http = http
        self.config = config or ApiConfig()
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None
        self.requests = 0

    def _wait_rate(self) -> None:
        if self._last is not None:
            gap = self.config.min_interval - (self._clock() - self._last)
            if gap > 0:
                self._sleep(gap)
        self._last = self._clock()

    def get_page(self, start: int) -> dict:
        """One page of the catalogue starting at element ``start``, with retries.

        Raises:
            OfflineError: the API cannot be reached or keeps failing after the retries.
            InputError: a client error (4xx other than 429) or a body that is not the API's JSON.
        """
        params = {
            "start": str(start),
            "limit": str(self.config.page_size),
            "fields": FIELDS,
            "includes": "partnerIds",
        }
        delay = self.config.backoff
        last_error = ""
        for attempt in range(self.config.retries + 1):
            self._wait_rate()
            self.requests += 1
            try:
                resp = self.http.get(self.config.base_url, params=params)
            except httpx.TransportError as exc:
                last_error = f"{type(exc).__name__}: {exc}"
            else:
                if resp.status_code == 200:
                    try:
                        data = resp.json()
                    except ValueError as exc:
                        raise InputError(
                            "the catalogue API answered with invalid JSON", value=str(resp.url)
                        ) from exc
                    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
                        raise InputError(
                            "unexpected catalogue API answer (no 'elements')", value=str(resp.url)
                        )
                    return data
                if resp.status_code != 429 and resp.status_code < 500:
                    raise InputError(
                        f"the catalogue API refused the request: HTTP {resp.status_code}",
                        value=str(resp.url),
                    )
                last_error = f"HTTP {resp.status_code}"
                retry_after = resp.headers.get("Retry-After")
                if retry_after and retry_after.replace(".", "", 1).isdigit():
                    delay = max(delay, float(retry_after))
            if attempt < self.config.retries:
                self._sleep(delay)
                delay *= 2
        raise OfflineError(
            f"Coursera catalogue API failed after {self.config.retries + 1} attempts: {last_error}"
        )

    def iter_elements(self) -> Iterator[Row]:
        """Every course element across pages, with ``partnerNames`` resolved from ``linked``."""
        start = 0
        pages = 0
        while True:
            data = self.get_page(start)
            partners = {
                str(p.get("id")): p.get("name", "")
                for p in data.get("linked", {}).get("partners.v1", [])
            }
            for el in data["elements"]:
                el = dict(el)
                el["partnerNames"] = ", ".join(
                    partners[str(p)] for p in el.get("partnerIds", []) if str(p) in partners
                )
                yield el
            pages += 1
            nxt = data.get("paging", {}).get("next")
            if nxt is None or not data["elements"]:
                return
            if self.config.max_pages is not None and pages >= self.config.max_pages:
                return
            start = int(nxt)


#: How an API element maps to course fields (rows are flattened by :func:`api_rows`).
API_MAPPING = Mapping(
    provider="coursera",
    columns={
        "id": "slug",
        "title": "name",
        "description": "description",
        "effort": "workload",
        "language": "language",
        "institution": "partnerNames",
        "url": "url",
        "subject": "domain",
    },
)


def api_rows(elements: Iterator[Row]) -> Iterator[tuple[int, Row]]:
    """Flatten API elements into rows for :data:`API_MAPPING` (numbered from 1)."""
    for i, el in enumerate(elements, start=1):
        row = dict(el)
        slug = str(el.get("slug") or el.get("id") or "")
        row["slug"] = slug
        row["url"] = f"https://www.coursera.org/learn/{slug}" if slug else ""
        langs = el.get("primaryLanguages") or []
        row["language"] = (
            ", ".join(str(x) for x in langs) if isinstance(langs, list) else str(langs)
        )
        domains = el.get("domainTypes") or []
        if not isinstance(domains, list):
            domains = []
        row["domain"] = ", ".join(
            dict.fromkeys(
                str(d.get("domainId", "")).replace("-", " ") for d in domains if isinstance(d, dict)
            )
        )
        yield i, row


def import_from_api(store: Store, client: CourseraClient) -> ImportReport:
    """Fetch the whole catalogue through ``client`` and import it like a file (atomic, idempotent)."""
    from skillpath.catalog._importer import import_rows

    elements = list(client.iter_elements())  # fetch everything first: nothing written on failure
    return import_rows(
        store,
        api_rows(iter(elements)),
        mapping=API_MAPPING,
        source=client.config.base_url,
        preset="coursera-api",
    )
