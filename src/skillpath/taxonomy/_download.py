"""Downloading official releases: progress bar, size and checksum checks, resumable, cached.

Only ``skillpath data download`` (and the demo's first run) call this; nothing else downloads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from skillpath.errors import IntegrityError, OfflineError

ONET_VERSION = "29_1"
ONET_URL = f"https://www.onetcenter.org/dl_files/database/db_{ONET_VERSION}_text.zip"


@dataclass(frozen=True)
class Release:
    """A downloadable release: URL, expected size (bytes, if known) and SHA-256 (if known)."""

    name: str
    url: str
    size: int | None = None
    sha256: str | None = None


ProgressFn = Callable[[int, int | None], None]


def _offline_message(name: str, url: str, exc: Exception) -> str:
    return (
        f"cannot download {name} from {url} ({type(exc).__name__}: {exc}). You seem to be offline. "
        f"Download the file elsewhere and run 'skillpath data import PATH' (a folder, zip or files), "
        f"or set SKILLPATH_DATA to a folder holding the release files."
    )


def download(
    release: Release,
    cache_dir: Path,
    *,
    client: httpx.Client | None = None,
    progress: ProgressFn | None = None,
    announce: Callable[[str], None] | None = None,
) -> Path:
    """Fetch ``release`` into ``cache_dir`` (resuming a partial download), verify, return the path.

    Raises:
        OfflineError: the network cannot be reached (the message names the import command).
        IntegrityError: the size or checksum does not match.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / Path(release.url).name
    part = target.with_suffix(target.suffix + ".part")
    if target.exists() and _verify(target, release, raise_=False):
        return target
    own = client is None
    client = client or httpx.Client(follow_redirects=True, timeout=httpx.Timeout(10.0, read=60.0))
    try:
        have = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        with client.stream("GET", release.url, headers=headers) as resp:
            if resp.status_code == 416:  # already complete
                pass
            else:
                if resp.status_code not in (200, 206):
                    raise OfflineError(
                        f"download of {release.name} failed: HTTP {resp.status_code} for {release.url}"
                    )
                if resp.status_code == 200:
                    have = 0  # server ignored the range: start over
                length = resp.headers.get("content-length")
                total = (int(length) + have) if length else release.size
                if announce:
                    size = f"{total / 1e6:.1f} MB" if total else "unknown size"
                    announce(f"downloading {release.name} ({size}) from {release.url}")
                with part.open("ab" if have else "wb") as fh:
                    done = have
                    for chunk in resp.iter_bytes(1 << 16):
                        fh.write(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, total)
    except httpx.TransportError as exc:
        raise OfflineError(_offline_message(release.name, release.url, exc)) from exc
    finally:
        if own:
            client.close()
    _verify(part, release, raise_=True)
    part.replace(target)
    return target


def _verify(path: Path, release: Release, *, raise_: bool) -> bool:
    size = path.stat().st_size
    if release.size is not None and size != release.size:
        if raise_:
            raise IntegrityError(
                f"{path}: size {size} bytes, expected {release.size}; delete it and retry"
            )
        return False
    if release.sha256 and sha256_of(path) != release.sha256:
        if raise_:
            path.unlink(missing_ok=True)
            raise IntegrityError(
                f"{path}: SHA-256 mismatch (corrupt download); it was removed, retry"
            )
        return False
    return True


def sha256_of(path: Path) -> str:
    """SHA-256 hex digest of a file."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
