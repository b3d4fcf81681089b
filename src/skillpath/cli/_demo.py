"""CLI: ``skillpath demo``: get the data (import or download), then show a worked example."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from skillpath.cli._app import app, console, get_store


def ensure_taxonomy() -> None:
    """Import the taxonomy from SKILLPATH_DATA (or ../shared/data) or download O*NET, once."""
    from skillpath.config import default_data_dir
    from skillpath.taxonomy import Taxonomy, clear_cache, default_paths, import_paths

    store = get_store()
    if not Taxonomy.load(store).empty:
        return
    data = default_data_dir()
    if data is not None:
        paths = default_paths(data)  # the newest O*NET release there, and ESCO
        if paths:
            console.print(
                f"importing the official O*NET and ESCO files from {data} (first run only)..."
            )
            with console.status("importing...") as st:
                import_paths(store, paths, progress=lambda m: st.update(m))
            clear_cache()
            return
    from skillpath.cli._data import download_release

    console.print(
        "no local data folder (SKILLPATH_DATA); downloading the O*NET database (first run only)"
    )
    path = download_release("onet", None, None)
    import_paths(store, [path])
    clear_cache()


def ensure_catalog() -> None:
    """Import and tag the course catalogues from the data folder once (first run only)."""
    from rich.progress import Progress

    from skillpath.catalog import import_path, tag_catalog
    from skillpath.config import default_data_dir

    store = get_store()
    if _has_courses(store):
        return
    data = default_data_dir()
    if data is None or not (data / "catalogs").is_dir():
        console.print(
            "no course catalogue found (SKILLPATH_DATA/catalogs): import one with "
            "'skillpath catalog import FILE --preset edx|udemy|coursera|generic'"
        )
        return
    console.print(f"importing the course catalogues from {data / 'catalogs'} (first run only)...")
    with console.status("importing courses..."):
        import_path(store, data / "catalogs")
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("tagging courses with skills", total=None)
        tag_catalog(
            store, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )


def _has_courses(store) -> bool:
    from sqlalchemy import func, select

    from skillpath.store.models.catalog import CatCourse

    with store.session() as s:
        return bool(s.scalar(select(func.count()).select_from(CatCourse)))


@app.command("demo")
def demo(
    target: Annotated[str, typer.Option("--target", help="Target role for the example.")] = (
        "computer and information systems manager"
    ),
    cv: Annotated[
        Path | None, typer.Option("--cv", help="Your CV instead of the example's.")
    ] = None,
    hours_per_week: Annotated[
        float, typer.Option("--hours-per-week", help="Study hours per week.")
    ] = 5.0,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the plan as HTML here.")
    ] = None,
) -> None:
    """Set up on first run (import the official data and catalogues), then plan an example career move.

    The example: Lukas, a software developer (examples/cv/developer.resume.json), wants to become
    a Computer and Information Systems Manager.
    """
    from skillpath.catalog import load_catalog
    from skillpath.cli._plan import print_plan
    from skillpath.cli._roles import load_taxonomy
    from skillpath.plan import PlanRequest, learner_from_cv, make_plan, to_html

    ensure_taxonomy()
    ensure_catalog()
    tax = load_taxonomy()
    cv = cv or _example_cv()
    console.print(f"reading {cv} ...")
    learner = learner_from_cv(tax, cv)
    plan = make_plan(
        tax, load_catalog(get_store()), learner, target, PlanRequest(hours_per_week=hours_per_week)
    )
    print_plan(plan, limit=20)
    if out is not None:
        out.write_text(to_html(plan), encoding="utf-8")
        console.print(f"wrote {out}: open it in a browser")
    console.print(
        "next: 'skillpath plan --cv YOUR_CV --target \"ROLE\" --format html --out plan.html'"
    )


def _example_cv() -> Path:
    """The example CV: in the source tree (editable install) or packaged as resource data."""
    from importlib import resources

    here = Path(__file__).resolve().parents[3] / "examples" / "cv" / "developer.resume.json"
    if here.exists():
        return here
    res = resources.files("skillpath").joinpath("_examples/developer.resume.json")
    return Path(str(res))
