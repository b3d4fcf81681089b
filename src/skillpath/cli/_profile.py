"""CLI: ``skillpath profile --cv FILE [--json] [--top N]``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from skillpath.cli._app import app, console, get_store


@app.command("profile")
def profile_cmd(
    cv: Annotated[
        Path,
        typer.Option(
            "--cv",
            help="CV file: JSON Resume, LinkedIn export (zip or folder), PDF, DOCX, text/Markdown.",
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (schema in docs/profile.md).")
    ] = False,
    top: Annotated[
        int, typer.Option("--top", "-n", min=1, help="Skills to show (occupations: up to 8).")
    ] = 25,
) -> None:
    """Read a CV and show the occupations held and the skills inferred, with level, uncertainty
    and evidence."""
    from skillpath.profile import infer_profile, read_cv
    from skillpath.taxonomy import Taxonomy

    profile = read_cv(cv)  # bad input raises InputError before the store is opened
    tax = Taxonomy.load(get_store())
    state = infer_profile(profile, tax)
    if as_json:
        data = state.to_dict()
        data = {
            "source": profile.source,
            "format": profile.format,
            "name": profile.name,
            "headline": profile.headline,
            "language": profile.language,
            "positions": [
                {
                    "title": p.title,
                    "organisation": p.organisation,
                    "kind": p.kind,
                    "start": p.start.isoformat()[:7] if p.start else None,
                    "end": p.end.isoformat()[:7] if p.end else None,
                    "current": p.current,
                    "founder": p.founder,
                    "project": p.project,
                }
                for p in profile.positions
            ],
            **data,
            "skills": data["skills"][:top],
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    who = profile.name or Path(profile.source).name
    console.print(
        f"[bold]{who}[/] ({profile.format})" + (f": {profile.headline}" if profile.headline else "")
    )
    occ = Table(title="Occupations (current jobs first)", show_lines=False)
    for col in ("#", "occupation", "taxonomy", "score", "years", "now", "from titles"):
        occ.add_column(col, overflow="fold")
    for i, o in enumerate(state.occupations[: min(top, 8)], start=1):
        occ.add_row(
            str(i),
            o.label,
            o.taxonomy,
            f"{o.score:.2f}",
            f"{o.years:.1f}",
            "yes" if o.current else "",
            "; ".join(o.titles),
        )
    console.print(occ)
    sk = Table(
        title=f"Skills (top {top} of {len(state.estimates)}; level 0-7 ± sd)", show_lines=False
    )
    for col in ("skill", "kind", "level", "± sd", "evidence"):
        sk.add_column(col, overflow="fold")
    for e in state.estimates[:top]:
        more = f" (+{len(e.evidence) - 1} more)" if len(e.evidence) > 1 else ""
        sk.add_row(
            e.label,
            e.kind,
            f"{e.level:.1f}",
            f"{e.sd:.1f}",
            (e.evidence[0] if e.evidence else "") + more,
        )
    console.print(sk)
    for w in state.warnings:
        console.print(f"[yellow]warning:[/] {w}", highlight=False)
