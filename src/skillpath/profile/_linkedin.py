"""LinkedIn data export: the zip LinkedIn mails you, or the folder of CSVs inside it.

Files read (all optional, at least one of Profile, Positions or Skills must be there):
``Profile.csv``, ``Positions.csv``, ``Skills.csv``, ``Endorsement_Received_Info.csv``,
``Education.csv``, ``Certifications.csv``, ``Courses.csv``, ``Volunteering.csv``, ``Projects.csv``.
LinkedIn writes dates as "Jan 2019" (sometimes "2019" or "03/2019"), and some files start
with a "Notes:" preamble before the header, which is skipped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from skillpath._archive import open_zip
from skillpath._csv import read_csv
from skillpath.errors import InputError
from skillpath.profile._dates import is_present, parse_date
from skillpath.profile._lang import detect_language
from skillpath.profile._model import (
    Certificate,
    Course,
    Education,
    Endorsement,
    Position,
    Profile,
    StatedSkill,
)
from skillpath.profile._text import _FOUNDER_RE

__all__ = ["EXPECTED_FILES", "read_linkedin"]

EXPECTED_FILES = (
    "Profile.csv",
    "Positions.csv",
    "Skills.csv",
    "Endorsement_Received_Info.csv",
    "Education.csv",
    "Certifications.csv",
    "Courses.csv",
    "Volunteering.csv",
    "Projects.csv",
)
_CORE = ("Profile.csv", "Positions.csv", "Skills.csv")
_HEADER_HINTS = {
    "Profile.csv": "First Name",
    "Positions.csv": "Title",
    "Skills.csv": "Name",
    "Endorsement_Received_Info.csv": "Skill Name",
    "Education.csv": "School Name",
    "Certifications.csv": "Name",
    "Courses.csv": "Name",
    "Volunteering.csv": "Role",
    "Projects.csv": "Title",
}


def _load_texts(path: Path) -> dict[str, str]:
    """The expected CSVs' texts keyed by canonical file name (nested folders allowed)."""
    wanted = {name.lower(): name for name in EXPECTED_FILES}
    texts: dict[str, str] = {}
    if path.is_dir():
        for p in sorted(path.rglob("*.csv")):
            canon = wanted.get(p.name.lower())
            if canon and canon not in texts:
                texts[canon] = p.read_bytes().decode("utf-8-sig", errors="replace")
        return texts
    with open_zip(path, what="LinkedIn export (download it again?)") as zf:
        for info in zf.files():
            canon = wanted.get(Path(info.filename).name.lower())
            if canon and canon not in texts:
                texts[canon] = zf.read(info).decode("utf-8-sig", errors="replace")
    return texts


def _rows(text: str, name: str) -> list[dict[str, str]]:
    lines = text.splitlines()
    hint = _HEADER_HINTS[name].lower()
    start = 0
    for i, line in enumerate(lines[:20]):  # skip a "Notes:" preamble before the header
        if (hint in line.lower() and "," in line) or line.strip().lower() == hint:
            start = i
            break
    body = "\n".join(lines[start:])
    if not body.strip():
        return []
    table = read_csv(body.encode("utf-8"), file=name, prefer=",")
    out = []
    for _row, rec in table.rows:
        out.append({h: v.strip() for h, v in zip(table.header, rec, strict=False) if h})
    return out


def read_linkedin(path: Path) -> Profile:
    """Read a LinkedIn data export (zip or folder) into a :class:`Profile`.

    Raises:
        InputError: the zip/folder holds none of Profile.csv, Positions.csv, Skills.csv.
    """
    texts = _load_texts(path)
    if not any(name in texts for name in _CORE):
        raise InputError(
            "holds none of the LinkedIn export files Profile.csv, Positions.csv or Skills.csv; "
            "request 'Get a copy of your data' in LinkedIn settings and pass the zip or its folder",
            file=path,
        )
    warnings: list[str] = []
    rows = {name: _rows(text, name) for name, text in texts.items()}

    name = None
    headline = summary = ""
    for r in rows.get("Profile.csv", [])[:1]:
        full = " ".join(x for x in (r.get("First Name", ""), r.get("Last Name", "")) if x)
        name = full or None
        headline = r.get("Headline", "")
        summary = r.get("Summary", "")

    positions: list[Position] = []
    for i, r in enumerate(rows.get("Positions.csv", []), start=2):
        title = r.get("Title", "")
        if not title:
            warnings.append(f"Positions.csv row {i}: no Title, skipped")
            continue
        positions.append(_pos(r, title=title, org=r.get("Company Name", ""), kind="job"))
    for r in rows.get("Volunteering.csv", []):
        title = r.get("Role", "")
        if title:
            desc = "\n".join(x for x in (r.get("Cause", ""), r.get("Description", "")) if x)
            positions.append(
                _pos(
                    {**r, "Description": desc},
                    title=title,
                    org=r.get("Company Name", ""),
                    kind="volunteer",
                )
            )
    for r in rows.get("Projects.csv", []):
        # A project's Title is the project's name ("All Social"), not a job title: it goes to
        # ``project`` and the role stays empty, so it is never matched to an occupation.
        name = r.get("Title", "")
        if name:
            positions.append(replace(_pos(r, title="", org="", kind="informal"), project=name))
    positions.sort(key=lambda p: (p.current, p.start.toordinal() if p.start else 0), reverse=True)

    skills = [StatedSkill(name=r["Name"]) for r in rows.get("Skills.csv", []) if r.get("Name")]
    counts: Counter[str] = Counter()
    for r in rows.get("Endorsement_Received_Info.csv", []):
        status = r.get("Endorsement Status", "ACCEPTED").upper()
        if r.get("Skill Name") and status not in {"REJECTED", "HIDDEN", "PENDING"}:
            counts[r["Skill Name"]] += 1
    endorsements = [Endorsement(skill=s, count=c) for s, c in sorted(counts.items())]
    known = {s.name.lower() for s in skills}
    for e in endorsements:  # an endorsed skill is a stated skill even if Skills.csv lacks it
        if e.skill.lower() not in known:
            skills.append(StatedSkill(name=e.skill))
            known.add(e.skill.lower())

    education = [
        Education(
            institution=r.get("School Name", ""),
            degree=r.get("Degree Name", ""),
            field=r.get("Notes", "") if len(r.get("Notes", "")) <= 80 else "",
            start=parse_date(r.get("Start Date")),
            end=parse_date(r.get("End Date")),
        )
        for r in rows.get("Education.csv", [])
        if r.get("School Name") or r.get("Degree Name")
    ]
    certificates = [
        Certificate(
            name=r["Name"], issuer=r.get("Authority", ""), date=parse_date(r.get("Started On"))
        )
        for r in rows.get("Certifications.csv", [])
        if r.get("Name")
    ]
    courses = [
        Course(name=r["Name"], provider="") for r in rows.get("Courses.csv", []) if r.get("Name")
    ]
    return Profile(
        source=str(path),
        format="linkedin",
        name=name,
        headline=headline,
        summary=summary,
        positions=tuple(positions),
        skills=tuple(skills),
        endorsements=tuple(endorsements),
        education=tuple(education),
        certificates=tuple(certificates),
        courses=tuple(courses),
        warnings=tuple(warnings),
        language=detect_language(
            "\n".join([headline, summary, *(p.description for p in positions)])
        ),
        text="\n".join(
            [headline, summary, *(f"{p.title or p.project}\n{p.description}" for p in positions)]
        ).strip(),
    )


def _pos(r: dict[str, str], *, title: str, org: str, kind: str) -> Position:
    start = parse_date(r.get("Started On"))
    end_raw = r.get("Finished On", "")
    return Position(
        founder=bool(_FOUNDER_RE.search(title)),
        title=title,
        organisation=org,
        start=start,
        end=parse_date(end_raw),
        current=start is not None and (not end_raw or is_present(end_raw)),
        description=r.get("Description", ""),
        kind=kind,
        location=r.get("Location", ""),
    )
