"""Parsers for the official O*NET database release files (tab-separated .txt or .xlsx).

File kinds are detected by the official file names (``Skills.txt``, ``Skills.xlsx``...).
Codes in data files that are not in any loaded Occupation Data file are kept as orphans.
Releases are named by the path (``db_29_3_text``, ``onet-29.3-excel``, ``release-23``) or by the
release's ``Read Me.txt``; an unnamed folder is dated by the newest ``Date`` in its files
(decision 0061).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path, PurePath

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
    "tools used": "tools",
    "job zones": "job_zones",
    "job zone reference": "job_zone_ref",
    "education, training, and experience": "ete",
    "education, training, and experience categories": "ete_categories",
    "tasks to dwas": "task_dwas",
    "dwa reference": "dwa_ref",
    "iwa reference": "iwa_ref",
    "interests": "interests",
}
#: O*NET file kinds whose rows every release keeps (occupations: older codes become legacy);
#: every other kind is taken from the newest release that has it.
UNION_KINDS = frozenset({"occupation"})
# Default scale ranges (from the official Scales Reference) used when that file is not imported.
DEFAULT_SCALES = {"IM": (1.0, 5.0), "LV": (0.0, 7.0)}
_CODE_RE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")


def detect(src: SourceFile) -> str | None:
    """The O*NET file kind of ``src`` or None."""
    if src.suffix not in (".txt", ".xlsx", ".tsv"):
        return None
    return KNOWN.get(src.stem.strip().lower())


_NAMED = (
    re.compile(r"db_(\d+)_(\d)(?!\d)", re.I),
    re.compile(r"onet[-_ ]?(\d{2})[._](\d)(?!\d)", re.I),
)
_RELEASE_DIR = re.compile(r"release[-_ ]?(\d+(?:\.\d+)?)", re.I)
_README = re.compile(r"O\*NET\s+(\d+\.\d+)\s+Database", re.I)


def folder_of(src: SourceFile) -> str:
    """The folder (or zip folder) a release file sits in: files of one folder are one release."""
    return str(PurePath(src.release_hint).parent)


def release_of(src: SourceFile) -> str | None:
    """The release named by the path (``db_29_0_text.zip`` -> 29.0, ``onet-29.3-excel`` -> 29.3,
    ``release-23`` -> 23), or None when the path names none."""
    # only the folders that hold the file: a temporary path such as test_db_0 names no release
    hint = "/".join(PurePath(src.release_hint).parts[-4:-1])
    for rx in _NAMED:
        found = rx.findall(hint)
        if found:
            major, minor = found[-1]
            return f"{int(major)}.{minor}"
    m = _RELEASE_DIR.findall(hint)
    return m[-1] if m else None


def readme_release(src: SourceFile) -> str | None:
    """The release a ``Read Me.txt`` of an official O*NET release names (``O*NET 29.3 Database``)."""
    try:
        head = src.opener()[:400].decode("utf-8", "replace")
    except OSError:
        return None
    m = _README.search(head)
    return m.group(1) if m else None


def date_key(max_date: str) -> float:
    """Where an unnamed release sorts: the newest data date in its files (YYYY-MM), else last."""
    m = re.match(r"^(\d{4})-(\d{2})$", max_date)
    return int(m.group(1)) + (int(m.group(2)) - 1) / 12 if m else math.inf


def release_key(release: str) -> float:
    """Order releases by when they were published (a year as a decimal).

    Numbered releases follow the O*NET calendar (N.0 in August of 2000 + N - 5, then .1 November,
    .2 February, .3 May), a little after an unnamed release whose data dates from the same month
    (:func:`date_key`); 'latest' (unnamed, not dated) sorts last.
    """
    try:
        num = float(release)
    except ValueError:
        return math.inf
    major = int(num)
    minor = round((num - major) * 10)
    months = 7 + 3 * minor  # months after January of the N.0 year
    return 2000 + major - 5 + months / 12 + 1e-4


def occ_id(code: str) -> str:
    return f"onet:{code}"


def slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def parse(kind: str, src: SourceFile, batch: Batch, release: str) -> None:
    """Parse one O*NET file of the given kind and release into the batch."""
    batch.files.setdefault(("onet", release), []).append(src.display)
    fn = _PARSERS[kind]
    fn(src, batch, release)


_DATE = re.compile(r"^(\d{2})/(\d{4})$")


def _rows(
    src: SourceFile, batch: Batch, cols: tuple[str, ...], expected: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict]]:
    """``Batch.read`` (the import guard notes absent ``expected`` columns), noting the newest
    ``Date`` (MM/YYYY) of the file to date an unnamed release."""
    for line, row in batch.read(src, cols, expected):
        d = row.get("Date")
        if isinstance(d, str):
            m = _DATE.match(d.strip())
            if m:
                ym = f"{m.group(2)}-{m.group(1)}"
                if ym > batch.max_date:
                    batch.max_date = ym
        yield line, row


def _code(row: dict, src: SourceFile, line: int) -> str:
    code = text(row.get(CODE))
    if not _CODE_RE.match(code):
        raise InputError(
            "not an O*NET-SOC code (expected NN-NNNN.NN)",
            file=src.display,
            row=line,
            column=CODE,
            value=code,
        )
    return code


def _occupations(src: SourceFile, batch: Batch, rel: str) -> None:
    batch.origins.add("onet/occupation")
    for line, row in _rows(src, batch, (CODE, "Title"), ("Description",)):
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
    for line, row in _rows(src, batch, cols, ("Recommend Suppress", "Not Relevant")):
        code = _code(row, src, line)
        el = text(row["Element ID"])
        sid = f"onet:{el}"
        batch.upsert_skill(
            {
                "id": sid,
                "taxonomy": "onet",
                "kind": kind,
                "label": text(row["Element Name"]),
                "description": "",
                "alt_labels": [],
                "parent_id": None,
                "reuse_level": None,
                "hot": False,
            }
        )
        scale = text(row["Scale ID"])
        if scale not in ("IM", "LV"):
            continue
        val = number(row["Data Value"], src, line, "Data Value")
        lo, hi = batch.scales.get(scale, {}).get("range", DEFAULT_SCALES[scale])
        if val is None or not lo <= val <= hi:
            raise InputError(
                f"value out of the {scale} scale's range {lo:g}-{hi:g}",
                file=src.display,
                row=line,
                column="Data Value",
                value=row["Data Value"],
            )
        req = {
            "occupation_id": occ_id(code),
            "skill_id": sid,
            "relation": "rated",
            "origin": origin,
            "importance": None,
            "level": None,
            "hot": False,
            "not_relevant": False,
            "suppress": False,
        }
        batch.pending.append(
            (
                "requirement",
                {
                    **req,
                    "_scale": scale,
                    "_value": val,
                    "_file": src.display,
                    "_row": line,
                    "_code": code,
                    "_nr": text(row.get("Not Relevant")) == "Y",
                    "_sup": text(row.get("Recommend Suppress")) == "Y",
                },
            )
        )


def _technology(src: SourceFile, batch: Batch, rel: str) -> None:
    origin = "onet/technology"
    batch.origins.add(origin)
    for line, row in _rows(
        src, batch, (CODE, "Example"), ("Commodity Code", "Commodity Title", "Hot Technology")
    ):
        code = _code(row, src, line)
        example = text(row["Example"])
        if not example:
            continue
        hot = text(row.get("Hot Technology")) == "Y"
        in_demand = text(row.get("In Demand")) == "Y"
        cls = text(row.get("Commodity Code"))
        parent = f"onet-class:{cls}" if cls else None
        if parent:
            batch.upsert_skill(
                {
                    "id": parent,
                    "taxonomy": "onet",
                    "kind": "technology-class",
                    "label": text(row.get("Commodity Title")),
                    "description": "",
                    "alt_labels": [],
                    "parent_id": None,
                    "reuse_level": None,
                    "hot": False,
                }
            )
        sid = f"onet-tech:{slug(example)}"
        batch.upsert_skill(
            {
                "id": sid,
                "taxonomy": "onet",
                "kind": "technology",
                "label": example,
                "description": text(row.get("Commodity Title")),
                "alt_labels": [],
                "parent_id": parent,
                "reuse_level": None,
                "hot": hot,
            }
        )
        batch.pending.append(
            (
                "requirement",
                {
                    "occupation_id": occ_id(code),
                    "skill_id": sid,
                    "relation": "technology",
                    "origin": origin,
                    "importance": None,
                    "level": None,
                    "hot": hot,
                    "in_demand": in_demand,
                    "not_relevant": False,
                    "suppress": False,
                    "_file": src.display,
                    "_row": line,
                    "_code": code,
                },
            )
        )


def _tools(src: SourceFile, batch: Batch, rel: str) -> None:
    """Tools Used: the machines, equipment and instruments of an occupation (no hot flags)."""
    origin = "onet/tools"
    batch.origins.add(origin)
    for line, row in _rows(src, batch, (CODE, "Example"), ("Commodity Code", "Commodity Title")):
        code = _code(row, src, line)
        example = text(row["Example"])
        if not example:
            continue
        cls = text(row.get("Commodity Code"))
        parent = f"onet-class:{cls}" if cls else None
        if parent:
            batch.upsert_skill(
                {
                    "id": parent,
                    "taxonomy": "onet",
                    "kind": "tool-class",
                    "label": text(row.get("Commodity Title")),
                    "description": "",
                    "alt_labels": [],
                    "parent_id": None,
                    "reuse_level": None,
                    "hot": False,
                }
            )
        sid = f"onet-tool:{slug(example)}"
        batch.upsert_skill(
            {
                "id": sid,
                "taxonomy": "onet",
                "kind": "tool",
                "label": example,
                "description": text(row.get("Commodity Title")),
                "alt_labels": [],
                "parent_id": parent,
                "reuse_level": None,
                "hot": False,
            }
        )
        batch.pending.append(
            (
                "requirement",
                {
                    "occupation_id": occ_id(code),
                    "skill_id": sid,
                    "relation": "tool",
                    "origin": origin,
                    "importance": None,
                    "level": None,
                    "hot": False,
                    "in_demand": False,
                    "not_relevant": False,
                    "suppress": False,
                    "_file": src.display,
                    "_row": line,
                    "_code": code,
                },
            )
        )


def _int(v: object, src: SourceFile, line: int, column: str, lo: int, hi: int) -> int:
    val = number(v, src, line, column)
    if val is None or not val.is_integer() or not lo <= val <= hi:
        raise InputError(
            f"expected a whole number from {lo} to {hi}",
            file=src.display,
            row=line,
            column=column,
            value=v,
        )
    return int(val)


def _job_zones(src: SourceFile, batch: Batch, rel: str) -> None:
    """Job Zones: the preparation an occupation needs, 1 (little) to 5 (extensive)."""
    origin = "onet/job_zones"
    batch.origins.add(origin)
    for line, row in _rows(src, batch, (CODE, "Job Zone")):
        code = _code(row, src, line)
        zone = _int(row["Job Zone"], src, line, "Job Zone", 1, 5)
        batch.pending.append(
            (
                "value",
                {
                    "occupation_id": occ_id(code),
                    "element_id": "job_zone",
                    "scale_id": "JZ",
                    "category": 0,
                    "value": float(zone),
                    "suppress": False,
                    "origin": origin,
                    "_file": src.display,
                    "_row": line,
                    "_code": code,
                },
            )
        )


def _job_zone_ref(src: SourceFile, batch: Batch, rel: str) -> None:
    for line, row in _rows(src, batch, ("Job Zone", "Name")):
        zone = _int(row["Job Zone"], src, line, "Job Zone", 1, 5)
        batch.job_zones[zone] = {
            "zone": zone,
            "name": text(row["Name"]),
            "experience": text(row.get("Experience")),
            "education": text(row.get("Education")),
            "training": text(row.get("Job Training")),
            "examples": text(row.get("Examples")),
            "svp": text(row.get("SVP Range"))[:40],
            "origin": "onet/job_zone_ref",
        }


def _ete(src: SourceFile, batch: Batch, rel: str) -> None:
    """Education, Training, and Experience: the share of workers (%) per category of each scale."""
    origin = "onet/ete"
    batch.origins.add(origin)
    cols = (CODE, "Element ID", "Scale ID", "Category", "Data Value")
    for line, row in _rows(src, batch, cols):
        code = _code(row, src, line)
        cat = text(row["Category"])
        if cat in ("", "n/a"):
            continue  # scale-level summary rows carry no category
        val = number(row["Data Value"], src, line, "Data Value")
        if val is None or not 0 <= val <= 100:
            raise InputError(
                "expected a percentage from 0 to 100",
                file=src.display,
                row=line,
                column="Data Value",
                value=row["Data Value"],
            )
        batch.pending.append(
            (
                "value",
                {
                    "occupation_id": occ_id(code),
                    "element_id": text(row["Element ID"]),
                    "scale_id": text(row["Scale ID"]),
                    "category": _int(cat, src, line, "Category", 0, 99),
                    "value": val,
                    "suppress": text(row.get("Recommend Suppress")) == "Y",
                    "origin": origin,
                    "_file": src.display,
                    "_row": line,
                    "_code": code,
                },
            )
        )


def _ete_categories(src: SourceFile, batch: Batch, rel: str) -> None:
    cols = ("Element ID", "Scale ID", "Category", "Category Description")
    for line, row in _rows(src, batch, cols):
        cat = _int(row["Category"], src, line, "Category", 0, 99)
        key = (text(row["Element ID"]), text(row["Scale ID"]), cat)
        batch.categories[key] = {
            "element_id": key[0],
            "scale_id": key[1],
            "category": cat,
            "description": text(row["Category Description"]),
            "origin": "onet/ete_categories",
        }


def _interests(src: SourceFile, batch: Batch, rel: str) -> None:
    """Interests: RIASEC profile of each occupation (OI 1-7) and its high-point codes."""
    origin = "onet/interests"
    batch.origins.add(origin)
    for line, row in _rows(src, batch, (CODE, "Element ID", "Scale ID", "Data Value")):
        code = _code(row, src, line)
        val = number(row["Data Value"], src, line, "Data Value")
        if val is None:
            continue
        batch.pending.append(
            (
                "value",
                {
                    "occupation_id": occ_id(code),
                    "element_id": text(row["Element ID"]),
                    "scale_id": text(row["Scale ID"]),
                    "category": 0,
                    "value": val,
                    "suppress": False,
                    "origin": origin,
                    "_file": src.display,
                    "_row": line,
                    "_code": code,
                },
            )
        )


def _activity(dwa: str, title: str, iwa: str = "") -> dict:
    return {
        "id": f"onet:{dwa}",
        "taxonomy": "onet",
        "kind": "activity",
        "label": title.rstrip("."),
        "description": "",
        "alt_labels": [],
        "parent_id": f"onet:{iwa}" if iwa else None,
        "reuse_level": None,
        "hot": False,
    }


def _task_dwas(src: SourceFile, batch: Batch, rel: str) -> None:
    """Tasks to DWAs: which detailed work activity each task statement is an instance of."""
    origin = "onet/task_dwas"
    batch.origins.add(origin)
    for line, row in _rows(src, batch, (CODE, "Task ID", "DWA ID")):
        code = _code(row, src, line)
        dwa = text(row["DWA ID"])
        if text(row.get("DWA Title")):
            batch.upsert_skill(_activity(dwa, text(row["DWA Title"])))
        batch.pending.append(
            (
                "task_activity",
                {
                    "occupation_id": occ_id(code),
                    "task_id": text(row["Task ID"]),
                    "dwa_id": f"onet:{dwa}",
                    "origin": origin,
                    "_file": src.display,
                    "_row": line,
                    "_code": code,
                },
            )
        )


def _dwa_ref(src: SourceFile, batch: Batch, rel: str) -> None:
    for _line, row in _rows(src, batch, ("DWA ID", "DWA Title")):
        iwa = text(row.get("IWA ID"))
        batch.upsert_skill(_activity(text(row["DWA ID"]), text(row["DWA Title"]), iwa))
        if iwa and text(row.get("IWA Title")):
            batch.upsert_skill(
                {
                    "id": f"onet:{iwa}",
                    "taxonomy": "onet",
                    "kind": "activity-group",
                    "label": text(row["IWA Title"]).rstrip("."),
                    "description": "",
                    "alt_labels": [],
                    "parent_id": None,
                    "reuse_level": None,
                    "hot": False,
                }
            )


def _iwa_ref(src: SourceFile, batch: Batch, rel: str) -> None:
    for _line, row in _rows(src, batch, ("IWA ID", "IWA Title")):
        batch.upsert_skill(
            {
                "id": f"onet:{text(row['IWA ID'])}",
                "taxonomy": "onet",
                "kind": "activity-group",
                "label": text(row["IWA Title"]).rstrip("."),
                "description": "",
                "alt_labels": [],
                "parent_id": None,
                "reuse_level": None,
                "hot": False,
            }
        )


def _tasks(src: SourceFile, batch: Batch, rel: str, emerging: bool = False) -> None:
    origin = "onet/emerging" if emerging else "onet/tasks"
    batch.origins.add(origin)
    for line, row in _rows(
        src, batch, (CODE, "Task"), ("Category",) if emerging else ("Task ID", "Task Type")
    ):
        code = _code(row, src, line)
        tid = text(row.get("Task ID")) or f"e{line}"
        if emerging:
            tid = f"emerging-{code}-{line}"
        batch.pending.append(
            (
                "task",
                {
                    "id": tid,
                    "occupation_id": occ_id(code),
                    "text": text(row["Task"]),
                    "task_type": text(row.get("Task Type")) or (text(row.get("Category")) or None),
                    "emerging": emerging,
                    "origin": origin,
                    "_file": src.display,
                    "_row": line,
                    "_code": code,
                },
            )
        )


def _titles(kind: str, column: str):
    def parse_titles(src: SourceFile, batch: Batch, rel: str) -> None:
        origin = f"onet/{kind}"
        batch.origins.add(origin)
        for line, row in _rows(
            src, batch, (CODE, column), ("Short Title",) if kind == "alternate" else ()
        ):
            code = _code(row, src, line)
            for t, k in ((text(row[column]), kind), (text(row.get("Short Title")), "short")):
                if t:
                    batch.pending.append(
                        (
                            "title",
                            {
                                "occupation_id": occ_id(code),
                                "title": t[:400],
                                "kind": k,
                                "origin": origin,
                                "_file": src.display,
                                "_row": line,
                                "_code": code,
                            },
                        )
                    )

    return parse_titles


def _related(kind: str):
    def parse_related(src: SourceFile, batch: Batch, rel: str) -> None:
        origin = f"onet/{kind}"
        batch.origins.add(origin)
        rank_col = "Index" if kind != "related" else "Related Index"
        for line, row in _rows(src, batch, (CODE, "Related O*NET-SOC Code")):
            code = _code(row, src, line)
            other = text(row["Related O*NET-SOC Code"])
            rank = number(row.get(rank_col, row.get("Index")), src, line, rank_col)
            batch.pending.append(
                (
                    "related",
                    {
                        "from_id": occ_id(code),
                        "to_id": occ_id(other),
                        "kind": kind,
                        "rank": rank,
                        "origin": origin,
                        "tier": text(row.get("Relatedness Tier")) or None,
                        "_file": src.display,
                        "_row": line,
                        "_code": code,
                    },
                )
            )

    return parse_related


def _scales(src: SourceFile, batch: Batch, rel: str) -> None:
    for line, row in _rows(src, batch, ("Scale ID", "Scale Name", "Minimum", "Maximum")):
        sid = text(row["Scale ID"])
        lo = number(row["Minimum"], src, line, "Minimum")
        hi = number(row["Maximum"], src, line, "Maximum")
        if lo is None or hi is None or lo > hi:
            raise InputError(
                "scale minimum/maximum missing or reversed",
                file=src.display,
                row=line,
                column="Minimum",
                value=row["Minimum"],
            )
        batch.scales[sid] = {
            "id": sid,
            "name": text(row["Scale Name"]),
            "minimum": lo,
            "maximum": hi,
            "range": (lo, hi),
        }


def _anchors(src: SourceFile, batch: Batch, rel: str) -> None:
    batch.origins.add("onet/anchors")
    cols = ("Element ID", "Scale ID", "Anchor Value", "Anchor Description")
    for line, row in _rows(src, batch, cols):
        val = number(row["Anchor Value"], src, line, "Anchor Value")
        if val is None:
            continue
        key = (text(row["Element ID"]), text(row["Scale ID"]), val)
        batch.anchors[key] = {
            "element_id": key[0],
            "scale_id": key[1],
            "value": val,
            "description": text(row["Anchor Description"]),
            "origin": "onet/anchors",
        }


def _content(src: SourceFile, batch: Batch, rel: str) -> None:
    for _line, row in _rows(src, batch, ("Element ID", "Element Name"), ("Description",)):
        eid = text(row["Element ID"])
        batch.elements[eid] = {
            "id": eid,
            "name": text(row["Element Name"]),
            "description": text(row.get("Description")),
        }


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
    "tools": _tools,
    "job_zones": _job_zones,
    "job_zone_ref": _job_zone_ref,
    "ete": _ete,
    "ete_categories": _ete_categories,
    "interests": _interests,
    "task_dwas": _task_dwas,
    "dwa_ref": _dwa_ref,
    "iwa_ref": _iwa_ref,
}


def newest_folder(data_dir: Path) -> Path | None:
    """The O*NET release folder of a data directory to use by default: the newest named release
    (``onet-29.3-excel``, ``db_29_3_text``), else the unnamed ``onet`` folder; None when neither.

    Only folders that hold the rated Skills file count (the 28.1 text release here has none).
    """
    best: tuple[float, Path] | None = None
    for p in sorted(data_dir.iterdir()) if data_dir.is_dir() else []:
        if not p.is_dir() or not p.name.lower().startswith(("onet", "db_")):
            continue
        if not any((p / f"Skills{ext}").exists() for ext in (".txt", ".xlsx")):
            continue
        rel = release_of(SourceFile(str(p / "x"), "x", bytes, str(p / "x")))
        key = release_key(rel) if rel else -math.inf
        if best is None or key > best[0]:
            best = (key, p)
    return best[1] if best else None
