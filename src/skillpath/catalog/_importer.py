"""Validated, atomic, idempotent course imports with a rejected-rows report.

Flow (docs/decisions/0030-catalog-import.md): read every row and validate it into a course
record or a :class:`RejectedRow`; refuse the whole file when the mapping names a missing column;
then write all accepted rows in one transaction, updating courses in place by
``provider:native_id``. Rows are never deleted by an import, so nothing stored is lost.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.catalog._effort import PriceError, parse_duration, parse_price
from skillpath.catalog._level import bloom_stage, target_level
from skillpath.catalog._model import ImportReport, RejectedRow
from skillpath.catalog._quality import RatingStats, read_ratings
from skillpath.catalog._sources import PRESETS, Mapping, Row, cell, load_mapping, read_rows
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

_DERIVED = (
    "level",
    "level_why",
    "bloom",
    "bloom_cues",
    "hours",
    "hours_low",
    "hours_high",
    "hours_pattern",
    "hours_estimated",
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
    return f"{slug(title)}|{slug(institution)}"[:300]


def _int(v: str, name: str) -> int | None:
    if not v:
        return None
    try:
        f = float(v.replace(",", ""))
    except ValueError:
        raise ValueError(f"{name} must be a number, got {v!r}") from None
    if f < 0:
        raise ValueError(f"{name} must be >= 0, got {v!r}")
    return int(f)


def _bool(v: str) -> bool | None:
    low = v.strip().lower()
    if low in ("true", "yes", "1", "paid", "y"):
        return True
    if low in ("false", "no", "0", "free", "n"):
        return False
    return None


def build_record(row: Row, mapping: Mapping) -> dict[str, object]:
    """Validate one source row into the fields of a stored course.

    Raises:
        ValueError: the row is invalid; the message is the reason (``column: what``).
    """
    cols, dflt = mapping.columns, mapping.defaults

    def get(name: str) -> str:
        v = cell(row, cols.get(name))
        return v or dflt.get(name, "")

    title = re.sub(r"\s+", " ", get("title"))
    if not title:
        raise ValueError("title: empty")
    provider = slug(get("provider")) or mapping.provider if "provider" in cols else mapping.provider
    url = get("url")
    native = get("id")
    if not native:
        if mapping.id_from == "url" and url:
            native = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
        native = native or slug(title)
    native = native.strip()
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
    for key in ("effort", "length", "duration"):
        v = get(key)
        if v and v.lstrip().startswith("-") and re.match(r"^\s*-\s*\d", v):
            raise ValueError(f"{key}: negative duration {v!r}")
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
    }
    rec.update(derive(rec, get("effort") or get("duration"), get("length"), mapping.duration_unit))
    return rec


def derive(rec: dict[str, object], effort: str, length: str, unit: str) -> dict[str, object]:
    """Level, Bloom stage and hours of a course record (re-run when parsers change)."""
    title, text = (
        str(rec["title"]),
        " ".join(str(rec[k]) for k in ("summary", "description", "syllabus") if rec.get(k)),
    )
    level, why = target_level(str(rec.get("level_label") or ""), title, text)
    stage, cues = bloom_stage(title, text)
    eff = parse_duration(effort, length=length, unit=unit)
    out: dict[str, object] = {
        "level": level,
        "level_why": why,
        "bloom": stage,
        "bloom_cues": list(cues),
    }
    if eff is None:
        lo, mid, hi = PROVIDER_DEFAULT_HOURS.get(str(rec["provider"]), GENERIC_DEFAULT_HOURS)
        out.update(
            hours=mid,
            hours_low=lo,
            hours_high=hi,
            hours_pattern="provider default",
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
    blob = json.dumps({k: v for k, v in rec.items() if k != "raw"}, sort_keys=True, default=str)
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


def detect_preset(path: Path) -> str | None:
    """Guess a preset from a file name (``edx_courses.csv`` -> ``edx``)."""
    name = path.name.lower()
    if "rating" in name:
        return None
    for p in PRESETS:
        if name.startswith(p) or f"_{p}" in name or f"-{p}" in name:
            return p
    return None


def detect_ratings(path: Path) -> Path | None:
    """A ratings file next to a Coursera catalogue (``coursera_ratings.zip``/``.csv``)."""
    for cand in sorted(path.parent.glob("*rating*")):
        if cand.suffix.lower() in (".zip", ".csv") and cand != path:
            return cand
    return None


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
        preset: ``edx``, ``udemy``, ``coursera`` or ``generic`` (needs ``mapping``).
        mapping: a :class:`Mapping` or a mapping file; overrides the preset.
        ratings: a file of individual ratings (course_id, rating, date) to aggregate.
        encoding: the text encoding when not UTF-8.

    Returns:
        The report: counts, rejected rows with reasons, duplicates, warnings.

    Raises:
        InputError: unreadable file, broken encoding, or a mapped column missing from the header.
            Nothing is written then.
    """
    path = Path(path)
    mp = resolve_mapping(preset, mapping)
    header, rows = read_rows(path, encoding=encoding)
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
    stats = None
    warnings: list[str] = []
    if ratings is not None:
        stats, w = read_ratings(Path(ratings))
        warnings += w
    return import_rows(
        store,
        rows,
        mapping=mp,
        source=str(path),
        preset=preset,
        ratings=stats,
        ratings_file=str(ratings or ""),
        warnings=warnings,
    )


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
    now = datetime.now(UTC).isoformat(timespec="seconds")
    warnings = list(warnings or [])
    rejected: list[RejectedRow] = []
    records: dict[str, dict[str, object]] = {}
    first_row: dict[str, int] = {}
    n = 0
    for row_no, row in rows:
        n += 1
        try:
            rec = build_record(row, mapping)
        except ValueError as exc:
            msg = str(exc)
            col, _, reason = msg.partition(": ")
            col_name = mapping.columns.get(col, col) if reason else None
            rejected.append(
                RejectedRow(
                    source,
                    row_no,
                    reason or msg,
                    col_name,
                    cell(row, mapping.columns.get(col)) or None,
                )
            )
            continue
        cid = str(rec["id"])
        if cid in records:
            rejected.append(
                RejectedRow(
                    source,
                    row_no,
                    f"duplicate id {cid!r}, first seen at row {first_row[cid]}",
                    mapping.columns.get("id"),
                    str(rec["native_id"]),
                )
            )
            continue
        rec["raw"] = _jsonable(row)
        rec["content_hash"] = _hash(rec)
        rec["source_file"] = source
        records[cid] = rec
        first_row[cid] = row_no
    inserted = updated = unchanged = 0
    duplicates: list[tuple[str, str]] = []
    with store.session(write=True) as s:
        existing = (
            {c.id: c for c in s.scalars(select(CatCourse).where(CatCourse.id.in_(list(records))))}
            if records
            else {}
        )
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
        n_ratings = 0
        if ratings:
            n_ratings = _store_ratings(s, ratings, provider=mapping.provider, source=ratings_file)
            known = set(records) | {
                c
                for (c,) in s.execute(
                    select(CatCourse.id).where(CatCourse.provider == mapping.provider)
                )
            }
            orphans = [k for k in ratings if f"{mapping.provider}:{k}" not in known]
            if orphans:
                warnings.append(
                    f"{len(orphans)} rated course ids are not in the catalogue (kept; they attach "
                    f"when the course is imported), e.g. {', '.join(sorted(orphans)[:3])}"
                )
        if duplicates:
            warnings.append(
                f"{len(duplicates)} courses duplicate an earlier one (kept, marked duplicate_of)"
            )
        report = ImportReport(
            file=source,
            preset=preset,
            rows=n,
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
                file=source,
                preset=preset,
                at=now,
                counts={
                    "rows": n,
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


def import_path(
    store: Store,
    path: Path,
    *,
    preset: str | None = None,
    mapping: Path | None = None,
    ratings: Path | None = None,
    encoding: str | None = None,
    detect: bool = True,
) -> list[ImportReport]:
    """Import a file, or every recognised catalogue file in a folder (ratings detected).

    Raises:
        InputError: a file whose preset cannot be told from its name and none was given.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and detect_preset(p))
        if not files:
            raise InputError(
                "no catalogue file recognised in the folder (edx*, udemy*, coursera*)", file=path
            )
        return [
            import_path(store, f, mapping=mapping, encoding=encoding, detect=detect)[0]
            for f in files
        ]
    chosen = preset or detect_preset(path) or ("generic" if mapping else None)
    if chosen is None:
        raise InputError("cannot tell the layout from the file name: pass --preset", file=path)
    if ratings is None and detect and chosen == "coursera":
        ratings = detect_ratings(path)
    return [
        import_file(store, path, preset=chosen, mapping=mapping, ratings=ratings, encoding=encoding)
    ]
