"""The replace guard: an import must not silently destroy what the store already holds.

Relation tables are replaced per ``origin`` (the kind of file that produced the rows), so a
header-only ``Skills.xlsx`` would delete every rated requirement, and an ``Occupation Data.txt``
without its Description column would blank every description. Before anything is written, the
import compares what each table would hold afterwards with what it holds now, per origin, and
refuses (exit 2) a batch that would remove most of a table's rows, blank most of a field, or that
lacks a column a table needs, unless the user passes ``--replace``. See
docs/decisions/0090-import-replace-guard.md.

New tables join the guard by being listed in :data:`RELATIONS` (relation tables, replaced per
origin) or :data:`ENTITIES` (upserted by id, with the text fields an import must not blank); the
importer writes exactly the tables listed here, so a table cannot be written unguarded.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.store.models import taxonomy as m
from skillpath.taxonomy._batch import Batch

# A batch may shrink a table's rows of one origin, or blank a field, by at most this fraction.
MAX_LOSS = 0.5

# (model, Batch attribute holding its rows, name in ImportReport.loaded or None). Each model has an
# ``origin`` column; its rows of every origin in ``Batch.origins`` are replaced by the batch's.
RELATIONS: list[tuple[Any, str, str | None]] = [
    (m.Requirement, "requirements", "requirements"),
    (m.Title, "titles", "titles"),
    (m.Task, "tasks", "tasks"),
    (m.Related, "related", "relations"),
    (m.SkillBroader, "broader", "broader"),
    (m.Collection, "collections", None),
    (m.Anchor, "anchors", None),
    (m.OccupationValue, "values", "occupation_values"),
    (m.TaskActivity, "task_activities", "task_activities"),
]

# (model, Batch attribute keyed by id, text fields that a re-import must not blank).
ENTITIES: list[tuple[Any, str, tuple[str, ...]]] = [
    (m.Occupation, "occupations", ("label", "description")),
    (m.Skill, "skills", ("label", "description")),
]


@dataclass(frozen=True)
class Loss:
    """One destructive change a batch would make.

    Attributes:
        files: the files responsible (display names), possibly empty when unknown.
        what: what would change, in words, with the before and after counts.
    """

    files: tuple[str, ...]
    what: str

    def __str__(self) -> str:
        return f"{', '.join(self.files) or 'the import'}: {self.what}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def losses(s: Session, batch: Batch, origin_files: dict[str, list[str]]) -> list[Loss]:
    """Every destructive change ``batch`` would make to the store ``s`` holds now."""
    out: list[Loss] = []
    for file, column in batch.missing_columns:
        out.append(
            Loss(
                (file,),
                f"no {column!r} column, which this table needs "
                "(importing it would leave that field empty for every row)",
            )
        )
    origins = sorted(batch.origins)
    for model, attr, label in RELATIONS:
        if not origins:
            break
        stored: dict[str, int] = dict(
            s.execute(
                select(model.origin, func.count())
                .where(model.origin.in_(origins))
                .group_by(model.origin)
            ).all()
        )
        new = Counter(r.get("origin", "") for r in getattr(batch, attr).values())
        name = label or model.__tablename__
        for origin, before in sorted(stored.items()):
            after = new.get(origin, 0)
            if before and before - after > before * MAX_LOSS:
                hint = " (the file has no data rows)" if after == 0 else ""
                out.append(
                    Loss(
                        tuple(origin_files.get(origin, ())),
                        f"{origin} would go from {before:,} stored {name} to {after:,}{hint}",
                    )
                )
    for model, attr, fields in ENTITIES:
        rows: dict[str, dict] = getattr(batch, attr)
        if not rows:
            continue
        ids = list(rows)
        kept = Counter[str]()
        blanked = Counter[str]()
        for i in range(0, len(ids), 2000):
            cols = [model.id, *(getattr(model, f) for f in fields)]
            for rec in s.execute(select(*cols).where(model.id.in_(ids[i : i + 2000]))):
                for f, old in zip(fields, rec[1:], strict=True):
                    if not old:
                        continue
                    if rows[rec[0]].get(f):
                        kept[f] += 1
                    else:
                        blanked[f] += 1
        for f in fields:
            total = kept[f] + blanked[f]
            if blanked[f] and blanked[f] > total * MAX_LOSS:
                out.append(
                    Loss(
                        (),
                        f"would blank the stored {f} of "
                        f"{_plural(blanked[f], model.__tablename__.removeprefix('tx_'))} "
                        f"(of {total:,} that have one)",
                    )
                )
    return out
