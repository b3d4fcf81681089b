"""Engine, sessions and migrations. SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from skillpath.config import get_settings
from skillpath.errors import BusyError, InputError

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the bundled migrations and the given database URL."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


#: Seconds a SQLite connection waits for another process's write lock (``SKILLPATH_DB_WAIT``).
BUSY_TIMEOUT = 30.0


def _busy_timeout() -> float:
    try:
        return float(os.environ.get("SKILLPATH_DB_WAIT", "") or BUSY_TIMEOUT)
    except ValueError:
        return BUSY_TIMEOUT


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN (pysqlite's implicit BEGIN would defer the write
    # lock to the first write, when waiting no longer helps: see _sqlite_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn) -> None:
    # A write session takes the write lock at BEGIN (IMMEDIATE), so a second writer waits up to the
    # busy timeout and then proceeds. A deferred transaction that reads and then writes cannot
    # wait: if another process committed in between, SQLite refuses the upgrade at once.
    write = conn.get_execution_options().get("skillpath_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


_LOCKED = ("database is locked", "database table is locked")


def _busy(exc: OperationalError, url: str) -> BusyError:
    return BusyError(
        f"the database is in use by another Skillpath process (waited {_busy_timeout():g} s for it "
        f"to finish writing): nothing was changed. Run the command again when the other import "
        f"is done, or set SKILLPATH_DB_WAIT to wait longer ({url})"
    )


@dataclass
class Store:
    """A handle on the database: an engine and a session factory.

    Use :func:`open_store` to get one; it applies pending migrations.
    """

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        Args:
            write: the session will write (imports): on SQLite it takes the write lock at the
                start, waiting up to ``SKILLPATH_DB_WAIT`` seconds (default 30) for another
                process's write to finish. Any session may still write; this only makes a
                concurrent writer wait instead of failing.

        Raises:
            BusyError: the database stayed locked by another process past the wait.
        """
        try:
            with self.sessions() as s, s.begin():
                if write and self.url.startswith("sqlite"):
                    s.connection(execution_options={"skillpath_write": True})
                yield s
        except OperationalError as exc:
            if any(m in str(exc.orig) for m in _LOCKED):
                raise _busy(exc, self.url) from exc
            raise

    def dispose(self) -> None:
        """Close all pooled connections."""
        self.engine.dispose()


def _private_sqlite_file(path: Path) -> None:
    """Create the SQLite file ``0600`` (folders we make ``0700``) before SQLite opens it, or
    tighten an existing one: it holds private evidence and the sealed signing keys. SQLite gives
    its ``-wal`` and ``-shm`` files the database file's permissions."""
    from skillpath._private_files import private_dir, tighten

    if not path.parent.exists():
        private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            tighten(p, 0o600)
    except OSError:
        pass  # an unwritable folder: let SQLite report it with its own message


_NUMBERED = re.compile(r"(?:_|__)\d+$")


def _no_nul(_conn, _cursor, _statement, parameters, context, executemany) -> None:
    # A NUL (0x00) in a text value is a user's mistake wherever it comes from (a form field, a
    # query string, an imported file): PostgreSQL refuses it with a raw DataError (a 500 on the
    # web, a traceback in the CLI) and SQLite would keep it. One check on both backends, before
    # the statement runs, names the field instead.
    rows = parameters if executemany else [parameters]
    for row in rows or ():
        items = row.items() if isinstance(row, dict) else enumerate(row or ())
        for key, value in items:
            if isinstance(value, str) and "\x00" in value:
                names = getattr(getattr(context, "compiled", None), "positiontup", None)
                if isinstance(key, int):
                    key = names[key] if names and key < len(names) else f"value {key + 1}"
                raise InputError(
                    "the text holds a NUL (0x00) character, which no field may hold: remove it",
                    column=_NUMBERED.sub("", str(key)),  # (a statement's row is no file's row)
                    value=value[:80],
                )


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1].split("?", 1)[0]
        if path and path != ":memory:" and not path.startswith("file:"):
            _private_sqlite_file(Path(path))
        eng = create_engine(url, connect_args={"timeout": _busy_timeout()})
        event.listen(eng, "connect", _sqlite_pragmas)
        event.listen(eng, "begin", _sqlite_begin)
    else:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        eng = create_engine(url, pool_pre_ping=True)
    event.listen(eng, "before_cursor_execute", _no_nul)
    return eng


def upgrade(url: str, engine: Engine | None = None) -> None:
    """Apply every pending migration (all branch heads) to the database at ``url``."""
    cfg = alembic_config(url)
    if engine is None:
        command.upgrade(cfg, "heads")
        return
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")


def is_current(engine: Engine) -> bool:
    """True when the database is at every migration head."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current == set(script.get_heads())


_OPEN: dict[str, Store] = {}


def open_store(url: str | None = None, *, migrate: bool = True) -> Store:
    """Open the store at ``url`` (default from settings), migrating it to the latest schema.

    Raises:
        InputError: the database cannot be reached or the URL is malformed.
    """
    url = url or get_settings().db_url()
    if url in _OPEN:
        return _OPEN[url]
    try:
        engine = _make_engine(url)
        if migrate and not is_current(engine):
            upgrade(url, engine)
    except OperationalError as exc:
        raise InputError(
            f"cannot open the database: {exc.orig}. Check --db / SKILLPATH_DB.", value=url
        ) from exc
    except Exception as exc:  # malformed URLs, missing drivers
        if isinstance(exc, InputError):
            raise
        if type(exc).__module__.startswith("sqlalchemy"):
            raise InputError(f"cannot open the database: {exc}", value=url) from exc
        raise
    store = Store(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
    _OPEN[url] = store
    return store


def close_all() -> None:
    """Dispose every store opened in this process (tests use it between databases)."""
    for s in _OPEN.values():
        s.dispose()
    _OPEN.clear()
