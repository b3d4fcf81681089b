"""CLI: ``skillpath skills link "TEXT"`` and ``skillpath skills link --input FILE``.

JSON schemas are in docs/text.md.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.table import Table

from skillpath.cli._app import app, console, get_store
from skillpath.errors import InputError

skills_app = typer.Typer(help="Link text to skills of the imported taxonomy.", no_args_is_help=True)
app.add_typer(skills_app, name="skills")

_BATCH = 256


def _hit_json(hit: Any) -> dict[str, Any]:
    return {"uri": hit.id, "label": hit.label, "score": round(hit.score, 4)}


def _linker(engine: str) -> Any:
    from skillpath.taxonomy import Taxonomy
    from skillpath.text import skill_linker

    return skill_linker(Taxonomy.load(get_store()), engine=engine)


def _batches(stream: TextIO) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in stream:
        batch.append(line.rstrip("\r\n"))
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


@skills_app.command("link")
def link(
    text: Annotated[str | None, typer.Argument(help="The text to link.")] = None,
    input: Annotated[
        Path | None,
        typer.Option("--input", "-i", help="A file with one text per line ('-' for stdin)."),
    ] = None,
    top: Annotated[int, typer.Option("--top", "-n", "-k", help="How many skills per text.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (see docs/text.md).")] = False,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine", help="lexical, semantic or hybrid (default: the best installed, hybrid)."
        ),
    ] = None,
) -> None:
    """Rank the skills a text names; with --input, one JSON line out per input line."""
    if (text is None) == (input is None):
        raise InputError("give either a TEXT argument or --input FILE, not both or neither")
    from skillpath.text import ENGINES, default_engine

    engine = engine or default_engine()
    if engine not in ENGINES:
        raise InputError(f"unknown engine; choose one of {', '.join(ENGINES)}", value=engine)
    if top < 1:
        raise InputError("--top must be at least 1", value=top)
    if input is not None:
        if str(input) != "-" and not input.is_file():
            raise InputError("input file not found", file=input)
        linker = _linker(engine)
        if str(input) == "-":
            _stream(linker, sys.stdin, top)
        else:
            try:
                with input.open(encoding="utf-8") as fh:
                    _stream(linker, fh, top)
            except UnicodeDecodeError as exc:
                raise InputError("input is not UTF-8 text", file=input) from exc
        return
    assert text is not None
    hits = _linker(engine).link(text, top_k=top)
    if as_json:
        sys.stdout.write(json.dumps([_hit_json(h) for h in hits], ensure_ascii=False) + "\n")
        return
    if not hits:
        console.print("No skill found in this text.")
        return
    table = Table(title=f"Skills in: {text[:60]}{'...' if len(text) > 60 else ''}")
    table.add_column("#", justify="right")
    table.add_column("skill")
    table.add_column("score", justify="right")
    table.add_column("matched")
    table.add_column("uri", overflow="fold")
    for rank, h in enumerate(hits, 1):
        table.add_row(str(rank), h.label, f"{h.score:.2f}", h.matched, h.id)
    console.print(table)


def _stream(linker: Any, stream: TextIO, top: int) -> None:
    out = sys.stdout
    for batch in _batches(stream):
        results = linker.link_many([t if t.strip() else "" for t in batch], top_k=top)
        for text, hits in zip(batch, results, strict=True):
            skills = [_hit_json(h) for h in hits] if text.strip() else []
            out.write(json.dumps({"text": text, "skills": skills}, ensure_ascii=False) + "\n")
        out.flush()
