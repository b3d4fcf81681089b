"""Importing learning events (CSV, xAPI JSON / JSON Lines) and career events (CSV).

Readers stream: they yield events one by one and collect bad rows in an :class:`ImportReport`
(row number and reason) instead of stopping at the first. A file-level problem (missing file,
empty file, not UTF-8, required columns absent) raises :class:`~skillpath.errors.InputError`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from skillpath._csv import delimiter_name, read_csv
from skillpath._xapi import Statement, parse_time, read_statements
from skillpath.errors import InputError
from skillpath.recommend._data import Interactions

__all__ = [
    "EVENT_KINDS",
    "BadRow",
    "CareerEvent",
    "ImportReport",
    "LearningEvent",
    "interactions_from_events",
    "load_interactions",
    "read_career_csv",
    "read_events",
    "read_events_csv",
    "read_xapi",
]

#: Event kinds we understand, from weakest to strongest signal.
EVENT_KINDS = ("viewed", "enrolled", "attempted", "rated", "completed", "passed", "failed")

_ALIASES: dict[str, tuple[str, ...]] = {
    "learner": ("learner", "learner_id", "user", "user_id", "student", "student_id", "actor"),
    "course": ("course", "course_id", "item", "item_id", "activity", "activity_id", "resource"),
    "time": ("time", "timestamp", "date", "datetime", "when", "created_at"),
    "event": ("event", "verb", "action", "status", "kind"),
    "score": ("score", "rating", "grade", "result"),
}
_CAREER_ALIASES: dict[str, tuple[str, ...]] = {
    "learner": _ALIASES["learner"],
    "occupation": ("occupation", "occupation_id", "title", "role", "job_title", "code", "onet"),
    "start": ("start", "start_date", "from", "began"),
    "end": ("end", "end_date", "to", "until"),
}
_XAPI_VERBS = {
    "completed": "completed",
    "passed": "passed",
    "failed": "failed",
    "attempted": "attempted",
    "launched": "viewed",
    "initialized": "viewed",
    "experienced": "viewed",
    "progressed": "attempted",
    "registered": "enrolled",
    "enrolled": "enrolled",
    "rated": "rated",
    "scored": "attempted",
    "answered": "attempted",
}


@dataclass(frozen=True)
class LearningEvent:
    """One learner-course event. ``time`` is timezone-aware (UTC when the source has no zone)."""

    learner: str
    course: str
    time: dt.datetime | None = None
    event: str = "enrolled"
    score: float | None = None


@dataclass(frozen=True)
class CareerEvent:
    """A learner holding an occupation (title or code) from ``start`` to ``end`` (None: ongoing)."""

    learner: str
    occupation: str
    start: dt.date
    end: dt.date | None = None


@dataclass(frozen=True)
class BadRow:
    """A row that was skipped, with the reason."""

    row: int
    reason: str


@dataclass
class ImportReport:
    """Counts and the bad rows of one import (mutable while the reader streams)."""

    file: str
    rows: int = 0
    accepted: int = 0
    bad: list[BadRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    max_bad_kept: int = 1000

    def reject(self, row: int, reason: str) -> None:
        """Record a skipped row (only the first ``max_bad_kept`` are kept; all are counted)."""
        if len(self.bad) < self.max_bad_kept:
            self.bad.append(BadRow(row, reason))
        self._n_bad = getattr(self, "_n_bad", 0) + 1

    @property
    def n_bad(self) -> int:
        """Number of skipped rows."""
        return getattr(self, "_n_bad", 0)

    def summary(self) -> str:
        """One line for humans."""
        s = f"{self.file}: {self.accepted} of {self.rows} rows imported, {self.n_bad} skipped"
        if self.bad:
            first = self.bad[0]
            s += f" (first: row {first.row}: {first.reason})"
        return s


def _open_text(path: Path) -> io.TextIOWrapper:
    if not path.is_file():
        raise InputError("file not found", file=path)
    return path.open(encoding="utf-8-sig", newline="")


def _map_columns(
    header: list[str], aliases: Mapping[str, tuple[str, ...]], required: tuple[str, ...], path: Path
) -> tuple[dict[str, int], list[str]]:
    norm = [h.strip().lower().replace(" ", "_").replace("-", "_") for h in header]
    found: dict[str, int] = {}
    for name, names in aliases.items():
        for i, h in enumerate(norm):
            if h in names and name not in found:
                found[name] = i
    missing = [r for r in required if r not in found]
    unknown = [header[i] for i in range(len(header)) if i not in found.values()]
    if missing:
        raise InputError(
            f"missing required column(s) {', '.join(missing)}; found {header}; "
            f"expected columns {', '.join(aliases)} (aliases: "
            + "; ".join(f"{k}: {'/'.join(v[:4])}" for k, v in aliases.items() if k in missing)
            + ")",
            file=path,
            row=1,
        )
    return found, unknown


def _rows(path: Path, report: ImportReport) -> Iterator[tuple[int, list[str]]]:
    """The header as row 1, then the rows: the shared reader sniffs comma, tab, semicolon."""
    if not path.is_file():
        raise InputError("file not found", file=path)
    prefer = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        table = read_csv(path, prefer=prefer)
    except InputError as exc:
        if exc.message == "the file is empty":
            return  # the caller says what the header should be
        raise
    if table.delimiter != prefer:
        report.warnings.append(f"read as {delimiter_name(table.delimiter)}-separated (sniffed)")
    yield 1, table.header
    yield from table.rows


def read_events_csv(
    path: str | Path, report: ImportReport | None = None
) -> Iterator[LearningEvent]:
    """Stream learning events from a CSV with columns ``learner, course[, time, event, score]``.

    Column names are matched case-insensitively with common aliases (user_id, item, timestamp...);
    unrecognised extra columns are ignored and listed in ``report.warnings``.

    Raises:
        InputError: file missing, empty, not UTF-8, or the learner/course columns absent.
    """
    p = Path(path)
    rep = report if report is not None else ImportReport(str(p))
    rows = _rows(p, rep)
    first = next(rows, None)
    if first is None:
        raise InputError(
            "empty file: expected a header row learner,course[,time,event,score]", file=p
        )
    cols, unknown = _map_columns(first[1], _ALIASES, ("learner", "course"), p)
    if unknown:
        rep.warnings.append(f"ignored column(s): {', '.join(unknown)}")
    width = max(cols.values()) + 1
    for n, row in rows:
        if not row or all(not c.strip() for c in row):
            continue
        rep.rows += 1
        if len(row) < width:
            rep.reject(n, f"expected at least {width} fields, got {len(row)}")
            continue
        learner = row[cols["learner"]].strip()
        course = row[cols["course"]].strip()
        if not learner or not course:
            rep.reject(n, "empty learner or course")
            continue
        time = None
        if "time" in cols and row[cols["time"]].strip():
            try:
                time = parse_time(row[cols["time"]])
            except ValueError as exc:
                rep.reject(n, str(exc))
                continue
        event = "enrolled"
        if "event" in cols and row[cols["event"]].strip():
            event = row[cols["event"]].strip().lower()
            if event not in EVENT_KINDS:
                rep.reject(n, f"unknown event {event!r}; use one of {', '.join(EVENT_KINDS)}")
                continue
        score = None
        if "score" in cols and row[cols["score"]].strip():
            try:
                score = float(row[cols["score"]])
            except ValueError:
                rep.reject(n, f"score is not a number: {row[cols['score']]!r}")
                continue
        rep.accepted += 1
        yield LearningEvent(learner, course, time, event, score)
    if rep.rows == 0:
        raise InputError("no events: the file has a header but no rows", file=p)


def _verb(st: Statement) -> str | None:
    if st.verb in _XAPI_VERBS:
        return _XAPI_VERBS[st.verb]
    display = st.raw["verb"].get("display")
    if isinstance(display, dict):
        for text in display.values():
            t = str(text).strip().lower()
            if t in _XAPI_VERBS:
                return _XAPI_VERBS[t]
    return None


def _statement_event(
    st: Statement, course_of: Callable[[str], str | None]
) -> tuple[LearningEvent | None, str]:
    verb = _verb(st)
    if verb is None:
        return None, f"verb {st.verb_id!r} is not one we map ({', '.join(sorted(_XAPI_VERBS))})"
    if st.object_type != "Activity" or not st.object_id:
        return None, f"the object is a {st.object_type}, not an activity"
    course = course_of(st.object_id)
    if course is None:
        return None, f"activity {st.object_id!r} maps to no course"
    score = None
    result = st.raw.get("result")
    if isinstance(result, dict) and isinstance(result.get("score"), dict):
        sc = result["score"]
        raw = sc.get("scaled", sc.get("raw"))
        if isinstance(raw, int | float):
            score = float(raw)
    return LearningEvent(st.learner, course, st.time, verb, score), ""


def read_xapi(
    path: str | Path,
    *,
    course_map: Mapping[str, str] | Callable[[str], str | None] | None = None,
    report: ImportReport | None = None,
) -> Iterator[LearningEvent]:
    """Learning events from xAPI statements (a JSON array, ``{"statements": [...]}``, or JSON
    Lines), read and validated by the shared xAPI reader (:mod:`skillpath._xapi`, decision 0083):
    malformed statements, voiding statements and the statements they void are skipped with reasons.

    Args:
        path: the file.
        course_map: activity id -> course id, as a mapping (an activity also matches a mapped
            prefix, so ``https://lms/course/42`` covers its modules) or a function returning None
            for activities to skip. Default: the activity id is the course id.
        report: collects the statements that were skipped, with reasons.
    """
    p = Path(path)
    rep = report if report is not None else ImportReport(str(p))
    course_of = _course_lookup(course_map)
    got = read_statements(p)
    rep.rows += got.rows
    for row, why in got.rejected:
        rep.reject(row, why)
    for row, target in got.voiding:
        rep.reject(
            row, f"a voiding statement (it removes statement {target}), not a learning event"
        )
    for row, sid in got.voided:
        rep.reject(row, f"statement {sid} was voided by a later voiding statement")
    rep.warnings.extend(got.notes)
    for st in got.statements:
        ev, why = _statement_event(st, course_of)
        if ev is None:
            rep.reject(st.row, why)
        else:
            rep.accepted += 1
            yield ev


def _course_lookup(
    course_map: Mapping[str, str] | Callable[[str], str | None] | None,
) -> Callable[[str], str | None]:
    if course_map is None:
        return lambda a: a
    if callable(course_map) and not isinstance(course_map, Mapping):
        return course_map
    mapping = dict(course_map)
    prefixes = sorted(mapping, key=len, reverse=True)

    def lookup(activity: str) -> str | None:
        if activity in mapping:
            return mapping[activity]
        for pre in prefixes:
            if activity.startswith(pre.rstrip("/") + "/"):
                return mapping[pre]
        return None

    return lookup


def read_events(
    path: str | Path,
    *,
    course_map: Mapping[str, str] | None = None,
    report: ImportReport | None = None,
) -> Iterator[LearningEvent]:
    """Learning events from CSV or xAPI, chosen by extension (.csv / .json / .jsonl / .ndjson)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".json", ".jsonl", ".ndjson"):
        return read_xapi(p, course_map=course_map, report=report)
    if suffix in (".csv", ".txt", ".tsv", ""):
        return read_events_csv(p, report=report)
    raise InputError(f"unsupported file type {suffix!r}; use .csv, .json or .jsonl", file=p)


def interactions_from_events(events: Iterable[LearningEvent]) -> Interactions:
    """Group events into ordered learner histories (by time when given, else arrival order).

    ``failed`` events and ``viewed`` events still count as contact with the course: the models
    learn what learners take, not what they pass. Repeats keep the earliest contact.
    """
    firsts: dict[str, dict[str, tuple[float, int]]] = {}
    for n, ev in enumerate(events):
        key = ev.time.timestamp() if ev.time is not None else float("inf")
        per = firsts.setdefault(ev.learner, {})
        old = per.get(ev.course)
        if old is None or (key, n) < old:
            per[ev.course] = (key, n)
    if not firsts:
        raise InputError("no learning events to build histories from")
    seqs = (
        (learner, [c for c, _ in sorted(per.items(), key=lambda kv: kv[1])])
        for learner, per in firsts.items()
    )
    return Interactions.from_sequences(seqs)


def read_career_csv(path: str | Path, report: ImportReport | None = None) -> Iterator[CareerEvent]:
    """Stream career events from a CSV ``learner, occupation (title or code), start[, end]``.

    Dates are ISO (``2021-05`` or ``2021-05-01``; a year alone means 1 January).
    """
    p = Path(path)
    rep = report if report is not None else ImportReport(str(p))
    rows = _rows(p, rep)
    first = next(rows, None)
    if first is None:
        raise InputError("empty file: expected a header row learner,occupation,start[,end]", file=p)
    cols, unknown = _map_columns(first[1], _CAREER_ALIASES, ("learner", "occupation", "start"), p)
    if unknown:
        rep.warnings.append(f"ignored column(s): {', '.join(unknown)}")
    width = max(cols.values()) + 1
    for n, row in rows:
        if not row or all(not c.strip() for c in row):
            continue
        rep.rows += 1
        if len(row) < width:
            rep.reject(n, f"expected at least {width} fields, got {len(row)}")
            continue
        learner, occ = row[cols["learner"]].strip(), row[cols["occupation"]].strip()
        if not learner or not occ:
            rep.reject(n, "empty learner or occupation")
            continue
        try:
            start = _parse_date(row[cols["start"]])
            end_raw = row[cols["end"]].strip() if "end" in cols else ""
            end = _parse_date(end_raw) if end_raw else None
        except ValueError as exc:
            rep.reject(n, str(exc))
            continue
        if end is not None and end < start:
            rep.reject(n, f"end {end} before start {start}")
            continue
        rep.accepted += 1
        yield CareerEvent(learner, occ, start, end)
    if rep.rows == 0:
        raise InputError("no career events: the file has a header but no rows", file=p)


def _parse_date(value: str) -> dt.date:
    v = value.strip()
    try:
        if len(v) == 4 and v.isdigit():
            return dt.date(int(v), 1, 1)
        if len(v) == 7:
            return dt.date.fromisoformat(v + "-01")
        return dt.date.fromisoformat(v[:10])
    except ValueError as exc:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from exc


def load_interactions(
    path: str | Path,
    *,
    course_map: Mapping[str, str] | None = None,
    report: ImportReport | None = None,
) -> Interactions:
    """Histories from a file: ``.csv`` events, ``.json``/``.jsonl`` xAPI, or ``.txt`` sequences
    (``learner course course ...`` per line, the MOOCCubeX format)."""
    from skillpath.recommend._data import read_sequences

    p = Path(path)
    if p.suffix.lower() == ".txt":
        return read_sequences(p)
    rep = report if report is not None else ImportReport(str(p))
    try:
        return interactions_from_events(read_events(p, course_map=course_map, report=rep))
    except InputError as exc:
        if exc.file is not None:
            raise
        # nothing usable: name the file and say why its rows were skipped
        reasons = Counter(b.reason for b in rep.bad).most_common(3)
        why = "; ".join(f"{n} x {r}" for r, n in reasons)
        raise InputError(
            f"no learning events to build histories from: {rep.rows} row(s) read, "
            f"{rep.n_bad} skipped" + (f" ({why})" if why else ""),
            file=p,
        ) from exc
