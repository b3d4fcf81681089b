"""The downloader: progress, resume, checksums and the offline message (no real network)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest

from skillpath.errors import IntegrityError, OfflineError
from skillpath.taxonomy import download
from skillpath.taxonomy._download import Release

BODY = bytes(range(256)) * 400


def _server(seen: list[dict]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.headers))
        rng = request.headers.get("range")
        if rng:
            start = int(rng.split("=")[1].rstrip("-"))
            return httpx.Response(206, content=BODY[start:])
        return httpx.Response(200, content=BODY)

    return httpx.MockTransport(handler)


def test_download_with_progress_and_checksum(tmp_path: Path) -> None:
    seen: list[dict] = []
    rel = Release(
        "x",
        "https://example.org/db_29_1_text.zip",
        size=len(BODY),
        sha256=hashlib.sha256(BODY).hexdigest(),
    )
    ticks: list[int] = []
    p = download(
        rel,
        tmp_path,
        client=httpx.Client(transport=_server(seen)),
        progress=lambda d, t: ticks.append(d),
    )
    assert p.read_bytes() == BODY and ticks[-1] == len(BODY)
    # cached: a second call does not touch the network
    download(rel, tmp_path, client=httpx.Client(transport=_server(seen)))
    assert len(seen) == 1


def test_download_resumes_a_partial_file(tmp_path: Path) -> None:
    seen: list[dict] = []
    (tmp_path / "db_29_1_text.zip.part").write_bytes(BODY[:1000])
    rel = Release(
        "x", "https://example.org/db_29_1_text.zip", sha256=hashlib.sha256(BODY).hexdigest()
    )
    p = download(rel, tmp_path, client=httpx.Client(transport=_server(seen)))
    assert seen[0]["range"] == "bytes=1000-" and p.read_bytes() == BODY


def test_checksum_mismatch_is_reported(tmp_path: Path) -> None:
    rel = Release("x", "https://example.org/a.zip", sha256="0" * 64)
    with pytest.raises(IntegrityError):
        download(rel, tmp_path, client=httpx.Client(transport=_server([])))
    assert not (tmp_path / "a.zip").exists()


def test_offline_error_names_the_import_command(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    rel = Release("O*NET", "https://example.org/a.zip")
    with pytest.raises(OfflineError, match="skillpath data import"):
        download(rel, tmp_path, client=httpx.Client(transport=httpx.MockTransport(handler)))
