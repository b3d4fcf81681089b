"""CLI: ``skillpath roles`` (find occupations by title) and ``skillpath gap`` (between two roles)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from skillpath.cli._app import app, console, get_store


def load_taxonomy():  # type: ignore[no-untyped-def]
    """The imported taxonomy, or a clear error naming the import command."""
    from skillpath.taxonomy import Taxonomy

    tax = Taxonomy.load(get_store())
    tax.require_data()
    return tax


@app.command("roles")
def roles(
    like: Annotated[str, typer.Option("--like", help="A job title (or O*NET-SOC code) to look up.")],
    top: Annotated[int, typer.Option("--top", min=1, max=200)] = 10,
    taxonomy: Annotated[str, typer.Option("--taxonomy", help="onet, esco or all")] = "all",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List occupations matching a job title, best first."""
    tax = load_taxonomy()
    hits = tax.resolve(like, top=top, taxonomy=None if taxonomy == "all" else taxonomy)
    if as_json:
        console.print_json(json.dumps([{"id": h.occupation.id, "code": h.occupation.code,
                                        "taxonomy": h.occupation.taxonomy, "label": h.occupation.label,
                                        "score": h.score, "matched": h.matched, "how": h.how} for h in hits]))
        return
    t = Table(title=f"Occupations like {like!r}")
    for c in ("#", "code", "occupation", "taxonomy", "score", "matched title"):
        t.add_column(c)
    for i, h in enumerate(hits, 1):
        code = h.occupation.code if h.occupation.taxonomy == "onet" else h.occupation.group_code or ""
        t.add_row(str(i), code, h.occupation.label, h.occupation.taxonomy, f"{h.score:.2f}", h.matched)
    console.print(t)


def gap_json(gap) -> dict:  # type: ignore[no-untyped-def]
    """The documented JSON form of a Gap (docs/data.md)."""
    def item(i):  # type: ignore[no-untyped-def]
        return {"skill_id": i.skill_id, "label": i.label, "kind": i.kind, "relation": i.relation,
                "current": i.current, "required": i.required, "importance": i.importance,
                "weight": i.weight, "gap": i.gap, "hot": i.hot}
    return {
        "from": {"id": gap.source.id, "code": gap.source.code, "label": gap.source.label},
        "to": {"id": gap.target.id, "code": gap.target.code, "label": gap.target.label},
        "notes": list(gap.notes), "total_gap": gap.total, "skills_already_met": gap.shared,
        "skills": [item(i) for i in gap.skills], "technologies": [item(i) for i in gap.technologies],
    }


def print_gap(gap, limit: int = 15) -> None:  # type: ignore[no-untyped-def]
    """A readable terminal view of a gap."""
    console.print(f"[bold]{gap.source.label}[/] ({gap.source.code}) -> [bold]{gap.target.label}[/] "
                  f"({gap.target.code})")
    t = Table(title=f"Skill gap (importance-weighted total {gap.total:.2f}; {gap.shared} skills already met)")
    for c in ("skill", "kind", "now", "needed", "importance", "weighted gap"):
        t.add_column(c, justify="right" if c not in ("skill", "kind") else "left")
    for i in gap.skills[:limit]:
        t.add_row(i.label, i.kind, f"{i.current:.1f}", f"{i.required:.1f}" if i.required is not None else i.relation,
                  f"{i.importance:.1f}" if i.importance is not None else "", f"{i.gap:.2f}")
    console.print(t)
    for n in gap.notes:
        console.print(f"[dim]note: {n}[/]")
    if gap.technologies:
        hot = [i.label + (" (hot)" if i.hot else "") for i in gap.technologies[:12]]
        console.print(f"Technologies the target uses that the source does not ({len(gap.technologies)}): "
                      + ", ".join(hot))


@app.command("gap")
def gap(
    source: Annotated[str, typer.Option("--from", help="Current role: a title or O*NET-SOC code.")],
    target: Annotated[str, typer.Option("--to", help="Target role: a title or O*NET-SOC code.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 15,
) -> None:
    """Show the skill gap between two occupations, weighted by importance."""
    from skillpath.taxonomy import occupation_gap

    tax = load_taxonomy()
    a = tax.get_occupation(source)
    b = tax.get_occupation(target)
    g = occupation_gap(tax, a, b)
    if as_json:
        console.print_json(json.dumps(gap_json(g)))
    else:
        print_gap(g, limit)
