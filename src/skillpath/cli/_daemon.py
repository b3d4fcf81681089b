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
import os
import signal
import socket
import struct
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from skillpath.cli import _client
from skillpath.cli._app import app, console
from skillpath.cli._client import (
    COMMANDS,
    PROTOCOL,
    _code_stamp,
    _command,
    _key,
    _recv_with_fds,
    _send,
    socket_path,
)

__all__ = ["daemon_cmd"]


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

        from skillpath.cli import main

        text = (
            "Alex Example\nSoftware Developer\n\nExperience\n"
            "Software Developer, Example Ltd, 2019 - present\n"
            "Built web services in Python and SQL; led code reviews.\n\n"
            "Skills\nPython, SQL, project management\n"
        )
        _client._WARM = (self.url, self.svc)
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
            _client._WARM = None
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
        _client._WARM = (url, svc)
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
