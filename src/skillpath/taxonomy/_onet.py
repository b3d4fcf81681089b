"""Parsers for the official O*NET database release files (tab-separated .txt or .xlsx).

File kinds are detected by the official file names (``Skills.txt``, ``Skills.xlsx``...).
Codes in data files that are not in any loaded Occupation Data file are kept as orphans.
"""

from __future__ import annotations

import re

from skillpath.errors import InputError
from skillpath.taxonomy._batch import Batch
from skillpath.taxonomy._tables import SourceFile, number, text

CODE = "O*NET-SOC Code"
RATED_KINDS = {"skills": "skill", "knowledge": "knowledge", "abilities": "ability"}
KNOWN = {
    "occupation data": "occupation",
    "skills": "rated",
    "knowledge": "rated",
    "abilities": "rated",
    "technology skills": "technology",
    "task statements": "tasks",
    "emerging tasks": "emerging",
    "alternate titles": "alternate",
    "sample of reported titles": "reported",
    "career changers matrix": "changers",
    "career starters matrix": "starters",
    "related occupations": "related",
    "scales reference": "scales",
    "level scale anchors": "anchors",
    "content model reference": "content",
}
# Default scale ranges (from the official Scales Reference) used when that file is not imported.
DEFAULT_SCALES = {"IM": (1.0, 5.0), "LV": (0.0, 7.0)}
_CODE_RE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")


def detect(src: SourceFile) -> str | None:
    """The O*NET file kind of ``src`` or None."""
    if src.suffix not in (".txt", ".xlsx", ".tsv"):
        return None
    return KNOWN.get(src.stem.strip().lower())


def release_of(src: SourceFile) -> str:
    """The release from the path (``db_29_0_text.zip`` -> 29.0, ``release-23`` -> 23), else 'latest'."""
    m = re.search(r"db_(\d+)_(\d+)", src.release_hint)
    if m:
        return f"{m.group(1)}.{m.group(2)}"
    m = re.search(r"release[-_ ]?(\d+(?:\.\d+)?)", src.release_hint, re.I)
    if m:
        return m.group(1)
    return "latest"


def release_key(release: str) -> float:
    """Order releases; 'latest' (unversioned files) sorts after every numbered release."""
    try:
        return float(release)
    except ValueError:
        return float("inf")


def occ_id(code: str) -> str:
    return f"onet:{code}"


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def parse(kind: str, src: SourceFile, batch: Batch) -> None:
    """Parse one O*NET file of the given kind into the batch."""
    rel = release_of(src)
    batch.files.setdefault(("onet", rel), []).append(src.display)
    fn = _PARSERS[kind]
    fn(src, batch, rel)


def _code(row: dict, src: SourceFile, line: int) -> str:
    code = text(row.get(CODE))
    if not _CODE_RE.match(code):
        raise InputError(
            "not an O*NET-SOC code (expected NN-NNNN.NN)", file=src.display, row=line, column=CODE, value=code
        )
    return code


def _occupations(src: SourceFile, batch: Batch, rel: str) -> None:
    batch.origins.add("onet/occupation")
    for line, row in batch.read(src, (CODE, "Title"), ("Description",)):
        code = _code(row, src, line)
        new = {
            "id": occ_id(code),
            "taxonomy": "onet",
            "code": code,
            "label": text(row.get("Title")),
            "description": text(row.get("Description")),
            "release": rel,
            "status": "current",
            "group_code": code[:2],
        }
        old = batch.occupations.get(new["id"])
        # The newest release wins for labels; older releases only fill in.
        if old is None or release_key(rel) >= release_key(old["release"]):
            batch.occupations[new["id"]] = new


def _rated(src: SourceFile, batch: Batch, rel: str) -> None:
    kind = RATED_KINDS[src.stem.strip().lower()]
    origin = f"onet/{src.stem.strip().lower()}"
    batch.origins.add(origin)
    cols = (CODE, "Element ID", "Element Name", "Scale ID", "Data Value")
    for line, row in batch.read(src, cols, ("Recommend Suppress", "Not Relevant")):
        code = _code(row, src, line)
        el = text(row["Element ID"])
        sid = f"onet:{el}"
        batch.upsert_skill(
            {"id": sid, "taxonomy": "onet", "kind": kind, "label": text(row["Element Name"]),
             "description": "", "alt_labels": [], "parent_id": None, "reuse_level": None, "hot": False}
        )
        scale = text(row["Scale ID"])
        if scale not in ("IM", "LV"):
            continue
        val = number(row["Data Value"], src, line, "Data Value")
        lo, hi = batch.scales.get(scale, {}).get("range", DEFAULT_SCALES[scale])
        if val is None or not lo <= val <= hi:
            raise InputError(
                f"value out of the {scale} scale's range {lo:g}-{hi:g}",
                file=src.display, row=line, column="Data Value", value=row["Data Value"],
            )
        req = {
            "occupation_id": occ_id(code), "skill_id": sid, "relation": "rated", "origin": origin,
            "importance": None, "level": None, "hot": False, "not_relevant": False, "suppress": False,
        }
        batch.pending.append(("requirement", {**req, "_scale": scale, "_value": val, "_file": src.display,
                                               "_row": line, "_code": code,
                                               "_nr": text(row.get("Not Relevant")) == "Y",
                                               "_sup": text(row.get("Recommend Suppress")) == "Y"}))


def _technology(src: SourceFile, batch: Batch, rel: str) -> None:
    origin = "onet/technology"
    batch.origins.add(origin)
    for line, row in batch.read(src, (CODE, "Example"), ("Commodity Code", "Commodity Title", "Hot Technology")):
        code = _code(row, src, line)
        example = text(row["Example"])
        if not example:
            continue
        hot = text(row.get("Hot Technology")) == "Y"
        cls = text(row.get("Commodity Code"))
        parent = f"onet-class:{cls}" if cls else None
        if parent:
            batch.upsert_skill({"id": parent, "taxonomy": "onet", "kind": "technology-class",
                                "label": text(row.get("Commodity Title")), "description": "",
                                "alt_labels": [], "parent_id": None, "reuse_level": None, "hot": False})
        sid = f"onet-tech:{slug(example)}"
        batch.upsert_skill({"id": sid, "taxonomy": "onet", "kind": "technology", "label": example,
                            "description": text(row.get("Commodity Title")), "alt_labels": [],
                            "parent_id": parent, "reuse_level": None, "hot": hot})
        batch.pending.append(("requirement", {
            "occupation_id": occ_id(code), "skill_id": sid, "relation": "technology", "origin": origin,
            "importance": None, "level": None, "hot": hot, "not_relevant": False, "suppress": False,
            "_file": src.display, "_row": line, "_code": code}))


def _tasks(src: SourceFile, batch: Batch, rel: str, emerging: bool = False) -> None:
    origin = "onet/emerging" if emerging else "onet/tasks"
    batch.origins.add(origin)
    for line, row in batch.read(src, (CODE, "Task"), ("Category",) if emerging else ("Task ID", "Task Type")):
        code = _code(row, src, line)
        tid = text(row.get("Task ID")) or f"e{line}"
        if emerging:
            tid = f"emerging-{code}-{line}"
        batch.pending.append(("task", {
            "id": tid, "occupation_id": occ_id(code), "text": text(row["Task"]),
            "task_type": text(row.get("Task Type")) or (text(row.get("Category")) or None),
            "emerging": emerging, "origin": origin, "_file": src.display, "_row": line, "_code": code}))


def _titles(kind: str, column: str):
    def parse_titles(src: SourceFile, batch: Batch, rel: str) -> None:
        origin = f"onet/{kind}"
        batch.origins.add(origin)
        for line, row in batch.read(src, (CODE, column), ("Short Title",) if kind == "alternate" else ()):
            code = _code(row, src, line)
            for t, k in ((text(row[column]), kind), (text(row.get("Short Title")), "short")):
                if t:
                    batch.pending.append(("title", {"occupation_id": occ_id(code), "title": t[:400],
                                                    "kind": k, "origin": origin, "_file": src.display,
                                                    "_row": line, "_code": code}))
    return parse_titles


def _related(kind: str):
    def parse_related(src: SourceFile, batch: Batch, rel: str) -> None:
        origin = f"onet/{kind}"
        batch.origins.add(origin)
        rank_col = "Index" if kind != "related" else "Related Index"
        for line, row in batch.read(src, (CODE, "Related O*NET-SOC Code")):
            code = _code(row, src, line)
            other = text(row["Related O*NET-SOC Code"])
            rank = number(row.get(rank_col, row.get("Index")), src, line, rank_col)
            batch.pending.append(("related", {"from_id": occ_id(code), "to_id": occ_id(other),
                                              "kind": kind, "rank": rank, "origin": origin,
                                              "_file": src.display, "_row": line, "_code": code}))
    return parse_related


def _scales(src: SourceFile, batch: Batch, rel: str) -> None:
    for line, row in batch.read(src, ("Scale ID", "Scale Name", "Minimum", "Maximum")):
        sid = text(row["Scale ID"])
        lo = number(row["Minimum"], src, line, "Minimum")
        hi = number(row["Maximum"], src, line, "Maximum")
        if lo is None or hi is None or lo > hi:
            raise InputError("scale minimum/maximum missing or reversed", file=src.display, row=line,
                             column="Minimum", value=row["Minimum"])
        batch.scales[sid] = {"id": sid, "name": text(row["Scale Name"]), "minimum": lo, "maximum": hi,
                             "range": (lo, hi)}


def _anchors(src: SourceFile, batch: Batch, rel: str) -> None:
    batch.origins.add("onet/anchors")
    cols = ("Element ID", "Scale ID", "Anchor Value", "Anchor Description")
    for line, row in batch.read(src, cols):
        val = number(row["Anchor Value"], src, line, "Anchor Value")
        if val is None:
            continue
        key = (text(row["Element ID"]), text(row["Scale ID"]), val)
        batch.anchors[key] = {"element_id": key[0], "scale_id": key[1], "value": val,
                              "description": text(row["Anchor Description"]), "origin": "onet/anchors"}


def _content(src: SourceFile, batch: Batch, rel: str) -> None:
    for _line, row in batch.read(src, ("Element ID", "Element Name"), ("Description",)):
        eid = text(row["Element ID"])
        batch.elements[eid] = {"id": eid, "name": text(row["Element Name"]),
                               "description": text(row.get("Description"))}


_PARSERS = {
    "occupation": _occupations,
    "rated": _rated,
    "technology": _technology,
    "tasks": _tasks,
    "emerging": lambda s, b, r: _tasks(s, b, r, emerging=True),
    "alternate": _titles("alternate", "Alternate Title"),
    "reported": _titles("reported", "Reported Job Title"),
    "changers": _related("career_changer"),
    "starters": _related("career_starter"),
    "related": _related("related"),
    "scales": _scales,
    "anchors": _anchors,
    "content": _content,
}
