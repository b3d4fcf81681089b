"""An import batch: everything parsed from the files, validated, before it touches the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
    # O*NET 29+: job zones, education/training/experience, interests (occupation, element, scale, category)
    values: dict[tuple[str, str, str, int], Row] = field(default_factory=dict)
    categories: dict[tuple[str, str, int], Row] = field(default_factory=dict)
    job_zones: dict[int, Row] = field(default_factory=dict)
    task_activities: dict[tuple[str, str, str], Row] = field(default_factory=dict)
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

    def read(
        self, src: SourceFile, required: tuple[str, ...], expected: tuple[str, ...] = ()
    ) -> Iterator[tuple[int, dict[str, object]]]:
        """Rows of ``src``: ``required`` columns must exist; absent ``expected`` ones are recorded.

        An absent expected column (``Description`` of Occupation Data) would blank that field for
        every stored row, so the import refuses the file unless asked to replace.
        """
        return read_rows(src, required, expected=expected, missing=self.missing_columns)

    # the newest 'Date' (YYYY-MM) seen in the parsed O*NET files: dates an unversioned release
    max_date: str = ""
    # (source, release) -> newest data date of an unnamed release (stored in tx_source.data_date)
    data_dates: dict[tuple[str, str], str] = field(default_factory=dict)

    def merge(self, other: Batch, *, newer: Callable[[Row, Row], bool]) -> None:
        """Add what ``other`` parsed (one file) to this batch.

        Args:
            other: a batch holding one parsed file.
            newer: whether an occupation row of ``other`` should replace the one held here.
        """
        for oid, occ in other.occupations.items():
            old = self.occupations.get(oid)
            if old is None or newer(occ, old):
                self.occupations[oid] = occ
        for row in other.skills.values():
            self.upsert_skill(row)
        for name in (
            "scales",
            "elements",
            "requirements",
            "titles",
            "tasks",
            "related",
            "broader",
            "collections",
            "anchors",
            "values",
            "categories",
            "job_zones",
            "task_activities",
            "derived_text",
        ):
            getattr(self, name).update(getattr(other, name))
        self.orphans.extend(other.orphans)
        self.origins |= other.origins
        for key, files in other.files.items():
            self.files.setdefault(key, []).extend(files)
        self.skipped.extend(other.skipped)
        self.warnings.extend(other.warnings)
        self.pending.extend(other.pending)
        self.max_date = max(self.max_date, other.max_date)
        self.missing_columns.extend(other.missing_columns)

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
