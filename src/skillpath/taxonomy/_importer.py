"""``import_paths``: detect official release files, parse, validate, then write atomically."""

from __future__ import annotations

import datetime as dt
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
_ORDER = ["scales", "content", "occupation", "occupations", "groups", "hierarchy", "skills",
          "collection", "derived-skills", "rated", "technology"]


def import_paths(store: Store, paths: Iterable[Path], *, progress: Progress | None = None,
                 replace: bool = False) -> ImportReport:
    """Import O*NET and ESCO release files (directories, zips or single files) into the store.

    Everything is parsed and validated before the store is touched, then written in a single
    transaction: a failure leaves the previous data intact. Re-importing the same files changes
    nothing.

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
    for f in files:
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
    recognised.sort(key=lambda t: _ORDER.index(t[2]) if t[2] in _ORDER else len(_ORDER))
    origin_files: dict[str, list[str]] = defaultdict(list)
    for f, source, kind in recognised:
        if progress:
            progress(f"reading {f.display}")
        before = set(batch.origins)
        if source == "onet":
            _onet.parse(kind, f, batch)
        else:
            _esco.parse(kind, f, batch)
        for origin in batch.origins - before:
            origin_files[origin].append(f.display)
    _esco.check_alt_labels(batch)
    report = ImportReport(files=[(f.display, f"{s}/{k}") for f, s, k in recognised],
                          skipped_files=batch.skipped, warnings=batch.warnings)
    if progress:
        progress("writing to the store")
    with store.session() as s:
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


def _known(s: Session, batch: Batch) -> tuple[dict[str, dict], set[str]]:
    occ: dict[str, dict] = {
        r.id: {"id": r.id, "taxonomy": r.taxonomy, "code": r.code, "label": r.label, "release": r.release,
               "status": r.status}
        for r in s.execute(select(m.Occupation.id, m.Occupation.taxonomy, m.Occupation.code,
                                  m.Occupation.label, m.Occupation.release, m.Occupation.status))
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
    newest = max(releases, key=_onet.release_key)
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
            best = process.extractOne(o["label"], choices, scorer=fuzz.token_set_ratio, score_cutoff=88,
                                      processor=utils.default_process)
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
        batch.related[(old, new, "soc_successor")] = {"from_id": old, "to_id": new, "kind": "soc_successor",
                                                     "rank": None, "origin": "onet/successor"}
    if successors:
        batch.origins.add("onet/successor")
    rated: dict[tuple[str, str], dict[str, Any]] = {}
    legacy_rows: Counter[str] = Counter()

    def orphan(kind: str, r: dict, key: str, detail: str) -> None:
        src = "esco" if r.get("origin", "").startswith("esco") else r.get("origin", "").split("/")[0]
        batch.orphans.append({"source": src, "file": r.get("_file", ""), "row": r.get("_row", 0), "kind": kind,
                              "key": key[:300], "detail": detail, "origin": r.get("origin", "")})

    for kind, r in batch.pending:
        oid = r.get("occupation_id") or r.get("from_id")
        if kind == "broader":
            if r["skill_id"] not in skills or r["broader_id"] not in skills:
                orphan("broader-unknown-skill", r, f"{r['skill_id']} -> {r['broader_id']}", "unknown skill")
                continue
            batch.broader[(r["skill_id"], r["broader_id"])] = _clean(r)
            continue
        if kind != "broader" and oid not in occ:
            orphan(f"{kind}-unknown-occupation", r, str(r.get("_code", oid)), f"{r.get('origin')}: occupation not loaded")
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
        elif kind == "related":
            if r["to_id"] not in occ and not r.get("_lenient_to"):
                orphan("related-unknown-occupation", r, r["to_id"], f"{r.get('origin')}: related occupation not loaded")
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
        s.execute(stmt.on_conflict_do_update(index_elements=keys, set_=update) if update
                  else stmt.on_conflict_do_nothing(index_elements=keys))


def _insert(s: Session, table: Any, rows: Iterable[dict]) -> int:
    rows = list(rows)
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
    _upsert(s, m.Scale, [{k: v for k, v in r.items() if k != "range"} for r in batch.scales.values()], ["id"])
    _upsert(s, m.ContentElement, list(batch.elements.values()), ["id"])
    # Legacy status may change for occupations that were not in this batch.
    legacy = [oid for oid, r in batch.occupations.items() if r.get("status") == "legacy"]
    if legacy:
        for i in range(0, len(legacy), CHUNK):
            s.execute(update(m.Occupation).where(m.Occupation.id.in_(legacy[i:i + CHUNK]))
                      .values(status="legacy"))
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
        row = {"name": source, "release": release, "imported_at": now, "files": all_files}
        _upsert(s, m.Source, [row], ["name", "release"])
    report.sources = {f"{k[0]} {k[1]}": v for k, v in per_source.items()}
    report.loaded = dict(counts)


def status(store: Store) -> dict[str, Any]:
    """Counts of what is loaded, per source and release, with orphans. Documented in docs/data.md."""
    out: dict[str, Any] = {"sources": [], "totals": {}, "orphans": {}}
    with store.session() as s:
        for src in s.scalars(select(m.Source).order_by(m.Source.name, m.Source.release)):
            out["sources"].append({"source": src.name, "release": src.release, "imported_at": src.imported_at,
                                   "files": len(src.files)})
        occ_by = s.execute(select(m.Occupation.taxonomy, m.Occupation.release, m.Occupation.status,
                                  func.count()).group_by(m.Occupation.taxonomy, m.Occupation.release,
                                                         m.Occupation.status)).all()
        per: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for tax, rel, st, n in occ_by:
            per[(tax, rel)]["occupations"] += n
            if st == "legacy":
                per[(tax, rel)]["legacy_occupations"] += n
        for entry in out["sources"]:
            key = (entry["source"], entry["release"])
            entry.update(per.get(key, {}))
        t = out["totals"]
        t["occupations"] = dict(s.execute(select(m.Occupation.taxonomy, func.count())
                                          .group_by(m.Occupation.taxonomy)).all())
        t["skills"] = dict(s.execute(select(m.Skill.kind, func.count()).group_by(m.Skill.kind)).all())
        t["requirements"] = dict(s.execute(select(m.Requirement.relation, func.count())
                                           .group_by(m.Requirement.relation)).all())
        t["titles"] = dict(s.execute(select(m.Title.kind, func.count()).group_by(m.Title.kind)).all())
        t["tasks"] = s.scalar(select(func.count()).select_from(m.Task)) or 0
        t["relations"] = dict(s.execute(select(m.Related.kind, func.count()).group_by(m.Related.kind)).all())
        t["skill_hierarchy_links"] = s.scalar(select(func.count()).select_from(m.SkillBroader)) or 0
        t["anchors"] = s.scalar(select(func.count()).select_from(m.Anchor)) or 0
        orph = s.execute(select(m.Orphan.source, m.Orphan.kind, m.Orphan.file, func.count())
                         .group_by(m.Orphan.source, m.Orphan.kind, m.Orphan.file)).all()
        for src_name, kind, file, n in orph:
            out["orphans"].setdefault(src_name, []).append({"kind": kind, "file": file, "count": n})
    return out
