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


def _hide_flag_types() -> None:
    """Typer's rich help prints ``<bool>`` beside every flag (``--json <bool>``): noise, since a
    flag takes no value. Show no type for flags; every other option keeps its type."""
    try:
        from typer.core import TyperOption
    except ImportError:  # pragma: no cover - older typer without this help renderer
        return
    original = getattr(TyperOption, "display_type_rich", None)
    if original is None or getattr(original, "_skillpath", False):  # pragma: no cover
        return

    def display_type_rich(self, ctx):
        if getattr(self, "is_flag", False) or getattr(self, "is_bool_flag", False):
            return None
        return original(self, ctx)

    display_type_rich._skillpath = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_hide_flag_types()


def first_given(value, *aliases):
    """The value of an option or, when the user spelled it with an older hidden alias, the alias's.

    Old option spellings (``--limit``, ``--n``, ``--free-only``, ``--max-item-hours``) keep working
    as hidden options; a command calls this to merge them into the documented one.
    """
    for a in aliases:
        if a is not None and a is not False:
            return a
    return value


@app.callback()
def _global(
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Database URL or SQLite file (default: SKILLPATH_DB or the user data dir)."
        ),
    ] = None,
) -> None:
    """Skillpath: an open, learner-owned learning mentor."""
    if db:
        os.environ["SKILLPATH_DB"] = db


def get_store():
    """Open the configured store (migrating it); imported lazily to keep ``--help`` fast."""
    from skillpath.store import open_store

    return open_store()


def get_service():
    """The application layer over the configured store, for one command: the CLI's use cases
    (plan, paths, recommend) are the service's, the same the web app calls."""
    from skillpath.cli._client import warm_service
    from skillpath.service import Service

    store = get_store()
    # in a child of `skillpath daemon` serving this store: its loaded service (decision 0144)
    return warm_service(store.url) or Service(store, replan_process=False)
