"""Reading tabular course files (CSV/TSV, JSON, JSON Lines, XLSX) and the column mappings.

A :class:`Mapping` says which source column holds which course field; presets cover the real
layouts of the shared edX, Udemy and Coursera files. A mapping file is JSON or TOML::

    provider = "acme"
    duration_unit = "hours"          # what a bare number in the duration column means
    currency = "EUR"
    [columns]
    id = "Course code"
    title = "Name"
    description = "About"
    duration = "Length"
    price = "Cost"
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from skillpath._csv import read_csv
from skillpath._safejson import loads_json, read_json
from skillpath._xlsx import read_sheet
from skillpath.errors import InputError

#: The course fields a mapping can fill, in documentation order.
FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "summary",
    "description",
    "syllabus",
    "subject",
    "provider",
    "institution",
    "instructors",
    "url",
    "language",
    "level",
    "effort",
    "length",
    "duration",
    "price",
    "currency",
    "is_paid",
    "rating",
    "rating_count",
    "enrolled",
    "published",
    "prerequisites",
    "skills",
)
#: Cell values that mean "no value" in the wild ("Not Calibrated": Coursera's unrated courses).
NULLS = frozenset({"", "pending", "n/a", "na", "nan", "none", "null", "-", "tbd", "not calibrated"})


class Mapping(BaseModel):
    """Which source column holds which course field, and how to read values.

    Attributes:
        provider: provider name used in course ids (``provider:native_id``) unless a
            ``provider`` column is mapped.
        columns: course field -> source column name (see :data:`FIELDS`).
        defaults: course field -> constant value used when the column is absent or empty.
        duration_unit: what a bare number in ``duration`` means (``hours``, ``video-hours``,
            ``minutes``, ``weeks``).
        currency: ISO currency assumed when a price names none.
        id_from: where the native id comes from when no ``id`` column is mapped
            (``url``: the last path segment; ``title``: a slug of the title;
            ``institution+title``: slugs of both, for files where one title names different
            courses of different institutions).
        skills_separator: what separates the provider's skill labels in the ``skills`` column
            (``,`` by default); a separator of spaces only means a run of at least that many
            whitespace characters (Coursera 2021 separates labels by two spaces).
        skills_known: labels that contain the separator ("Extract, Transform, Load"), kept
            whole; added to the built-in list of such labels.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: str = "custom"
    columns: dict[str, str] = Field(default_factory=dict)
    defaults: dict[str, str] = Field(default_factory=dict)
    duration_unit: Literal["hours", "video-hours", "minutes", "weeks"] = "hours"
    currency: str = "USD"
    id_from: Literal["url", "title", "institution+title"] = "url"
    skills_separator: str = ","
    skills_known: tuple[str, ...] = ()

    @field_validator("skills_separator")
    @classmethod
    def _separator(cls, v: str) -> str:
        if not v:
            raise ValueError("skills_separator must not be empty")
        return v

    @field_validator("columns", "defaults")
    @classmethod
    def _known_fields(cls, v: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(v) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown course field(s) {unknown}; known: {', '.join(FIELDS)}")
        return v

    @field_validator("columns")
    @classmethod
    def _needs_title(cls, v: dict[str, str]) -> dict[str, str]:
        if "title" not in v:
            raise ValueError("the mapping must name the column holding the course title")
        return v

    @field_validator("provider")
    @classmethod
    def _provider(cls, v: str) -> str:
        v = v.strip().lower()
        if not v or ":" in v:
            raise ValueError("provider must be a non-empty name without ':'")
        return v


PRESETS: dict[str, Mapping] = {
    "edx": Mapping(
        provider="edx",
        columns={
            "title": "title",
            "summary": "summary",
            "description": "course_description",
            "syllabus": "course_syllabus",
            "subject": "subject",
            "institution": "institution",
            "instructors": "instructors",
            "url": "course_url",
            "language": "language",
            "level": "Level",
            "effort": "course_effort",
            "length": "course_length",
            "price": "price",
            "enrolled": "n_enrolled",
        },
        id_from="url",
    ),
    "udemy": Mapping(
        provider="udemy",
        columns={
            "id": "course_id",
            "title": "course_title",
            "url": "url",
            "is_paid": "is_paid",
            "price": "price",
            "enrolled": "num_subscribers",
            "rating_count": "num_reviews",
            "level": "level",
            "duration": "content_duration",
            "published": "published_timestamp",
            "subject": "subject",
        },
        duration_unit="video-hours",
    ),
    "coursera": Mapping(
        provider="coursera",
        columns={
            "id": "course_id",
            "title": "name",
            "institution": "institution",
            "url": "course_url",
        },
    ),
    # Kaggle "Coursera Courses Dataset 2021": ids are the URL slugs, as in the "coursera" preset.
    "coursera-2021": Mapping(
        provider="coursera",
        columns={
            "title": "Course_Name",
            "institution": "University",
            "level": "Difficulty_Level",
            "rating": "Course_Rating",
            "url": "Course _URL",  # sic: the file's header has the space
            "description": "Course_Description",
            "skills": "Skills",
        },
        skills_separator="  ",
        id_from="url",
    ),
    # A 2023 scrape of coursera.org: no URL, and one title can name courses of several partners.
    "coursera-2023": Mapping(
        provider="coursera",
        columns={
            "title": "course",
            "institution": "partner",
            "skills": "skills",
            "rating": "rating",
            "rating_count": "reviewcount",
            "level": "level",
            "duration": "duration",
        },
        id_from="institution+title",
    ),
}


def load_mapping(path: Path) -> Mapping:
    """Read a mapping file (``.json`` or ``.toml``).

    Raises:
        InputError: missing file, bad syntax, unknown fields or no title column.
    """
    if not path.exists():
        raise InputError("mapping file not found", file=path)
    if path.suffix.lower() != ".toml":
        data = read_json(path, what="the mapping")
    else:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(f"cannot read the mapping: {exc}", file=path) from exc
        except RecursionError as exc:  # tomllib parses nested arrays recursively
            raise InputError("the mapping nests too deeply", file=path) from exc
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise InputError(f"invalid mapping: {first['msg']}", file=path, column=loc or None) from exc


def _decode(data: bytes, path: Path, encoding: str | None) -> str:
    enc = encoding or "utf-8-sig"
    try:
        return data.decode(enc)
    except LookupError as exc:
        raise InputError(f"unknown encoding {encoding!r}", file=path) from exc
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not valid {enc} at byte {exc.start} (line {line}); re-save the file as UTF-8 "
            "or pass --encoding (e.g. latin-1, cp1252)",
            file=path,
            row=line,
        ) from exc


Row = dict[str, object]


def read_rows(
    path: Path, *, encoding: str | None = None
) -> tuple[list[str], Iterator[tuple[int, Row]]]:
    """The header and the rows of a tabular file, with 1-based row numbers (header = row 1).

    For JSON and JSON Lines the "row" is the 1-based record (JSON) or line number (JSONL).

    Raises:
        InputError: unknown format, unreadable file, broken encoding or JSON.
    """
    if not path.exists():
        raise InputError("file not found", file=path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(path, encoding)
    if suffix not in (".json", ".jsonl", ".ndjson"):
        raise InputError(
            f"unsupported file type {suffix!r}: use .csv, .tsv, .json, .jsonl or .xlsx", file=path
        )
    text = _decode(path.read_bytes(), path, encoding)
    if suffix == ".jsonl" or suffix == ".ndjson":
        return _read_jsonl(text, path)
    return _read_json(text, path)


def _read_csv(path: Path, encoding: str | None) -> tuple[list[str], Iterator[tuple[int, Row]]]:
    table = read_csv(
        path,
        encoding=encoding,
        prefer="\t" if path.suffix.lower() == ".tsv" else ",",
        hint="re-save the file as UTF-8 or pass --encoding (e.g. latin-1, cp1252)",
    )
    header = table.header

    def rows() -> Iterator[tuple[int, Row]]:
        for row, rec in table.rows:
            d: Row = dict(zip(header, rec, strict=False))
            if len(rec) > len(header):
                d["__extra__"] = rec[len(header) :]
            yield row, d

    return header, rows()


def _read_json(text: str, path: Path) -> tuple[list[str], Iterator[tuple[int, Row]]]:
    data = loads_json(text, file=path)
    if isinstance(data, dict):
        for key in ("courses", "elements", "items", "results", "data"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InputError("JSON must be a list of objects (or hold one under 'courses')", file=path)
    header = sorted({k for r in data for k in r})
    return header, ((i, dict(r)) for i, r in enumerate(data, start=1))


def _read_jsonl(text: str, path: Path) -> tuple[list[str], Iterator[tuple[int, Row]]]:
    records: list[tuple[int, Row]] = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        obj = loads_json(line, file=path, what=f"line {i}", first_line=i)
        if not isinstance(obj, dict):
            raise InputError("each JSON line must be an object", file=path, row=i)
        records.append((i, obj))
    header = sorted({k for _, r in records for k in r})
    return header, iter(records)


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, Row]]]:
    _, header, it = read_sheet(path, display=path)

    def rows() -> Iterator[tuple[int, Row]]:
        for i, rec in it:
            yield i, {h: ("" if c is None else c) for h, c in zip(header, rec, strict=False)}

    return header, rows()


#: Provider skill labels that contain a comma, kept whole when a skills cell is split on commas
#: (Coursera's taxonomy lists "Extract, Transform, Load" among its skills).
KNOWN_SKILL_LABELS: tuple[str, ...] = (
    "Extract, Transform, Load",
    "Extract, Transform and Load",
    "Extract, Load, Transform",
    "Create, Read, Update and Delete",
    "Diversity, Equity, and Inclusion",
    "Diversity, Equity and Inclusion",
    "Diversity, Equity, Inclusion and Belonging",
    "Governance, Risk, and Compliance",
    "Governance, Risk Management and Compliance",
    "Environmental, Social, and Corporate Governance",
    "Environmental, Social and Governance",
    "Research, Development and Innovation",
)
# Scraping debris seen in skills cells: a review count "(36.9k reviews)", the card's
# "Beginner · Course · 1 - 3 Months" line, a product type standing where the skills should be.
_SKILL_DEBRIS = re.compile(r"^\(?\s*[\d.,]+\s*[km]?\s+(?:reviews?|ratings?)\s*\)?$|·", re.I)
_PRODUCT_TYPES = frozenset(
    {
        "course",
        "courses",
        "specialization",
        "degree",
        "professional certificate",
        "project",
        "guided project",
        "mastertrack",
        "certificate",
        "university certificate",
    }
)
_CONJ = re.compile(r"^(?:and|or|&)\s", re.I)


@functools.lru_cache(maxsize=32)
def _known_patterns(separator: str, known: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    """Patterns of the known labels that contain ``separator``, longest first (compiled once)."""
    sep = rf"\s*{re.escape(separator.strip())}\s*" if separator.strip() else r"\s+"
    out = []
    for label in sorted({*KNOWN_SKILL_LABELS, *known}, key=len, reverse=True):
        if separator in label:
            parts = [re.escape(p.strip()) for p in label.split(separator)]
            out.append((label, re.compile(r"\s*" + sep.join(parts) + r"\s*", re.I)))
    return out


def split_skills(
    text: str, separator: str = ",", known: tuple[str, ...] = ()
) -> tuple[list[str], list[str]]:
    """Split a provider's skills cell into labels, and the pieces dropped as not skills.

    Labels in :data:`KNOWN_SKILL_LABELS` or ``known`` that contain the separator stay whole;
    with a comma separator, a piece starting with "and"/"or"/"&" ("..., and Inclusion") ends a
    label that has commas of its own and is joined to the two pieces before it. Pieces that are
    scraping debris (review counts, "Beginner · Course · ...", a product type alone in the cell,
    null words) are dropped and returned second. Labels keep the provider's spelling, without repeats.
    """
    t = (text or "").strip()
    if not t:
        return [], []
    saved: list[str] = []
    for label, pat in _known_patterns(separator, tuple(known)):

        def keep(m: re.Match[str], label: str = label) -> str:
            saved.append(label)  # the known spelling, whatever the spacing and case in the cell
            return f"{separator}\x00{len(saved) - 1}\x00{separator}"

        if pat.search(t):
            t = pat.sub(keep, t)
    # A separator of n spaces means runs of at least n whitespace characters.
    spaces = rf"\s{{{len(separator)},}}"
    pieces = t.split(separator) if separator.strip() else re.split(spaces, t)
    out: list[str] = []
    for raw in pieces:
        piece = re.sub(r"\x00(\d+)\x00", lambda m: saved[int(m.group(1))], raw).strip()
        if not piece:
            continue
        if separator == "," and _CONJ.match(piece) and len(out) >= 2:
            piece = f"{out[-2]}, {out[-1]}, {piece}"
            del out[-2:]
        out.append(piece)
    labels: list[str] = []
    dropped: list[str] = []
    seen: set[str] = set()
    for label in out:
        low = label.lower()
        # A product type ("Course") alone in the cell stands where the skills should be; among
        # other labels ("project" in Coursera's 2021 tags) it is the provider's own tag.
        alone = len(out) == 1 and low in _PRODUCT_TYPES
        if low in NULLS or alone or _SKILL_DEBRIS.search(label) or len(label) > 200:
            dropped.append(label)
        elif low not in seen:
            seen.add(low)
            labels.append(label)
    return labels, dropped


# control characters have no place in catalogue text: a NUL would be refused by every store
# (skillpath.store), so a file that holds one would not import at all
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cell(row: Row, column: str | None) -> str:
    """The cleaned text of a cell ('' for missing and null-like values, no control characters)."""
    if column is None:
        return ""
    v = row.get(column)
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = _CONTROL.sub("", str(v)).strip() if not isinstance(v, list | dict) else json.dumps(v)
    return "" if s.lower() in NULLS else s
