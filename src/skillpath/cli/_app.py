"""The Typer application and the options every command shares."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(
    name="skillpath",
    help="Skillpath: skills from your CV, the gap to the role you want, a plan to close it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


@app.callback()
def _global(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL or SQLite file (default: SKILLPATH_DB or the user data dir)."),
    ] = None,
) -> None:
    """Skillpath: an open, learner-owned learning mentor."""
    if db:
        os.environ["SKILLPATH_DB"] = db


def get_store():
    """Open the configured store (migrating it); imported lazily to keep ``--help`` fast."""
    from skillpath.store import open_store

    return open_store()
