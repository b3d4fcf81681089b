"""Ten CVs written for these tests, in the shapes real CVs come in, with what must be read.

Seven are text files in ``cvs/``; the PDF with a table, the DOCX laid out as a table and the
LinkedIn export are built here at test time. ``EXPECTED_OCCUPATIONS`` names, for each, the
O*NET occupations a person reading the CV would say it shows (any one of them in the top 3).
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from skillpath.profile import Profile, read_cv

CVS = Path(__file__).parent / "cvs"
TODAY = date(2025, 6, 1)

EXPECTED_OCCUPATIONS: dict[str, tuple[str, ...]] = {
    "blob-data-scientist.txt": ("15-2051.00",),
    "de-softwareentwickler.txt": ("15-1252.00",),
    "fr-developpeur.txt": ("15-1254.00", "15-1252.00"),
    "table.pdf": ("17-2141.00",),
    "linkedin.zip": ("29-1141.00",),
    "career-changer.md": ("15-1254.00", "15-1252.00"),
    "founder.txt": ("15-1252.00", "11-1011.00"),
    "tech-lead.txt": ("15-1252.00",),
    "chef-table.docx": ("35-1011.00",),
    "glued-accountant.txt": ("13-2011",),  # any code of the SOC (older releases split it)
}


def _table_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    pdf.cell(0, 10, "Oliver Grant", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 8, "Mechanical Engineer", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Professional Experience", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    rows = [
        ("Period", "Role", "Employer"),
        ("2019 - present", "Mechanical Engineer", "Rolls-Royce plc"),
        ("2015 - 2019", "Design Engineer", "JCB Ltd"),
    ]
    with pdf.table(col_widths=(35, 60, 60), first_row_as_headings=True) as table:
        for r in rows:
            row = table.row()
            for cell in r:
                row.cell(cell)
    pdf.ln(2)
    pdf.multi_cell(0, 6, "Designed turbine components in SolidWorks and ran finite element "
                   "analysis in ANSYS.")  # fmt: skip
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Skills", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 6, "SolidWorks, ANSYS, AutoCAD, GD&T, MATLAB", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Education", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 6, "MEng Mechanical Engineering, University of Bath, 2010 - 2015",
             new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.output(str(path))


def _linkedin_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            "Profile.csv",
            "First Name,Last Name,Headline,Summary\n"
            'Aisha,Bello,"Registered Nurse | Intensive Care","ICU nurse for eight years."\n',
        )
        zf.writestr(
            "Positions.csv",
            "Company Name,Title,Description,Location,Started On,Finished On\n"
            'St Thomas Hospital,Registered Nurse,"Care for ventilated patients in the ICU",'
            "London,Mar 2019,\n"
            'Royal Free Hospital,Staff Nurse,"Medical ward nursing",London,Sep 2016,Feb 2019\n',
        )
        zf.writestr(
            "Projects.csv",
            "Title,Description,Url,Started On,Finished On\n"
            'All Social,"A community app connecting volunteers with care homes",,Jan 2021,Jun 2021\n',
        )
        zf.writestr("Skills.csv", "Name\nCritical Care Nursing\nPatient Assessment\n")


def _chef_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Marco Rossi", style="Title")
    d.add_paragraph("Head Chef")
    d.add_heading("Experience", level=1)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "2018 - present"
    right = table.cell(0, 1)
    right.text = "Head Chef, Trattoria Verde, Bristol"
    right.add_paragraph("Plan seasonal menus and run a kitchen brigade of eight cooks.")
    right.add_paragraph("Order stock and keep food safety records.")
    table.cell(1, 0).text = "2012 - 2018"
    right = table.cell(1, 1)
    right.text = "Sous Chef, The Harbour Kitchen, Bath"
    right.add_paragraph("Ran the pass and trained commis chefs.")
    d.add_heading("Skills", level=1)
    d.add_paragraph("Menu planning, Food safety, Italian cuisine, Kitchen management")
    d.add_heading("Education", level=1)
    d.add_paragraph("Diploma in Culinary Arts, Westminster Kingsway College, 2010 - 2012")
    d.save(str(path))


def _path(name: str, tmp: Path) -> Path:
    if (CVS / name).exists():
        return CVS / name
    builders = {"table.pdf": _table_pdf, "linkedin.zip": _linkedin_zip,
                "chef-table.docx": _chef_docx}  # fmt: skip
    p = tmp / name
    builders[name](p)
    return p


@pytest.fixture(scope="module")
def cvs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Profile]:
    tmp = tmp_path_factory.mktemp("cvs")
    return {name: read_cv(_path(name, tmp)) for name in EXPECTED_OCCUPATIONS}


def _titles(p: Profile) -> list[str]:
    return [x.title for x in p.positions]


def test_ten_cvs_all_read(cvs: dict[str, Profile]) -> None:
    assert len(cvs) == 10
    for name, p in cvs.items():
        assert p.text, name
        assert p.positions, name


def test_blob(cvs: dict[str, Profile]) -> None:
    p = cvs["blob-data-scientist.txt"]
    skills = {s.name: s.years for s in p.skills}
    assert skills["Python"] == 3.0 and skills["Tableau"] == 0.5
    assert {"Finlytics", "DataWorks Analytics"} <= {x.organisation for x in p.positions}
    assert p.headline == "Data Scientist"
    assert p.education and p.education[0].degree.startswith("B.E")


def test_german(cvs: dict[str, Profile]) -> None:
    p = cvs["de-softwareentwickler.txt"]
    assert p.language == "de" and p.name == "Lena Hoffmann"
    assert _titles(p) == ["Senior Software Engineer", "Softwareentwicklerin"]
    now = p.positions[0]
    assert now.current and now.start == date(2018, 3, 1) and now.organisation == "Zalando SE"
    assert {s.name: s.level for s in p.skills}["Java"] == "advanced"
    assert [e.institution for e in p.education] == [
        "Karlsruher Institut für Technologie",
        "Universität Stuttgart",
    ]


def test_french(cvs: dict[str, Profile]) -> None:
    p = cvs["fr-developpeur.txt"]
    assert p.language == "fr"
    assert _titles(p) == ["Développeur web", "Développeur front-end"]
    assert p.positions[0].current and p.positions[0].start == date(2016, 1, 1)
    assert p.positions[1].start == date(2013, 9, 1) and p.positions[1].end == date(2016, 6, 1)
    assert "JavaScript" in {s.name for s in p.skills}


def test_pdf_table(cvs: dict[str, Profile]) -> None:
    p = cvs["table.pdf"]
    assert _titles(p) == ["Mechanical Engineer", "Design Engineer"]
    assert p.positions[0].current and p.positions[1].organisation == "JCB Ltd"
    assert "SolidWorks" in {s.name for s in p.skills}


def test_linkedin(cvs: dict[str, Profile]) -> None:
    p = cvs["linkedin.zip"]
    assert "All Social" not in _titles(p)
    assert any(x.project == "All Social" and x.title == "" for x in p.positions)
    assert _titles(p)[0] == "Registered Nurse"


def test_career_changer(cvs: dict[str, Profile]) -> None:
    p = cvs["career-changer.md"]
    assert _titles(p) == ["Junior Web Developer", "Primary School Teacher"]
    assert p.positions[0].current and not p.positions[1].current


def test_founder(cvs: dict[str, Profile]) -> None:
    p = cvs["founder.txt"]
    assert [(x.title, x.founder) for x in p.positions] == [
        ("Founder & CEO", True),
        ("Software Developer", False),
    ]


def test_tech_lead_years_are_a_union(cvs: dict[str, Profile]) -> None:
    p = cvs["tech-lead.txt"]
    assert len(p.positions) == 4
    total = sum(x.years(TODAY) for x in p.positions)
    assert p.experience_years(TODAY) == pytest.approx(12 + 1 / 12)  # Jun 2013 - Jun 2025
    assert total > 14


def test_docx_table(cvs: dict[str, Profile]) -> None:
    p = cvs["chef-table.docx"]
    assert _titles(p) == ["Head Chef", "Sous Chef"]
    assert "brigade" in p.positions[0].description
    assert p.education[0].institution == "Westminster Kingsway College"


def test_glued_and_mojibake(cvs: dict[str, Profile]) -> None:
    p = cvs["glued-accountant.txt"]
    assert p.headline == "ACCOUNTANT"
    assert _titles(p) == ["Senior Accountant", "Staff Accountant"]
    assert "QuickBooks" in {s.name for s in p.skills}
    assert "â€" not in p.text and "ï¼" not in p.text
    assert p.positions[0].description.startswith("Prepare monthly")


@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(EXPECTED_OCCUPATIONS))
def test_expected_occupation_in_top_3(name: str, cvs: dict[str, Profile], real_tax: Any) -> None:
    from skillpath.profile import infer_profile

    state = infer_profile(cvs[name], real_tax, today=TODAY)
    top = [
        real_tax.occupations[o.occupation_id].code
        for o in state.occupations
        if o.taxonomy == "onet"
    ][:3]
    assert any(c.startswith(e) for c in top for e in EXPECTED_OCCUPATIONS[name]), (name, top)
