"""An import batch: everything parsed from the files, validated, before it touches the store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from skillpath.taxonomy._tables import SourceFile, read_rows

Row = dict[str, Any]


@dataclass
class Batch:
    """Rows parsed from release files, keyed for upsert/replace.

    Entity tables (occupations, skills, scales, content elements) are upserted by id. Relation
    tables are replaced per ``origin`` (the kind of file that produced them, e.g. ``onet/skills``):
    re-importing a file replaces exactly what that kind of file produced, so imports are idempotent
    and importing one file never wipes what another file brought.
    """

    occupations: dict[str, Row] = field(default_factory=dict)
    skills: dict[str, Row] = field(default_factory=dict)
    scales: dict[str, Row] = field(default_factory=dict)
    elements: dict[str, Row] = field(default_factory=dict)
    requirements: dict[tuple[str, str], Row] = field(default_factory=dict)
    titles: dict[tuple[str, str, str], Row] = field(default_factory=dict)
    tasks: dict[str, Row] = field(default_factory=dict)
    related: dict[tuple[str, str, str], Row] = field(default_factory=dict)
    broader: dict[tuple[str, str], Row] = field(default_factory=dict)
    collections: dict[tuple[str, str], Row] = field(default_factory=dict)
    anchors: dict[tuple[str, str, float], Row] = field(default_factory=dict)
    orphans: list[Row] = field(default_factory=list)
    origins: set[str] = field(default_factory=set)
    # (source, release) -> file display names
    files: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # ESCO v1.2 derived text per skill URI (label + alt labels + description), to check alt labels
    derived_text: dict[str, str] = field(default_factory=dict)
    # deferred rows that need the full occupation/skill sets to check for orphans
    pending: list[tuple[str, Row]] = field(default_factory=list)
    # (file, column) for columns a table needs that a file lacks; the import guard refuses them
    missing_columns: list[tuple[str, str]] = field(default_factory=list)

    def read(self, src: SourceFile, required: tuple[str, ...], expected: tuple[str, ...] = ()
             ) -> Iterator[tuple[int, dict[str, object]]]:
        """Rows of ``src``: ``required`` columns must exist; absent ``expected`` ones are recorded.

        An absent expected column (``Description`` of Occupation Data) would blank that field for
        every stored row, so the import refuses the file unless asked to replace.
        """
        return read_rows(src, required, expected=expected, missing=self.missing_columns)

    def upsert_skill(self, row: Row) -> None:
        """Merge a skill row: later non-empty fields fill earlier empty ones."""
        old = self.skills.get(row["id"])
        if old is None:
            self.skills[row["id"]] = row
            return
        for k, v in row.items():
            if k == "alt_labels":
                merged = list(dict.fromkeys([*old.get("alt_labels", []), *v]))
                old["alt_labels"] = merged
            elif k == "hot":
                old["hot"] = bool(old.get("hot")) or bool(v)
            elif v not in (None, "", []) and old.get(k) in (None, "", []):
                old[k] = v
