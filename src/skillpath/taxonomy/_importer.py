"""``import_paths``: detect official release files, parse, validate, then write atomically."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from skillpath.errors import InputError
from skillpath.store import Store
from skillpath.store.models import taxonomy as m
from skillpath.taxonomy import _esco, _guard, _onet
from skillpath.taxonomy._batch import Batch
from skillpath.taxonomy._model import ImportReport
from skillpath.taxonomy._tables import SourceFile, discover

Progress = Callable[[str], None]
CHUNK = 2000


def detect(src: SourceFile) -> tuple[str, str] | None:
    """``(source, kind)`` for a recognised release file, else None."""
    k = _onet.detect(src)
    if k:
        return "onet", k
    k = _esco.detect(src)
    if k:
        return ("crosswalk" if k == "crosswalk" else "esco"), k
    return None


# Parse order: entity files before files that refer to them (scales before ratings).
_ORDER = [
    "scales",
    "content",
    "occupation",
    "occupations",
    "groups",
    "hierarchy",
    "skills",
    "collection",
    "derived-skills",
    "rated",
    "technology",
]


def _order(kind: str) -> int:
    return _ORDER.index(kind) if kind in _ORDER else len(_ORDER)


def import_paths(
    store: Store, paths: Iterable[Path], *, progress: Progress | None = None, replace: bool = False
) -> ImportReport:
    """Import O*NET and ESCO release files (directories, zips or single files) into the store.

    Everything is parsed and validated before the store is touched, then written in a single
    transaction: a failure leaves the previous data intact. Re-importing the same files changes
    nothing. When several O*NET releases hold the same table, the newest is used and the others are
    listed as skipped; tables from different releases are reported as mixed (decision 0061).

    Args:
        store: where to import.
        paths: folders, zips or files.
        progress: called with a short message as the import proceeds.
        replace: accept a batch that would remove most of a table's stored rows, blank most of a
            field, or that lacks a column a table needs (refused otherwise: see ``_guard``).

    Raises:
        InputError: no recognised file, a malformed file (naming file, row and column), or a
            destructive batch without ``replace`` (naming each file and what would change).
    """
    files = discover(list(paths))
    batch = Batch()
    recognised: list[tuple[SourceFile, str, str]] = []
    readmes: dict[str, str] = {}
    for f in files:
        if f.name.lower() in ("read me.txt", "readme.txt"):
            rel = _onet.readme_release(f)
            if rel:
                readmes[_onet.folder_of(f)] = rel
                continue
        d = detect(f)
        if d is None:
            batch.skipped.append((f.display, "not a recognised O*NET/ESCO release file"))
        else:
            recognised.append((f, *d))
    if not recognised:
        raise InputError(
            "no O*NET or ESCO release files found (expected e.g. 'Occupation Data.txt', 'Skills.xlsx', "
            "'skills_en.csv', 'occupations_en.csv')",
            file=", ".join(str(p) for p in paths),
        )
    recognised.sort(key=lambda t: _order(t[2]))
    origin_files: dict[str, list[str]] = defaultdict(list)
    onet = [(f, k) for f, src, k in recognised if src == "onet"]
    with store.session() as s:
        loaded = _loaded_releases(s)
    used, releases = _read_onet(onet, readmes, loaded, batch, progress, origin_files)
    for f, source, kind in recognised:
        if source == "onet":
            continue
        if progress:
            progress(f"reading {f.display}")
        before = set(batch.origins)
        _esco.parse(kind, f, batch)
        for origin in batch.origins - before:
            origin_files[origin].append(f.display)
    _esco.check_alt_labels(batch)
    report = ImportReport(
        files=[
            (f.display, f"{s}/{k}") for f, s, k in recognised if s != "onet" or f.display in used
        ],
        skipped_files=batch.skipped,
        warnings=batch.warnings,
        releases=releases,
    )
    if progress:
        progress("writing to the store")
    with store.session(write=True) as s:
        _resolve(s, batch, report)
        lost = _guard.losses(s, batch, origin_files)
        if lost and not replace:
            raise InputError(
                "refused: importing this would destroy stored data; nothing was changed. "
                "Check that the file is complete (not a header-only or cut export), or pass "
                "--replace to import it anyway. What would change:\n  - "
                + "\n  - ".join(str(x) for x in lost)
            )
        report.warnings.extend(f"replaced (--replace): {x}" for x in lost)
        _write(s, batch, report)
    return report


def _table(kind: str, src: SourceFile) -> str:
    """The official table a file holds (``Skills``, ``Knowledge``: both of kind 'rated')."""
    return src.stem.strip().lower() if kind == "rated" else kind


def _loaded_releases(s: Session) -> dict[str, tuple[str, float]]:
    """For each O*NET table already in the store, the newest release it came from (label, rank).

    The unnamed release 'latest' carries the newest data date of its files (``data_date``), an
    older store none: then it cannot be compared and is left out.
    """
    out: dict[str, tuple[str, float]] = {}
    for src in s.scalars(select(m.Source).where(m.Source.name == "onet")):
        key = (
            _onet.date_key(src.data_date or "")
            if src.release == "latest"
            else _onet.release_key(src.release)
        )
        if key == math.inf:
            continue
        if src.release == "latest":
            out["__latest__"] = (src.data_date or "", key)
        for name in src.files:
            stem = Path(str(name).split("!")[-1]).stem.strip().lower()
            kind = _onet.KNOWN.get(stem)
            if kind is None:
                continue
            table = stem if kind == "rated" else kind
            if table not in out or key > out[table][1]:
                out[table] = (src.release, key)
    return out


def _read_onet(
    onet: list[tuple[SourceFile, str]],
    readmes: dict[str, str],
    loaded: dict[str, tuple[str, float]],
    batch: Batch,
    progress: Progress | None,
    origin_files: dict[str, list[str]],
) -> tuple[set[str], dict[str, list[str]]]:
    """Parse the O*NET files worth importing into ``batch``: per table, the newest release only.

    A file's release is named by its path or its folder's ``Read Me.txt``; unnamed folders are
    dated by the newest data date in their files, so those files are read first.
    Returns the files used and, per release, the tables taken from it.
    """

    def say(f: SourceFile) -> None:
        if progress:
            progress(f"reading {f.display}")

    named = {f.display: (_onet.release_of(f) or readmes.get(_onet.folder_of(f))) for f, _k in onet}
    parsed: dict[str, Batch] = {}
    # scales first: the ratings check their ranges against them (they agree across releases)
    for f, kind in onet:
        if kind == "scales":
            say(f)
            sub = Batch(scales=batch.scales)
            _onet.parse(kind, f, sub, named[f.display] or "latest")
            parsed[f.display] = sub
    folder_date: dict[str, str] = {}
    for f, kind in onet:
        if named[f.display] is None and f.display not in parsed:
            say(f)
            sub = Batch(scales=batch.scales)
            _onet.parse(kind, f, sub, "latest")
            parsed[f.display] = sub
    for f, _kind in onet:
        if named[f.display] is None:
            folder = _onet.folder_of(f)
            folder_date[folder] = max(folder_date.get(folder, ""), parsed[f.display].max_date)
    for folder, d in folder_date.items():
        if (
            not d and "__latest__" in loaded
        ):  # e.g. one undated file: the date its release had before
            folder_date[folder] = loaded["__latest__"][0]
    # unnamed folders keep the label 'latest' (stable across imports of single files) but sort by date
    release = {f.display: named[f.display] or "latest" for f, _k in onet}
    rank = {
        f.display: (
            _onet.release_key(named[f.display])  # type: ignore[arg-type]
            if named[f.display]
            else _onet.date_key(folder_date[_onet.folder_of(f)])
        )
        for f, _k in onet
    }

    def shown(f: SourceFile) -> str:
        d = folder_date.get(_onet.folder_of(f), "")
        return release[f.display] + (
            f" (undated; data to {d})" if not named[f.display] and d else ""
        )

    # newest release per table; occupations are kept from every release (older codes -> legacy)
    by_table: dict[str, list[tuple[SourceFile, str]]] = defaultdict(list)
    for f, kind in onet:
        by_table[_table(kind, f)].append((f, kind))
    chosen: list[tuple[SourceFile, str]] = []
    for table, lst in by_table.items():
        if lst[0][1] in _onet.UNION_KINDS:
            chosen.extend(lst)
            continue
        best = max(rank[f.display] for f, _k in lst)
        held_rel = loaded.get(table)
        held = held_rel[0] if held_rel else None
        if held_rel is not None and held_rel[1] > best:
            for f, _k in lst:
                batch.skipped.append(
                    (
                        f.display,
                        f"the store already holds this table from the newer O*NET "
                        f"release {held}; not replaced by release {shown(f)}",
                    )
                )
            continue
        newest = next(shown(f) for f, _k in lst if rank[f.display] == best)
        for f, k in lst:
            if rank[f.display] == best:
                chosen.append((f, k))
            else:
                batch.skipped.append(
                    (
                        f.display,
                        f"an older O*NET release ({shown(f)}) of a table "
                        f"also found in release {newest}: the newest is used",
                    )
                )
    chosen.sort(key=lambda t: _order(t[1]))
    used: set[str] = set()
    tables: dict[str, list[str]] = defaultdict(list)
    for f, kind in chosen:
        rel = release[f.display]
        got = parsed.get(f.display)
        if got is None:
            say(f)
            sub = Batch(scales=batch.scales)
            _onet.parse(kind, f, sub, rel)
        else:
            sub = got
        if got is not None and sub.files and ("onet", rel) not in sub.files:
            # parsed (as scales) before every release was known: relabel
            sub.files = {("onet", rel): [x for v in sub.files.values() for x in v]}
            for occ in sub.occupations.values():
                occ["release"] = rel
        for occ in sub.occupations.values():
            occ["_rank"] = rank[f.display]
        if not named[f.display] and folder_date.get(_onet.folder_of(f)):
            key = ("onet", rel)
            batch.data_dates[key] = max(
                batch.data_dates.get(key, ""), folder_date[_onet.folder_of(f)]
            )
        batch.merge(sub, newer=lambda new, old: new["_rank"] >= old.get("_rank", -math.inf))
        for origin in sub.origins:
            origin_files[origin].append(f.display)
        used.add(f.display)
        tables[shown(f)].append(f.stem)
    # occupations are merged from every release on purpose (older codes become legacy): only the
    # data tables make a mix that matters
    data_releases = {
        rel
        for rel, names in tables.items()
        if any(
            n.lower() not in _REFERENCE and _onet.KNOWN.get(n.lower()) not in _onet.UNION_KINDS
            for n in names
        )
    }
    if len(data_releases) > 1:
        parts = "; ".join(
            f"{rel}: {', '.join(sorted(n for n in tables[rel] if n.lower() != 'occupation data'))}"
            for rel in sorted(data_releases)
        )
        batch.warnings.append(
            f"O*NET tables come from {len(data_releases)} releases (mixed releases: codes, "
            f"titles and dates may differ between them): {parts}"
        )
    return used, {rel: sorted(v) for rel, v in tables.items()}


# reference tables that do not make a mix of releases matter
_REFERENCE = frozenset(
    {
        "scales reference",
        "content model reference",
        "level scale anchors",
        "job zone reference",
        "education, training, and experience categories",
        "dwa reference",
        "iwa reference",
    }
)


def _known(s: Session, batch: Batch) -> tuple[dict[str, dict], set[str]]:
    dated = {
        r.release: r.data_date
        for r in s.scalars(select(m.Source).where(m.Source.name == "onet"))
        if r.data_date
    }
    dated.update({rel: d for (src, rel), d in batch.data_dates.items() if src == "onet"})
    occ: dict[str, dict] = {
        r.id: {
            "id": r.id,
            "taxonomy": r.taxonomy,
            "code": r.code,
            "label": r.label,
            "release": r.release,
            "status": r.status,
            "_rank": (
                _onet.date_key(dated[r.release])
                if r.release in dated
                else _onet.release_key(r.release)
            ),
        }
        for r in s.execute(
            select(
                m.Occupation.id,
                m.Occupation.taxonomy,
                m.Occupation.code,
                m.Occupation.label,
                m.Occupation.release,
                m.Occupation.status,
            )
        )
    }
    occ.update(batch.occupations)
    skills = set(s.scalars(select(m.Skill.id))) | set(batch.skills)
    return occ, skills


def _mark_legacy(occ: dict[str, dict], batch: Batch, report: ImportReport) -> dict[str, str]:
    """Mark O*NET codes found only in an older release as legacy; map them to current successors."""
    onet = [o for o in occ.values() if o["taxonomy"] == "onet"]
    releases = {o["release"] for o in onet}
    if len(releases) < 2:
        return {}

    def rank(o: dict) -> float:
        return o["_rank"] if "_rank" in o else _onet.release_key(o["release"])

    top = max(rank(o) for o in onet)
    newest = next(o["release"] for o in onet if rank(o) == top)
    current = {o["id"]: o for o in onet if o["release"] == newest}
    successors: dict[str, str] = {}
    by_title = {o["label"].lower(): oid for oid, o in current.items()}
    choices = {oid: o["label"] for oid, o in current.items()}
    alt: dict[str, str] = {}
    for (oid, title, _kind), _row in batch.titles.items():
        if oid in current:
            alt.setdefault(title.lower(), oid)
    for r in batch.pending:
        if r[0] == "title" and r[1]["occupation_id"] in current:
            alt.setdefault(r[1]["title"].lower(), r[1]["occupation_id"])
    for o in onet:
        if o["id"] in current:
            continue
        o["status"] = "legacy"
        if o["id"] in batch.occupations:
            batch.occupations[o["id"]]["status"] = "legacy"
        label = o["label"].lower()
        succ = by_title.get(label) or alt.get(label)
        if succ is None:
            best = process.extractOne(
                o["label"],
                choices,
                scorer=fuzz.token_set_ratio,
                score_cutoff=88,
                processor=utils.default_process,
            )
            if best and best[2][:7] == o["id"][:7]:  # same SOC major group ("onet:15")
                succ = best[2]
        if succ:
            successors[o["id"]] = succ
    n_legacy = sum(1 for o in onet if o["status"] == "legacy")
    report.warnings.append(
        f"O*NET: {n_legacy} occupation codes appear only in an older release than {newest!r} "
        f"(mixed O*NET-SOC versions); kept as legacy, {len(successors)} mapped to a current successor"
    )
    return successors


def _resolve(s: Session, batch: Batch, report: ImportReport) -> None:
    occ, skills = _known(s, batch)
    successors = _mark_legacy(occ, batch, report)
    for old, new in successors.items():
        batch.related[(old, new, "soc_successor")] = {
            "from_id": old,
            "to_id": new,
            "kind": "soc_successor",
            "rank": None,
            "origin": "onet/successor",
        }
    if successors:
        batch.origins.add("onet/successor")
    rated: dict[tuple[str, str], dict[str, Any]] = {}
    legacy_rows: Counter[str] = Counter()

    def orphan(kind: str, r: dict, key: str, detail: str) -> None:
        src = (
            "esco" if r.get("origin", "").startswith("esco") else r.get("origin", "").split("/")[0]
        )
        batch.orphans.append(
            {
                "source": src,
                "file": r.get("_file", ""),
                "row": r.get("_row", 0),
                "kind": kind,
                "key": key[:300],
                "detail": detail,
                "origin": r.get("origin", ""),
            }
        )

    for kind, r in batch.pending:
        oid = r.get("occupation_id") or r.get("from_id")
        if kind == "broader":
            if r["skill_id"] not in skills or r["broader_id"] not in skills:
                orphan(
                    "broader-unknown-skill",
                    r,
                    f"{r['skill_id']} -> {r['broader_id']}",
                    "unknown skill",
                )
                continue
            batch.broader[(r["skill_id"], r["broader_id"])] = _clean(r)
            continue
        if kind != "broader" and oid not in occ:
            orphan(
                f"{kind}-unknown-occupation",
                r,
                str(r.get("_code", oid)),
                f"{r.get('origin')}: occupation not loaded",
            )
            continue
        if oid in occ and occ[oid].get("status") == "legacy":
            legacy_rows[r.get("origin", kind)] += 1
        if kind == "requirement":
            if r["skill_id"] not in skills:
                orphan("requirement-unknown-skill", r, r["skill_id"], "skill not loaded")
                continue
            if "_scale" in r:
                key = (r["occupation_id"], r["skill_id"])
                req = rated.setdefault(key, _clean(r))
                if r["_scale"] == "IM":
                    req["importance"] = r["_value"]
                else:
                    req["level"] = r["_value"]
                    req["not_relevant"] = r["_nr"]
                req["suppress"] = req["suppress"] or r["_sup"]
            else:
                batch.requirements[(r["occupation_id"], r["skill_id"])] = _clean(r)
        elif kind == "task":
            batch.tasks[r["id"]] = _clean(r)
        elif kind == "title":
            batch.titles[(r["occupation_id"], r["title"], r["kind"])] = _clean(r)
        elif kind == "value":
            batch.values[(r["occupation_id"], r["element_id"], r["scale_id"], r["category"])] = (
                _clean(r)
            )
        elif kind == "task_activity":
            if r["dwa_id"] not in skills:
                orphan(
                    "task-activity-unknown-dwa", r, r["dwa_id"], "detailed work activity not loaded"
                )
                continue
            batch.task_activities[(r["occupation_id"], r["task_id"], r["dwa_id"])] = _clean(r)
        elif kind == "related":
            if r["to_id"] not in occ and not r.get("_lenient_to"):
                orphan(
                    "related-unknown-occupation",
                    r,
                    r["to_id"],
                    f"{r.get('origin')}: related occupation not loaded",
                )
                continue
            if r["to_id"] not in occ:
                continue  # ESCO broader relations to ISCO groups: groups are not occupations here
            batch.related[(r["from_id"], r["to_id"], r["kind"])] = _clean(r)
    batch.requirements.update(rated)
    batch.pending.clear()
    for origin, n in legacy_rows.items():
        report.warnings.append(f"{origin}: {n} rows refer to legacy (older O*NET-SOC) codes")
    report.orphans = dict(Counter(f"{o['source']}/{o['kind']}" for o in batch.orphans))


def _clean(r: dict) -> dict:
    return {k: v for k, v in r.items() if not k.startswith("_")}


def _upsert(s: Session, table: Any, rows: list[dict], keys: list[str]) -> None:
    if not rows:
        return
    dialect = s.get_bind().dialect.name
    ins_mod: Any = postgresql if dialect == "postgresql" else sqlite
    cols = [c.name for c in table.__table__.columns]
    for i in range(0, len(rows), CHUNK):
        chunk = [{c: r.get(c) for c in cols if c in r} for r in rows[i : i + CHUNK]]
        stmt = ins_mod.insert(table.__table__).values(chunk)
        update = {c: stmt.excluded[c] for c in chunk[0] if c not in keys}
        s.execute(
            stmt.on_conflict_do_update(index_elements=keys, set_=update)
            if update
            else stmt.on_conflict_do_nothing(index_elements=keys)
        )


def _insert(s: Session, table: Any, rows: Iterable[dict]) -> int:
    # rows from different files may lack optional columns (ESCO requirements have no in_demand):
    # every row gets every column, with the column's default
    defaults = {
        c.name: (c.default.arg if c.default is not None and c.default.is_scalar else None)
        for c in table.__table__.columns
        if c.autoincrement is not True
    }
    rows = [{**{k: v for k, v in defaults.items() if k not in r}, **r} for r in rows]
    for i in range(0, len(rows), CHUNK):
        s.execute(table.__table__.insert(), rows[i : i + CHUNK])
    return len(rows)


def _write(s: Session, batch: Batch, report: ImportReport) -> None:
    skill_rows = []
    for r in batch.skills.values():
        r = dict(r)
        r["alt_labels"] = list(r.get("alt_labels") or [])
        skill_rows.append(r)
    _upsert(s, m.Occupation, list(batch.occupations.values()), ["id"])
    _upsert(s, m.Skill, skill_rows, ["id"])
    _upsert(
        s,
        m.Scale,
        [{k: v for k, v in r.items() if k != "range"} for r in batch.scales.values()],
        ["id"],
    )
    _upsert(s, m.ContentElement, list(batch.elements.values()), ["id"])
    _upsert(s, m.Category, list(batch.categories.values()), ["element_id", "scale_id", "category"])
    _upsert(s, m.JobZoneReference, list(batch.job_zones.values()), ["zone"])
    # Legacy status may change for occupations that were not in this batch.
    legacy = [oid for oid, r in batch.occupations.items() if r.get("status") == "legacy"]
    if legacy:
        for i in range(0, len(legacy), CHUNK):
            s.execute(
                update(m.Occupation)
                .where(m.Occupation.id.in_(legacy[i : i + CHUNK]))
                .values(status="legacy")
            )
    origins = sorted(batch.origins)
    # Relation tables are replaced per origin; the guard checked every table listed in RELATIONS.
    for table in (*(t for t, _a, _n in _guard.RELATIONS), m.Orphan):
        s.execute(delete(table).where(table.origin.in_(origins)))
    counts: dict[str, int] = defaultdict(int)
    for table, attr, name in _guard.RELATIONS:
        n = _insert(s, table, getattr(batch, attr).values())
        if name:
            counts[name] = n
    counts["orphans"] = _insert(s, m.Orphan, batch.orphans)
    counts["occupations"] = len(batch.occupations)
    counts["skills"] = len(batch.skills)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    per_source: dict[tuple[str, str], dict[str, int]] = {}
    for (source, release), files in batch.files.items():
        per_source[(source, release)] = {"files": len(files)}
        old = s.get(m.Source, (source, release))
        all_files = sorted(set(files) | set(old.files if old else []))
        row = {
            "name": source,
            "release": release,
            "imported_at": now,
            "files": all_files,
            "data_date": max(
                batch.data_dates.get((source, release), ""), (old.data_date if old else None) or ""
            )
            or None,
        }
        _upsert(s, m.Source, [row], ["name", "release"])
    report.sources = {f"{k[0]} {k[1]}": v for k, v in per_source.items()}
    report.loaded = dict(counts)


def status(store: Store) -> dict[str, Any]:
    """Counts of what is loaded, per source and release, with orphans. Documented in docs/data.md."""
    out: dict[str, Any] = {"sources": [], "totals": {}, "orphans": {}}
    with store.session() as s:
        for src in s.scalars(select(m.Source).order_by(m.Source.name, m.Source.release)):
            out["sources"].append(
                {
                    "source": src.name,
                    "release": src.release,
                    "imported_at": src.imported_at,
                    "files": len(src.files),
                }
            )
        occ_by = s.execute(
            select(
                m.Occupation.taxonomy, m.Occupation.release, m.Occupation.status, func.count()
            ).group_by(m.Occupation.taxonomy, m.Occupation.release, m.Occupation.status)
        ).all()
        per: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for tax, rel, st, n in occ_by:
            per[(tax, rel)]["occupations"] += n
            if st == "legacy":
                per[(tax, rel)]["legacy_occupations"] += n
        for entry in out["sources"]:
            key = (entry["source"], entry["release"])
            entry.update(per.get(key, {}))
        t = out["totals"]
        t["occupations"] = dict(
            s.execute(
                select(m.Occupation.taxonomy, func.count()).group_by(m.Occupation.taxonomy)
            ).all()
        )
        t["skills"] = dict(
            s.execute(select(m.Skill.kind, func.count()).group_by(m.Skill.kind)).all()
        )
        t["requirements"] = dict(
            s.execute(
                select(m.Requirement.relation, func.count()).group_by(m.Requirement.relation)
            ).all()
        )
        t["titles"] = dict(
            s.execute(select(m.Title.kind, func.count()).group_by(m.Title.kind)).all()
        )
        t["tasks"] = s.scalar(select(func.count()).select_from(m.Task)) or 0
        t["relations"] = dict(
            s.execute(select(m.Related.kind, func.count()).group_by(m.Related.kind)).all()
        )
        t["skill_hierarchy_links"] = s.scalar(select(func.count()).select_from(m.SkillBroader)) or 0
        t["anchors"] = s.scalar(select(func.count()).select_from(m.Anchor)) or 0
        t["occupation_values"] = dict(
            s.execute(
                select(m.OccupationValue.origin, func.count()).group_by(m.OccupationValue.origin)
            ).all()
        )
        t["task_activities"] = s.scalar(select(func.count()).select_from(m.TaskActivity)) or 0
        orph = s.execute(
            select(m.Orphan.source, m.Orphan.kind, m.Orphan.file, func.count()).group_by(
                m.Orphan.source, m.Orphan.kind, m.Orphan.file
            )
        ).all()
        for src_name, kind, file, n in orph:
            out["orphans"].setdefault(src_name, []).append({"kind": kind, "file": file, "count": n})
    return out


def default_paths(data_dir: Path) -> list[Path]:
    """What to import from a data directory by default: the newest O*NET release folder
    (``onet-29.3-excel`` over the unnamed ``onet``) and ESCO, those present."""
    onet = _onet.newest_folder(data_dir)
    return [p for p in (onet, data_dir / "esco") if p is not None and p.exists()]
