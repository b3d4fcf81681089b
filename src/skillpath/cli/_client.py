"""The caller's side of ``skillpath daemon`` (decision 0144): hand an advice command to a
running daemon, or say that it runs in-process.

Kept free of Typer, rich and the command modules: a call that the daemon answers imports only
this (and the standard library) before it connects.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import struct
import sys
from pathlib import Path
from typing import Any

__all__ = ["call_daemon", "socket_path", "warm_service"]

#: the commands handed to a running daemon (the ones that load the taxonomy and catalogue and
#: only read the store)
COMMANDS = frozenset({"plan", "recommend", "paths"})
PROTOCOL = 1
_MAX_HEADER = 1 << 20

# set in a daemon's child: (store url, service)
_WARM: tuple[str, Any] | None = None


def warm_service(url: str) -> Any:
    """The daemon's warm service when this process is a daemon's child serving a call on the
    store at ``url``; else None (the caller makes its own)."""
    if _WARM is not None and _WARM[0] == url:
        return _WARM[1]
    return None


# ---- what identifies a daemon -------------------------------------------------------------------
def _settings_env(env: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    """The ``SKILLPATH_*`` variables (the settings), less the switch of this module."""
    return {k: v for k, v in env.items() if k.startswith("SKILLPATH_") and k != "SKILLPATH_DAEMON"}


def _code_stamp() -> list[Any]:
    """The package folder and the newest modification time and count of its modules: a daemon
    whose code is not the caller's declines (an edited checkout, an upgrade)."""
    import skillpath

    root = Path(skillpath.__file__).resolve().parent
    newest, n = 0, 0
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            if f.endswith(".py"):
                with contextlib.suppress(OSError):
                    newest = max(newest, os.stat(os.path.join(dirpath, f)).st_mtime_ns)
                    n += 1
    return [str(root), newest, n]


def _db_option(argv: list[str]) -> str | None:
    """The global ``--db`` given before the command, as the Typer callback reads it."""
    for i, a in enumerate(argv):
        if a == "--db" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--db="):
            return a.split("=", 1)[1]
        if not a.startswith("-"):
            return None  # the command: its own options follow
    return None


def _command(argv: list[str]) -> str | None:
    """The command word of ``argv`` (after the global ``--db VALUE``), or None."""
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--db":
            i += 2
            continue
        if a.startswith("-"):
            return None  # --help, --db=..., anything else: not ours to route
        return a
    return None


def _key(env: dict[str, str] | os._Environ[str], argv: list[str], cwd: str) -> str:
    """What a daemon serves: the ``SKILLPATH_*`` settings with the store as the command names it
    (``--db`` over ``SKILLPATH_DB``; a bare path resolved in the caller's folder, as
    :meth:`skillpath.config.Settings.db_url` resolves it)."""
    settings = _settings_env(env)
    env_db = settings.pop("SKILLPATH_DB", None)
    db = _db_option(argv) or env_db
    if db and "://" not in db:
        db = str(Path(cwd, os.path.expanduser(db)).resolve())
    settings["SKILLPATH_DB"] = db or ""
    return hashlib.sha256(json.dumps(sorted(settings.items())).encode()).hexdigest()[:16]


def socket_path(env: dict[str, str] | os._Environ[str], argv: list[str]) -> Path | None:
    """Where the daemon for these settings and store listens: ``<cache dir>/run`` (the
    settings' ``cache_dir``, read here without loading them: a call stays quick), or None when
    the path is too long for a Unix socket."""
    import platformdirs

    cache = env.get("SKILLPATH_CACHE_DIR") or platformdirs.user_cache_dir("skillpath")
    path = Path(cache).expanduser() / "run" / f"cli-{_key(env, argv, os.getcwd())}.sock"
    return path if len(os.fsencode(path)) < 100 else None


# ---- the caller's side ----------------------------------------------------------------------------
def call_daemon(argv: list[str]) -> int | None:
    """Run ``argv`` in a running daemon; its exit code, or None when it must run in-process
    (not an advice command, no daemon, declined, ``SKILLPATH_DAEMON=0``)."""
    if os.environ.get("SKILLPATH_DAEMON", "1").strip().lower() in ("0", "no", "off"):
        return None
    if _command(argv) not in COMMANDS or not hasattr(socket, "send_fds"):
        return None
    path = socket_path(os.environ, argv)
    if path is None or not path.exists():
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(str(path))
    except OSError:  # a stale socket: the daemon is gone
        conn.close()
        return None
    with conn:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        header = {
            "protocol": PROTOCOL,
            "argv": argv,
            "cwd": os.getcwd(),
            "env": dict(os.environ),
            "code": _code_stamp(),
            "encoding": [
                getattr(s, "encoding", None) or "utf-8" for s in (sys.stdin, sys.stdout, sys.stderr)
            ],
        }
        try:
            _send(conn, header, fds=[0, 1, 2])
            answer = _recv(conn)
        except (OSError, ValueError):
            return None  # the daemon ended before taking the call: nothing ran
        if answer.get("accepted") is not True:
            return None
        child = int(answer.get("pid", 0))
        try:
            done = _recv(conn)
        except KeyboardInterrupt:
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGINT)
            with contextlib.suppress(Exception):
                done = _recv(conn)
                return int(done.get("rc", 130))
            return 130
        except (OSError, ValueError):
            print("error: the warm skillpath daemon ended during the call", file=sys.stderr)
            return 1
        return int(done.get("rc", 1))


def _send(conn: socket.socket, doc: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(doc).encode()
    msg = struct.pack("!I", len(data)) + data
    if fds:
        socket.send_fds(conn, [msg], fds)
    else:
        conn.sendall(msg)


def _recv_exact(conn: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        got = conn.recv(n - len(buf))
        if not got:
            raise ValueError("connection closed")
        buf += got
    return buf


def _recv(conn: socket.socket) -> dict[str, Any]:
    (n,) = struct.unpack("!I", _recv_exact(conn, 4))
    if n > _MAX_HEADER:
        raise ValueError("message too large")
    doc = json.loads(_recv_exact(conn, n))
    if not isinstance(doc, dict):
        raise ValueError("not a message")
    return doc


def _recv_with_fds(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """The caller's header and the descriptors sent with its first bytes."""
    msg, fds, _flags, _addr = socket.recv_fds(conn, _MAX_HEADER + 4, 3)
    if len(msg) < 4:
        for fd in fds:
            os.close(fd)
        raise ValueError("short message")
    (n,) = struct.unpack("!I", msg[:4])
    body = msg[4:]
    try:
        if n > _MAX_HEADER:
            raise ValueError("message too large")
        if len(body) < n:
            body += _recv_exact(conn, n - len(body))
        doc = json.loads(body[:n])
        if not isinstance(doc, dict):
            raise ValueError("not a message")
    except Exception:
        for fd in fds:
            os.close(fd)
        raise
    return doc, fds
