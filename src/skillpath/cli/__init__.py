"""Command-line face of Skillpath: thin commands that call the domain packages and format.

Every module in this package registers its commands on :data:`app`. User mistakes raise
:class:`~skillpath.errors.SkillpathError` subclasses, which :func:`main` prints as one line
(exit 2 for bad input), never as a traceback.

The command modules (and Typer, rich) are imported on first use of :data:`app` or :func:`main`,
not with the package: a call that a running ``skillpath daemon`` answers imports only
``_client`` before it hands the call over (decision 0144).
"""

from __future__ import annotations

import sys
from typing import Any

from skillpath.cli import _client

__all__ = ["app", "main"]


def _commands() -> Any:
    """The Typer application with every command registered."""
    from skillpath.cli import (  # noqa: F401  (each module registers its commands)
        _catalog,
        _daemon,
        _data,
        _demo,
        _plan,
        _portfolio,
        _profile,
        _recommend,
        _roles,
        _serve,
        _skills,
    )
    from skillpath.cli._app import app

    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return _commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 failure/invalid result, 2 bad input).

    ``plan``, ``recommend`` and ``paths`` run in a running ``skillpath daemon`` when there is
    one for this store (the same output, without loading the data again), else here."""
    if _client._WARM is None:  # (not inside the daemon's child already)
        rc = _client.call_daemon(list(sys.argv[1:] if argv is None else argv))
        if rc is not None:
            return rc
    import typer

    from skillpath.errors import SkillpathError

    try:  # typer >= 0.20 vendors its own click; older typers use the click package
        from typer._click.exceptions import ClickException as _ClickException
        from typer._click.exceptions import NoArgsIsHelpError as _NoArgsIsHelp
    except ImportError:  # pragma: no cover - depends on the installed typer
        from click.exceptions import ClickException as _ClickException  # type: ignore[assignment]
        from click.exceptions import UsageError as _NoArgsIsHelp  # type: ignore[assignment]

    app = _commands()
    from skillpath.cli._app import err_console

    try:
        rc = app(args=argv, standalone_mode=False)
    except SkillpathError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        return exc.exit_code
    except KeyboardInterrupt:
        err_console.print("interrupted")
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except _NoArgsIsHelp as exc:
        # `skillpath` alone: show the help, then exit 2 like any other usage error
        exc.show()
        return 2
    except _ClickException as exc:
        exc.show()
        return 2
    except typer.Abort:
        return 1
    return rc if isinstance(rc, int) else 0


def _entry() -> None:
    sys.exit(main())
