"""Plain-text and Markdown CVs (and the text extracted from PDF and DOCX files).

CVs have no grammar, so this reader is a set of small, forgiving heuristics:

* sections start at headings (Markdown ``#``, an all-caps line, or a short line that is a
  known section name such as "Experience", "Skills", "Education");
* in experience-like sections an entry is a run of header lines (a sub-heading, a line with
  a date range such as "Jan 2018 – Mar 2021" or "2019 - present", and the short lines just
  before it) followed by its description (bullets and prose);
* in the skills section items are split on commas, semicolons, bullets and pipes, and a
  level or years in brackets ("Python (advanced, 6 years)") are kept.

What it cannot place it reports as a warning rather than guessing silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from skillpath.profile._dates import find_date_range
from skillpath.profile._model import (
    Certificate,
    Course,
    Education,
    Position,
    Profile,
    StatedSkill,
)

__all__ = ["parse_text_cv", "split_skill_items"]

_SECTIONS: dict[str, tuple[str, ...]] = {
    "experience": (
        "experience", "work experience", "professional experience", "employment",
        "employment history", "work history", "career history", "career", "positions",
        "relevant experience", "professional background", "jobs", "work",
    ),
    "volunteer": (
        "volunteering", "volunteer experience", "volunteer work", "volunteer", "community",
        "community work", "voluntary work", "community involvement", "volunteering and community",
    ),
    "projects": (
        "projects", "personal projects", "side projects", "selected projects", "informal work",
        "other experience", "freelance", "open source",
    ),
    "skills": (
        "skills", "technical skills", "core skills", "key skills", "competencies",
        "core competencies", "skills and tools", "tools", "technologies", "expertise",
        "skills & tools", "areas of expertise", "tools and technologies", "skills summary",
    ),
    "education": ("education", "academic background", "qualifications", "degrees", "studies"),
    "certificates": (
        "certifications", "certificates", "licenses", "licences", "licenses and certifications",
        "licenses & certifications", "certifications and licences", "accreditations",
    ),
    "courses": (
        "courses", "training", "professional development", "continuing education",
        "courses and training", "training and courses", "cpd",
    ),
    "summary": ("summary", "profile", "about", "about me", "objective", "professional summary"),
    "ignore": (
        "languages", "interests", "hobbies", "references", "contact", "publications", "awards",
        "honours", "honors", "personal details", "contact details",
    ),
}  # fmt: skip
_HEADING_TO_SECTION = {h: sec for sec, names in _SECTIONS.items() for h in names}
_POSITION_KIND = {"experience": "job", "volunteer": "volunteer", "projects": "informal"}

_BULLET_RE = re.compile(r"^\s*(?:[-*•·▪‣◦●○■□➢►–]|\d+[.)])\s+")
_MD_HEADING_RE = re.compile(r"^\s*(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_RE = re.compile(r"^\s*(\*\*|__)(.+?)\1\s*:?\s*$")
_SEP_RE = re.compile(r"\s+(?:—|–|-|\||@|at)\s+|\s*[|·•]\s*|,\s+|\s+\(|\)\s*")
_LEVEL_WORDS = (
    "beginner", "basic", "elementary", "novice", "familiar", "intermediate", "working",
    "proficient", "good", "competent", "advanced", "strong", "fluent", "expert", "master",
    "native", "excellent",
)  # fmt: skip
_YEARS_RE = re.compile(r"(\d+(?:\.\d+)?)\s*\+?\s*(?:years?|yrs?\.?)", re.IGNORECASE)
_DEGREE_RE = re.compile(
    r"^(?:b\.?sc?\.?|b\.?a\.?|m\.?sc?\.?|m\.?a\.?|ph\.?d\.?|mba|m\.?eng|b\.?eng|b\.?ed|m\.?ed|pgce"
    r"|bachelor(?:'s)?|master(?:'s)?|doctor(?:ate)?|diploma|associate(?:'s)?|certificate"
    r"|a[- ]levels?|gcses?|high school|hnd|nvq|msn|bsn|b\.?s\.?n|ma|ba|bs|ms)\b",
    re.IGNORECASE,
)
_INSTITUTION_RE = re.compile(
    r"universit|college|school|institut|academy|polytechnic|conservatoire|hochschule|ecole|école",
    re.IGNORECASE,
)
_EPOCH = date(1900, 1, 1)
_QUALIFIERS = {
    "freelance",
    "part-time",
    "part time",
    "full-time",
    "contract",
    "remote",
    "internship",
}
_CONTACT_RE = re.compile(r"@|https?://|www\.|\+?\d[\d ()-]{7,}|linkedin|github\.com", re.IGNORECASE)


@dataclass
class _Section:
    name: str
    lines: list[str] = field(default_factory=list)


def _heading_of(line: str) -> tuple[str, int] | None:
    """If ``line`` is a heading, return its text and depth (1 = top)."""
    m = _MD_HEADING_RE.match(line)
    if m:
        return m.group(2).strip(" *_:"), len(m.group(1))
    m = _BOLD_RE.match(line)
    if m:
        return m.group(2).strip(" *_:"), 3
    return None


def _section_name(line: str) -> str | None:
    """The section a heading-like line opens, if it is a known section name."""
    text = line
    h = _heading_of(line)
    if h:
        text = h[0]
    key = re.sub(r"[^a-z& ]", "", text.lower().replace("&", " & ")).strip()
    key = re.sub(r"\s+", " ", key)
    if key in _HEADING_TO_SECTION:
        return _HEADING_TO_SECTION[key]
    if text.isupper() and len(text.split()) <= 5:
        for word in key.split():
            if word in _HEADING_TO_SECTION and word not in {"work", "career", "tools"}:
                return _HEADING_TO_SECTION[word]
    return None


def _split_sections(lines: list[str]) -> list[_Section]:
    sections = [_Section("header")]
    for raw in lines:
        line = raw.rstrip()
        stripped = line.strip()
        if stripped and len(stripped) <= 60 and not _BULLET_RE.match(stripped):
            name = _section_name(stripped)
            if name is not None:
                sections.append(_Section(name))
                continue
        sections[-1].lines.append(line)
    return sections


def _clean(text: str) -> str:
    text = re.sub(r"[*_`]{1,3}", "", text)
    text = re.sub(r"^\s*#+\s*", "", text)
    return text.strip(" \t-–—|,;:·•()")


def _is_bullet(line: str) -> bool:
    return bool(_BULLET_RE.match(line))


def _entries(lines: list[str]) -> list[tuple[list[str], list[str], object]]:
    """Split a section into (header lines, description lines, date range or None) entries."""
    n = len(lines)
    kind: list[str] = []
    for line in lines:
        s = line.strip()
        if not s:
            kind.append("blank")
        elif _heading_of(s):
            kind.append("head")
        elif not _is_bullet(s) and len(s) <= 120 and find_date_range(s) is not None:
            kind.append("date")
        elif _is_bullet(s):
            kind.append("bullet")
        else:
            kind.append("text")
    header = [k in ("head", "date") for k in kind]
    # Short plain lines right before a header line (e.g. "Title" / "Org" / "2019 - 2021").
    nxt_is_header = False
    for i in range(n - 1, -1, -1):
        if kind[i] == "blank":
            continue
        if header[i]:
            nxt_is_header = True
            continue
        s = lines[i].strip()
        short = kind[i] == "text" and len(s) <= 80 and not s.endswith(".")
        if short and nxt_is_header:
            header[i] = True
        else:
            nxt_is_header = False
    out: list[tuple[list[str], list[str], object]] = []
    cur_head: list[str] = []
    cur_desc: list[str] = []
    cur_range: object = None
    prev_header = False
    for i, line in enumerate(lines):
        if kind[i] == "blank":
            continue
        if header[i]:
            starts_new = (
                not prev_header
                or (kind[i] == "date" and cur_range is not None)
                or (kind[i] == "head" and cur_range is not None)
            )
            if starts_new and (cur_head or cur_desc):
                out.append((cur_head, cur_desc, cur_range))
                cur_head, cur_desc, cur_range = [], [], None
            found = find_date_range(line) if kind[i] == "date" else None
            if found is not None and cur_range is None:
                dr, a, b = found
                cur_range = dr
                rest = (line[:a] + " " + line[b:]).strip()
                if _clean(rest):
                    cur_head.append(rest)
            else:
                cur_head.append(line.strip())
            prev_header = True
        else:
            cur_desc.append(line.strip())
            prev_header = False
    if cur_head or cur_desc:
        out.append((cur_head, cur_desc, cur_range))
    return out


def _pieces(header_lines: list[str]) -> list[str]:
    pieces: list[str] = []
    for line in header_lines:
        for p in _SEP_RE.split(_clean(line)):
            p = _clean(p)
            if p and not re.fullmatch(r"[\W\d]*", p):
                pieces.append(p)
    return pieces


def _position(header: list[str], desc: list[str], dr: object, kind: str) -> Position | None:
    pieces = [p for p in _pieces(header) if p.lower() not in _QUALIFIERS]
    if not pieces:
        return None
    title = pieces[0]
    org = pieces[1] if len(pieces) > 1 else ""
    location = pieces[2] if len(pieces) > 2 else ""
    lowered = (" ".join(header)).lower()
    if kind == "job" and ("volunteer" in lowered or "voluntary" in lowered):
        kind = "volunteer"
    description = "\n".join(_BULLET_RE.sub("", d).strip() for d in desc)
    start = getattr(dr, "start", None)
    end = getattr(dr, "end", None)
    current = bool(getattr(dr, "current", False))
    return Position(
        title=title,
        organisation=org,
        start=start,
        end=end,
        current=current,
        description=description,
        kind=kind,
        location=location,
    )


def split_skill_items(line: str) -> list[StatedSkill]:
    """Read skills from one line: "Python (advanced, 6 years), SQL; Excel - expert"."""
    s = _BULLET_RE.sub("", line).strip()
    if ":" in s:
        head, tail = s.split(":", 1)
        # "Languages: Python, SQL" -> items after the colon; "Python: expert" -> one item.
        if tail.strip() and ("," in tail or ";" in tail or len(head.split()) > 2):
            s = tail
        else:
            s = f"{head} ({tail.strip()})" if tail.strip() else head
    items: list[str] = []
    depth = 0
    buf = ""
    for ch in s:  # split on separators outside brackets
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if depth == 0 and ch in ",;|•·":
            items.append(buf)
            buf = ""
        else:
            buf += ch
    items.append(buf)
    out: list[StatedSkill] = []
    for raw in items:
        item = _clean(raw) if not raw.strip().endswith(")") else raw.strip(" \t-–—|,;:·•*_")
        if not item:
            continue
        level: str | None = None
        years: float | None = None
        extra = ""
        m = re.match(r"^(.*?)\s*[(\[](.*)[)\]]\s*$", item)
        if m:
            item, extra = m.group(1).strip(), m.group(2)
        else:
            m = re.match(r"^(.*?)\s+[-–—]\s+(.*)$", item)
            if m and (
                _YEARS_RE.search(m.group(2)) or any(w in m.group(2).lower() for w in _LEVEL_WORDS)
            ):
                item, extra = m.group(1).strip(), m.group(2)
        if extra:
            ym = _YEARS_RE.search(extra)
            if ym:
                years = float(ym.group(1))
            for w in _LEVEL_WORDS:
                if re.search(rf"\b{w}\b", extra.lower()):
                    level = w
                    break
        item = _clean(item)
        if item and len(item) <= 80:
            out.append(StatedSkill(name=item, level=level, years=years))
    return out


def _education(header: list[str], desc: list[str], dr: object) -> Education | None:
    pieces = _pieces(header or [d for d in desc if len(d) < 80][:1])
    if not pieces:
        return None
    institution = next((p for p in pieces if _INSTITUTION_RE.search(p)), "")
    degree_piece = next((p for p in pieces if _DEGREE_RE.match(p)), "")
    degree, fld = "", ""
    if degree_piece:
        m = re.match(r"^(.*?)\s+(?:in|of)\s+(.+)$", degree_piece)
        if m:
            degree, fld = m.group(1), m.group(2)
        else:
            dm = _DEGREE_RE.match(degree_piece)
            assert dm is not None
            degree = degree_piece[: dm.end()].strip()
            fld = degree_piece[dm.end() :].strip(" ,.-")
    rest = [p for p in pieces if p not in (institution, degree_piece)]
    if not institution and rest:
        institution = rest.pop(0)
    if not degree and rest:
        fld = fld or rest[0]
    return Education(
        institution=institution,
        degree=degree,
        field=fld,
        start=getattr(dr, "start", None),
        end=getattr(dr, "end", None),
    )


def parse_text_cv(text: str, *, source: str, fmt: str = "text") -> Profile:
    """Read a CV from plain text or Markdown into a :class:`Profile`.

    Args:
        text: the whole CV text.
        source: the file it came from (for messages).
        fmt: the format name to record (``text``, ``pdf``, ``docx``).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    sections = _split_sections(lines)
    warnings: list[str] = []
    name: str | None = None
    headline = ""
    summary_lines: list[str] = []
    positions: list[Position] = []
    skills: list[StatedSkill] = []
    education: list[Education] = []
    certificates: list[Certificate] = []
    courses: list[Course] = []

    header_lines = [ln.strip() for ln in sections[0].lines if ln.strip()]
    for ln in header_lines[:6]:
        txt = _clean(ln)
        if not txt or _CONTACT_RE.search(txt):
            continue
        if name is None and _looks_like_name(txt):
            name = txt
            continue
        if name is not None and not headline and len(txt) <= 80:
            headline = txt
            continue
    for sec in sections[1:]:
        if sec.name in _POSITION_KIND:
            for head, desc, dr in _entries(sec.lines):
                pos = _position(head, desc, dr, _POSITION_KIND[sec.name])
                if pos is not None:
                    positions.append(pos)
                    if dr is None:
                        warnings.append(f"no dates found for position {pos.title!r}")
        elif sec.name == "skills":
            for ln in sec.lines:
                if ln.strip():
                    skills.extend(split_skill_items(ln))
        elif sec.name == "education":
            for head, desc, dr in _entries(sec.lines):
                ed = _education(head, desc, dr)
                if ed is not None:
                    education.append(ed)
                for d in desc:  # "Courses: Statistics, Databases" under a degree
                    if d.lower().startswith(("courses", "modules", "coursework")) and ":" in d:
                        for c in split_skill_items(d.split(":", 1)[1]):
                            courses.append(
                                Course(name=c.name, provider=ed.institution if ed else "")
                            )
        elif sec.name == "certificates":
            for ln in sec.lines:
                cert = _certificate(ln)
                if cert is not None:
                    certificates.append(cert)
        elif sec.name == "courses":
            for ln in sec.lines:
                if not ln.strip():
                    continue
                pieces = _pieces([ln])
                if pieces:
                    courses.append(
                        Course(name=pieces[0], provider=pieces[1] if len(pieces) > 1 else "")
                    )
        elif sec.name == "summary":
            summary_lines.extend(ln.strip() for ln in sec.lines if ln.strip())
    if not positions and not skills:
        warnings.append(
            "found no experience or skills section: use headings such as 'Experience' and 'Skills'"
        )
    positions.sort(key=lambda p: (p.current, p.start or _EPOCH), reverse=True)
    return Profile(
        source=source,
        format=fmt,
        name=name,
        headline=headline,
        summary=" ".join(summary_lines),
        positions=tuple(positions),
        skills=tuple(skills),
        education=tuple(education),
        certificates=tuple(certificates),
        courses=tuple(courses),
        warnings=tuple(warnings),
    )


def _certificate(line: str) -> Certificate | None:
    if not line.strip():
        return None
    found = find_date_range(line)
    when = None
    if found is not None:
        when = found[0].start
        line = line[: found[1]] + line[found[2] :]
    pieces = _pieces([line])
    if not pieces:
        return None
    return Certificate(name=pieces[0], issuer=pieces[1] if len(pieces) > 1 else "", date=when)


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in text):
        return False
    return all(
        w[:1].isupper() or w.lower() in {"van", "de", "der", "von", "da", "di", "le", "la"}
        for w in words
    )
