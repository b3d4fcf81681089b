"""CLI: ``skillpath roles`` (find occupations by title) and ``skillpath gap`` (between two roles)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from skillpath.cli._app import app, console, err_console, first_given, get_store


def load_taxonomy():
    """The imported taxonomy, or a clear error naming the import command."""
    from skillpath.taxonomy import Taxonomy

    tax = Taxonomy.load(get_store())
    tax.require_data()
    return tax


def rank_titles(
    tax, titles: list[str], *, taxonomy: str = "all", top: int = 10, engine: str | None = None
) -> list[list[dict]]:
    """Ranked occupations for each title, through the one role resolver (JSON-ready rows)."""
    return [rows for rows, _res in _rank(tax, titles, taxonomy=taxonomy, top=top)]


def _rank(tax, titles: list[str], *, taxonomy: str, top: int):
    from skillpath.errors import NotFoundError
    from skillpath.taxonomy import RoleResolution, resolve_roles

    out = []
    try:
        resolved = resolve_roles(tax, titles, taxonomy=taxonomy, top=top)
    except NotFoundError:  # an unknown code among many titles: resolve one by one
        resolved = []
        for t in titles:
            try:
                resolved.append(resolve_roles(tax, [t], taxonomy=taxonomy, top=top)[0])
            except NotFoundError as exc:
                resolved.append(RoleResolution(t, reason=exc.message))
    for res in resolved:
        out.append(
            (
                [
                    {
                        "uri": c.occupation.id,
                        "code": c.occupation.code,
                        "label": c.occupation.label,
                        "taxonomy": c.occupation.taxonomy,
                        "score": round(float(c.score), 4),
                        "matched": c.matched,
                        "how": c.how,
                        "why": list(c.why),
                    }
                    for c in res.candidates
                ],
                res,
            )
        )
    return out


def resolve_cli_role(
    tax,
    text: str,
    *,
    code: str | None = None,
    what: str = "role",
    option: str = "--target-code",
    family: str | None = None,
    context: str = "",
):
    """The occupation for a role given on the command line; says on stderr which was chosen
    when the title is ambiguous, and how to pick another (``option``)."""
    from skillpath.taxonomy import pick_role

    occ, res = pick_role(tax, text, code=code, family=family, context=context)
    if res.ambiguous and not code:
        others = [c for c in res.candidates if c.occupation.id != occ.id][:4]
        alts = "; ".join(f"{c.occupation.code} {c.occupation.label}" for c in others)
        err_console.print(
            f"[yellow]note[/] {what} {text!r} is ambiguous: chose {occ.label} ({occ.code}) "
            f"because {res.reason}. Other candidates: {alts}. Pick one with {option} CODE."
        )
    return occ


@app.command("roles")
def roles(
    like: Annotated[
        str | None, typer.Option("--like", help="A job title (or O*NET-SOC code) to look up.")
    ] = None,
    input_file: Annotated[
        Path | None,
        typer.Option(
            "--input",
            help="A file with one title per line ('-': stdin); writes one JSON line per title.",
        ),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", "-n", min=1, max=200, help="How many occupations per title.")
    ] = 10,
    taxonomy: Annotated[str, typer.Option("--taxonomy", help="onet, esco or all")] = "all",
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="Accepted for compatibility: titles always go through the one role resolver.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON lines/objects instead of a table.")
    ] = False,
) -> None:
    """List occupations matching a job title (or every title in a file), best first."""
    from skillpath.errors import InputError

    if taxonomy not in ("onet", "esco", "all"):
        raise InputError("--taxonomy must be onet, esco or all", value=taxonomy)
    if (like is None) == (input_file is None):
        raise InputError("give a title with --like TITLE, or a file of titles with --input FILE")
    tax = load_taxonomy()
    if input_file is not None:
        import sys

        if str(input_file) == "-":
            lines = sys.stdin.read().splitlines()
        else:
            if not input_file.is_file():
                raise InputError("no such file", file=input_file)
            try:
                lines = input_file.read_text(encoding="utf-8").splitlines()
            except UnicodeDecodeError as exc:
                raise InputError("not UTF-8 text: save it as UTF-8", file=input_file) from exc
        batch = 512
        for i in range(0, len(lines), batch):
            chunk = lines[i : i + batch]
            for title, hits in zip(
                chunk,
                rank_titles(tax, chunk, taxonomy=taxonomy, top=top, engine=engine),
                strict=True,
            ):
                sys.stdout.write(
                    json.dumps({"title": title, "occupations": hits}, ensure_ascii=False) + "\n"
                )
        return
    assert like is not None
    hits, res = _rank(tax, [like], taxonomy=taxonomy, top=top)[0]
    if not hits and not tax.is_code(like):
        from skillpath.errors import NotFoundError

        raise NotFoundError(
            "no occupation matches this title; try other words or an O*NET-SOC code", value=like
        )
    if as_json:
        console.print_json(json.dumps([{"id": h["uri"], **h} for h in hits]))
        return
    t = Table(title=f"Occupations like {like!r}")
    for c in ("#", "code", "occupation", "taxonomy", "score", "matched title"):
        t.add_column(c)
    for i, h in enumerate(hits, 1):
        occ = tax.occupations[h["uri"]]
        code = occ.code if occ.taxonomy == "onet" else occ.group_code or ""
        t.add_row(str(i), code, h["label"], h["taxonomy"], f"{h['score']:.2f}", h["matched"])
    console.print(t)
    if res.ambiguous:
        console.print(f"[yellow]ambiguous[/]: several occupations fit; chose {res.reason}")


def gap_json(gap) -> dict:
    """The documented JSON form of a Gap (docs/data.md)."""

    def item(i):
        return {
            "skill_id": i.skill_id,
            "label": i.label,
            "kind": i.kind,
            "relation": i.relation,
            "current": i.current,
            "required": i.required,
            "importance": i.importance,
            "weight": i.weight,
            "gap": i.gap,
            "hot": i.hot,
        }

    return {
        "from": {"id": gap.source.id, "code": gap.source.code, "label": gap.source.label},
        "to": {"id": gap.target.id, "code": gap.target.code, "label": gap.target.label},
        "notes": list(gap.notes),
        "total_gap": gap.total,
        "skills_already_met": gap.shared,
        "skills": [item(i) for i in gap.skills],
        "technologies": [item(i) for i in gap.technologies],
    }


def print_gap(gap, limit: int = 15) -> None:
    """A readable terminal view of a gap."""
    console.print(
        f"[bold]{gap.source.label}[/] ({gap.source.code}) -> [bold]{gap.target.label}[/] "
        f"({gap.target.code})"
    )
    t = Table(
        title=f"Skill gap (importance-weighted total {gap.total:.2f}; {gap.shared} skills already met)"
    )
    for c in ("skill", "kind", "now", "needed", "importance", "weighted gap"):
        t.add_column(c, justify="right" if c not in ("skill", "kind") else "left")
    for i in gap.skills[:limit]:
        t.add_row(
            i.label,
            i.kind,
            f"{i.current:.1f}",
            f"{i.required:.1f}" if i.required is not None else i.relation,
            f"{i.importance:.1f}" if i.importance is not None else "",
            f"{i.gap:.2f}",
        )
    console.print(t)
    for n in gap.notes:
        console.print(f"[dim]note: {n}[/]")
    if gap.technologies:
        hot = [i.label + (" (hot)" if i.hot else "") for i in gap.technologies[:12]]
        console.print(
            f"Technologies the target uses that the source does not ({len(gap.technologies)}): "
            + ", ".join(hot)
        )


@app.command("gap")
def gap(
    source: Annotated[str, typer.Option("--from", help="Current role: a title or O*NET-SOC code.")],
    target: Annotated[str, typer.Option("--to", help="Target role: a title or O*NET-SOC code.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (schema in docs/data.md).")
    ] = False,
    top: Annotated[
        int, typer.Option("--top", "-n", min=1, help="How many gap skills to show.")
    ] = 15,
    limit: Annotated[int | None, typer.Option("--limit", min=1, hidden=True)] = None,
    from_code: Annotated[
        str | None,
        typer.Option(
            "--from-code",
            help="Pick the current role by O*NET-SOC code "
            "(one of the candidates of an ambiguous --from).",
        ),
    ] = None,
    target_code: Annotated[
        str | None,
        typer.Option(
            "--target-code",
            "--to-code",
            help="Pick the target role by O*NET-SOC code "
            "(one of the candidates of an ambiguous --to).",
        ),
    ] = None,
) -> None:
    """Show the skill gap between two occupations, weighted by importance."""
    from skillpath.taxonomy import occupation_gap

    tax = load_taxonomy()
    a = resolve_cli_role(tax, source, code=from_code, what="--from", option="--from-code")
    b = resolve_cli_role(tax, target, code=target_code, what="--to", option="--target-code")
    g = occupation_gap(tax, a, b)
    if as_json:
        console.print_json(json.dumps(gap_json(g)))
    else:
        print_gap(g, first_given(top, limit))
