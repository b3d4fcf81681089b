"""The hostile-input corpus: every loader and command that reads a user's file, fed bad files.

A :class:`Case` names the files to write (bytes, or a builder from the seeded store's
artefacts), the command line (``@name`` stands for the path of a written file), the exit code
expected, and the words the message must contain besides the file's name (a row, a field).
Cases that another engineer's open fix will make pass carry ``xfail`` = the area fixing them;
they are strict, so they fail loudly once the fix lands and the mark must go.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from . import _files as F

Content = bytes | Callable[[dict[str, Any]], bytes] | None  # None: a folder


@dataclass(frozen=True)
class Case:
    """One hostile input for one command."""

    id: str
    files: dict[str, Content]
    args: tuple[str, ...]
    exit: int = 2
    names: tuple[str, ...] = ()
    named: str | None = ""  # the file the message must name; "" = the first file, None = none
    xfail: str | None = None
    store_may_change: bool = False
    timeout: float = 180

    def file_named(self) -> str | None:
        """The base name the output must contain."""
        if self.named is None:
            return None
        name = self.named or next(iter(self.files), "")
        return name.rstrip("/").rsplit("/", 1)[-1] or None


CASES: list[Case] = []


def case(*a: Any, **k: Any) -> None:
    CASES.append(Case(*a, **k))


# --- shared payloads ------------------------------------------------------------------------

RESUME = {
    "basics": {"name": "Ann Smith", "label": "Software developer"},
    "work": [{"name": "Acme", "position": "Software developer", "startDate": "2019-01"}],
    "skills": [{"name": "Python"}],
}
RESUME_BYTES = F.jdump(RESUME)
TARGET = "11-3021.00"

#: (suffix for the id, file name, content, extra words the message must hold)
JSON_DOCS: list[tuple[str, str, bytes, tuple[str, ...]]] = [
    ("empty", "x.json", b"", ()),
    ("whitespace", "x.json", b" \n\t \n", ()),
    ("binary", "x.json", F.noise(), ()),
    ("nul", "x.json", F.NUL, ()),
    ("deep-array", "x.json", F.DEEP_ARRAY, ("deeper than 64",)),
    ("deep-object", "x.json", F.DEEP_OBJECT, ("deeper than 64",)),
    ("just-over-limit", "x.json", F.JUST_OVER, ("deeper than 64",)),
    ("unclosed-100k", "x.json", F.UNCLOSED, ()),
    ("huge-int", "x.json", F.HUGE_INT, ()),
    ("invalid-utf8", "x.json", F.INVALID_UTF8, ()),
    ("syntax", "x.json", b'{"basics": {"name": "Ann",}}', ("row 1",)),
    ("syntax-line-3", "x.json", b'{\n"basics": {},\n"work": [1 2]\n}', ("row 3",)),
    ("truncated", "x.json", F.truncated(RESUME_BYTES), ()),
]

# --- profile --cv and the other commands that read a CV ---------------------------------------


def _bad_offset_zip() -> bytes:
    """A LinkedIn zip whose first local header is damaged (found by the fuzzer: zipfile raised
    ``OSError: [Errno 22] Invalid argument`` seeking to it)."""
    good = F.zip_bytes(
        {
            "Profile.csv": "First Name,Last Name\nAnn,Smith\n",
            "Positions.csv": "Company Name,Title\nAcme,Developer\n",
        }
    )
    return good[:2] + b"\x04\x14" + good[4:]


def _cv_cases() -> Iterator[tuple[str, str, Content, tuple[str, ...], str | None]]:
    """(id, file name, content, words, xfail) of bad CVs in every format read_cv reads."""
    for sid, _, data, words in JSON_DOCS:
        yield f"json-{sid}", "cv.json", data, words, None
    yield "json-array", "cv.json", b"[]", (), None
    yield "json-number", "cv.json", b"42", (), None
    yield "json-null", "cv.json", b"null", (), None
    yield "json-string", "cv.json", b'"Ann Smith"', (), None
    yield "json-work-string", "cv.json", F.jdump({"work": "Acme"}), ("work",), None
    yield "json-no-sections", "cv.json", F.jdump({"foo": 1}), (), None
    yield "json-deep-60-value", "cv.json", F.jdump({"basics": {"name": F.nested(60)}}), (), None
    yield "json-unsupported-ext-bom", "cv.json", b"\xef\xbb\xbf" + b"\x00" * 32, (), None
    # PDF
    yield "pdf-header-only", "cv.pdf", b"%PDF-1.4\n", (), None
    yield "pdf-truncated", "cv.pdf", F.truncated(F.pdf_bytes(), 0.4), (), None
    yield "pdf-noise", "cv.pdf", b"%PDF-1.7\n" + F.noise(8192), (), None
    yield "pdf-no-text", "cv.pdf", F.pdf_bytes(content=b""), ("no extractable text",), None
    yield "pdf-text-file", "cv.pdf", b"Ann Smith\nExperience\n", (), None
    # "pdf-deep-array" (a junk key nesting 5,000 arrays) left this list: pdfplumber, the default
    # PDF engine since decision 0021, reads the page's text past it, so it is a readable CV.
    yield (
        "pdf-bad-flate",
        "cv.pdf",
        F.pdf_bytes().replace(b"<< /Length", b"<< /Filter /FlateDecode /Length"),
        (),
        None,
    )
    # DOCX
    yield "docx-not-zip", "cv.docx", b"Ann Smith\nExperience\n", (), None
    yield (
        "docx-no-document",
        "cv.docx",
        F.zip_bytes({"[Content_Types].xml": "<Types/>"}),
        ("word/document.xml",),
        None,
    )
    yield "docx-corrupt-xml", "cv.docx", F.docx_bytes("<w:document><w:body><w:p>broken"), (), None
    yield "docx-truncated-xml", "cv.docx", F.docx_bytes(F.docx_document(["Ann"])[:90]), (), None
    yield "docx-binary-part", "cv.docx", F.docx_bytes(F.noise()), (), None
    yield "docx-no-text", "cv.docx", F.docx_bytes(F.docx_document([])), ("no text",), None
    yield "docx-truncated-zip", "cv.docx", F.truncated(F.docx_bytes(), 0.6), (), None
    yield (
        "docx-bad-content-types",
        "cv.docx",
        F.docx_bytes(extra={"[Content_Types].xml": "<Types/>"}),
        (),
        None,
    )
    yield (
        "docx-billion-laughs",
        "cv.docx",
        F.docx_bytes(
            F.BILLION_LAUGHS.replace(b"<svg", b"<w:document").replace(b"</svg>", b"</w:document>")
        ),
        (),
        None,
    )
    yield "docx-xlsx-instead", "cv.docx", F.xlsx_bytes([["a"]]), (), None
    # text
    yield "txt-nul", "cv.txt", F.NUL, (), None
    yield "txt-noise", "cv.txt", b"\x00" + F.noise(), (), None
    # any text with words is read (issue 12: never refuse a CV with text); no words is refused
    yield "txt-no-words", "cv.txt", b"12345 --- 678\n* * *\n" * 3, ("no words",), None
    yield "txt-empty", "cv.txt", b"", ("empty",), None
    yield "md-whitespace", "cv.md", b"\n\n   \n", ("empty",), None
    yield "rtf-unsupported", "cv.rtf", b"{\\rtf1 Ann}", ("unsupported",), None
    yield "png-as-cv", "cv.png", F.png_bytes(), ("unsupported",), None
    yield "exe-as-cv", "cv.exe", b"MZ" + F.noise(), ("unsupported",), None
    # LinkedIn exports (zip or folder)
    yield "linkedin-unrelated", "li.zip", F.zip_bytes({"notes.txt": "hi"}), ("LinkedIn",), None
    yield (
        "linkedin-truncated",
        "li.zip",
        F.truncated(F.zip_bytes({"Positions.csv": "Title\nDeveloper\n" * 50}), 0.5),
        (),
        None,
    )
    yield "linkedin-pk-garbage", "li.zip", b"PK\x03\x04" + F.noise(), (), None
    yield "linkedin-binary-positions", "li.zip", F.zip_bytes({"Positions.csv": F.noise()}), (), None
    yield (
        "linkedin-no-title-column",
        "li.zip",
        F.zip_bytes({"Positions.csv": "Company Name,Started On\nAcme,Jan 2020\n"}),
        ("Positions.csv",),
        None,
    )
    yield (
        "linkedin-latin1-profile",
        "li.zip",
        F.zip_bytes({"Profile.csv": b"First Name,Last Name\nRen\xe9,\xff\xfe\n"}),
        (),
        None,
    )
    yield "linkedin-traversal", "li.zip", F.zip_bytes({"../../evil.txt": "x"}), (), None
    yield (
        "linkedin-bomb",
        "li.zip",
        lambda _: F.zip_bytes({"Positions.csv": F.bomb_entry(64)}),
        ("expand",),
        None,
    )
    yield "linkedin-empty-folder", "li/", None, (), None
    yield "linkedin-folder-nul", "li/Positions.csv", F.NUL, ("LinkedIn",), None
    yield "linkedin-bad-entry-offset", "li.zip", _bad_offset_zip(), (), None
    yield "missing-file", "nothere.json", b"", ("no such file",), None


CV_CASES = list(_cv_cases())
for _sid, _name, _data, _words, _xf in CV_CASES:
    if _sid == "missing-file":
        case(
            "profile-cv-missing",
            {},
            ("profile", "--cv", "@nothere.json"),
            names=_words,
            named="nothere.json",
        )
        continue
    _arg = "@" + _name.split("/", 1)[0] if "/" in _name else "@" + _name
    _files: dict[str, Content] = {_name: _data}
    case(
        f"profile-cv-{_sid}",
        _files,
        ("profile", "--cv", _arg),
        names=_words,
        xfail=_xf,
        named=_name.split("/", 1)[0] if "/" in _name else "",
    )

# the same reader behind plan, paths and recommend: a sample of each family per command
_SAMPLE = [
    "json-binary",
    "json-deep-object",
    "json-syntax",
    "pdf-truncated",
    "docx-corrupt-xml",
    "docx-no-document",
    "txt-nul",
    "linkedin-unrelated",
]
_BY_ID = {c[0]: c for c in CV_CASES}
for _sid in _SAMPLE:
    _, _name, _data, _words, _xf = _BY_ID[_sid]
    _arg = "@" + _name
    case(
        f"plan-cv-{_sid}", {_name: _data}, ("plan", "--cv", _arg, "--target", TARGET), names=_words
    )
    case(f"paths-cv-{_sid}", {_name: _data}, ("paths", "--cv", _arg), names=_words)
    case(
        f"recommend-cv-{_sid}",
        {_name: _data},
        ("recommend", "--cv", _arg, "--target", TARGET),
        names=_words,
    )

# --- roles --input and skills link --input ----------------------------------------------------

for _cmd, _args in (("roles", ("roles", "--input")), ("skills", ("skills", "link", "--input"))):
    case(f"{_cmd}-input-missing", {}, (*_args, "@titles.txt"), named="titles.txt")
    case(f"{_cmd}-input-folder", {"titles/": None}, (*_args, "@titles"))
    case(
        f"{_cmd}-input-invalid-utf8",
        {"titles.txt": b"nurse\n\xff\xfe\xfa\n"},
        (*_args, "@titles.txt"),
        names=("UTF-8",),
    )
    case(f"{_cmd}-input-binary", {"titles.txt": b"\x89PNG" + F.noise()}, (*_args, "@titles.txt"))
    case(
        f"{_cmd}-input-latin1",
        {"titles.txt": "Krankenpfleger\nIngénieur\n".encode("latin-1")},
        (*_args, "@titles.txt"),
        names=("UTF-8",),
    )

# --- data import (O*NET and ESCO release files) -----------------------------------------------

OCC_H = "O*NET-SOC Code\tTitle\tDescription\n"
SKILL_H = (
    "O*NET-SOC Code\tTitle\tElement ID\tElement Name\tScale ID\tScale Name\tData Value\tN\t"
    "Standard Error\tLower CI Bound\tUpper CI Bound\tRecommend Suppress\tNot Relevant\tDate\t"
    "Domain Source\n"
)
TECH_H = "O*NET-SOC Code\tTitle\tExample\tCommodity Code\tCommodity Title\tHot Technology\n"
ALT_H = "O*NET-SOC Code\tTitle\tAlternate Title\tShort Title\tSource(s)\n"
SKILL_ROW = "15-1252.00\tT\t2.A.2.a\tCritical Thinking\tIM\tImportance\t{v}\t8\t0.1\t\t\tN\t\t07/2020\tAnalyst\n"


def _onet_xlsx(rows: list[list[object]]) -> bytes:
    return F.xlsx_bytes(rows, title="Skills")


_SKILLS_XLSX = _onet_xlsx(
    [SKILL_H.rstrip("\n").split("\t"), SKILL_ROW.format(v=4.0).rstrip("\n").split("\t")]
)

DATA: list[tuple[str, dict[str, Content], str, tuple[str, ...], str | None]] = [
    # header-only files and missing columns would silently destroy stored data
    ("skills-header-only", {"onet/Skills.txt": SKILL_H.encode()}, "onet", ("--replace",), None),
    (
        "technology-header-only",
        {"onet/Technology Skills.txt": TECH_H.encode()},
        "onet",
        ("--replace",),
        None,
    ),
    (
        "titles-header-only",
        {"onet/Alternate Titles.txt": ALT_H.encode()},
        "onet",
        ("--replace",),
        None,
    ),
    (
        "occupations-no-description",
        {
            "onet/Occupation Data.txt": (
                b"O*NET-SOC Code\tTitle\n15-1252.00\tSoftware Developers\n11-3021.00\tCIS Managers\n"
                b"29-1141.00\tRegistered Nurses\n"
            )
        },
        "onet",
        ("Description",),
        None,
    ),
    (
        "skills-xlsx-header-only",
        {"onet/Skills.xlsx": _onet_xlsx([SKILL_H.rstrip("\n").split("\t")])},
        "onet",
        ("--replace",),
        None,
    ),
    # unreadable files
    ("skills-binary", {"onet/Skills.txt": F.noise()}, "onet", (), None),
    ("skills-nul", {"onet/Skills.txt": F.NUL}, "onet", (), None),
    ("skills-empty", {"onet/Skills.txt": b""}, "onet", (), None),
    (
        "skills-invalid-utf8",
        {
            "onet/Skills.txt": (SKILL_H + SKILL_ROW.format(v=4.0)).encode()
            + b"15-1252.00\t\xff\xfe\n"
        },
        "onet",
        (),
        None,
    ),
    (
        "skills-bad-value",
        {"onet/Skills.txt": (SKILL_H + SKILL_ROW.format(v="abc")).encode()},
        "onet",
        ("row 2",),
        None,
    ),
    (
        "skills-missing-columns",
        {"onet/Skills.txt": b"O*NET-SOC Code\tTitle\n15-1252.00\tT\n"},
        "onet",
        (),
        None,
    ),
    (
        "skills-xlsx-corrupt-sheet",
        {
            "onet/Skills.xlsx": F.xlsx_replace(
                _SKILLS_XLSX, "xl/worksheets/sheet1.xml", F.sheet_part(_SKILLS_XLSX)[:300]
            )
        },
        "onet",
        (),
        None,
    ),
    ("skills-xlsx-not-zip", {"onet/Skills.xlsx": b"O*NET-SOC Code\tTitle\n"}, "onet", (), None),
    (
        "skills-xlsx-truncated",
        {"onet/Skills.xlsx": F.truncated(_SKILLS_XLSX, 0.5)},
        "onet",
        (),
        None,
    ),
    (
        "skills-xlsx-no-sheet",
        {"onet/Skills.xlsx": F.xlsx_replace(_SKILLS_XLSX, "xl/worksheets/sheet1.xml", None)},
        "onet",
        (),
        None,
    ),
    (
        "occupations-bad-code",
        {"onet/Occupation Data.txt": (OCC_H + "XX-YYYY\tNobody\tNone.\n").encode()},
        "onet",
        (),
        None,
    ),
    # archives
    ("zip-pk-garbage", {"release.zip": b"PK\x03\x04" + F.noise()}, "release.zip", (), None),
    (
        "zip-truncated",
        {
            "release.zip": F.truncated(
                F.zip_bytes({"db/Skills.txt": SKILL_H + SKILL_ROW.format(v=4.0) * 200}), 0.5
            )
        },
        "release.zip",
        (),
        None,
    ),
    (
        "zip-bomb",
        {"release.zip": lambda _: F.zip_bytes({"db/Skills.txt": F.bomb_entry(64)})},
        "release.zip",
        ("expand",),
        None,
    ),
    (
        "zip-binary-member",
        {"release.zip": F.zip_bytes({"db/Skills.txt": F.noise()})},
        "release.zip",
        (),
        None,
    ),
    # ESCO
    ("esco-skills-binary", {"esco/skills_en.csv": F.noise()}, "esco", (), None),
    (
        "esco-skills-no-uri",
        {"esco/skills_en.csv": b"preferredLabel,altLabels\npython,\n"},
        "esco",
        ("conceptUri",),
        None,
    ),
    (
        "esco-skills-invalid-utf8",
        {"esco/skills_en.csv": b"conceptUri,preferredLabel\nhttp://x/s1,Ren\xe9\xff\n"},
        "esco",
        (),
        None,
    ),
    ("esco-occupations-nul", {"esco/occupations_en.csv": F.NUL}, "esco", (), None),
    # paths
    ("nothing-recognised", {"misc/readme.md": b"# hello\n"}, "misc", ("no O*NET or ESCO",), None),
    ("missing-path", {}, "nothere", (), None),
]

for _sid, _files, _arg, _words, _xf in DATA:
    _named = _arg if not _files or _sid == "nothing-recognised" else next(iter(_files))
    case(
        f"data-import-{_sid}",
        _files,
        ("data", "import", "@" + _arg),
        names=_words,
        xfail=_xf,
        named=_named,
    )

# --- catalog import ----------------------------------------------------------------------------

MAP_JSON = F.jdump({"provider": "acme", "columns": {"id": "code", "title": "name"}})
GOOD_CSV = b"code,name\nB1,Statistics basics\nB2,Project leadership\n"
_CAT_XLSX = F.xlsx_bytes([["code", "name"], ["B1", "Statistics basics"], ["B2", "Leadership"]])

CATALOG: list[tuple[str, dict[str, Content], tuple[str, ...], tuple[str, ...], str | None]] = [
    ("csv-empty", {"c.csv": b""}, (), ("empty",), None),
    ("csv-whitespace", {"c.csv": b"\n\n  \n"}, (), (), None),
    ("csv-binary", {"c.csv": F.noise()}, (), (), None),
    ("csv-nul", {"c.csv": F.NUL}, (), (), None),
    ("csv-invalid-utf8", {"c.csv": GOOD_CSV + b"B3,Ren\xe9\xff\n"}, (), ("row 4",), None),
    ("csv-no-title-column", {"c.csv": b"code,about\nB1,x\n"}, (), ("name",), None),
    ("csv-unknown-encoding", {"c.csv": GOOD_CSV}, ("--encoding", "klingon-8"), ("klingon",), None),
    ("json-deep", {"c.json": F.DEEP_ARRAY}, (), ("deeper than 64",), None),
    ("json-just-over", {"c.json": F.JUST_OVER}, (), ("deeper than 64",), None),
    ("json-unclosed", {"c.json": F.UNCLOSED}, (), (), None),
    ("json-object", {"c.json": F.jdump({"name": "x"})}, (), ("list of objects",), None),
    ("json-list-of-strings", {"c.json": F.jdump(["a", "b"])}, (), ("list of objects",), None),
    ("json-syntax", {"c.json": b'[{"name": "a"},\n{"name": }]'}, (), ("row 2",), None),
    ("json-huge-int", {"c.json": b'[{"name": "a", "code": ' + b"9" * 5000 + b"}]"}, (), (), None),
    ("json-binary", {"c.json": F.noise()}, (), (), None),
    ("jsonl-bad-line", {"c.jsonl": b'{"code": "B1", "name": "a"}\n{oops\n'}, (), ("row 2",), None),
    (
        "jsonl-deep-line",
        {"c.jsonl": b'{"code": "B1", "name": "a"}\n' + F.DEEP_OBJECT + b"\n"},
        (),
        ("row 2",),
        None,
    ),
    (
        "jsonl-array-line",
        {"c.jsonl": b'{"code": "B1", "name": "a"}\n[1, 2]\n'},
        (),
        ("row 2",),
        None,
    ),
    (
        "xlsx-corrupt-sheet",
        {
            "c.xlsx": F.xlsx_replace(
                _CAT_XLSX, "xl/worksheets/sheet1.xml", F.sheet_part(_CAT_XLSX)[:250]
            )
        },
        (),
        (),
        None,
    ),
    (
        "xlsx-corrupt-later-row",
        {
            "c.xlsx": F.xlsx_replace(
                _CAT_XLSX,
                "xl/worksheets/sheet1.xml",
                F.sheet_part(_CAT_XLSX).replace(b"</sheetData>", b'<row r="9"><c r="A9" t="s"><v>'),
            )
        },
        (),
        (),
        None,
    ),
    ("xlsx-not-zip", {"c.xlsx": GOOD_CSV}, (), ("Excel",), None),
    ("xlsx-truncated", {"c.xlsx": F.truncated(_CAT_XLSX, 0.5)}, (), (), None),
    (
        "xlsx-no-sheet-part",
        {"c.xlsx": F.xlsx_replace(_CAT_XLSX, "xl/worksheets/sheet1.xml", None)},
        (),
        (),
        None,
    ),
    ("xlsx-empty-sheet", {"c.xlsx": F.xlsx_bytes([])}, (), ("empty",), None),
    ("pdf-unsupported", {"c.pdf": F.pdf_bytes()}, (), ("unsupported",), None),
    ("missing-file", {}, (), (), None),
]

for _sid, _files, _extra, _words, _xf in CATALOG:
    _fname = next(iter(_files), "c.csv")
    case(
        f"catalog-import-{_sid}",
        {**_files, "m.json": MAP_JSON},
        ("catalog", "import", "@" + _fname, "--mapping", "@m.json", "--no-tag", *_extra),
        names=_words,
        xfail=_xf,
        named=_fname,
    )

MAPPINGS: list[tuple[str, str, bytes, tuple[str, ...]]] = [
    ("json-deep", "m.json", F.DEEP_OBJECT, ("deeper than 64",)),
    ("json-syntax", "m.json", b'{"columns": {"title": "name",}}', ("row 1",)),
    ("json-binary", "m.json", F.noise(), ()),
    ("json-array", "m.json", b"[]", ()),
    (
        "json-unknown-field",
        "m.json",
        F.jdump({"columns": {"title": "name", "colour": "c"}}),
        ("colour",),
    ),
    ("json-no-title", "m.json", F.jdump({"columns": {"id": "code"}}), ("title",)),
    (
        "json-bad-unit",
        "m.json",
        F.jdump({"columns": {"title": "name"}, "duration_unit": "parsecs"}),
        ("duration_unit",),
    ),
    ("toml-syntax", "m.toml", b"[columns\ntitle = name\n", ()),
    ("toml-deep", "m.toml", b"a = " + b"[" * 10_000 + b"]" * 10_000 + b"\n", ()),
    ("toml-binary", "m.toml", F.noise(), ()),
    ("missing", "nothere.json", b"", ("not found",)),
]
for _sid, _mname, _data, _words in MAPPINGS:
    _mf: dict[str, Content] = {} if _sid == "missing" else {_mname: _data}
    case(
        f"catalog-mapping-{_sid}",
        {**_mf, "c.csv": GOOD_CSV},
        ("catalog", "import", "@c.csv", "--mapping", "@" + _mname, "--no-tag"),
        names=_words,
        named=_mname,
    )

_EDX_H = (
    "title,summary,course_description,course_syllabus,subject,institution,instructors,"
    "course_url,language,Level,course_effort,course_length,price,n_enrolled\n"
)
_EDX_ROW = (
    "Intro to statistics,s,d,syl,Math,MITx,Ann,https://www.edx.org/course/stats,English,"
    "Introductory,2-3 hours per week,6 Weeks,FREE,1000\n"
)
case(
    "catalog-preset-missing-columns",
    {"edx_courses.csv": b"foo,bar\n1,2\n"},
    ("catalog", "import", "@edx_courses.csv", "--no-tag"),
    names=("edx",),
)
case(
    "catalog-preset-unknown",
    {"c.csv": GOOD_CSV},
    ("catalog", "import", "@c.csv", "--preset", "moodle", "--no-tag"),
    names=("moodle",),
    named=None,
)
case(
    "catalog-no-preset",
    {"courses.csv": GOOD_CSV},
    ("catalog", "import", "@courses.csv", "--no-tag"),
    names=("--preset",),
)
case(
    "catalog-ratings-binary",
    {"c.csv": GOOD_CSV, "m.json": MAP_JSON, "r.csv": F.noise()},
    ("catalog", "import", "@c.csv", "--mapping", "@m.json", "--ratings", "@r.csv", "--no-tag"),
    named="r.csv",
)
case(
    "catalog-ratings-no-columns",
    {"c.csv": GOOD_CSV, "m.json": MAP_JSON, "r.csv": b"a,b\n1,2\n"},
    ("catalog", "import", "@c.csv", "--mapping", "@m.json", "--ratings", "@r.csv", "--no-tag"),
    named="r.csv",
)
case("catalog-folder-empty", {"cat/": None}, ("catalog", "import", "@cat", "--no-tag"))
case(
    "catalog-folder-corrupt-second-file",
    {"cat/edx_a.csv": (_EDX_H + _EDX_ROW).encode(), "cat/udemy_b.csv": F.noise()},
    ("catalog", "import", "@cat", "--no-tag"),
    named="udemy_b.csv",
)
case(
    "catalog-folder-second-file-bad-header",
    {"cat/edx_a.csv": (_EDX_H + _EDX_ROW).encode(), "cat/udemy_b.csv": b"foo,bar\n1,2\n"},
    ("catalog", "import", "@cat", "--no-tag"),
    named="udemy_b.csv",
)
case(
    "catalog-ratings-zip-bomb",
    {
        "c.csv": GOOD_CSV,
        "m.json": MAP_JSON,
        "r.zip": lambda _: F.zip_bytes({"ratings.csv": F.bomb_entry(64)}),
    },
    ("catalog", "import", "@c.csv", "--mapping", "@m.json", "--ratings", "@r.zip", "--no-tag"),
    names=("expand",),
    named="r.zip",
)

# --- recommend batch --interactions, recommend --events/--careers -----------------------------

EV_H = b"learner,course,time,event\n"
_XAPI_OK = {
    "actor": {"mbox": "mailto:ann@example.org"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
    "object": {"id": "https://lms.example/course/7"},
    "timestamp": "2024-01-01T00:00:00Z",
}
BATCH: list[tuple[str, str, bytes, tuple[str, ...]]] = [
    ("csv-empty", "ev.csv", b"", ()),
    ("csv-binary", "ev.csv", F.noise(), ()),
    ("csv-nul", "ev.csv", F.NUL, ()),
    ("csv-invalid-utf8", "ev.csv", EV_H + b"ann,C1,2024-01-01,completed\nbob,\xff\xfe,,\n", ()),
    ("csv-header-only", "ev.csv", EV_H, ("no rows",)),
    ("csv-missing-columns", "ev.csv", b"who,what\nann,C1\n", ("learner",)),
    (
        "csv-all-bad-times",
        "ev.csv",
        EV_H + b"ann,C1,yesterday,completed\nbob,C2,tomorrow,completed\n",
        ("no learning events", "2 skipped"),
    ),
    ("json-deep", "ev.json", F.DEEP_ARRAY, ("deeper than 64",)),
    ("json-just-over", "ev.json", F.JUST_OVER, ("deeper than 64",)),
    ("json-unclosed", "ev.json", F.UNCLOSED, ()),
    ("json-syntax", "ev.json", b'[{"actor": 1},\n{"verb": }]', ("row 2",)),
    ("json-huge-int", "ev.json", b"[" + F.HUGE_INT + b"]", ()),
    (
        "json-all-invalid",
        "ev.json",
        F.jdump([{"actor": 1}, {"verb": "x"}, 3]),
        ("no learning events", "3 skipped"),
    ),
    ("json-object", "ev.json", F.jdump({"actor": 1}), ("no learning events",)),
    (
        "jsonl-deep-line",
        "ev.jsonl",
        F.jdump(_XAPI_OK).replace(b"completed", b"voided") + b"\n" + F.DEEP_OBJECT + b"\n",
        ("deeper than 64",),
    ),
    (
        "jsonl-all-bad",
        "ev.jsonl",
        b'{"actor": 1}\n[1]\n{oops\n',
        ("no learning events", "3 skipped"),
    ),
    ("txt-binary", "seq.txt", F.noise(), ()),
    ("txt-empty", "seq.txt", b"", ()),
    ("xml-unsupported", "ev.xml", b"<events/>", ("unsupported",)),
]
for _sid, _name, _data, _words in BATCH:
    case(
        f"recommend-batch-{_sid}",
        {_name: _data},
        ("recommend", "batch", "--interactions", "@" + _name, "--out", "@out/recs.csv"),
        names=_words,
    )
case(
    "recommend-batch-missing",
    {},
    ("recommend", "batch", "--interactions", "@nothere.csv", "--out", "@out/recs.csv"),
    named="nothere.csv",
)

for _sid, _name, _data, _words in [BATCH[1], BATCH[5], BATCH[7], BATCH[10]]:
    case(
        f"recommend-events-{_sid}",
        {"cv.json": RESUME_BYTES, _name: _data},
        ("recommend", "--cv", "@cv.json", "--target", TARGET, "--events", "@" + _name),
        names=_words,
        named=_name,
    )
for _sid, _data, _words in [
    ("binary", F.noise(), ()),
    ("no-columns", b"a,b\n1,2\n", ("learner",)),
    ("empty", b"", ()),
]:
    case(
        f"recommend-careers-{_sid}",
        {
            "cv.json": RESUME_BYTES,
            "ev.csv": EV_H + b"ann,A1,2024-01-01,completed\n",
            "careers.csv": _data,
        },
        (
            "recommend",
            "--cv",
            "@cv.json",
            "--target",
            TARGET,
            "--events",
            "@ev.csv",
            "--careers",
            "@careers.csv",
        ),
        names=_words,
        named="careers.csv",
    )

# --- portfolio import (zip and xAPI), portfolio add --file ------------------------------------


def _pz(change: Callable[[dict[str, bytes]], None]) -> Callable[[dict[str, Any]], bytes]:
    """The seeded store's portfolio export with ``change`` applied to its entries."""

    def build(seedinfo: dict[str, Any]) -> bytes:
        import io
        import zipfile

        src = zipfile.ZipFile(io.BytesIO(seedinfo["portfolio_zip"]))
        entries = {n: src.read(n) for n in src.namelist()}
        change(entries)
        return F.zip_bytes(dict(entries))

    return build


def _set(name: str, data: bytes) -> Callable[[dict[str, bytes]], None]:
    return lambda e: e.__setitem__(name, data)


def _drop(name: str) -> Callable[[dict[str, bytes]], None]:
    return lambda e: e.pop(name, None)


def _edit_rows(name: str, fn: Callable[[list[Any]], Any]) -> Callable[[dict[str, bytes]], None]:
    def change(e: dict[str, bytes]) -> None:
        e[name] = json.dumps(fn(json.loads(e[name]))).encode()

    return change


def _tamper_blob(e: dict[str, bytes]) -> None:
    for n in list(e):
        if n.startswith("attachments/"):
            e[n] = b"tampered" + e[n]


def _drop_blob(e: dict[str, bytes]) -> None:
    for n in list(e):
        if n.startswith("attachments/"):
            del e[n]


def _first(rows: list[dict[str, Any]], **kv: Any) -> list[dict[str, Any]]:
    rows[0].update(kv)
    return rows


PORTFOLIO_ZIP: list[tuple[str, Content, tuple[str, ...], str | None]] = [
    ("not-zip", b"items: 1\n", (), None),
    ("empty-file", b"", (), None),
    ("pk-garbage", b"PK\x03\x04" + F.noise(), (), None),
    ("truncated", lambda s: F.truncated(s["portfolio_zip"], 0.5), (), None),
    ("no-manifest", _pz(_drop("manifest.json")), ("manifest",), None),
    ("manifest-deep", _pz(_set("manifest.json", F.DEEP_OBJECT)), ("deeper than 64",), None),
    ("manifest-just-over", _pz(_set("manifest.json", F.JUST_OVER)), ("deeper than 64",), None),
    ("manifest-syntax", _pz(_set("manifest.json", b'{"format": }')), ("manifest.json",), None),
    ("manifest-binary", _pz(_set("manifest.json", F.noise())), ("manifest.json",), None),
    ("manifest-array", _pz(_set("manifest.json", b"[]")), ("manifest.json",), None),
    (
        "manifest-wrong-version",
        _pz(_set("manifest.json", F.jdump({"format": "skillpath-portfolio", "version": 99}))),
        ("version",),
        None,
    ),
    ("items-deep", _pz(_set("items.json", F.DEEP_ARRAY)), ("items.json",), None),
    ("items-not-list", _pz(_set("items.json", F.jdump({"id": "x"}))), ("items.json",), None),
    ("items-row-not-object", _pz(_set("items.json", F.jdump([1, 2]))), ("items.json",), None),
    (
        "items-wrong-types",
        _pz(_edit_rows("items.json", lambda r: _first(r, title=["x"], kind=5))),
        ("items.json",),
        None,
    ),
    (
        "items-bad-kind",
        _pz(_edit_rows("items.json", lambda r: _first(r, kind="rumour"))),
        ("kind",),
        None,
    ),
    ("items-huge-int", _pz(_set("items.json", b"[" + F.HUGE_INT + b"]")), ("items.json",), None),
    ("traversal-entry", _pz(_set("../../evil.txt", b"x")), (), None),
    ("absolute-entry", _pz(_set("/etc/evil.txt", b"x")), (), None),
    ("bomb", _pz(_set("items.json", F.bomb_entry(64))), ("expand",), None),
]
for _sid, _data, _words, _xf in PORTFOLIO_ZIP:
    case(
        f"portfolio-import-zip-{_sid}",
        {"p.zip": _data},
        ("portfolio", "import", "@p.zip"),
        names=_words,
        xfail=_xf,
    )
# an altered archive is an integrity failure (exit 1, as for a tampered badge), not bad input
case(
    "portfolio-import-zip-blob-tampered",
    {"p.zip": _pz(_tamper_blob)},
    ("portfolio", "import", "@p.zip"),
    exit=1,
    names=("sha256", "nothing was imported"),
)
case(
    "portfolio-import-zip-blob-missing",
    {"p.zip": _pz(_drop_blob)},
    ("portfolio", "import", "@p.zip"),
    exit=1,
    names=("missing", "nothing was imported"),
)
case(
    "portfolio-import-zip-missing", {}, ("portfolio", "import", "@nothere.zip"), named="nothere.zip"
)

for _sid, _name, _data, _words in JSON_DOCS:
    case(
        f"portfolio-import-xapi-{_sid}",
        {"st.json": _data},
        ("portfolio", "import", "--format", "xapi", "@st.json"),
        names=_words,
    )
case(
    "portfolio-import-xapi-missing",
    {},
    ("portfolio", "import", "--format", "xapi", "@nothere.json"),
    named="nothere.json",
)

_ADD = ("portfolio", "add", "--kind", "artefact", "--title", "Report")
case("portfolio-add-file-missing", {}, (*_ADD, "--file", "@nothere.pdf"), named="nothere.pdf")
case("portfolio-add-file-folder", {"att/": None}, (*_ADD, "--file", "@att"))
case(
    "portfolio-add-file-mislabelled",
    {"shot.png": b"just text, not an image\n"},
    (*_ADD, "--file", "@shot.png"),
)
case(
    "portfolio-add-file-executable",
    {"tool.bin": b"\x7fELF" + F.noise()},
    (*_ADD, "--file", "@tool.bin"),
)
case(
    "portfolio-add-second-file-bad",
    {"a.txt": b"notes\n", "shot.png": b"not a png"},
    (*_ADD, "--file", "@a.txt", "--file", "@shot.png"),
    named="shot.png",
)
case(
    "portfolio-add-url-javascript",
    {},
    (*_ADD, "--url", "javascript://x/%0Aalert(1)"),
    named=None,
    names=("javascript",),
)

# --- badge verify / import / stack / rotate-key / issue --bake ---------------------------------

BADGES: list[tuple[str, str, Content, tuple[str, ...], str | None]] = [
    ("json-empty", "b.json", b"", (), None),
    ("json-whitespace", "b.json", b"  \n", (), None),
    ("json-syntax", "b.json", b'{"@context": ', (), None),
    ("json-array", "b.json", b"[]", (), None),
    ("json-number", "b.json", b"7", (), None),
    ("json-deep", "b.json", F.DEEP_OBJECT, (), None),
    ("json-just-over", "b.json", F.JUST_OVER, (), None),
    ("json-binary", "b.json", F.noise(), (), None),
    ("json-huge-int", "b.json", F.HUGE_INT, (), None),
    (
        "json-wrong-types",
        "b.json",
        F.jdump(
            {
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"],
                "issuer": 5,
                "credentialSubject": "me",
                "proof": [1],
            }
        ),
        (),
        None,
    ),
    ("png-truncated", "b.png", F.truncated(F.png_bytes(), 0.5), (), None),
    (
        "png-large-noise",
        "b.png",
        lambda _: b"\x89PNG\r\n\x1a\n" + F.noise(8 * 1024 * 1024),
        (),
        None,
    ),
    (
        "png-deep-itxt",
        "b.png",
        F.png_bytes(F.itxt("openbadgecredential", F.DEEP_OBJECT)),
        (),
        None,
    ),
    (
        "png-bad-crc",
        "b.png",
        F.png_bytes(F.itxt("openbadges", b"{}"))[:-12] + b"\x00" * 12,
        (),
        None,
    ),
    ("jwt-bad-base64", "b.jwt", b"a.b.c", (), None),
    ("jwt-header-not-json", "b.jwt", b"bm90IGpzb24.e30.c2ln", (), None),
    (
        "jwt-deep-payload",
        "b.jwt",
        b"eyJhbGciOiJFZERTQSJ9."
        + __import__("base64").urlsafe_b64encode(F.DEEP_OBJECT).rstrip(b"=")
        + b".c2ln",
        (),
        None,
    ),
    ("svg-malformed", "b.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><g>", (), None),
    ("svg-billion-laughs", "b.svg", F.BILLION_LAUGHS, (), None),
    ("svg-xxe", "b.svg", F.XXE, (), None),
    ("svg-deep-assertion", "b.svg", F.svg_bytes(assertion=F.DEEP_OBJECT.decode()), (), None),
]
for _sid, _name, _data, _words, _xf in BADGES:
    case(
        f"badge-verify-{_sid}",
        {_name: _data},
        ("badge", "verify", "@" + _name),
        names=_words,
        xfail=_xf,
    )
for _sid, _name, _data, _words, _xf in BADGES[::2]:
    case(
        f"badge-import-{_sid}",
        {_name: _data},
        ("badge", "import", "@" + _name),
        names=_words,
        xfail=_xf,
    )
case("badge-verify-missing", {}, ("badge", "verify", "@nothere.json"), named="nothere.json")
case("badge-import-missing", {}, ("badge", "import", "@nothere.json"), named="nothere.json")
case(
    "badge-verify-key-garbage",
    {"b.json": lambda s: s["credential"].encode(), "k.pem": F.noise()},
    ("badge", "verify", "@b.json", "--key", "@k.pem"),
    named="k.pem",
)
case(
    "badge-verify-key-missing",
    {"b.json": lambda s: s["credential"].encode()},
    ("badge", "verify", "@b.json", "--key", "@nothere.pem"),
    named="nothere.pem",
)

STACK: list[tuple[str, bytes, tuple[str, ...]]] = [
    ("empty", b"", ()),
    ("deep", F.DEEP_OBJECT, ("deeper than 64",)),
    ("syntax", b'{"name": "x", "requires": [}', ("row 1",)),
    ("array", b"[]", ("requires",)),
    ("no-requires", F.jdump({"name": "Data analyst"}), ("requires",)),
    ("binary", F.noise(), ()),
]
for _sid, _data, _words in STACK:
    case(
        f"badge-stack-{_sid}", {"rule.json": _data}, ("badge", "stack", "@rule.json"), names=_words
    )

KEYS: list[tuple[str, bytes]] = [
    ("empty", b""),
    ("noise", F.noise()),
    ("deep-json", F.DEEP_OBJECT),
    ("pem-garbage", b"-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n"),
    ("jwk-not-ed25519", F.jdump({"kty": "OKP", "d": "AAAA"})),
]
for _sid, _data in KEYS:
    case(
        f"badge-rotate-key-{_sid}",
        {"key.pem": _data},
        ("badge", "rotate-key", "--key-file", "@key.pem"),
    )
case(
    "badge-rotate-key-missing",
    {},
    ("badge", "rotate-key", "--key-file", "@nothere.pem"),
    named="nothere.pem",
)


def _issue(name: str) -> tuple[str, ...]:
    return (
        "badge",
        "issue",
        "--evidence",
        "{item}",
        "--name",
        "Dashboards",
        "--out",
        "@out.json",
        "--bake",
        "@" + name,
    )


case("badge-issue-bake-not-png", {"img.png": b"not an image"}, _issue("img.png"))
case(
    "badge-issue-bake-truncated-png",
    {"img.png": F.truncated(F.png_bytes(), 0.5)},
    _issue("img.png"),
)
case("badge-issue-bake-malformed-svg", {"img.svg": b"<svg><g>"}, _issue("img.svg"))
case("badge-issue-bake-binary-svg", {"img.svg": F.noise()}, _issue("img.svg"))
case("badge-issue-bake-missing", {}, _issue("nothere.png"), named="nothere.png")


def by_id() -> dict[str, Case]:
    """The corpus keyed by case id (ids are unique)."""
    out: dict[str, Case] = {}
    for c in CASES:
        assert c.id not in out, f"duplicate case id {c.id}"
        out[c.id] = c
    return out


__all__ = ["CASES", "Case", "by_id"]
