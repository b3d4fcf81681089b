"""CLI commands of the recommend domain: one learner (``recommend``) and organisations (``batch``)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from skillpath.cli._app import app, console, err_console
from skillpath.errors import DataMissingError, InputError

recommend_app = typer.Typer(
    help="Recommend courses: for one learner (--cv, --target) or a whole organisation (batch).",
    no_args_is_help=False,
)
app.add_typer(recommend_app, name="recommend")

_MODELS = ("auto", "pop", "itemknn", "ease", "rp3beta", "als", "bpr", "transition", "hybrid")


@recommend_app.callback(invoke_without_command=True)
def recommend(
    ctx: typer.Context,
    cv: Annotated[
        Path | None, typer.Option("--cv", help="The learner's CV (any format skillpath reads).")
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="The target role (title or code).")
    ] = None,
    n: Annotated[int, typer.Option("-n", "--top", help="How many courses.", min=1)] = 10,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON output (schema in docs/recommend.md).")
    ] = False,
    events: Annotated[
        Path | None,
        typer.Option(
            "--events",
            help="Learning events (CSV/xAPI) for the collaborative and completion signals.",
        ),
    ] = None,
    careers: Annotated[
        Path | None,
        typer.Option("--careers", help="Career events CSV for the success-path signal."),
    ] = None,
    free: Annotated[bool, typer.Option("--free", help="Only free courses.")] = False,
    max_hours: Annotated[
        float | None, typer.Option("--max-hours", help="Longest course, hours.")
    ] = None,
    provider: Annotated[str | None, typer.Option("--provider", help="Only this provider.")] = None,
    language: Annotated[
        str | None, typer.Option("--language", help="Only this language (e.g. en).")
    ] = None,
    diversity: Annotated[
        float, typer.Option("--diversity", min=0.0, max=1.0, help="MMR trade-off.")
    ] = 0.3,
    target_code: Annotated[
        str | None, typer.Option("--target-code", help="Pick the target role by O*NET-SOC code.")
    ] = None,
) -> None:
    """Recommend courses for one learner from a CV and a target role, with reasons."""
    if ctx.invoked_subcommand is not None:
        return
    if cv is None or (target is None and target_code is None):
        raise InputError(
            "give --cv FILE and --target ROLE (or use 'skillpath recommend batch --interactions FILE')"
        )
    from skillpath.recommend import Filters

    svc, learner, occ = _learner_and_target(cv, target or "", target_code=target_code)
    res = svc.recommend(
        learner,
        occ,
        n=n,
        diversity=diversity,
        filters=Filters(free=free, max_hours=max_hours, provider=provider, language=language),
        events=events,
        careers=careers,
        aliases=[target or ""],
    )
    recs = list(res.items)
    if as_json:
        console.print_json(json.dumps(res.to_dict()))
        return
    from rich.table import Table

    table = Table(title=f"Courses towards {res.target_label}", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("course")
    table.add_column("score", justify="right")
    table.add_column("why")
    for i, r in enumerate(recs, start=1):
        table.add_row(
            str(i),
            f"{r.title}\n[dim]{r.course}[/]",
            f"{r.score:.3f}",
            "\n".join(x.text for x in r.reasons),
        )
    console.print(table)
    if res.note:
        err_console.print(res.note, markup=False)


def _learner_and_target(cv: Path, target: str, *, target_code: str | None = None):
    """The service, the learner read from ``cv`` and the target occupation (resolved in the
    family of the learner's current role); says what is missing before loading anything else."""
    from skillpath.cli._app import get_service
    from skillpath.cli._roles import resolve_cli_role

    if not cv.exists():  # before the taxonomy and catalogue load: say it at once
        raise InputError("no such file or folder", file=str(cv))
    svc = get_service()
    svc.require_courses()
    try:
        tax = svc.taxonomy
    except DataMissingError as exc:
        raise DataMissingError(
            "no taxonomy: import it first ('skillpath data import ../shared/data/onet ../shared/data/esco')"
        ) from exc
    learner = svc.learner_from_cv(cv)
    occ = resolve_cli_role(
        tax, target, code=target_code, what="--target",
        family=learner.current.id if learner.current else None,
    )  # fmt: skip
    return svc, learner, occ


@recommend_app.command("batch")
def batch(
    interactions: Annotated[
        Path,
        typer.Option("--interactions", help="Events: .csv, xAPI .json/.jsonl, or .txt sequences."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Output CSV: learner, rank, course, score.")],
    model: Annotated[str, typer.Option("--model", help=f"One of {', '.join(_MODELS)}.")] = "auto",
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="Courses per learner.")] = 10,
) -> None:
    """Top-K courses for every learner in an interaction log (taken courses excluded)."""
    import numpy as np
    from rich.progress import Progress

    from skillpath.recommend import (
        HybridConfig,
        ImportReport,
        build_model,
        choose_model,
        default_configs,
        load_interactions,
        top_k,
    )

    if model not in _MODELS:
        raise InputError(f"unknown model; use one of {', '.join(_MODELS)}", value=model)
    report = ImportReport(str(interactions))
    data = load_interactions(interactions, report=report)
    if report.n_bad:
        err_console.print(report.summary())
        for b in report.bad[:5]:
            err_console.print(f"  row {b.row}: {b.reason}")
    for w in report.warnings:
        err_console.print(f"warning: {w}")
    if model == "auto":
        sel = choose_model(data)
        cfg: Any = sel.config
        err_console.print(f"auto: {sel.reason}", markup=False, highlight=False)
    elif model == "hybrid":
        cfg = HybridConfig()
    else:
        cfg = default_configs()[model]
    err_console.print(f"model: {cfg!r}")
    fitted = build_model(cfg).fit(data)
    matrix = data.matrix
    out.parent.mkdir(parents=True, exist_ok=True)
    with (
        out.open("w", encoding="utf-8", newline="") as fh,
        Progress(console=err_console, transient=True) as prog,
    ):
        task = prog.add_task("recommending", total=data.n_learners)
        writer = csv.writer(fh)
        writer.writerow(["learner", "rank", "course", "score"])
        learners = np.asarray(data.learners, dtype=object)
        courses = np.asarray(data.courses, dtype=object)
        for start in range(0, data.n_learners, 2048):
            users = np.arange(start, min(data.n_learners, start + 2048))
            scores = fitted.score(users)
            raw = scores.copy()
            tops = top_k(scores, top, exclude=matrix[users])
            # one vectorised gather per batch instead of a Python loop per learner and rank
            row, col = np.nonzero(tops >= 0)
            picked = tops[row, col]
            values = raw[row, picked]
            writer.writerows(
                zip(
                    learners[users[row]].tolist(),
                    (col + 1).tolist(),
                    courses[picked].tolist(),
                    [f"{v:.6g}" for v in values.tolist()],
                    strict=True,
                )
            )
            prog.advance(task, len(users))
    err_console.print(f"wrote {out} ({data.n_learners} learners, top {top})")
