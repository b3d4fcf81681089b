"""JSON Resume (https://jsonresume.org/schema), validated against the bundled schema (no network)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from skillpath._safejson import read_json
from skillpath.errors import InputError
from skillpath.profile._dates import is_present, parse_date
from skillpath.profile._model import (
    Certificate,
    Course,
    Education,
    Position,
    Profile,
    StatedSkill,
)

__all__ = ["parse_jsonresume", "read_jsonresume"]


@cache
def _validator() -> Any:
    from jsonschema import Draft7Validator

    text = (
        resources.files("skillpath.profile")
        .joinpath("resources/jsonresume-schema.json")
        .read_text(encoding="utf-8")
    )
    schema = json.loads(text)
    return Draft7Validator(schema)


def read_jsonresume(path: Path) -> Profile:
    """Read and validate a JSON Resume file.

    Raises:
        InputError: malformed JSON (with line and column) or a schema violation (with the field).
    """
    data = read_json(path, what="the CV")
    return parse_jsonresume(data, source=str(path))


def parse_jsonresume(data: object, *, source: str) -> Profile:
    """Turn a parsed JSON Resume document into a :class:`Profile`, validating it first."""
    if not isinstance(data, dict):
        raise InputError(
            "a JSON Resume must be a JSON object with 'basics', 'work', ...", file=source
        )
    warnings: list[str] = []
    data = _repair(data, warnings, source)
    if not any(data.get(k) for k in ("basics", "work", "skills", "volunteer", "education")):
        raise InputError(
            "this JSON has none of the JSON Resume sections (basics, work, skills, education) "
            "with readable content; is it a JSON Resume?"
            + (f" ({'; '.join(warnings[:3])})" if warnings else ""),
            file=source,
        )
    basics = data.get("basics") or {}
    positions: list[Position] = []
    for item in data.get("work") or []:
        positions.append(
            _position(item, title_key="position", org_key="name", kind="job", warnings=warnings)
        )
    for item in data.get("volunteer") or []:
        positions.append(
            _position(
                item,
                title_key="position",
                org_key="organization",
                kind="volunteer",
                warnings=warnings,
            )
        )
    for item in data.get("projects") or []:
        kind = "education-project" if str(item.get("type", "")).lower() in {
            "academic", "school", "university", "thesis", "education"
        } else "informal"  # fmt: skip
        roles = item.get("roles") or []
        title = ", ".join(roles) if roles else str(item.get("name", ""))
        pos = _position(item, title_key="", org_key="entity", kind=kind, warnings=warnings)
        desc = "\n".join(
            x
            for x in [
                str(item.get("name", "")),
                pos.description,
                ", ".join(item.get("keywords") or []),
            ]
            if x
        )
        positions.append(
            Position(
                title=title,
                organisation=pos.organisation,
                start=pos.start,
                end=pos.end,
                current=pos.current,
                description=desc,
                kind=kind,
            )
        )
    skills: list[StatedSkill] = []
    for item in data.get("skills") or []:
        name = str(item.get("name", "")).strip()
        keywords = tuple(str(k).strip() for k in item.get("keywords") or [] if str(k).strip())
        if name:
            skills.append(
                StatedSkill(name=name, level=item.get("level") or None, keywords=keywords)
            )
    education: list[Education] = []
    courses: list[Course] = []
    for item in data.get("education") or []:
        inst = str(item.get("institution", ""))
        education.append(
            Education(
                institution=inst,
                degree=str(item.get("studyType", "")),
                field=str(item.get("area", "")),
                start=parse_date(item.get("startDate")),
                end=parse_date(item.get("endDate")),
            )
        )
        for c in item.get("courses") or []:
            courses.append(Course(name=str(c), provider=inst))
    certificates = [
        Certificate(
            name=str(c.get("name", "")),
            issuer=str(c.get("issuer", "")),
            date=parse_date(c.get("date")),
        )
        for c in data.get("certificates") or []
        if c.get("name")
    ]
    positions.sort(key=lambda p: (p.current, p.start.toordinal() if p.start else 0), reverse=True)
    return Profile(
        source=source,
        format="jsonresume",
        name=basics.get("name") or None,
        headline=str(basics.get("label", "")),
        summary=str(basics.get("summary", "")),
        positions=tuple(positions),
        skills=tuple(skills),
        education=tuple(education),
        certificates=tuple(certificates),
        courses=tuple(courses),
        warnings=tuple(warnings),
    )


_DATE_KEYS = {"startDate", "endDate", "date", "releaseDate"}
_MAX_REPAIRS = 500


def _where(path: list[Any]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def _repair(data: dict[str, Any], warnings: list[str], source: str) -> dict[str, Any]:
    """Accept the deviations real resume.json files have, each with a warning; refuse the rest.

    Real files leave a current job's ``endDate`` empty or null, write dates as "Jan 2020" or
    "Present", give ``keywords`` as one comma-separated string, numbers where the schema wants
    text, or null for absent values. Each is read the way its author meant, and said so. A value
    that still does not fit is dropped with a warning naming its field; the CV is refused only
    when nothing of it can be read (checked by the caller).
    """
    data = json.loads(json.dumps(data))  # a private copy: repairs edit it in place
    validator = _validator()
    for _ in range(_MAX_REPAIRS):
        err = next(
            iter(
                sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
            ),
            None,
        )
        if err is None:
            return data
        path = list(err.absolute_path)
        if not path:
            raise InputError(f"does not follow the JSON Resume schema: {err.message}", file=source)
        parent: Any = data
        for p in path[:-1]:
            parent = parent[p]
        key = path[-1]
        value = parent[key]
        where = _where(path)
        expected = err.validator_value if err.validator == "type" else None
        if key in _DATE_KEYS and isinstance(value, str | type(None)):
            text = (value or "").strip()
            if key == "endDate" and (not text or is_present(text)):
                del parent[key]
                warnings.append(f"{where} is {value!r}: read as ongoing (no end date)")
                continue
            d = parse_date(text) if text else None
            if d is not None:
                parent[key] = d.isoformat()[:7] if d.day == 1 else d.isoformat()
                warnings.append(f"{where} {value!r} read as {parent[key]}")
            else:
                del parent[key]
                warnings.append(f"{where} {value!r} is not a date; ignored")
            continue
        if value is None or value == "":
            del parent[key]
            warnings.append(f"{where} is {value!r}: treated as absent")
            continue
        if expected == "string" and isinstance(value, int | float | bool):
            parent[key] = str(value)
            warnings.append(f"{where} is a number, read as text {parent[key]!r}")
            continue
        if expected == "array" and isinstance(value, str):
            parent[key] = [x.strip() for x in value.split(",") if x.strip()]
            warnings.append(f"{where} is one text, read as a comma-separated list")
            continue
        if expected == "array" and isinstance(value, dict):
            parent[key] = [value]
            warnings.append(f"{where} is a single object, read as a list of one")
            continue
        del parent[key]
        warnings.append(f"{where} ignored: {err.message[:120]}")
    raise InputError(
        f"too many values do not follow the JSON Resume schema (more than "
        f"{_MAX_REPAIRS}); is it a JSON Resume?",
        file=source,
    )


def _position(
    item: dict[str, Any], *, title_key: str, org_key: str, kind: str, warnings: list[str]
) -> Position:
    title = str(item.get(title_key, "")) if title_key else ""
    start = parse_date(item.get("startDate"))
    end_raw = item.get("endDate")
    end = parse_date(end_raw)
    current = start is not None and (not end_raw or is_present(end_raw))
    desc_parts = [str(item.get("summary", "") or item.get("description", ""))]
    desc_parts += [str(h) for h in item.get("highlights") or []]
    if title_key and not title:
        warnings.append(f"a {kind} entry at {item.get(org_key, '?')!r} has no position title")
    return Position(
        title=title,
        organisation=str(item.get(org_key, "") or ""),
        start=start,
        end=end,
        current=current,
        description="\n".join(p for p in desc_parts if p),
        kind=kind,
        location=str(item.get("location", "") or ""),
    )
