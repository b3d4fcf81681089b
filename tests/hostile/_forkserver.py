"""A pre-imported CLI that forks one child process per case (the corpus' fast runner).

Starting the console script costs about 1.5 s of CPU before it reads a byte (SQLAlchemy,
Alembic, NumPy, the domain packages); times 290 cases and two backends that is most of the
corpus' runtime on a 2-core machine. This server imports :mod:`skillpath.cli` once, then for
every request forks a child that is exactly what the console script would run: the child sets
the request's environment, working folder, ``sys.argv`` and standard streams, and calls the
console entry point ``skillpath.cli:_entry``; its exit status is the command's exit code, and
an uncaught exception prints the interpreter's own traceback. The child is a fresh process per
case, so no state leaks between cases (the server itself never opens a store).

Protocol on stdin/stdout: one JSON request per line ``{"argv", "env", "cwd", "out", "err"}``,
two JSON replies per request, ``{"pid"}`` when the child starts (so a
caller can kill a child that hangs) and ``{"rc"}`` when it ends. Run as ``python -m tests.hostile._forkserver`` or by path.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback


def _child(req: dict) -> None:  # type: ignore[type-arg]
    os.environ.clear()
    os.environ.update(req["env"])
    os.chdir(req["cwd"])
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    out = os.open(req["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err = os.open(req["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(out, 1)
    os.dup2(err, 2)
    sys.argv = ["skillpath", *req["argv"]]
    code = 1
    try:
        from skillpath.cli import _entry

        _entry()
        code = 0
    except SystemExit as exc:
        c = exc.code
        code = c if isinstance(c, int) else (0 if c is None else 1)
        if not isinstance(c, int) and c is not None:
            print(c, file=sys.stderr)
    except BaseException:  # what the interpreter does with an uncaught exception
        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve() -> None:
    """Import the CLI and the domain packages, then answer requests until stdin closes."""
    import skillpath.catalog
    import skillpath.cli
    import skillpath.plan
    import skillpath.portfolio
    import skillpath.profile
    import skillpath.recommend
    import skillpath.store
    import skillpath.taxonomy
    import skillpath.text  # noqa: F401  (warm imports are the point)

    for lazy in (
        "pypdf",
        "docx",
        "openpyxl",
        "pyld",
        "jsonschema",
        "highspy",
        "scipy.sparse",
        "sklearn",
        "implicit",
        "cryptography.hazmat.primitives.asymmetric.ed25519",
    ):
        with contextlib.suppress(ImportError):  # an optional extra; the command reports it
            __import__(lazy)

    reply = sys.stdout
    sys.stdout.write(json.dumps({"ready": True}) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        req = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(req)
        reply.write(json.dumps({"pid": pid}) + "\n")
        reply.flush()
        _, status = os.waitpid(pid, 0)
        rc = os.waitstatus_to_exitcode(status)
        reply.write(json.dumps({"rc": rc}) + "\n")
        reply.flush()


if __name__ == "__main__":
    serve()
