"""CLI: ``skillpath catalog import|tag|search|show|export|imports`` (the course catalogue)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from skillpath.cli._app import app, console, err_console, first_given, get_store

if TYPE_CHECKING:
    from skillpath.catalog import Course

catalog_app = typer.Typer(
    help="Import, tag, search and export the course catalogue.", no_args_is_help=True
)
app.add_typer(catalog_app, name="catalog")


def _fmt_hours(c: Course) -> str:
    if c.hours is None:
        return "?"
    s = f"{c.hours:.0f}" if c.hours >= 10 else f"{c.hours:.1f}"
    return f"~{s}" if c.hours_estimated else s


def _fmt_price(c: Course) -> str:
    return "free" if c.is_free else f"{c.price:.0f} {c.currency}"


def _fmt_rating(c: Course) -> str:
    if c.rating is None:
        return f"({c.rating_count} reviews)" if c.rating_count else "-"
    return f"{c.rating:.2f} ({c.rating_count:,})"


def _tag(store, *, force: bool = False, engine: str = "lexical") -> None:
    from skillpath.catalog import tag_catalog

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    ) as bar:
        task = bar.add_task("loading taxonomy and linker", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, description="tagging courses", completed=done, total=total)

        rep = tag_catalog(store, force=force, engine=engine, progress=progress)
    err_console.print(
        f"tagged {rep.tagged:,} courses ({rep.skipped:,} up to date), "
        f"{rep.skills:,} skill tags, {rep.seconds:.1f} s"
    )


@catalog_app.command("import")
def catalog_import(
    file: Annotated[
        Path, typer.Argument(help="A catalogue file (CSV/TSV/JSON/JSONL/XLSX) or a folder of them.")
    ],
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            help="edx, udemy, coursera, coursera-2021, coursera-2023 or generic "
            "(default: from the file's header, then its name)",
        ),
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="Mapping file (JSON/TOML) for generic layouts.")
    ] = None,
    ratings: Annotated[
        Path | None,
        typer.Option(
            "--ratings",
            help="Individual ratings (course_id, rating, date); Coursera's are detected next to the file.",
        ),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Text encoding when not UTF-8 (e.g. latin-1).")
    ] = None,
    tag: Annotated[
        bool,
        typer.Option(
            "--tag/--no-tag", help="Tag new and changed courses when a taxonomy is imported."
        ),
    ] = True,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the import reports as JSON.")
    ] = False,
) -> None:
    """Import courses (atomic, idempotent; re-import updates in place) and report rejected rows.

    A folder is imported all-or-nothing: every file is read and checked first, and one
    unreadable file stores nothing. Each file's layout is told from its header.
    """
    from skillpath.catalog import import_path

    store = get_store()
    skipped: list[tuple[str, str]] = []
    reports = import_path(
        store,
        file,
        preset=preset,
        mapping=mapping,
        ratings=ratings,
        encoding=encoding,
        skipped=skipped,
    )
    for name, why in skipped:
        err_console.print(f"skipped {Path(name).name}: {why}", highlight=False)
    if as_json:
        console.print_json(
            json.dumps(
                [
                    {
                        "file": r.file,
                        "preset": r.preset,
                        "rows": r.rows,
                        "inserted": r.inserted,
                        "updated": r.updated,
                        "unchanged": r.unchanged,
                        "ratings": r.ratings,
                        "rejected": [
                            {"row": x.row, "reason": x.reason, "column": x.column, "value": x.value}
                            for x in r.rejected
                        ],
                        "duplicates": [list(d) for d in r.duplicates],
                        "warnings": list(r.warnings),
                    }
                    for r in reports
                ]
            )
        )
    else:
        t = Table(title="Catalogue import")
        for c in ("file", "preset", "rows", "new", "upd", "same", "rejected", "dup", "ratings"):
            if c in ("file", "preset"):
                t.add_column(c, overflow="fold")
            else:
                t.add_column(c, justify="right")
        for r in reports:
            t.add_row(
                Path(r.file).name,
                r.preset,
                f"{r.rows:,}",
                f"{r.inserted:,}",
                f"{r.updated:,}",
                f"{r.unchanged:,}",
                f"{len(r.rejected):,}",
                f"{len(r.duplicates):,}",
                f"{r.ratings:,}",
            )
        console.print(t)
        for r in reports:
            for x in r.rejected[:20]:
                where = f" column {x.column!r}" if x.column else ""
                console.print(
                    f"  rejected {Path(r.file).name} row {x.row}{where}: {x.reason}",
                    highlight=False,
                )
            if len(r.rejected) > 20:
                console.print(
                    f"  ... {len(r.rejected) - 20} more (see `skillpath catalog imports --json`)"
                )
            for w in r.warnings:
                console.print(f"  note {Path(r.file).name}: {w}", highlight=False)
    if tag:
        from skillpath.taxonomy import Taxonomy

        if Taxonomy.load(store).skills:
            _tag(store)
        else:
            err_console.print(
                "no taxonomy imported: courses stored untagged; run "
                "`skillpath data import ...` then `skillpath catalog tag`"
            )


@catalog_app.command("tag")
def catalog_tag(
    force: Annotated[
        bool, typer.Option("--force", help="Re-tag every course, not only changed ones.")
    ] = False,
    engine: Annotated[
        str, typer.Option("--engine", help="lexical (default), semantic or hybrid")
    ] = "lexical",
) -> None:
    """Tag courses with the skills they teach and their prerequisites (after a taxonomy update)."""
    _tag(get_store(), force=force, engine=engine)


def _load():
    from skillpath.catalog import load_catalog
    from skillpath.errors import DataMissingError

    courses = load_catalog(get_store())
    if not courses:
        raise DataMissingError("the catalogue is empty: run `skillpath catalog import FILE` first")
    return courses


@catalog_app.command("search")
def catalog_search(
    query: Annotated[str, typer.Argument(help='Free text, e.g. "python data analysis".')] = "",
    skill: Annotated[
        list[str] | None,
        typer.Option(
            "--skill", help="Only courses teaching this skill (id or label part); repeatable."
        ),
    ] = None,
    free: Annotated[bool, typer.Option("--free", help="Only free courses.")] = False,
    max_hours: Annotated[
        float | None, typer.Option("--max-hours", min=0, help="Longest course, hours.")
    ] = None,
    max_price: Annotated[
        float | None, typer.Option("--max-price", min=0, help="Highest fee you accept.")
    ] = None,
    provider: Annotated[str | None, typer.Option("--provider", help="Only this provider.")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, max=500, help="How many courses.")] = 10,
    limit: Annotated[int | None, typer.Option("--limit", min=1, max=500, hidden=True)] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (schema in docs/catalog.md).")
    ] = False,
) -> None:
    """Find courses by text, skills, cost and hours."""
    from skillpath.catalog import course_to_json, search

    hits = search(
        _load(),
        query,
        skills=skill or (),
        free=free,
        max_hours=max_hours,
        max_price=max_price,
        provider=provider,
        limit=first_given(top, limit),
    )
    if as_json:
        console.print_json(
            json.dumps(
                [
                    {
                        "score": h.score,
                        "matched_skills": list(h.matched_skills),
                        "course": course_to_json(h.course),
                    }
                    for h in hits
                ]
            )
        )
        return
    t = Table(title=f"Courses for {query!r}" if query else "Courses")
    for col in ("id", "title", "hours", "price", "rating", "level", "top skills"):
        t.add_column(col, overflow="fold")
    for h in hits:
        c = h.course
        t.add_row(
            c.id,
            c.title,
            _fmt_hours(c),
            _fmt_price(c),
            _fmt_rating(c),
            f"{c.level:g}",
            ", ".join(s.label for s in c.skills[:4]),
        )
    console.print(t)
    if not hits:
        console.print("no course matches; loosen the filters")


@catalog_app.command("show")
def catalog_show(
    course_id: Annotated[str, typer.Argument(help="A course id, e.g. udemy:1070968")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Show one course with its tags and why each was given."""
    from skillpath.catalog import course_to_json, get_course

    c = get_course(get_store(), course_id)
    if as_json:
        console.print_json(json.dumps(course_to_json(c)))
        return
    console.print(f"[bold]{c.title}[/]  ({c.id})", highlight=False)
    if c.duplicate_of:
        console.print(f"duplicate of {c.duplicate_of}")
    x = c.extra
    console.print(
        f"{c.provider} · {c.institution or '-'} · {c.language or '?'} · {c.url}", highlight=False
    )
    hours = "unknown" if c.hours is None else f"{c.hours:g} h ({c.hours_low:g}-{c.hours_high:g})"
    console.print(
        f"hours: {hours} \\[{x.get('hours_pattern')}{', estimated' if c.hours_estimated else ''}]"
        f" from {x.get('duration_text') or '(nothing stated)'!r}",
        highlight=False,
    )
    cert = x.get("certificate_price")
    console.print(
        f"price: {_fmt_price(c)}" + (f" (certificate {cert:g} {c.currency})" if cert else "")
    )
    console.print(
        f"level: {c.level:g}/7 ({x.get('level_why')}); Bloom stage: {c.bloom} "
        f"(cues: {', '.join(c.extra.get('bloom_cues') or []) or 'none'})",  # type: ignore[arg-type]
        highlight=False,
    )
    q = f"rating: {_fmt_rating(c)}"
    if c.rating_lcb is not None:
        q += f", lower bound {c.rating_lcb:.2f}"
    if x.get("raw_mean") is not None:
        q += f", raw mean {x['raw_mean']}, last rated {c.last_rated}"
    console.print(q + (f"; popularity {c.popularity:,}" if c.popularity else ""))
    if c.provider_skills:
        console.print(
            f"provider skills ({len(c.provider_skills)}): {'; '.join(c.provider_skills)}",
            highlight=False,
        )
    t = Table(title="Skills taught")
    for col in ("#", "skill", "id", "confidence", "level", "why"):
        t.add_column(col, overflow="fold")
    for i, s in enumerate(c.skills, 1):
        t.add_row(str(i), s.label, s.skill_id, f"{s.confidence:.2f}", f"{s.level:g}", s.why)
    console.print(t)
    if c.prerequisites:
        p = Table(title="Prerequisites")
        for col in ("kind", "what", "level", "source", "evidence"):
            p.add_column(col, overflow="fold")
        for pr in c.prerequisites:
            p.add_row(
                pr.kind,
                pr.label or pr.ref,
                "" if pr.level is None else f"{pr.level:g}",
                pr.source,
                pr.evidence,
            )
        console.print(p)


@catalog_app.command("export")
def catalog_export(
    as_json: Annotated[bool, typer.Option("--json", help="JSON (the only format for now).")] = True,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of stdout.")
    ] = None,
    include_duplicates: Annotated[
        bool, typer.Option("--include-duplicates", help="Keep courses marked as duplicates.")
    ] = False,
) -> None:
    """Export the tagged catalogue as JSON (schema in docs/catalog.md)."""
    from skillpath.catalog import export_catalog, load_catalog

    del as_json
    doc = export_catalog(load_catalog(get_store(), include_duplicates=include_duplicates))
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    if out:
        out.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {doc['count']:,} courses to {out}")
    else:
        print(text)


@catalog_app.command("imports")
def catalog_imports(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    last: Annotated[int, typer.Option("--last", min=1, help="How many recent imports.")] = 10,
) -> None:
    """The latest import reports, with rejected rows and reasons."""
    from sqlalchemy import select

    from skillpath.store.models.catalog import CatImport

    with get_store().session() as s:
        rows = list(s.scalars(select(CatImport).order_by(CatImport.id.desc()).limit(last)))
        data = [
            {
                "id": r.id,
                "file": r.file,
                "preset": r.preset,
                "at": r.at,
                "counts": r.counts,
                "rejected": r.rejected,
                "warnings": r.warnings,
            }
            for r in rows
        ]
    if as_json:
        console.print_json(json.dumps(data))
        return
    t = Table(title="Catalogue imports")
    for c in ("id", "at", "file", "preset", "counts"):
        t.add_column(c, overflow="fold")
    for d in data:
        t.add_row(
            str(d["id"]),
            str(d["at"]),
            str(d["file"]),
            str(d["preset"]),
            ", ".join(f"{k} {v}" for k, v in d["counts"].items()),
        )
    console.print(t)
