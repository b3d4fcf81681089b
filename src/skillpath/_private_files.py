"""Files and folders only their owner may read, created so from the first byte (decision 0081).

``chmod`` after writing leaves a window in which another user can open the file (and keep the
descriptor); so files are created with ``os.open(..., 0o600)`` under a temporary name in the same
folder, written, flushed to disk and renamed over the target, and folders are made ``0o700``.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["private_dir", "private_file", "tighten", "write_private"]

_OWNER_ONLY_DIR = 0o700
_OWNER_ONLY_FILE = 0o600


def tighten(path: Path, mode: int) -> None:
    """Remove group and other permissions from an existing ``path`` we own (never adds any)."""
    try:
        st = path.stat()
    except OSError:
        return
    if st.st_mode & 0o077 and (not hasattr(os, "getuid") or st.st_uid == os.getuid()):
        with contextlib.suppress(OSError):
            path.chmod(stat.S_IMODE(st.st_mode) & mode)


def private_dir(path: str | Path) -> Path:
    """``path`` as a folder only its owner can enter: created ``0700`` (parents too), or tightened."""
    p = Path(path)
    missing = [q for q in (p, *p.parents) if not q.exists()]
    for q in reversed(missing):
        with contextlib.suppress(FileExistsError):
            q.mkdir(mode=_OWNER_ONLY_DIR)
    tighten(p, _OWNER_ONLY_DIR)
    return p


@contextlib.contextmanager
def private_file(path: str | Path) -> Iterator[BinaryIO]:
    """Write ``path`` atomically with mode ``0600``: a binary file to write to, renamed into place
    when the block ends without error (removed otherwise)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f".{p.name}.{os.getpid()}.part")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(
        tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), _OWNER_ONLY_FILE
    )
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def write_private(path: str | Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` atomically, readable by its owner only (``0600``)."""
    with private_file(path) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)
