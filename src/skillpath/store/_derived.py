"""Data derived from the store, cached on disk by the store's content fingerprint.

A CLI call is a new process: without a cache it reads the whole taxonomy and catalogue through
the ORM and rebuilds every index from them (seconds of CPU) before it answers one question.
What is derived only from the store's data (the taxonomy view, the catalogue, text matrices) is
kept in the cache directory under a key made of

- the store's **content fingerprint** for the parts it is derived from (:func:`fingerprint`):
  what the importers record about what they wrote (the taxonomy's releases with their import
  time, each course's content and tagging hashes, the ratings) and the row count of every table
  read, taken in one transaction;
- the **code** that derives it: a version string and the source bytes of the modules that build
  it, so a changed builder never reads an old layout;

and read back with one ``pickle.load`` (garbage collection paused while the objects are made) or
``np.load(mmap_mode="r")``. A cache entry is written only when the fingerprint was the same before
and after building (no import ran in between), atomically, owner-only. Decision 0132.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import operator
import os
import pickle
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select, text

__all__ = ["cache_dir", "cached", "fingerprint", "gc_paused", "pickle_by_init", "source_hash"]

log = logging.getLogger("skillpath.store")
T = TypeVar("T")

# The tables each part is read from; every one is row-counted in the fingerprint.
_TABLES = {
    "taxonomy": (
        "tx_source",
        "tx_occupation",
        "tx_skill",
        "tx_skill_broader",
        "tx_requirement",
        "tx_title",
        "tx_task",
        "tx_related",
        "tx_scale",
        "tx_anchor",
        "tx_content_element",
        "tx_collection",
        "tx_occupation_value",
        "tx_category",
        "tx_job_zone_ref",
        "tx_task_dwa",
    ),
    "catalog": ("cat_course", "cat_course_skill", "cat_prerequisite", "cat_rating", "cat_import"),
}
PARTS = tuple(_TABLES)
KEEP = 4  # entries kept per cache name (one per store a user works with, a few at most)


def _part_rows(s: Any, part: str) -> Iterator[tuple[Any, ...]]:
    """What the importers record about the content of one part, in a stable order."""
    from skillpath.store.models import catalog as c
    from skillpath.store.models import taxonomy as t

    if part == "taxonomy":
        yield from s.execute(
            select(
                t.Source.name, t.Source.release, t.Source.imported_at, t.Source.data_date
            ).order_by(t.Source.name, t.Source.release)
        )
    elif part == "catalog":
        # content_hash: the imported record; tag_hash: the tagging of it (skills, prerequisites,
        # language) with the tagger's version and the taxonomy's signature
        yield from s.execute(
            select(
                c.CatCourse.id,
                c.CatCourse.content_hash,
                c.CatCourse.tag_hash,
                c.CatCourse.duplicate_of,
            ).order_by(c.CatCourse.id)
        )
        yield from s.execute(
            select(
                c.CatRating.provider,
                c.CatRating.native_id,
                c.CatRating.count,
                c.CatRating.total,
                c.CatRating.total_sq,
                c.CatRating.last,
            )
            .order_by(c.CatRating.provider, c.CatRating.native_id)
        )  # fmt: skip
        yield (s.scalar(select(func.max(c.CatImport.id))),)
    else:  # pragma: no cover - a programming error
        raise ValueError(f"unknown store part {part!r}")


def fingerprint(store: Any, parts: Iterable[str] = PARTS) -> str:
    """A hash of the store's content in ``parts`` (``taxonomy``, ``catalog``), read in one
    transaction: what the importers record about what they wrote and every table's row count.

    It changes with every import or tagging run; it does not see a hand edit of a value that
    keeps every count (delete the cache directory after one, or import again). On a SQLite file
    the answer is remembered with the file's (and its write-ahead log's) inode, size and
    modification time, and reused while none of them changed (any write changes one) and they
    were more than :data:`RACY_S` old when remembered (a write in the same clock tick as the
    reading could otherwise go unseen).
    """
    parts = tuple(parts)
    stat = _sqlite_stat(store)
    memo = None if stat is None else _memo_path(store, parts)
    if memo is not None:
        with contextlib.suppress(OSError, ValueError, KeyError):
            doc = json.loads(memo.read_text())
            if doc["stat"] == stat:
                return str(doc["fingerprint"])
    fp = _fingerprint(store, parts)
    if memo is not None and stat is not None:
        now = time.time_ns()
        if all(now - m > RACY_S * 1e9 for _ino, _size, m in stat if m):
            with contextlib.suppress(OSError):
                tmp = memo.with_name(f".{memo.name}.{os.getpid()}.tmp")
                tmp.write_text(json.dumps({"stat": stat, "fingerprint": fp}))
                os.replace(tmp, memo)
                _prune(memo.parent, "fingerprint", keep=memo, suffix=".json", n=32)
    return fp


RACY_S = 2.0


def _sqlite_stat(store: Any) -> list[list[int]] | None:
    """[inode, size, mtime ns] of a SQLite store's file and its -wal (zeros when absent)."""
    url = str(getattr(store, "url", ""))
    if not url.startswith("sqlite:///") or ":memory:" in url or disabled():
        return None
    path = Path(url.removeprefix("sqlite:///").split("?", 1)[0])
    out = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            st = p.stat()
            out.append([st.st_ino, st.st_size, st.st_mtime_ns])
        except FileNotFoundError:
            out.append([0, 0, 0])
        except OSError:
            return None
    return out if out[0][0] else None


def _memo_path(store: Any, parts: tuple[str, ...]) -> Path | None:
    where = cache_dir()
    if where is None:
        return None
    key = hashlib.sha256(f"{store.url}|{','.join(parts)}".encode()).hexdigest()[:24]
    return where / f"fingerprint-{key}.json"


def _fingerprint(store: Any, parts: tuple[str, ...]) -> str:
    h = hashlib.sha256(b"skillpath-store-fingerprint-1")
    with store.session() as s:
        for part in parts:
            h.update(f"\x1d{part}".encode())
            for table in _TABLES[part]:
                n = s.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                h.update(f"\x1e{table}={n}".encode())
            for row in _part_rows(s, part):
                h.update(("\x1f".join("" if v is None else str(v) for v in row) + "\x1e").encode())
    return h.hexdigest()[:40]


_SOURCES: dict[tuple[str, ...], str] = {}


def source_hash(*modules: str, data: Iterable[tuple[str, str]] = ()) -> str:
    """A hash of the source files of ``modules`` (dotted names) and of package ``data`` files
    (``(package, path)``): part of a cache key, so that changing the code that builds a cached
    value (or its classes, or the curated data it reads) never reads an old one."""
    data = tuple(data)
    key = (*modules, *(f"{p}:{f}" for p, f in data))
    if key not in _SOURCES:
        import importlib.util
        from importlib import resources

        h = hashlib.sha256()
        for name in modules:
            spec = importlib.util.find_spec(name)
            origin = getattr(spec, "origin", None) if spec else None
            h.update(name.encode() + b"\0")
            if origin and os.path.isfile(origin):
                h.update(Path(origin).read_bytes())
        for pkg, f in data:
            h.update(f"{pkg}:{f}".encode() + b"\0")
            with contextlib.suppress(OSError, ModuleNotFoundError):
                h.update(resources.files(pkg).joinpath(f).read_bytes())
        _SOURCES[key] = h.hexdigest()[:16]
    return _SOURCES[key]


def pickle_by_init(*classes: type) -> None:
    """Pickle instances of these frozen, slotted dataclasses as ``cls(*fields)``: made again by
    their ``__init__``, about twice as fast to load as the generic slotted state (the taxonomy
    holds hundreds of thousands of them). Only for classes whose ``__init__`` takes every field
    and has no ``__post_init__``."""
    import copyreg
    import dataclasses

    for cls in classes:
        names = tuple(f.name for f in dataclasses.fields(cls))
        assert all(f.init for f in dataclasses.fields(cls)) and not hasattr(cls, "__post_init__")
        copyreg.pickle(cls, _by_init(cls, names))


def _by_init(cls: type, names: tuple[str, ...]) -> Callable[[Any], tuple[Any, tuple[Any, ...]]]:
    get = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda o: (cls, (get(o),))
    return lambda o: (cls, get(o))


def cache_dir() -> Path | None:
    """``<cache dir>/derived`` (0700), or None when there is no usable cache directory."""
    try:
        from skillpath._private_files import private_dir
        from skillpath.config import get_settings

        d = get_settings().cache_dir / "derived"
        private_dir(d)
        return d
    except Exception:  # no settings, a read-only home: work without the cache
        return None


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No garbage collection while a large graph of long-lived objects is made: each collection
    would walk every object made so far (a second or more for the taxonomy), and none of them is
    garbage."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_LOCK = threading.Lock()


def disabled() -> bool:
    """``SKILLPATH_DERIVED_CACHE=0`` turns the cache off (measurements of the uncached path)."""
    return os.environ.get("SKILLPATH_DERIVED_CACHE", "1").strip().lower() in ("0", "no", "off")


def cached(
    store: Any,
    name: str,
    build: Callable[[], T],
    *,
    parts: Iterable[str],
    version: str,
    check: Callable[[Any], bool] | None = None,
) -> T:
    """``build()``, or what it returned before on the same store content and code.

    Args:
        store: the store the value is derived from.
        name: the cache's name (a file name prefix).
        build: makes the value from the store (called on a miss).
        parts: the parts of the store the value depends on (see :func:`fingerprint`).
        version: the code's version: a version string and, usually, :func:`source_hash` of the
            modules that build the value and define its classes.
        check: a test the loaded value must pass (its type); a failing or unreadable entry is
            built again.
    """
    parts = tuple(parts)
    where = None if disabled() else cache_dir()
    if where is None:
        with gc_paused():
            return build()
    fp = fingerprint(store, parts)
    path = where / f"{name}-{hashlib.sha256(f'{fp}|{version}'.encode()).hexdigest()[:32]}.pkl"
    if path.is_file():
        try:
            with path.open("rb") as fh, gc_paused():
                value = pickle.load(fh)
            if check is None or check(value):
                return value
        except Exception as exc:  # corrupt, truncated, or an old class layout: rebuild
            log.debug("ignoring the cache entry %s: %s", path, exc)
    with gc_paused():
        value = build()
    with _LOCK:
        if fingerprint(store, parts) != fp:  # an import ran meanwhile: this value is of neither
            return value
        _write(path, value)
        _prune(where, name, keep=path)
    return value


def _write(path: Path, value: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        log.debug("could not write the cache entry %s: %s", path, exc)
        with contextlib.suppress(OSError):
            tmp.unlink()


def _prune(where: Path, name: str, *, keep: Path, suffix: str = ".pkl", n: int = KEEP) -> None:
    """Keep the ``n`` newest entries of one cache (a 40 MB taxonomy per store content)."""
    try:
        entries = sorted(
            (p for p in where.glob(f"{name}-*{suffix}") if p != keep),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for p in entries[n - 1 :]:
            p.unlink(missing_ok=True)
    except OSError:
        pass


def taxonomy_memo(tax: Any, name: str, build: Callable[[], T], *, version: str) -> T:
    """``build()`` for a value derived only from a taxonomy view, once per view and, when the
    view was read from a store (its ``content_key``), once per store content on disk.

    Args:
        tax: the taxonomy (its ``_memo`` holds the value for the process).
        name: the value's name (memo key and cache file prefix).
        build: makes it from ``tax``.
        version: the building code's version (usually :func:`source_hash` of its modules).
    """
    memo = getattr(tax, "_memo", None)
    if not isinstance(memo, dict):
        return build()
    if name in memo:
        return memo[name]
    content = memo.get("content_key")
    where = None if (not content or disabled()) else cache_dir()
    if where is None:
        value = build()
    else:
        key = hashlib.sha256(f"{content}|{version}".encode()).hexdigest()[:32]
        path = where / f"{name}-{key}.pkl"
        value = _MISSING
        if path.is_file():
            try:
                with path.open("rb") as fh, gc_paused():
                    value = pickle.load(fh)
            except Exception as exc:  # corrupt or an old layout: build again
                log.debug("ignoring the cache entry %s: %s", path, exc)
                value = _MISSING
        if value is _MISSING:
            with gc_paused():
                value = build()
            with _LOCK:
                _write(path, value)
                _prune(where, name, keep=path)
    memo[name] = value
    return value


_MISSING: Any = object()


def cached_by_key(name: str, key: str, build: Callable[[], T]) -> T:
    """``build()``, or what it returned before for the same ``key`` (a hash of everything the
    value is derived from, code version included), kept in the derived-data cache."""
    where = None if disabled() else cache_dir()
    if where is None:
        return build()
    path = where / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:32]}.pkl"
    if path.is_file():
        try:
            with path.open("rb") as fh, gc_paused():
                return pickle.load(fh)
        except Exception as exc:  # corrupt or an old layout: build again
            log.debug("ignoring the cache entry %s: %s", path, exc)
    value = build()
    with _LOCK:
        _write(path, value)
        _prune(where, name, keep=path)
    return value
