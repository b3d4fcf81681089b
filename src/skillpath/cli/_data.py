"""CLI: ``skillpath data download|import|status``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from skillpath.cli._app import app, console, err_console, get_store

data_app = typer.Typer(
    help="Download, import and inspect the official O*NET and ESCO data.", no_args_is_help=True
)
app.add_typer(data_app, name="data")


def download_release(name: str, url: str | None, cache_dir: Path | None) -> Path:
    """Download a release with a progress bar; shared with ``skillpath demo``."""
    from skillpath.config import get_settings
    from skillpath.errors import InputError
    from skillpath.taxonomy import download
    from skillpath.taxonomy._download import ONET_URL, Release

    if name == "onet":
        rel = Release("O*NET database (text)", url or ONET_URL)
    elif name == "esco":
        if not url:
            raise InputError(
                "ESCO needs a download URL: get the CSV package link from the ESCO portal "
                "(Download > ESCO dataset, classification CSV, English) and pass --url URL"
            )
        rel = Release("ESCO classification (CSV)", url)
    else:
        raise InputError("unknown source: choose onet or esco", value=name)
    cache = cache_dir or get_settings().cache_dir
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err_console,
    ) as bar:
        task = bar.add_task(rel.name, total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        return download(rel, cache, progress=progress, announce=lambda m: err_console.print(m))


@data_app.command("download")
def data_download(
    source: Annotated[str, typer.Argument(help="onet or esco")],
    url: Annotated[
        str | None, typer.Option("--url", help="Release URL (required for esco).")
    ] = None,
    cache_dir: Annotated[
        Path | None, typer.Option("--cache-dir", help="Where to keep downloads.")
    ] = None,
    do_import: Annotated[
        bool, typer.Option("--import/--no-import", help="Import after download.")
    ] = True,
) -> None:
    """Download an official release (resumable, verified, cached) and import it."""
    path = download_release(source, url, cache_dir)
    console.print(f"saved {path}")
    if do_import:
        data_import([path], as_json=False, replace=False)


def prepare_text_indexes(store) -> None:
    """Build the text indexes a first CV read needs, right after an import (cached on disk per
    taxonomy, so the first ``profile``/``plan`` on this store does not pay them)."""
    from skillpath.errors import SkillpathError
    from skillpath.profile import prepare_indexes
    from skillpath.taxonomy import Taxonomy

    tax = Taxonomy.load(store, refresh=True)
    if tax.empty:
        return
    err_console.print("building the text indexes (once per taxonomy, then cached)...")
    try:
        prepare_indexes(tax)
    except SkillpathError as exc:  # the import stands; the first CV read builds them instead
        err_console.print(f"[yellow]note[/] text indexes not built now: {exc}")


@data_app.command("import")
def data_import(
    paths: Annotated[
        list[Path], typer.Argument(help="Folders, zips or files of O*NET/ESCO releases.")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the import report as JSON.")
    ] = False,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Import even if a file would remove most of a table's stored rows, blank a "
            "field, or lacks a column the table needs (refused otherwise).",
        ),
    ] = False,
) -> None:
    """Import O*NET (.txt or .xlsx) and ESCO (CSV) release files: atomic and idempotent."""
    from skillpath.taxonomy import clear_cache, import_paths

    store = get_store()
    with console.status("importing...") as st:
        report = import_paths(store, paths, progress=lambda m: st.update(m), replace=replace)
    clear_cache()
    prepare_text_indexes(store)
    if as_json:
        console.print_json(
            json.dumps(
                {
                    "files": [{"path": p, "kind": k} for p, k in report.files],
                    "skipped": [{"path": p, "reason": r} for p, r in report.skipped_files],
                    "loaded": report.loaded,
                    "orphans": report.orphans,
                    "warnings": report.warnings,
                }
            )
        )
        return
    console.print(f"[green]imported[/] {len(report.files)} files")
    loaded = report.loaded
    console.print("  " + ", ".join(f"{k}: {v:,}" for k, v in loaded.items()))
    for p, r in report.skipped_files:
        console.print(f"  [yellow]skipped[/] {p}: {r}")
    if report.orphans:
        for k, n in sorted(report.orphans.items()):
            console.print(f"  [yellow]orphans[/] {k}: {n:,} (kept; see 'skillpath data status')")
    else:
        console.print("  orphans: none")
    for w in report.warnings:
        console.print(f"  [yellow]note[/] {w}")


@data_app.command("status")
def data_status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """What is loaded: per source and release, counts of each kind of record, and orphans."""
    from skillpath.taxonomy import status

    st = status(get_store())
    if as_json:
        console.print_json(json.dumps(st))
        return
    if not st["sources"]:
        console.print(
            "nothing imported yet: run 'skillpath data import PATH' or 'skillpath data download onet'"
        )
        return
    t = Table(title="Imported sources")
    for c in ("source", "release", "files", "occupations", "legacy", "imported at"):
        t.add_column(c)
    for s in st["sources"]:
        t.add_row(
            s["source"],
            s["release"],
            str(s["files"]),
            f"{s.get('occupations', 0):,}",
            f"{s.get('legacy_occupations', 0):,}",
            s["imported_at"],
        )
    console.print(t)
    tot = st["totals"]
    t2 = Table(title="Totals")
    t2.add_column("record")
    t2.add_column("by kind")
    t2.add_column("total", justify="right")
    for k, v in tot.items():
        if isinstance(v, dict):
            t2.add_row(
                k, ", ".join(f"{a}: {b:,}" for a, b in sorted(v.items())), f"{sum(v.values()):,}"
            )
        else:
            t2.add_row(k, "", f"{v:,}")
    n_orph = sum(o["count"] for lst in st["orphans"].values() for o in lst)
    t2.add_row(
        "orphans",
        "; ".join(
            f"{src}/{o['kind']}: {o['count']:,} in {Path(o['file']).name}"
            for src, lst in st["orphans"].items()
            for o in lst
        )
        or "none",
        f"{n_orph:,}",
    )
    console.print(t2)
