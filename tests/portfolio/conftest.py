"""Fixtures of the portfolio tests: a fresh store and a tiny PNG built in the test."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from skillpath.store import Store, open_store


def make_png(color: tuple[int, int, int] = (200, 80, 40), size: int = 8) -> bytes:
    """A valid RGB PNG built byte by byte (no image library)."""

    def chunk(t: bytes, b: bytes) -> bytes:
        return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(color) * size for _ in range(size))
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def store(db_url: str) -> Store:
    """A fresh, migrated store."""
    return open_store(db_url)


@pytest.fixture
def png_file(tmp_path: Path) -> Path:
    p = tmp_path / "shot.png"
    p.write_bytes(make_png())
    return p
