"""Each CV reader on the example CVs, and garbage input -> InputError / CLI exit 2."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from skillpath.cli import main
from skillpath.errors import InputError
from skillpath.profile import Profile, read_cv

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cv"


def _titles(p: Profile) -> list[str]:
    return [x.title for x in p.positions]


def test_jsonresume_example() -> None:
    p = read_cv(EXAMPLES / "developer.resume.json")
    assert p.format == "jsonresume"
    assert p.name == "Lukas Brenner"
    assert "Senior Software Engineer" in _titles(p)
    senior = next(x for x in p.positions if x.title == "Senior Software Engineer")
    assert senior.current and senior.start == date(2019, 4, 1) and senior.end is None
    assert any(x.kind == "volunteer" for x in p.positions)
    assert {s.name for s in p.skills} >= {"Programming", "Cloud"}
    assert any("Python" in s.keywords for s in p.skills)
    assert [c.issuer for c in p.certificates] == ["Amazon Web Services", "Scrum.org"]
    assert any(c.name == "Distributed Systems" for c in p.courses)


@pytest.mark.parametrize("name", ["linkedin-nurse", "linkedin-nurse.zip"])
def test_linkedin_export(name: str) -> None:
    p = read_cv(EXAMPLES / name)
    assert p.format == "linkedin"
    assert p.name == "Grace Mensah"
    charge = p.positions[0]
    assert charge.title.startswith("Charge Nurse") and charge.current
    assert charge.start == date(2020, 3, 1)
    staff = next(x for x in p.positions if x.title.startswith("Staff Nurse"))
    assert (staff.start, staff.end) == (date(2016, 9, 1), date(2020, 2, 1))
    assert p.endorsement_counts["Critical Care Nursing"] == 5
    assert any(x.kind == "volunteer" for x in p.positions)
    assert len(p.certificates) == 2 and len(p.courses) == 3 and len(p.education) == 1


def test_linkedin_notes_preamble(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    shutil.copytree(EXAMPLES / "linkedin-nurse", folder)
    text = (folder / "Skills.csv").read_text()
    (folder / "Skills.csv").write_text('Notes:\n"Some note from LinkedIn"\n\n' + text)
    p = read_cv(folder)
    assert "Triage" in {s.name for s in p.skills}


def test_pdf_example() -> None:
    p = read_cv(EXAMPLES / "data-analyst.pdf")
    assert p.format == "pdf" and p.name == "Priya Raman"
    assert _titles(p)[0] == "Senior Data Analyst"
    assert p.positions[0].current
    sql = next(s for s in p.skills if s.name == "SQL")
    assert sql.level == "expert" and sql.years == 6
    assert any(x.kind == "volunteer" for x in p.positions)


def test_docx_example() -> None:
    p = read_cv(EXAMPLES / "marketing.docx")
    assert p.format == "docx" and p.name == "Sofia Marquez"
    assert _titles(p)[0] == "Marketing Manager"
    assert p.positions[0].organisation == "Verde Foods S.L."
    assert "Google Analytics" in {s.name for s in p.skills}
    assert p.education[0].institution == "Universitat Pompeu Fabra"


def test_markdown_example() -> None:
    p = read_cv(EXAMPLES / "teacher.md")
    assert p.format == "text" and p.name == "Amara Okafor"
    head = p.positions[0]
    assert (head.title, head.organisation, head.current) == (
        "Head of Mathematics",
        "Riverside Academy",
        True,
    )
    kinds = {x.kind for x in p.positions}
    assert {"job", "volunteer", "informal"} <= kinds
    excel = next(s for s in p.skills if s.name == "Microsoft Excel")
    assert (excel.level, excel.years) == ("advanced", 8.0)
    assert p.education[0].degree == "PGCE"


def test_plain_text_one_line_entries(tmp_path: Path) -> None:
    f = tmp_path / "cv.txt"
    f.write_text(
        "John Smith\n\nEXPERIENCE\nElectrician at Bright Sparks Ltd, 2015 - present\n"
        "- Installed wiring in homes\nApprentice Electrician, City Works (2012 – 2015)\n\n"
        "SKILLS\nWiring, Blueprint reading\n"
    )
    p = read_cv(f)
    assert _titles(p) == ["Electrician", "Apprentice Electrician"]
    assert p.positions[0].organisation == "Bright Sparks Ltd"


# ---------------------------------------------------------------------------- garbage in


def _image_only_pdf(path: Path) -> None:
    body = b"q 10 0 0 10 50 700 cm 0.5 g 0 0 1 1 re f Q"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length " + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    x = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offs)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def _garbage(kind: str, tmp: Path) -> Path:
    if kind == "empty":
        (p := tmp / "cv.txt").write_text("")
    elif kind == "image-pdf":
        _image_only_pdf(p := tmp / "scan.pdf")
    elif kind == "broken-pdf":
        (p := tmp / "cv.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    elif kind == "zip-without-csvs":
        p = tmp / "export.zip"
        with zipfile.ZipFile(p, "w") as zf:
            zf.writestr("Connections.csv", "First Name,Last Name\nA,B\n")
    elif kind == "malformed-json":
        (p := tmp / "cv.json").write_text('{"basics": {"name": "x",}')
    elif kind == "schema-violation":
        (p := tmp / "cv.json").write_text(
            json.dumps({"work": [{"position": "Dev", "startDate": "last year"}]})
        )
    elif kind == "not-a-resume":
        (p := tmp / "data.json").write_text(json.dumps({"hello": "world"}))
    elif kind == "image":
        (p := tmp / "cv.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    elif kind == "no-words":
        (p := tmp / "cv.txt").write_text("12345 --- 678\n* * *\n")
    elif kind == "missing":
        p = tmp / "nope.json"
    else:
        raise AssertionError(kind)
    return p


GARBAGE = [
    "empty", "image-pdf", "broken-pdf", "zip-without-csvs", "malformed-json",
    "not-a-resume", "image", "no-words", "missing",
]  # fmt: skip


@pytest.mark.parametrize("kind", GARBAGE)
def test_garbage_raises_input_error_naming_the_file(kind: str, tmp_path: Path) -> None:
    path = _garbage(kind, tmp_path)
    with pytest.raises(InputError) as info:
        read_cv(path)
    assert path.name in str(info.value)


@pytest.mark.parametrize("kind", ["empty", "image-pdf", "zip-without-csvs", "malformed-json"])
def test_cli_exit_2_on_garbage(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _garbage(kind, tmp_path)
    assert main(["profile", "--cv", str(path)]) == 2
    err = capsys.readouterr().err
    assert "error" in err and "Traceback" not in err


def test_prose_is_read_not_refused(tmp_path: Path) -> None:
    """Any CV with words is read; what is missing is said in the warnings."""
    path = tmp_path / "cv.txt"
    path.write_text("I like long walks on the beach.\nAnd tea.\n")
    p = read_cv(path)
    assert p.positions == () and "long walks" in p.text
    assert any("found no positions or skills or education" in w for w in p.warnings)


def test_malformed_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cv.json"
    path.write_text('{\n  "basics": {\n    "name": "x",\n  }\n}')
    with pytest.raises(InputError) as info:
        read_cv(path)
    assert info.value.row == 4


def test_schema_violation_names_the_field(tmp_path: Path) -> None:
    # read, not refused (issue 10): the unreadable value is dropped with a warning naming it
    path = _garbage("schema-violation", tmp_path)
    p = read_cv(path)
    assert p.positions[0].title == "Dev" and p.positions[0].start is None
    assert "work[0].startDate 'last year' is not a date; ignored" in p.warnings
