"""CLI: ``skillpath daemon``: a warm process that the advice commands hand their call to.

A CLI call is a new process: before ``plan``, ``recommend`` or ``paths`` answers, it imports the
numeric stack and loads the taxonomy, the catalogue and the profile's indexes (seconds, even from
the derived-data cache of decision 0132). ``skillpath daemon`` loads them once and listens on a
Unix socket (owner-only, in the cache directory, one per store and home). While it runs, one of
those commands connects, passes its arguments, working folder, environment and its own
stdin/stdout/stderr (file descriptors over the socket), and the daemon forks a child that runs
the very same :func:`skillpath.cli.main` on them with the warm service: the output is the
in-process output, byte for byte, written straight to the caller's terminal or pipe.

Correctness (decision 0144):

- The daemon serves only callers of the same user (``SO_PEERCRED``), with the same ``SKILLPATH_*``
  settings and the same code (the package folder and the newest modification time of its
  modules); anything else is declined and the call runs in-process as before.
- Before each fork it compares the store's content fingerprint (``store._derived``) for the
  taxonomy and the catalogue with the one it loaded; when an import changed the store it loads
  again first, so a call never answers from an older store.
- A child reuses the warm service only when the command's store URL is the daemon's (``--db``
  naming another store gets a fresh service in the child, as in-process).
- ``SKILLPATH_DAEMON=0`` makes every call run in-process; a daemon that is not running (a stale
  socket), refuses or dies before accepting the call changes nothing but the speed.
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
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from skillpath.cli._app import app, console

__all__ = ["call_daemon", "warm_service"]

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


# ---- the daemon's side ----------------------------------------------------------------------------
class _Daemon:
    """The warm service, what it was loaded from, and the listening socket."""

    def __init__(self, path: Path, key: str, idle_s: float) -> None:
        self.path = path
        self.key = key
        self.idle_s = idle_s
        self.code = _code_stamp()
        self.svc: Any = None
        self.url = ""
        self.fps: tuple[str, str] = ("", "")
        self.children: set[int] = set()

    def load(self) -> float:
        """(Re)load the warm service; the seconds it took."""
        from skillpath.cli._app import get_store
        from skillpath.service import Service
        from skillpath.store._derived import fingerprint

        t = time.perf_counter()
        if self.svc is not None:
            self.svc.close()  # hands the frozen objects back to the collector
            self.svc = None
        store = get_store()
        fps = (fingerprint(store, ("taxonomy",)), fingerprint(store, ("catalog",)))
        svc = Service(store, replan_process=False)
        svc.warm(start_worker=False)
        self.svc, self.url, self.fps = svc, store.url, fps
        self.exercise()
        return time.perf_counter() - t

    def exercise(self) -> None:
        """Run each advice command once on a short CV, output dropped: the modules they import
        on first use and the indexes they build on a first call are then in the daemon, not
        made again in every child. Then frozen like the service's indexes."""
        import gc
        import io
        import tempfile

        global _WARM
        from skillpath.cli import main

        text = (
            "Alex Example\nSoftware Developer\n\nExperience\n"
            "Software Developer, Example Ltd, 2019 - present\n"
            "Built web services in Python and SQL; led code reviews.\n\n"
            "Skills\nPython, SQL, project management\n"
        )
        _WARM = (self.url, self.svc)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                cv = Path(tmp) / "warm.txt"
                cv.write_text(text, encoding="utf-8")
                learner = None
                with contextlib.suppress(Exception):
                    learner = self.svc.learner_from_cv(cv)
                code = getattr(getattr(learner, "current", None), "code", None)
                calls = [["paths", "--cv", str(cv), "--json"]]
                if code:
                    calls += [
                        ["plan", "--cv", str(cv), "--target-code", code, "--format", "json"],
                        ["recommend", "--cv", str(cv), "--target-code", code, "--json"],
                    ]
                for argv in calls:
                    sink = io.StringIO()
                    with (
                        contextlib.redirect_stdout(sink),
                        contextlib.redirect_stderr(sink),
                        contextlib.suppress(Exception),
                    ):
                        main(argv)
        finally:
            _WARM = None
        gc.collect()
        gc.freeze()

    def current(self) -> bool:
        """Whether the store still holds what the service was loaded from."""
        from skillpath.store._derived import fingerprint

        store = self.svc.store
        return (fingerprint(store, ("taxonomy",)), fingerprint(store, ("catalog",))) == self.fps

    def reap(self) -> None:
        for pid in list(self.children):
            with contextlib.suppress(ChildProcessError):
                done, _status = os.waitpid(pid, os.WNOHANG)
                if not done:
                    continue
            self.children.discard(pid)

    def decline(self, header: dict[str, Any], peer_uid: int) -> str | None:
        """Why this call must run in the caller's process, or None to take it."""
        if peer_uid != os.getuid():
            return "another user"
        if header.get("protocol") != PROTOCOL:
            return "another protocol"
        if _command(list(header.get("argv") or [])) not in COMMANDS:
            return "not an advice command"
        argv, env = list(header.get("argv") or []), dict(header.get("env") or {})
        if _key(env, argv, str(header.get("cwd", ""))) != self.key:
            return "other SKILLPATH_* settings or another store"
        if header.get("code") != self.code:
            return "other code"
        return None

    def serve(self) -> None:
        """Accept calls until stopped (SIGTERM, Ctrl+C, ``--stop``) or idle for ``idle_s``."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.path.parent, 0o700)
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_umask = os.umask(0o177)
        try:
            srv.bind(str(self.path))
        finally:
            os.umask(old_umask)
        srv.listen(16)
        srv.settimeout(1.0)
        last = time.monotonic()
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            while True:
                self.reap()
                if self.idle_s and time.monotonic() - last > self.idle_s and not self.children:
                    console.print("skillpath daemon: idle, stopping")
                    return
                try:
                    conn, _ = srv.accept()
                except TimeoutError:
                    continue
                last = time.monotonic()
                with conn:
                    self.take(conn)
        finally:
            srv.close()
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            if self.svc is not None:
                self.svc.close()

    def take(self, conn: socket.socket) -> None:
        """One call: check it, fork a child for it, and return to accepting."""
        conn.settimeout(10)
        try:
            header, fds = _recv_with_fds(conn)
        except (OSError, ValueError):
            return
        try:
            cred = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
            _pid, uid, _gid = struct.unpack("3i", cred)
            why = self.decline(header, uid)
            if why is None and len(fds) != 3:
                why = "no terminal descriptors"
            if why is not None:
                with contextlib.suppress(OSError):
                    _send(conn, {"accepted": False, "why": why})
                return
            if not self.current():
                took = self.load()
                console.print(f"skillpath daemon: the store changed; loaded again in {took:.1f} s")
            self.svc.store.engine.dispose()  # no pooled connection crosses the fork
            pid = os.fork()
            if pid == 0:  # the child: never returns
                _child(conn, header, fds, self.url, self.svc)
            self.children.add(pid)
        finally:
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def _child(conn: socket.socket, header: dict[str, Any], fds: list[int], url: str, svc: Any) -> None:
    """Run the call on the caller's descriptors with the warm service, then exit."""
    global _WARM
    rc = 1
    try:
        import io

        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        conn.settimeout(None)
        try:
            _send(conn, {"accepted": True, "pid": os.getpid()})
        except OSError:
            os._exit(1)  # the caller is gone
        for target, fd in zip((0, 1, 2), fds, strict=True):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(header["cwd"])
        os.environ.clear()
        os.environ.update(header["env"])
        enc = list(header.get("encoding") or ["utf-8"] * 3)
        # new text streams on the caller's descriptors, buffered as Python buffers them there
        sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r")), encoding=enc[0])
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(io.FileIO(1, "w")), encoding=enc[1], line_buffering=os.isatty(1)
        )
        sys.stderr = io.TextIOWrapper(
            io.BufferedWriter(io.FileIO(2, "w")),
            encoding=enc[2],
            errors="backslashreplace",
            line_buffering=True,
        )
        # the consoles were made in the daemon: detect the caller's terminal, colours and width
        from skillpath.cli import _app

        _app.console.__init__()  # type: ignore[misc]
        _app.err_console.__init__(stderr=True)  # type: ignore[misc]
        _WARM = (url, svc)
        from skillpath.cli import main

        rc = main(list(header["argv"]))
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # report it as the process would, never return into the daemon
        import traceback

        with contextlib.suppress(Exception):
            traceback.print_exc()
        rc = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        with contextlib.suppress(Exception):
            _send(conn, {"rc": rc})
        os._exit(0)


def _pid_of(path: Path) -> int | None:
    """The pid of the daemon listening on ``path`` (its peer credentials), or None."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(str(path))
        cred = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        pid, _uid, _gid = struct.unpack("3i", cred)
        return pid
    except OSError:
        return None
    finally:
        conn.close()


@app.command("daemon")
def daemon_cmd(
    idle: Annotated[
        float,
        typer.Option(
            "--idle", min=0, help="Stop after this many minutes without a call (0: never)."
        ),
    ] = 120.0,
    stop: Annotated[bool, typer.Option("--stop", help="Stop the running daemon.")] = False,
    status: Annotated[bool, typer.Option("--status", help="Say whether one is running.")] = False,
) -> None:
    """Keep the taxonomy and catalogue loaded: plan, recommend and paths then answer in a second.

    Runs in the foreground (start it with '&' or in another terminal); the commands use it
    while it runs (same user, store and settings) and run on their own otherwise.
    """
    from skillpath.errors import InputError

    # (the global --db of this command is in SKILLPATH_DB by now: the store it serves)
    path = socket_path(os.environ, [])
    if path is None:
        raise InputError("no usable cache directory for the daemon's socket (SKILLPATH_CACHE_DIR)")
    pid = _pid_of(path) if path.exists() else None
    if status:
        console.print(f"running (pid {pid}) on {path}" if pid else "not running")
        return
    if stop:
        if pid:
            os.kill(pid, signal.SIGTERM)
            console.print(f"stopped the daemon (pid {pid})")
        else:
            console.print("not running")
        return
    if pid:
        raise InputError(f"a daemon is already running (pid {pid}) on {path}")
    d = _Daemon(path, _key(os.environ, [], os.getcwd()), idle * 60)
    with console.status("loading the taxonomy and catalogue..."):
        took = d.load()
    console.print(
        f"skillpath daemon ready in {took:.1f} s on {path}: plan, recommend and paths use it "
        "(Ctrl+C to stop)"
    )
    with contextlib.suppress(KeyboardInterrupt):
        d.serve()
