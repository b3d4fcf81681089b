"""CLI: ``skillpath demo``: get the data (import or download), then show a worked example."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from skillpath.cli._app import app, console, get_store


def ensure_taxonomy() -> None:
    """Import the taxonomy from SKILLPATH_DATA (or ../shared/data) or download O*NET, once."""
    from skillpath.config import default_data_dir
    from skillpath.taxonomy import Taxonomy, clear_cache, import_paths

    store = get_store()
    if not Taxonomy.load(store).empty:
        return
    data = default_data_dir()
    if data is not None:
        paths = [p for p in (data / "onet", data / "esco") if p.exists()]
        if paths:
            console.print(f"importing the official O*NET and ESCO files from {data} (first run only)...")
            with console.status("importing...") as st:
                import_paths(store, paths, progress=lambda m: st.update(m))
            clear_cache()
            return
    from skillpath.cli._data import download_release

    console.print("no local data folder (SKILLPATH_DATA); downloading the O*NET database (first run only)")
    path = download_release("onet", None, None)
    import_paths(store, [path])
    clear_cache()


def ensure_catalog() -> None:
    """Import the shared course catalogues once, when the catalogue package and data are there."""
    try:
        from skillpath.catalog import demo_import  # type: ignore[attr-defined]
    except ImportError:
        return
    demo_import(get_store(), console=console)


@app.command("demo")
def demo(
    source: Annotated[str, typer.Option("--from", help="Current role for the example.")] = "software developer",
    target: Annotated[str, typer.Option("--to", help="Target role for the example.")] = (
        "computer and information systems manager"),
    cv: Annotated[Path | None, typer.Option("--cv", help="Use this CV instead of the example.")] = None,
) -> None:
    """Set up on first run (import or download the official data) and show an example."""
    from skillpath.cli._roles import load_taxonomy, print_gap
    from skillpath.taxonomy import occupation_gap

    ensure_taxonomy()
    tax = load_taxonomy()
    g = occupation_gap(tax, tax.get_occupation(source), tax.get_occupation(target))
    print_gap(g)
