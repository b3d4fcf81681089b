"""The one way Skillpath opens a zip archive a user gave it: bounded expansion, streamed members.

Every reader of user archives (``data import`` release zips, catalogue files such as
``coursera_ratings.zip`` and ``.xlsx`` workbooks, ``portfolio import``, LinkedIn exports) opens
them through :func:`open_zip` (or checks a zip-based document with :func:`check_zip` before a
third-party parser opens it). A 4 MB zip that expands to 1 GB otherwise takes the process past
4 GB of memory.

Limits, checked on the central directory before any member is decompressed:

* total uncompressed size at most :func:`max_unpacked` (``SKILLPATH_MAX_UNPACKED_MB``, default
  4096 MB; the largest real archive in the shared data, the O*NET text release, is about 300 MB);
* each member larger than :data:`RATIO_FLOOR` expands at most :data:`MAX_RATIO` times its
  compressed size (real releases reach 25x: CSV text; deflate bombs reach 1000x);
* at most :data:`MAX_MEMBERS` members.

``zipfile`` never returns more bytes for a member than its declared size, so the checks on the
directory bound what is read; members are read as streams (:meth:`SafeZip.open`) so a large
CSV member is never held in memory whole.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from skillpath.errors import InputError

__all__ = [
    "MAX_MEMBERS",
    "MAX_RATIO",
    "RATIO_FLOOR",
    "SafeZip",
    "check_zip",
    "max_unpacked",
    "open_zip",
]

MAX_RATIO = 100
RATIO_FLOOR = 1 << 20
MAX_MEMBERS = 100_000
_DEFAULT_MB = 4096


def max_unpacked() -> int:
    """The largest total uncompressed size accepted, in bytes (``SKILLPATH_MAX_UNPACKED_MB``)."""
    raw = os.environ.get("SKILLPATH_MAX_UNPACKED_MB", "")
    try:
        mb = int(raw) if raw.strip() else _DEFAULT_MB
    except ValueError:
        raise InputError(
            "SKILLPATH_MAX_UNPACKED_MB must be a whole number of megabytes", value=raw
        ) from None
    return max(1, mb) << 20


def _check(zf: zipfile.ZipFile, display: str, what: str) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(
            f"the {what} holds {len(infos):,} entries, more than the {MAX_MEMBERS:,} "
            "accepted; is it the right file?",
            file=display,
        )
    limit = max_unpacked()
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            ratio = info.file_size / max(1, info.compress_size)
            raise InputError(
                f"entry {info.filename!r} would expand {ratio:,.0f} times "
                f"({info.compress_size:,} -> {info.file_size:,} bytes), more than the {MAX_RATIO} "
                f"times real files do: refused as a possible zip bomb",
                file=display,
            )
    if total > limit:
        raise InputError(
            f"the {what} would expand to {total / (1 << 20):,.0f} MB, more than the "
            f"{limit >> 20:,} MB accepted; raise SKILLPATH_MAX_UNPACKED_MB if it is genuine",
            file=display,
        )
    return infos


class SafeZip:
    """A zip archive whose directory passed the expansion limits; members are read as streams.

    Use :func:`open_zip` to create one. Usable as a context manager.
    """

    def __init__(self, zf: zipfile.ZipFile, display: str, infos: list[zipfile.ZipInfo]) -> None:
        self._zf = zf
        self.display = display
        self._infos = infos

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the archive."""
        self._zf.close()

    def infolist(self) -> list[zipfile.ZipInfo]:
        """Every entry, directories included."""
        return list(self._infos)

    def namelist(self) -> list[str]:
        """Every entry's name."""
        return [i.filename for i in self._infos]

    def files(self) -> Iterator[zipfile.ZipInfo]:
        """The file entries, without directories and macOS resource forks (``__MACOSX``)."""
        for info in self._infos:
            if info.is_dir() or "__MACOSX" in info.filename:
                continue
            yield info

    def open(self, member: str | zipfile.ZipInfo) -> IO[bytes]:
        """A binary stream of one member (bounded by its checked declared size)."""
        try:
            return self._zf.open(member)
        except KeyError:
            raise InputError(
                "no such entry in the archive",
                file=self.display,
                value=getattr(member, "filename", member),
            ) from None
        except (
            zipfile.BadZipFile,
            NotImplementedError,
            RuntimeError,
            OSError,
            EOFError,
            zlib.error,
        ) as exc:  # a damaged local header (bad offset, bad compression)
            raise InputError(
                f"cannot read the entry ({exc})",
                file=self.display,
                value=getattr(member, "filename", member),
            ) from exc

    def read(self, member: str | zipfile.ZipInfo) -> bytes:
        """The bytes of one member (use :meth:`open` for large members)."""
        with self.open(member) as fh:
            try:
                return fh.read()
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
                raise InputError(
                    f"the entry is corrupt ({exc})",
                    file=self.display,
                    value=getattr(member, "filename", member),
                ) from exc


def open_zip(
    source: str | Path | bytes | IO[bytes],
    *,
    display: str | Path | None = None,
    what: str = "archive",
) -> SafeZip:
    """Open a zip archive after checking its expansion limits.

    Args:
        source: a path, the archive's bytes, or a seekable binary file.
        display: the name used in messages (default: the path).
        what: the kind of archive in messages ("LinkedIn export", "portfolio archive").

    Raises:
        InputError: not a zip, corrupt, or over a limit (naming the file and the entry).
    """
    name = str(
        display if display is not None else source if isinstance(source, str | Path) else what
    )
    src: str | Path | IO[bytes] = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        zf = zipfile.ZipFile(src)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise InputError(f"not a valid zip {what} (truncated or corrupt?)", file=name) from exc
    except OSError as exc:
        raise InputError(f"cannot open the {what}: {exc.strerror or exc}", file=name) from exc
    try:
        infos = _check(zf, name, what)
    except BaseException:
        zf.close()
        raise
    return SafeZip(zf, name, infos)


def check_zip(
    source: str | Path | bytes | IO[bytes],
    *,
    display: str | Path | None = None,
    what: str = "document",
) -> None:
    """Check a zip-based document (``.xlsx``, ``.docx``) against the limits before parsing it.

    A file that is not a zip at all passes: the document's own parser reports that better.

    Raises:
        InputError: over a limit.
    """
    name = str(
        display if display is not None else source if isinstance(source, str | Path) else what
    )
    src: str | Path | IO[bytes] = io.BytesIO(source) if isinstance(source, bytes) else source
    pos = src.tell() if not isinstance(src, str | Path) else 0
    try:
        zf = zipfile.ZipFile(src)
    except (zipfile.BadZipFile, EOFError, OSError):
        return
    try:
        _check(zf, name, what)
    finally:
        zf.close()
        if not isinstance(src, str | Path):
            src.seek(pos)
