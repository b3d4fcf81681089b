"""Validated, atomic, idempotent course imports with a rejected-rows report.

Flow (docs/decisions/0030-catalog-import.md, 0035-folder-import-and-merge.md): read every row of
every file and validate it into a course record or a :class:`RejectedRow`; refuse the whole
import when a file is unreadable or the mapping names a missing column; then write all accepted
rows of all files in one transaction, updating courses in place by ``provider:native_id``. A field
the file does not map keeps its stored value. Rows are never deleted by an import.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.catalog._effort import (
    PriceError,
    duration_problem,
    effort_problem,
    is_self_paced,
    parse_duration,
    parse_price,
)
from skillpath.catalog._level import derive_level
from skillpath.catalog._model import ImportReport, RejectedRow
from skillpath.catalog._quality import RatingStats, read_ratings
from skillpath.catalog._sources import (
    PRESETS,
    Mapping,
    Row,
    cell,
    load_mapping,
    read_rows,
    split_skills,
)
from skillpath.errors import InputError
from skillpath.links import url_problem
from skillpath.store import Store
from skillpath.store.models.catalog import CatCourse, CatImport, CatRating

#: Hours assumed for a course whose provider states no duration (decision 0031).
PROVIDER_DEFAULT_HOURS: dict[str, tuple[float, float, float]] = {
    "coursera": (8.0, 16.0, 40.0),
    "edx": (10.0, 24.0, 60.0),
    "udemy": (2.0, 6.0, 15.0),
}
GENERIC_DEFAULT_HOURS = (5.0, 15.0, 40.0)

#: Stored course columns filled from each mapping field. A column whose fields are all absent
#: from a row (not mapped, or not in the file) keeps its stored value on re-import.
_FROM_FIELDS: dict[str, tuple[str, ...]] = {
    "summary": ("summary",),
    "description": ("description",),
    "syllabus": ("syllabus",),
    "subject": ("subject",),
    "institution": ("institution",),
    "instructors": ("instructors",),
    "url": ("url",),
    "url_key": ("url",),
    "language": ("language",),
    "level_label": ("level",),
    "price": ("price", "is_paid"),
    "currency": ("price", "is_paid"),
    "is_free": ("price", "is_paid"),
    "certificate_price": ("price", "is_paid"),
    "stated_rating": ("rating",),
    "stated_rating_count": ("rating_count",),
    "popularity": ("enrolled",),
    "published": ("published",),
    "prerequisites_text": ("prerequisites",),
    "provider_skills": ("skills",),
    **{
        k: ("effort", "length", "duration")
        for k in (
            "duration_text",
            "hours",
            "hours_low",
            "hours_high",
            "hours_pattern",
            "hours_estimated",
        )
    },
}
#: Stored columns the derived level and Bloom stage are read from (besides the title).
_LEVEL_INPUTS = frozenset({"summary", "description", "syllabus", "level_label"})
#: Counts above this are not real (and overflow a 32-bit integer column).
MAX_COUNT = 2_000_000_000
#: File types a folder import reads as catalogues (others are skipped with a note).
CATALOGUE_SUFFIXES = frozenset(
    {".csv", ".tsv", ".txt", ".json", ".jsonl", ".ndjson", ".xlsx", ".xlsm"}
)


def slug(text: str) -> str:
    """A lowercase ASCII slug (``Intro to SQL!`` -> ``intro-to-sql``)."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-")[:200]


def url_key(url: str) -> str:
    """A canonical form of a URL for de-duplication (host without www, path, no query)."""
    if not url:
        return ""
    p = urlsplit(url.strip())
    host = (p.netloc or "").lower().removeprefix("www.")
    return f"{host}{p.path.rstrip('/').lower()}"[:300]


def title_key(title: str, institution: str) -> str:
    """Normalised title + institution: the same course listed twice (decision 0030)."""
    if not institution:
        return ""
    return f"{title_slug(title)}|{slug(institution)}"[:300]


def _int(v: str, name: str) -> int | None:
    if not v:
        return None
    try:
        f = float(v.replace(",", ""))
    except ValueError:
        raise ValueError(f"{name}: must be a number, got {v!r}") from None
    if not math.isfinite(f) or f > MAX_COUNT:
        raise ValueError(f"{name}: {v!r} is not a possible count (at most {MAX_COUNT:,})")
    if f < 0:
        raise ValueError(f"{name}: must be >= 0, got {v!r}")
    return int(f)


def _bool(v: str) -> bool | None:
    low = v.strip().lower()
    if low in ("true", "yes", "1", "paid", "y"):
        return True
    if low in ("false", "no", "0", "free", "n"):
        return False
    return None


@dataclass(slots=True)
class Built:
    """One validated row: the stored fields, and the columns to keep from a stored course."""

    record: dict[str, object]
    absent: frozenset[str] = frozenset()
    dropped_skills: tuple[str, ...] = ()


def _native_id(
    get: Callable[[str], str], mapping: Mapping, title: str, url: str, native: str
) -> str:
    if native:
        return native.strip()
    if mapping.id_from == "url" and url:
        native = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    elif mapping.id_from == "institution+title" and get("institution"):
        native = f"{slug(get('institution'))}--{title_slug(title)}"
    return (native or title_slug(title)).strip()


def title_slug(title: str) -> str:
    """A slug of a title for an id; a title with letters the ASCII slug drops ("Google
    データアナリティクス") gets a short hash of itself, so two such titles never share an id."""
    base = slug(title)
    ascii_form = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    lost = sum(ch.isalnum() for ch in title) - sum(ch.isalnum() for ch in ascii_form)
    if lost > 0:
        digest = hashlib.sha1(title.strip().encode()).hexdigest()[:8]
        base = f"{base}-{digest}" if base else digest
    return base


def _check_durations(get: Callable[[str], str], mapping: Mapping) -> None:
    """Refuse a row whose duration cell is not a duration or states an impossible one."""
    for key in ("effort", "length", "duration"):
        v = get(key)
        if not v:
            continue
        if v.lstrip().startswith("-") and re.match(r"^\s*-\s*\d", v):
            raise ValueError(f"{key}: negative duration {v!r}")
        # A length column holds weeks ("6 Weeks"); a bare number there is read as weeks too.
        unit = "weeks" if key == "length" else mapping.duration_unit
        if (why := duration_problem(v, unit=unit)) is not None:
            raise ValueError(f"{key}: {why}: {v[:80]!r}")


def build_record(row: Row, mapping: Mapping) -> dict[str, object]:
    """Validate one source row into the fields of a stored course.

    Raises:
        ValueError: the row is invalid; the message is the reason (``column: what``).
    """
    return build(row, mapping).record


def build(row: Row, mapping: Mapping) -> Built:
    """Validate one source row: the course fields, and which stored columns it leaves alone.

    A stored column is left alone when none of the mapping fields that fill it is mapped to a
    column present in the row (nor given a default): re-importing a file without a description
    keeps the stored description.

    Raises:
        ValueError: the row is invalid; the message is the reason (``field: what``).
    """
    cols, dflt = mapping.columns, mapping.defaults
    present = {f for f, c in cols.items() if c in row} | set(dflt)

    def get(name: str) -> str:
        v = cell(row, cols.get(name))
        return v or dflt.get(name, "")

    title = re.sub(r"\s+", " ", get("title"))
    if not title:
        raise ValueError("title: empty")
    provider = slug(get("provider")) or mapping.provider if "provider" in cols else mapping.provider
    url = get("url")
    native = _native_id(get, mapping, title, url, get("id"))
    if not native:
        raise ValueError("id: empty and no url or title to derive it from")
    if url and (why := url_problem(url)) is not None:
        raise ValueError(f"url: {why}: {url[:60]!r}")
    is_paid = _bool(get("is_paid")) if get("is_paid") else None
    try:
        price = parse_price(
            get("price") or None, currency=get("currency") or mapping.currency, is_paid=is_paid
        )
    except PriceError as exc:
        raise ValueError(f"price: {exc}") from exc
    rating_text = get("rating")
    rating = None
    if rating_text:
        try:
            rating = float(rating_text)
        except ValueError:
            raise ValueError(f"rating: not a number: {rating_text!r}") from None
        if not 0 <= rating <= 5:
            raise ValueError(f"rating: must be in 0-5, got {rating_text!r}")
    rating_count = _int(get("rating_count"), "rating_count")
    enrolled = _int(get("enrolled"), "enrolled")
    _check_durations(get, mapping)
    skills, dropped = split_skills(get("skills"), mapping.skills_separator, mapping.skills_known)
    summary, description, syllabus = get("summary"), get("description"), get("syllabus")
    rec: dict[str, object] = {
        "id": f"{provider}:{native}",
        "provider": provider,
        "native_id": native,
        "title": title,
        "summary": summary,
        "description": description,
        "syllabus": syllabus,
        "subject": get("subject"),
        "institution": get("institution"),
        "instructors": get("instructors"),
        "url": url,
        "language": get("language"),
        "level_label": get("level"),
        "duration_text": " / ".join(
            x for x in (get("effort"), get("length"), get("duration")) if x
        ),
        "price": price.amount,
        "currency": price.currency,
        "is_free": price.is_free,
        "certificate_price": price.certificate,
        "stated_rating": rating,
        "stated_rating_count": rating_count,
        "popularity": enrolled,
        "published": get("published")[:40] or None,
        "prerequisites_text": get("prerequisites"),
        "url_key": url_key(url),
        "title_key": title_key(title, get("institution")),
        "provider_skills": skills,
    }
    effort_text = get("effort") or get("duration")
    rec.update(derive(rec, effort_text, get("length"), mapping.duration_unit))
    if (why := _combined_problem(rec)) is not None:
        key = "effort" if get("effort") else "duration"
        raise ValueError(f"{key}: {why}: {rec['duration_text']!r}")
    absent = frozenset(k for k, fields in _FROM_FIELDS.items() if not present & set(fields))
    return Built(rec, absent, tuple(dropped))


def _combined_problem(rec: dict[str, object]) -> str | None:
    """Effort per week x a separate length can add up to more hours than any course takes."""
    from skillpath.catalog._model import Effort

    h, lo, hi = rec["hours"], rec["hours_low"], rec["hours_high"]
    if not (isinstance(h, float) and isinstance(lo, float) and isinstance(hi, float)):
        return None
    return effort_problem(Effort(h, lo, hi, str(rec["hours_pattern"])))


def derive(rec: dict[str, object], effort: str, length: str, unit: str) -> dict[str, object]:
    """Level, Bloom stage and hours of a course record (re-run when parsers change)."""
    out = derive_level(rec)
    eff = parse_duration(effort, length=length, unit=unit)
    if eff is None:
        # Nothing stated, or "Self-paced": the provider's typical course, flagged as an estimate.
        lo, mid, hi = PROVIDER_DEFAULT_HOURS.get(str(rec["provider"]), GENERIC_DEFAULT_HOURS)
        stated = is_self_paced(effort) or is_self_paced(length)
        out.update(
            hours=mid,
            hours_low=lo,
            hours_high=hi,
            hours_pattern="self-paced: provider default" if stated else "provider default",
            hours_estimated=True,
        )
    else:
        out.update(
            hours=eff.hours,
            hours_low=eff.low,
            hours_high=eff.high,
            hours_pattern=eff.pattern,
            hours_estimated=eff.estimated,
        )
    return out


def _hash(rec: dict[str, object]) -> str:
    # An empty provider_skills is left out so that courses imported before the field existed
    # keep their hash (and their tags) when re-imported.
    blob = json.dumps(
        {k: v for k, v in rec.items() if k != "raw" and not (k == "provider_skills" and not v)},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha1(blob.encode()).hexdigest()


def _jsonable(row: Row) -> dict[str, object]:
    out: dict[str, object] = {}
    for k, v in row.items():
        out[str(k)] = (
            v if isinstance(v, str | int | float | bool | type(None) | list | dict) else str(v)
        )
    return out


def resolve_mapping(preset: str, mapping: Mapping | Path | None) -> Mapping:
    """The mapping to use: an explicit one wins; else the preset's.

    Raises:
        InputError: unknown preset, or ``generic`` without a mapping.
    """
    if isinstance(mapping, Mapping):
        return mapping
    if mapping is not None:
        return load_mapping(Path(mapping))
    if preset in PRESETS:
        return PRESETS[preset]
    if preset == "generic":
        raise InputError(
            "the generic preset needs --mapping FILE (JSON or TOML, see docs/catalog.md)"
        )
    raise InputError(f"unknown preset {preset!r}; use one of: {', '.join([*PRESETS, 'generic'])}")


def preset_for_header(header: Sequence[str]) -> str | None:
    """The preset whose columns are all in ``header`` (the one naming most columns wins)."""
    have = set(header)
    fits = [
        (len(mp.columns), name) for name, mp in PRESETS.items() if set(mp.columns.values()) <= have
    ]
    return max(fits)[1] if fits else None


def detect_preset(path: Path, header: Sequence[str] | None = None) -> str | None:
    """The preset of a file: from its header when given, else from its name.

    The header decides first (``coursera_2021_with_skills.xlsx`` holds Coursera's 2021 layout,
    not the ``coursera`` one its name suggests); the name (``edx_courses.csv`` -> ``edx``) is the
    fallback. Ratings files (``*rating*``) are never catalogues.
    """
    name = path.name.lower()
    if "rating" in name:
        return None
    if header is not None and (found := preset_for_header(header)) is not None:
        return found
    for p in sorted(PRESETS, key=len, reverse=True):
        if name.startswith(p) or f"_{p}" in name or f"-{p}" in name:
            return p
    return None


def detect_ratings(path: Path) -> Path | None:
    """A ratings file next to a Coursera catalogue (``coursera_ratings.zip``/``.csv``)."""
    for cand in sorted(path.parent.glob("*rating*")):
        if cand.suffix.lower() in (".zip", ".csv") and cand != path:
            return cand
    return None


@dataclass(slots=True)
class Prepared:
    """One file read and validated, ready to write (nothing is stored yet)."""

    source: str
    preset: str
    mapping: Mapping
    rows: int = 0
    built: dict[str, Built] = field(default_factory=dict)
    rejected: list[RejectedRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ratings: dict[str, RatingStats] | None = None
    ratings_file: str = ""


def _prepare_header(path: Path, header: list[str], mp: Mapping, preset: str) -> None:
    missing = [c for c in mp.columns.values() if c not in header]
    if missing and path.suffix.lower() not in (".json", ".jsonl", ".ndjson"):
        raise InputError(
            f"column(s) {missing} named by the {preset} mapping are not in the header "
            f"(found: {', '.join(header[:20])}); fix the mapping or the file",
            file=path,
            column=missing[0],
        )
    if missing and mp.columns["title"] in missing:
        raise InputError("no record has the title field", file=path, column=mp.columns["title"])


def prepare_file(
    path: Path,
    *,
    preset: str = "generic",
    mapping: Mapping | Path | None = None,
    ratings: Path | None = None,
    encoding: str | None = None,
    read: tuple[list[str], Iterable[tuple[int, Row]]] | None = None,
) -> Prepared:
    """Read and validate one catalogue file without writing (see :func:`import_file`).

    ``read`` is the file's ``(header, rows)`` when the caller already opened it.

    Raises:
        InputError: unreadable file, broken encoding, or a mapped column missing from the header.
    """
    path = Path(path)
    mp = resolve_mapping(preset, mapping)
    header, rows = read if read is not None else read_rows(path, encoding=encoding)
    _prepare_header(path, header, mp, preset)
    stats = None
    warnings: list[str] = []
    if ratings is not None:
        stats, w = read_ratings(Path(ratings))
        warnings += w
    return prepare_rows(
        rows,
        mapping=mp,
        source=str(path),
        preset=preset,
        ratings=stats,
        ratings_file=str(ratings or ""),
        warnings=warnings,
    )


def prepare_rows(
    rows: Iterable[tuple[int, Row]],
    *,
    mapping: Mapping,
    source: str,
    preset: str = "generic",
    ratings: dict[str, RatingStats] | None = None,
    ratings_file: str = "",
    warnings: list[str] | None = None,
) -> Prepared:
    """Validate ``(row_number, row)`` pairs into a :class:`Prepared` import (nothing written).

    Raises:
        InputError: from the row reader (a corrupt sheet part-way, broken encoding).
    """
    prep = Prepared(
        source,
        preset,
        mapping,
        ratings=ratings,
        ratings_file=ratings_file,
        warnings=list(warnings or []),
    )
    first_row: dict[str, int] = {}
    dropped: list[str] = []
    for row_no, row in rows:
        prep.rows += 1
        try:
            b = build(row, mapping)
        except ValueError as exc:
            msg = str(exc)
            col, _, reason = msg.partition(": ")
            col_name = mapping.columns.get(col, col) if reason else None
            prep.rejected.append(
                RejectedRow(
                    source,
                    row_no,
                    reason or msg,
                    col_name,
                    cell(row, mapping.columns.get(col)) or None,
                )
            )
            continue
        rec = b.record
        cid = str(rec["id"])
        if cid in prep.built:
            prep.rejected.append(
                RejectedRow(
                    source,
                    row_no,
                    f"duplicate id {cid!r}, first seen at row {first_row[cid]}",
                    mapping.columns.get("id"),
                    str(rec["native_id"]),
                )
            )
            continue
        dropped += b.dropped_skills
        rec["raw"] = _jsonable(row)
        prep.built[cid] = b
        first_row[cid] = row_no
    if dropped:
        examples = ", ".join(repr(d[:40]) for d in list(dict.fromkeys(dropped))[:4])
        prep.warnings.append(
            f"{len(dropped)} skill label(s) dropped as not skills (scraping debris), e.g. "
            f"{examples}"
        )
    return prep


def _merge(rec: dict[str, object], absent: frozenset[str], stored: CatCourse) -> None:
    """Keep the stored value of every column the file does not fill, then re-derive."""
    for k in absent:
        rec[k] = getattr(stored, k)
    if "institution" in absent:
        rec["title_key"] = title_key(str(rec["title"]), str(rec["institution"] or ""))
    if absent & _LEVEL_INPUTS:
        rec.update(derive_level(rec))


def write_prepared(store: Store, prepared: Sequence[Prepared]) -> list[ImportReport]:
    """Write prepared imports in ONE transaction: all files are stored, or none is.

    Files are applied in order, so a later file updates what an earlier one inserted and
    de-duplication sees the earlier files' courses.

    Raises:
        BusyError: the database stayed locked by another process (nothing written).
    """
    now = datetime.now(UTC).isoformat(timespec="seconds")
    reports: list[ImportReport] = []
    with store.session(write=True) as s:
        for prep in prepared:
            reports.append(_write_one(s, prep, now))
    return reports


def _write_one(s: Session, prep: Prepared, now: str) -> ImportReport:
    mapping = prep.mapping
    warnings = list(prep.warnings)
    built = prep.built
    inserted = updated = unchanged = 0
    duplicates: list[tuple[str, str]] = []
    existing = (
        {c.id: c for c in s.scalars(select(CatCourse).where(CatCourse.id.in_(list(built))))}
        if built
        else {}
    )
    records: dict[str, dict[str, object]] = {}
    for cid, b in built.items():
        rec = dict(b.record)
        if (stored := existing.get(cid)) is not None:
            _merge(rec, b.absent, stored)
        rec["content_hash"] = _hash(rec)
        rec["source_file"] = prep.source
        records[cid] = rec
    # Cross-file and in-file de-duplication on canonical URL / title+institution.
    by_url: dict[str, str] = {}
    by_title: dict[str, str] = {}
    ukeys = {str(r["url_key"]) for r in records.values() if r["url_key"]}
    tkeys = {str(r["title_key"]) for r in records.values() if r["title_key"]}
    if ukeys or tkeys:
        for cid, uk, tk, dup in s.execute(
            select(
                CatCourse.id, CatCourse.url_key, CatCourse.title_key, CatCourse.duplicate_of
            ).where((CatCourse.url_key.in_(ukeys)) | (CatCourse.title_key.in_(tkeys)))
        ):
            if dup is None and cid not in records:
                if uk:
                    by_url.setdefault(uk, cid)
                if tk:
                    by_title.setdefault(tk, cid)
    for cid, rec in records.items():
        uk, tk = str(rec["url_key"]), str(rec["title_key"])
        orig = (by_url.get(uk) if uk else None) or (by_title.get(tk) if tk else None)
        if orig and orig != cid:
            rec["duplicate_of"] = orig
            duplicates.append((cid, orig))
        else:
            rec["duplicate_of"] = None
            if uk:
                by_url.setdefault(uk, cid)
            if tk:
                by_title.setdefault(tk, cid)
        stored = existing.get(cid)
        if stored is None:
            s.add(CatCourse(**rec, imported_at=now))
            inserted += 1
        elif (
            stored.content_hash == rec["content_hash"]
            and stored.duplicate_of == rec["duplicate_of"]
        ):
            unchanged += 1
        else:
            for k, v in rec.items():
                setattr(stored, k, v)
            stored.imported_at = now
            updated += 1
    s.flush()  # the next file of the same import sees these courses
    n_ratings = 0
    if prep.ratings:
        n_ratings = _store_ratings(
            s, prep.ratings, provider=mapping.provider, source=prep.ratings_file
        )
        known = set(records) | {
            c
            for (c,) in s.execute(
                select(CatCourse.id).where(CatCourse.provider == mapping.provider)
            )
        }
        orphans = [k for k in prep.ratings if f"{mapping.provider}:{k}" not in known]
        if orphans:
            warnings.append(
                f"{len(orphans)} rated course ids are not in the catalogue (kept; they attach "
                f"when the course is imported), e.g. {', '.join(sorted(orphans)[:3])}"
            )
    if duplicates:
        warnings.append(
            f"{len(duplicates)} courses duplicate an earlier one (kept, marked duplicate_of)"
        )
    rejected = prep.rejected
    report = ImportReport(
        file=prep.source,
        preset=prep.preset,
        rows=prep.rows,
        inserted=inserted,
        updated=updated,
        unchanged=unchanged,
        rejected=tuple(rejected),
        duplicates=tuple(duplicates),
        ratings=n_ratings,
        warnings=tuple(warnings),
    )
    s.add(
        CatImport(
            file=prep.source,
            preset=prep.preset,
            at=now,
            counts={
                "rows": prep.rows,
                "inserted": inserted,
                "updated": updated,
                "unchanged": unchanged,
                "rejected": len(rejected),
                "duplicates": len(duplicates),
                "ratings": n_ratings,
            },
            rejected=[
                {"row": r.row, "reason": r.reason, "column": r.column, "value": r.value}
                for r in rejected
            ],
            warnings=list(warnings),
        )
    )
    return report


def import_file(
    store: Store,
    path: Path,
    *,
    preset: str = "generic",
    mapping: Mapping | Path | None = None,
    ratings: Path | None = None,
    encoding: str | None = None,
) -> ImportReport:
    """Import one catalogue file atomically and idempotently.

    Args:
        store: where to write.
        path: a CSV/TSV, JSON, JSON Lines or XLSX file.
        preset: ``edx``, ``udemy``, ``coursera``, ``coursera-2021``, ``coursera-2023`` or
            ``generic`` (needs ``mapping``).
        mapping: a :class:`Mapping` or a mapping file; overrides the preset.
        ratings: a file of individual ratings (course_id, rating, date) to aggregate.
        encoding: the text encoding when not UTF-8.

    Returns:
        The report: counts, rejected rows with reasons, duplicates, warnings.

    Raises:
        InputError: unreadable file, broken encoding, or a mapped column missing from the header.
            Nothing is written then.
    """
    prep = prepare_file(path, preset=preset, mapping=mapping, ratings=ratings, encoding=encoding)
    return write_prepared(store, [prep])[0]


def import_rows(
    store: Store,
    rows: Iterable[tuple[int, Row]],
    *,
    mapping: Mapping,
    source: str,
    preset: str = "generic",
    ratings: dict[str, RatingStats] | None = None,
    ratings_file: str = "",
    warnings: list[str] | None = None,
) -> ImportReport:
    """Validate ``(row_number, row)`` pairs and write them in one transaction (see import_file)."""
    prep = prepare_rows(
        rows,
        mapping=mapping,
        source=source,
        preset=preset,
        ratings=ratings,
        ratings_file=ratings_file,
        warnings=warnings,
    )
    return write_prepared(store, [prep])[0]


def _store_ratings(s: Session, stats: dict[str, RatingStats], *, provider: str, source: str) -> int:
    existing = {
        r.native_id: r for r in s.scalars(select(CatRating).where(CatRating.provider == provider))
    }
    total = 0
    for native, st in stats.items():
        vals = {
            "count": st.count,
            "total": st.total,
            "total_sq": st.total_sq,
            "histogram": list(st.histogram),
            "by_year": dict(st.by_year),
            "first": st.first,
            "last": st.last,
            "source_file": source,
        }
        row = existing.get(native)
        if row is None:
            s.add(CatRating(provider=provider, native_id=native, **vals))
        else:
            for k, v in vals.items():
                setattr(row, k, v)
        total += st.count
    return total


def import_ratings(store: Store, path: Path, *, provider: str = "coursera") -> ImportReport:
    """Import a file of individual ratings alone (replaces each rated course's statistics)."""
    stats, warnings = read_ratings(Path(path))
    return import_rows(
        store,
        [],
        mapping=Mapping(provider=provider, columns={"title": "title"}),
        source=str(path),
        preset="ratings",
        ratings=stats,
        ratings_file=str(path),
        warnings=warnings,
    )


def _prepare_one(
    f: Path,
    *,
    preset: str | None,
    mapping: Path | None,
    ratings: Path | None,
    encoding: str | None,
    detect: bool,
    in_folder: bool,
) -> Prepared | str:
    """A file read and validated, or (in a folder) why it is not a catalogue file."""
    if preset or mapping:  # a wrong preset or mapping file is reported before any data is read
        resolve_mapping(preset or "generic", mapping)
    header, rows = read_rows(f, encoding=encoding)
    chosen = preset or ("generic" if mapping else None) or detect_preset(f, header)
    if chosen is None:
        if in_folder:
            return "no preset's columns are all in its header and its name names no provider"
        raise InputError(
            f"cannot tell the layout from the header ({', '.join(header[:12])}) or the file "
            f"name: pass --preset ({', '.join([*PRESETS, 'generic'])})",
            file=f,
        )
    if ratings is None and detect and chosen == "coursera":
        ratings = detect_ratings(f)
    return prepare_file(
        f,
        preset=chosen,
        mapping=mapping,
        ratings=ratings,
        encoding=encoding,
        read=(header, rows),
    )


def import_path(
    store: Store,
    path: Path,
    *,
    preset: str | None = None,
    mapping: Path | None = None,
    ratings: Path | None = None,
    encoding: str | None = None,
    detect: bool = True,
    skipped: list[tuple[str, str]] | None = None,
) -> list[ImportReport]:
    """Import a file, or every catalogue file in a folder, all-or-nothing (ratings detected).

    Each file's layout comes from ``preset``/``mapping`` when given, else from its header (then
    its name), so a folder may mix providers. A folder is read and validated whole first; an
    unreadable file, or one missing a column its layout needs, refuses the whole folder and
    nothing is stored. Otherwise all files are written in one transaction, one report each.

    Args:
        skipped: when given, receives ``(file, why)`` for each folder entry not imported
            (other file types, ratings files, files no preset matches).

    Raises:
        InputError: an unreadable file; a file whose layout cannot be told (single file); a
            folder with no catalogue file. Nothing is written then.
    """
    path = Path(path)
    notes = skipped if skipped is not None else []
    if not path.is_dir():
        prep = _prepare_one(
            path,
            preset=preset,
            mapping=mapping,
            ratings=ratings,
            encoding=encoding,
            detect=detect,
            in_folder=False,
        )
        assert isinstance(prep, Prepared)
        return write_prepared(store, [prep])
    prepared: list[Prepared] = []
    for f in sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")):
        if "rating" in f.name.lower():
            notes.append((str(f), "a ratings file (read with its Coursera catalogue)"))
            continue
        if f.suffix.lower() not in CATALOGUE_SUFFIXES:
            notes.append((str(f), f"not a catalogue file type ({f.suffix or 'no suffix'})"))
            continue
        try:
            got = _prepare_one(
                f,
                preset=preset,
                mapping=mapping,
                ratings=ratings,
                encoding=encoding,
                detect=detect,
                in_folder=True,
            )
        except InputError as exc:
            raise InputError(
                f"{exc.message}; nothing from the folder was imported (a folder import is "
                "all-or-nothing): fix or move this file and run the import again",
                file=exc.file or f,
                row=exc.row,
                column=exc.column,
                value=exc.value,
            ) from exc
        if isinstance(got, str):
            notes.append((str(f), got))
        else:
            prepared.append(got)
    if not prepared:
        raise InputError(
            "no catalogue file recognised in the folder (headers of the presets "
            f"{', '.join(PRESETS)}, or a --preset/--mapping)",
            file=path,
        )
    return write_prepared(store, prepared)
