"""Content-addressed attachment storage with size limits and type checks (decision 0053).

Bytes live under ``<home>/attachments/<sha[:2]>/<sha>``; the name is the SHA-256 of the content,
so storing the same file twice costs nothing and a corrupted file is detected on read.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

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
