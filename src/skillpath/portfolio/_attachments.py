"""Content-addressed attachment storage with size limits and type checks (decision 0053).

Bytes live under ``<home>/attachments/<sha[:2]>/<sha>``; the name is the SHA-256 of the content,
so storing the same file twice costs nothing and a corrupted file is detected on read.
"""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import os
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

try:  # POSIX; without it (Windows) writers do not lock and nothing is ever swept
    import fcntl
except ImportError:  # pragma: no cover - platform-dependent
    fcntl = None  # type: ignore[assignment]

from skillpath.config import get_settings
from skillpath.errors import InputError, IntegrityError
from skillpath.portfolio._model import Attachment

__all__ = ["AttachmentPolicy", "BlobStore", "sniff_media_type"]

_TEXT_TYPES = {
    "text/plain",
    "text/markdown",
    "text/csv",
    "application/json",
    "text/html",
    "image/svg+xml",
}
# Extensions whose declared type we check against the sniffed content.
_EXTRA_TYPES = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".ipynb": "application/json",
    ".py": "text/plain",
    ".sql": "text/plain",
    ".webm": "video/webm",
    ".mp4": "video/mp4",
}


@dataclass(frozen=True)
class AttachmentPolicy:
    """What attachments are accepted.

    Attributes:
        max_bytes: the largest accepted file (default 25 MiB).
        allowed: accepted media types (sniffed from the content, not trusted from the name).
    """

    max_bytes: int = 25 * 1024 * 1024
    allowed: frozenset[str] = frozenset(
        {
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "image/svg+xml",
            "application/pdf",
            "video/mp4",
            "video/webm",
            "application/zip",
            "text/plain",
            "text/markdown",
            "text/csv",
            "application/json",
            "text/html",
        }
    )


def sniff_media_type(data: bytes) -> str:
    """The media type of ``data`` from its first bytes (magic numbers), ``application/octet-stream`` if unknown."""
    head = data[:512]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "application/zip"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    if "\x00" in text:
        return "application/octet-stream"
    stripped = text.lstrip("\ufeff \t\r\n").lower()
    if stripped.startswith("<svg") or (stripped.startswith("<?xml") and "<svg" in stripped[:2000]):
        return "image/svg+xml"
    if stripped.startswith(("<!doctype html", "<html")):
        return "text/html"
    if stripped.startswith(("{", "[")):
        return "application/json"
    return "text/plain"


def _declared_type(filename: str) -> str | None:
    ext = Path(filename).suffix.lower()
    if ext in _EXTRA_TYPES:
        return _EXTRA_TYPES[ext]
    return mimetypes.guess_type(filename)[0]


def _compatible(declared: str | None, sniffed: str) -> bool:
    if declared is None or declared == sniffed:
        return True
    if sniffed in ("text/plain", "application/json") and (
        declared.startswith("text/") or declared in _TEXT_TYPES
    ):
        return True  # text formats cannot be told apart by content alone
    # Office documents, EPUB, notebooks are ZIP containers.
    return sniffed == "application/zip" and declared.startswith("application/")


class BlobStore:
    """Attachments on disk, addressed by the SHA-256 of their content.

    Args:
        root: the folder (default ``<settings.home>/attachments``).
        policy: size and type limits.
    """

    def __init__(self, root: Path | None = None, policy: AttachmentPolicy | None = None) -> None:
        self.root = root if root is not None else get_settings().home / "attachments"
        self.policy = policy or AttachmentPolicy()
        self._journal: Path | None = None

    @contextlib.contextmanager
    def writing(self, store_url: str, referenced: Callable[[], Iterable[str]]) -> Iterator[None]:
        """Hold the attachments lock while blobs are written and their rows committed.

        Blobs must be on disk before the rows that name them commit, so a writer killed in
        between leaves files that no row refers to. Each writer therefore lists what it writes
        in a journal (``.inflight-*``) that it deletes when its transaction is over; entering
        this context first recovers after writers that died: under the lock no writer is
        active, so every journal left is a dead writer's, and its blobs that ``referenced()``
        (the digests the store's rows name, read under the lock) does not contain are removed,
        as are half-written ``.tmp-*`` files. Journals of another database (a second store
        sharing this home) are left for that store.
        """
        if fcntl is None:
            yield
            return
        from skillpath._private_files import private_dir

        private_dir(self.root)
        with open(self.root / ".lock", "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            self._recover(store_url, referenced)
            self._journal = self.root / f".inflight-{uuid.uuid4().hex}"
            self._journal.write_text(store_url + "\n", encoding="utf-8")
            try:
                yield
            finally:
                self._journal.unlink(missing_ok=True)
                self._journal = None

    def _recover(self, store_url: str, referenced: Callable[[], Iterable[str]]) -> None:
        journals = [
            (j, j.read_text(encoding="utf-8", errors="replace").splitlines())
            for j in self.root.glob(".inflight-*")
        ]
        for j, lines in journals:
            if not lines:  # its writer died between creating and filling it: it names no blob
                j.unlink(missing_ok=True)
        mine = [(j, lines) for j, lines in journals if lines and lines[0] == store_url]
        if mine:
            keep = set(referenced())
            for j, lines in mine:
                for sha in lines[1:]:
                    if sha and sha not in keep:
                        with contextlib.suppress(InputError, OSError):
                            self.path(sha).unlink(missing_ok=True)
                j.unlink(missing_ok=True)
        for tmp in self.root.glob("??/.tmp-*"):  # nobody writes while we hold the lock
            tmp.unlink(missing_ok=True)

    def path(self, sha256: str) -> Path:
        """Where the blob with this digest lives."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise InputError("not a SHA-256 hex digest", value=sha256)
        return self.root / sha256[:2] / sha256

    def check(
        self, data: bytes, filename: str = "", *, source: str | Path | None = None
    ) -> Attachment:
        """Validate ``data`` against the policy and describe it, without storing anything.

        Raises:
            InputError: too large, a type not allowed, or content that does not match the file name.
        """
        where = source if source is not None else (filename or None)
        if len(data) > self.policy.max_bytes:
            raise InputError(
                f"attachment is {len(data):,} bytes; the limit is {self.policy.max_bytes:,} bytes",
                file=where,
            )
        if not data:
            raise InputError("attachment is empty", file=where)
        sniffed = sniff_media_type(data)
        declared = _declared_type(filename) if filename else None
        if not _compatible(declared, sniffed):
            raise InputError(
                f"file content is {sniffed} but its name says {declared}: rename it or attach the right file",
                file=where,
            )
        media = declared if declared and sniffed in ("text/plain", "application/json") else sniffed
        if media not in self.policy.allowed and sniffed not in self.policy.allowed:
            raise InputError(f"attachment type {media} is not accepted", file=where)
        return Attachment(
            sha256=hashlib.sha256(data).hexdigest(),
            media_type=media,
            size=len(data),
            filename=Path(filename).name if filename else "",
        )

    def put(self, data: bytes, attachment: Attachment) -> Path:
        """Store ``data`` (already checked) atomically; returns its path. Idempotent."""
        if hashlib.sha256(data).hexdigest() != attachment.sha256:
            raise IntegrityError(
                f"attachment content does not match its digest {attachment.sha256}"
            )
        dest = self.path(attachment.sha256)
        if dest.exists():
            return dest
        from skillpath._private_files import private_dir

        private_dir(dest.parent)  # folders 0700 (home too, if new); mkstemp makes the file 0600
        if self._journal is not None:  # listed before it exists, so a crash cannot hide it
            with self._journal.open("a", encoding="utf-8") as j:
                j.write(attachment.sha256 + "\n")
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, dest)
        return dest

    def read(self, sha256: str) -> bytes:
        """The bytes of a blob, checked against its digest.

        Raises:
            IntegrityError: the file is missing or its content changed.
        """
        p = self.path(sha256)
        if not p.is_file():
            raise IntegrityError(f"attachment {sha256} is missing from {self.root}")
        data = p.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise IntegrityError(f"attachment {sha256} is corrupted (content hash differs)")
        return data

    def remove(self, sha256: str) -> None:
        """Delete a blob if present (used to undo a failed import)."""
        self.path(sha256).unlink(missing_ok=True)
