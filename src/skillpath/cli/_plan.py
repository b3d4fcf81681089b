"""CLI: ``skillpath plan`` (the development plan) and ``skillpath paths`` (next roles)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from skillpath.cli._app import app, console, first_given, get_service
from skillpath.errors import InputError


def _learner(svc, cv: Path | None, role: str | None, role_code: str | None = None):
    """Where the learner stands: read from ``--cv``, or the levels of the ``--from`` role."""
    from skillpath.cli._roles import resolve_cli_role

    if cv is not None and (role is not None or role_code is not None):
        raise InputError("give either --cv or --from, not both")
    if cv is not None:
        return svc.learner_from_cv(cv)
    if role is not None or role_code is not None:
        occ = resolve_cli_role(
            svc.taxonomy, role or "", code=role_code, what="--from", option="--from-code"
        )
        return svc.learner_from_role(occ.id)
    raise InputError("say where you stand: --cv FILE (your CV) or --from ROLE (your current role)")


def print_plan(plan, limit: int | None = None) -> None:
    """A readable terminal view of a plan.

    Every item and milestone is shown unless ``limit`` caps the items, in which case the view says
    how many more there are. Text from the data (titles, providers, labels) is escaped so that
    ``[udemy]`` is printed, not taken as console markup.
    """
    s = plan.solver
    console.print(
        f"[bold]{escape(str(plan.learner))} -> {escape(plan.gap.target_label)}[/] "
        f"({escape(str(plan.gap.target_code))})"
    )
    console.print(
        f"{len(plan.items)} items, [bold]{plan.total_hours:g} h[/], {plan.total_cost:,.2f} in fees, "
        f"{plan.weeks} weeks at {plan.request.hours_per_week:g} h/week from {plan.start.isoformat()}; "
        f"solver: {s.status} ({s.mode}, {s.objective} = {s.objective_value:g}, gap {s.mip_gap:.2%}, "
        f"{s.seconds * 1000:.0f} ms, {s.candidates} candidate courses)"
    )
    for n in plan.gap.notes:
        console.print(f"[dim]note: {escape(n)}[/]")
    if not plan.gap.skills:
        console.print(
            f"[green]Nothing to close:[/] you already meet every requirement of {escape(plan.gap.target_label)} "
            "that this data rates. Try 'skillpath paths' for a next role."
        )
        return
    t = Table(title="Skill gap (priority order)")
    for c in ("skill", "now", "needed", "importance", "priority"):
        t.add_column(c, justify="left" if c == "skill" else "right")
    for g in plan.gap.skills:
        t.add_row(
            escape(g.label) + (" (hot tech)" if g.hot else ""),
            f"{g.current:.1f} ± {g.sd:.1f}",
            f"{g.required:.1f}",
            f"{g.importance:.1f}" if g.importance is not None else g.relation,
            f"{g.priority:.2f}",
        )
    console.print(t)
    from skillpath.plan import items_in_order

    finish = plan.extra.get("finish_week", {})
    first: dict[str, int] = {}
    for b in plan.blocks:
        first.setdefault(b.item_id, b.week)
    t2 = Table(title="Plan (week by week)")
    for c in ("weeks", "stage", "item", "hours", "covers", "feedback"):
        t2.add_column(c)
    ordered = items_in_order(plan)
    shown = ordered if limit is None else ordered[:limit]
    for it in shown:
        wk = (
            f"{first.get(it.id, 0) + 1}-{finish.get(it.id, 0) + 1}"
            if finish.get(it.id, 0) != first.get(it.id, 0)
            else f"{first.get(it.id, 0) + 1}"
        )
        covers = ", ".join(f"{c.label} +{c.gain:.1f}" for c in it.covers)
        fb = it.checkpoint.reviewer if it.checkpoint else ""
        title = it.title if it.kind == "task" else f"{it.title} [{it.provider}]"
        t2.add_row(wk, it.stage, escape(title), f"{it.hours:g}", escape(covers), escape(fb))
    console.print(t2)
    if len(shown) < len(ordered):
        console.print(
            f"{len(ordered) - len(shown)} more items, see 'skillpath plan ... --format md' for all"
        )
    if plan.milestones:
        console.print("Milestones:")
        for w, m in plan.milestones:
            console.print(f"  week {w + 1}: {escape(m)}")
    deferred = [label for _sid, label, why in plan.uncovered if why.startswith("lower priority")]
    for _sid, label, why in plan.uncovered:
        if not why.startswith("lower priority"):
            console.print(f"[yellow]not covered[/] {escape(label)}: {escape(why)}")
    if deferred:
        console.print(
            f"[dim]deferred to your next plan (raise --focus): {escape(', '.join(deferred))}[/]"
        )
    for w in plan.warnings:
        console.print(f"[yellow]note[/] {escape(w)}")


@app.command("plan")
def plan_cmd(
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            help="Target role (title, O*NET-SOC code or a phrase "
            "such as 'something in cybersecurity'), or 'current'.",
        ),
    ] = None,
    cv: Annotated[
        Path | None,
        typer.Option("--cv", help="Your CV: JSON Resume, LinkedIn export, PDF, DOCX, text."),
    ] = None,
    role: Annotated[
        str | None, typer.Option("--from", help="Your current role, instead of a CV.")
    ] = None,
    target_code: Annotated[
        str | None,
        typer.Option(
            "--target-code",
            help="Pick the target by O*NET-SOC code "
            "(e.g. one of the candidates of an ambiguous --target).",
        ),
    ] = None,
    role_code: Annotated[
        str | None, typer.Option("--from-code", help="Your current role by O*NET-SOC code.")
    ] = None,
    hours_per_week: Annotated[
        float, typer.Option("--hours-per-week", help="Study hours per week.")
    ] = 5.0,
    weeks: Annotated[
        int | None,
        typer.Option("--weeks", help="Deadline in weeks (hours budget = weeks x hours/week)."),
    ] = None,
    budget: Annotated[
        float | None, typer.Option("--budget", help="Money cap for course fees.")
    ] = None,
    free: Annotated[bool, typer.Option("--free", help="Only free courses.")] = False,
    free_only: Annotated[bool, typer.Option("--free-only", hidden=True)] = False,
    provider: Annotated[
        list[str] | None, typer.Option("--provider", help="Only these providers (repeatable).")
    ] = None,
    language: Annotated[
        list[str] | None, typer.Option("--language", help="Only these languages (repeatable).")
    ] = None,
    max_hours: Annotated[
        float | None, typer.Option("--max-hours", min=0, help="Longest course you accept, hours.")
    ] = None,
    max_item_hours: Annotated[float | None, typer.Option("--max-item-hours", hidden=True)] = None,
    objective: Annotated[
        str,
        typer.Option(
            "--objective",
            help="value (relevance x gain x quality per hour and money; fewer, better courses), or minimise hours, cost or mix.",
        ),
    ] = "value",
    focus: Annotated[
        int, typer.Option("--focus", help="Plan for this many top-priority gap skills.")
    ] = 12,
    start: Annotated[
        str | None, typer.Option("--start", help="Start date YYYY-MM-DD (default: next Monday).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, md, html, json or ics.")] = "text",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of the terminal.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the plan as JSON (same as --format json).")
    ] = False,
) -> None:
    """Build your development plan: the optimal courses and practice for your gap, week by week."""
    from skillpath.plan import PlanRequest, to_html, to_ics, to_json, to_markdown, to_text

    if as_json:
        fmt = "json"
    if fmt not in ("text", "md", "html", "json", "ics"):
        raise InputError(
            "unknown format: choose text, md, html, json or ics", column="--format", value=fmt
        )
    try:
        start_date = dt.date.fromisoformat(start) if start else None
    except ValueError as exc:
        raise InputError("not a date (YYYY-MM-DD)", column="--start", value=start) from exc
    if cv is not None and not cv.exists():  # before the taxonomy loads: say it at once
        raise InputError("no such file or folder", file=str(cv))
    if not target and not target_code:  # before the CV is read: a usage error is said at once
        raise InputError(
            "give the target role: --target TITLE (or 'current'), or --target-code CODE"
        )
    svc = get_service()
    tax = svc.taxonomy  # (says when no taxonomy is imported)
    learner = _learner(svc, cv, role, role_code)
    if target_code or (target or "").strip().lower() != "current":
        from skillpath.cli._roles import resolve_cli_role

        occ = resolve_cli_role(
            tax,
            target or "",
            code=target_code,
            what="--target",
            family=learner.current.id if learner.current else None,
        )
        target = occ.id
    assert target is not None
    req = PlanRequest(
        hours_per_week=hours_per_week,
        weeks=weeks,
        budget=budget,
        free_only=free or free_only,
        providers=tuple(provider or ()),
        languages=tuple(language or ()),
        max_item_hours=first_given(max_hours, max_item_hours),
        objective=objective,
        start=start_date,
        focus=focus,
    )
    plan = svc.plan(learner, target, req)
    if fmt == "text" and out is None:
        print_plan(plan)
        return
    render = {"text": to_text, "md": to_markdown, "html": to_html, "json": to_json, "ics": to_ics}[
        fmt
    ]
    body = render(plan)
    if out is None:
        console.print(body, markup=False, highlight=False, soft_wrap=True)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(body, encoding="utf-8")
        console.print(
            f"wrote {out} ({plan.total_hours:g} h over {plan.weeks} weeks, solver {plan.solver.status})"
        )


@app.command("paths")
def paths_cmd(
    role: Annotated[
        str | None, typer.Option("--from", help="Your current role (title or code).")
    ] = None,
    cv: Annotated[Path | None, typer.Option("--cv", help="Your CV, instead of --from.")] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, max=50, help="How many roles.")] = 10,
    n: Annotated[int | None, typer.Option("--n", min=1, max=50, hidden=True)] = None,
    hours_per_week: Annotated[
        float, typer.Option("--hours-per-week", help="Study hours per week, for the plan cost.")
    ] = 5.0,
    free: Annotated[
        bool, typer.Option("--free", help="Cost plans with free courses only.")
    ] = False,
    max_hours: Annotated[
        float | None, typer.Option("--max-hours", min=0, help="Longest course you accept, hours.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    role_code: Annotated[
        str | None, typer.Option("--from-code", help="Your current role by O*NET-SOC code.")
    ] = None,
) -> None:
    """Suggest next roles ranked by feasibility, with what each would take."""
    from skillpath.plan import PlanRequest

    if cv is not None and not cv.exists():  # before the taxonomy loads: say it at once
        raise InputError("no such file or folder", file=str(cv))
    svc = get_service()
    _ = svc.taxonomy  # (says when no taxonomy is imported)
    learner = _learner(svc, cv, role, role_code)
    rows = svc.next_roles(
        learner,
        n=first_given(top, n),
        request=PlanRequest(
            hours_per_week=hours_per_week, free_only=free, max_item_hours=max_hours
        ),
    )
    if as_json:
        console.print_json(
            json.dumps(
                [
                    {
                        "id": r.occupation.id,
                        "code": r.occupation.code,
                        "label": r.occupation.label,
                        "score": r.score,
                        "distance": r.distance,
                        "hours": r.hours,
                        "cost": r.cost,
                        "similarity": r.similarity,
                        "career_changer_rank": r.changer_rank,
                        "top_gaps": list(r.top_gaps),
                        "uncovered": r.uncovered,
                        "job_zone": r.job_zone,
                        "job_zone_step": r.job_zone_step,
                        "education": r.education,
                        "route_years": r.route_years,
                        "step_up": r.step_up,
                        "reasons": list(r.reasons),
                    }
                    for r in rows
                ]
            )
        )
        return
    t = Table(title=f"Next roles from {learner.current.label}")
    for c in (
        "#",
        "role",
        "feasibility",
        "skill distance",
        "plan hours",
        "fees",
        "formal route",
        "biggest gaps",
    ):
        t.add_column(c)
    for i, r in enumerate(rows, 1):
        route = (
            f"{r.education}, ~{r.route_years:g} y"
            if r.route_years
            else (f"Job Zone {r.job_zone} (+{r.job_zone_step})" if r.job_zone_step else "-")
        )
        t.add_row(
            str(i),
            escape(f"{r.occupation.label} ({r.occupation.code})"),
            f"{r.score:.2f}",
            f"{r.distance:.2f}",
            "-" if r.hours is None else f"{r.hours:g}",
            "-" if r.cost is None else f"{r.cost:,.0f}",
            escape(route),
            ", ".join(r.top_gaps),
        )
    console.print(t)
