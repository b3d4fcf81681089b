"""Each layout-free reading rule on a small text written here."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from skillpath.profile import Position, read_cv
from skillpath.profile._dates import parse_date_range
from skillpath.profile._lang import detect_language
from skillpath.profile._model import union_years
from skillpath.profile._text import parse_text_cv, repair_text


def _read(text: str) -> object:
    return parse_text_cv(text, source="cv.txt")


# ------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("03/2018 - heute", date(2018, 3, 1), None, True),
        ("seit 2018", date(2018, 1, 1), None, True),
        ("1. März 2018 bis 31.12.2020", date(2018, 3, 1), date(2020, 12, 1), False),
        ("2016 - présent", date(2016, 1, 1), None, True),
        ("depuis janvier 2016", date(2016, 1, 1), None, True),
        ("Février 2014 - Aujourd'hui", date(2014, 2, 1), None, True),
        ("sept. 2013 – juin 2016", date(2013, 9, 1), date(2016, 6, 1), False),
        ("marzo de 2018 - actualidad", date(2018, 3, 1), None, True),
        ("enero 2015 a diciembre 2017", date(2015, 1, 1), date(2017, 12, 1), False),
        ("mei 2017 - heden", date(2017, 5, 1), None, True),
        ("maart 2012 tot juni 2015", date(2012, 3, 1), date(2015, 6, 1), False),
        ("gennaio 2015 - oggi", date(2015, 1, 1), None, True),
        ("dal 2019", date(2019, 1, 1), None, True),
        ("setembro de 2014 até o momento", date(2014, 9, 1), None, True),
        ("outubro 2010 - atual", date(2010, 10, 1), None, True),
        ("Jan - Mar 2021", date(2021, 1, 1), date(2021, 3, 1), False),
        ("10/2015 –", date(2015, 10, 1), None, True),
        ("Summer 2019", date(2019, 6, 1), date(2019, 6, 1), False),
    ],
)
def test_dates_in_seven_languages(text: str, start: date, end: date | None, current: bool) -> None:
    r = parse_date_range(f"Role, Org, {text}")
    assert r is not None, text
    assert (r.start, r.end, r.current) == (start, end, current)


def test_heute_is_ongoing_under_english_headings() -> None:
    p = _read("EXPERIENCE\nElektroniker, Stadtwerke\n03/2018 - heute\n- Wartung\n")
    pos = p.positions[0]  # type: ignore[attr-defined]
    assert pos.current and pos.end is None and pos.start == date(2018, 3, 1)


# ---------------------------------------------------------------------------- headings

HEADINGS = {
    "en": ("WORK EXPERIENCE", "SKILLS", "EDUCATION"),
    "de": ("BERUFSERFAHRUNG", "KENNTNISSE", "AUSBILDUNG"),
    "fr": ("EXPÉRIENCE PROFESSIONNELLE", "COMPÉTENCES", "FORMATION"),
    "es": ("EXPERIENCIA LABORAL", "HABILIDADES", "FORMACIÓN ACADÉMICA"),
    "nl": ("WERKERVARING", "VAARDIGHEDEN", "OPLEIDING"),
    "it": ("ESPERIENZA PROFESSIONALE", "COMPETENZE", "ISTRUZIONE"),
    "pt": ("EXPERIÊNCIA PROFISSIONAL", "COMPETÊNCIAS", "FORMAÇÃO ACADÉMICA"),
}


@pytest.mark.parametrize("lang", sorted(HEADINGS))
def test_headings_in_seven_languages(lang: str) -> None:
    exp, skills, edu = HEADINGS[lang]
    p = _read(
        f"Ana Lima\n\n{exp}\nAnalyst, Acme\n2019 - 2021\n- Reports\n\n"
        f"{skills.title()}:\nExcel, SQL\n\n{edu}\nUniversity of Porto, 2015 - 2018\n"
    )
    assert [x.title for x in p.positions] == ["Analyst"]  # type: ignore[attr-defined]
    assert [s.name for s in p.skills] == ["Excel", "SQL"]  # type: ignore[attr-defined]
    assert p.education[0].institution == "University of Porto"  # type: ignore[attr-defined]


def test_heading_with_modifiers_and_details() -> None:
    p = _read(
        "Relevant Work Experience\nClerk, Acme, 2019 - 2020\n\nSkill Details\nExcel\n"
        "Educational Background\nBSc Biology, Leeds University, 2015 - 2018\n"
    )
    assert p.positions[0].title == "Clerk"  # type: ignore[attr-defined]
    assert p.skills[0].name == "Excel"  # type: ignore[attr-defined]
    assert p.education[0].degree == "BSc"  # type: ignore[attr-defined]


def test_title_case_job_line_is_not_a_heading() -> None:
    p = _read(
        "EXPERIENCE\nTraining Manager, Acme\n2019 - 2021\nProject Manager, Beta\n2016 - 2019\n"
    )
    assert [x.title for x in p.positions] == ["Training Manager", "Project Manager"]  # type: ignore[attr-defined]


# --------------------------------------------------------------------- layout-free text


def test_glued_headings_are_split() -> None:
    p = _read(
        "Skills: Python, SQL, Deep learning.Education Details B.Tech Computer Science, "
        "Pune University, 2014 - 2018\n"
    )
    assert {"Python", "SQL", "Deep learning"} <= {s.name for s in p.skills}  # type: ignore[attr-defined]
    assert p.education and p.education[0].institution == "Pune University"  # type: ignore[attr-defined]


def test_blob_without_line_breaks() -> None:
    filler = "Worked with the analytics team on weekly sales reports for the stores. " * 4
    p = _read(
        "Data Analyst Skill Details Python- Experience - 24 months SQL- Experience - Less "
        f"than 1 year months Company Details company - Acme Retail description - {filler}"
    )
    skills = {s.name: s.years for s in p.skills}  # type: ignore[attr-defined]
    assert skills == {"Python": 2.0, "SQL": 0.5}
    assert p.positions[0].organisation == "Acme Retail"  # type: ignore[attr-defined]
    assert "weekly sales reports" in p.positions[0].description  # type: ignore[attr-defined]


def test_unknown_heading_read_by_dates() -> None:
    p = _read(
        "Jane Roe\nNurse\n\nWHERE I WORKED\nStaff Nurse, City Hospital\nJan 2015 - present\n"
        "- Cared for 12 patients per shift.\n"
    )
    assert p.positions[0].title == "Staff Nurse" and p.positions[0].current  # type: ignore[attr-defined]
    assert any("by their dates" in w for w in p.warnings)  # type: ignore[attr-defined]


def test_no_headings_at_all_dated_lines_still_read() -> None:
    p = _read(
        "Jane Roe\nChef de partie, Hotel Astoria, 2018 - present\nCommis chef, Bistro Nord, "
        "2015 - 2018\nMSc Food Science, University of Leeds, 2013 - 2014\n"
    )
    assert [x.title for x in p.positions] == ["Chef de partie", "Commis chef"]  # type: ignore[attr-defined]
    assert p.education[0].institution == "University of Leeds"  # type: ignore[attr-defined]


def test_undated_title_like_lines_start_entries() -> None:
    p = _read(
        "Experience\nSous Chef Jul 2010\nCompany Name ： City , State\nPlated dishes.\n"
        "Front Desk Agent\nCompany Name ： City , State\nHandled reservations.\n"
    )
    assert [x.title for x in p.positions] == ["Sous Chef", "Front Desk Agent"]  # type: ignore[attr-defined]
    assert all(x.organisation == "" for x in p.positions)  # type: ignore[attr-defined]


def test_bullet_runs_are_descriptions() -> None:
    p = _read(
        "EXPERIENCE\nWelder, Acme, 2019 - 2022\n• MIG welding of frames\n• TIG welding\n"
        "• Read blueprints\n"
    )
    assert len(p.positions) == 1  # type: ignore[attr-defined]
    assert p.positions[0].description.splitlines() == [  # type: ignore[attr-defined]
        "MIG welding of frames",
        "TIG welding",
        "Read blueprints",
    ]


def test_mojibake_repaired() -> None:
    text = "Worked the sautÃ© station â€¢ Company Name ï¼​ City"
    fixed = repair_text(text)
    assert "sauté" in fixed and "•" in fixed and "ï¼" not in fixed and "\u200b" not in fixed


def test_never_refuses_text_and_keeps_it() -> None:
    p = _read("Hard-working and reliable, I enjoy helping customers every day.")
    assert p.text.startswith("Hard-working")  # type: ignore[attr-defined]
    assert any("inferred from the whole text" in w for w in p.warnings)  # type: ignore[attr-defined]


# ------------------------------------------------------------------- positions and titles


def test_company_first_header_is_swapped() -> None:
    p = _read("EXPERIENCE\nAcme GmbH — Software Engineer\n2019 - 2021\n")
    assert (p.positions[0].title, p.positions[0].organisation) == (  # type: ignore[attr-defined]
        "Software Engineer",
        "Acme GmbH",
    )


@pytest.mark.parametrize(
    "header",
    [
        "Operations Manager Company Name \u00ef\u00bc\u200b City , State",  # mojibake "："
        "Operations Manager Company Name - City , State",
        "Company Name   Operations Manager",
        "Company Name City , State Operations Manager",
    ],
)
def test_template_placeholders_end_the_title(header: str) -> None:
    # CV templates print "Company Name" / "City, State" where the employer goes: not a title
    p = _read(f"EXPERIENCE\n02/2010 to 08/2014\n{header}\n- Managed a team of four.\n")
    assert p.positions[0].title == "Operations Manager"  # type: ignore[attr-defined]


def test_award_lines_are_not_positions() -> None:
    text = (
        "EXPERIENCE\n"
        "Fund Accountant 01/2012 to 12/2015\n"
        "Ran daily reports for fund accountants.\n"
        "Award: Received a special achievement award at the bank (Dec 2013)\n"
        "Employee of the Month (July)\n"
        "Awarded Agency of the Year award (September 2014).\n"
        "Staff Accountant 01/2009 to 12/2011\n"
        "Reconciled accounts.\n"
    )
    p = _read(text)
    titles = [pos.title for pos in p.positions]  # type: ignore[attr-defined]
    assert titles == ["Fund Accountant", "Staff Accountant"]
    assert "achievement award" in p.positions[0].description  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("title", "founder"),
    [
        ("Founder & CEO", True), ("Co-founder", True), ("Owner", True), ("Inhaber", True),
        ("Fondatrice", True), ("Fundador", True), ("Oprichter", True), ("Self-employed", True),
        ("Software Engineer", False), ("Store Manager", False),
    ],
)  # fmt: skip
def test_founder_marked(title: str, founder: bool) -> None:
    p = _read(f"EXPERIENCE\n{title}, Brewly\n2019 - present\n- Built the product.\n")
    assert p.positions[0].founder is founder  # type: ignore[attr-defined]


def test_project_name_is_not_a_title() -> None:
    p = _read(
        "PROJECTS\nAll Social\n2020 - 2021\n- A social app in Flutter.\n\n"
        "Maintainer — OpenRoute\n2019 - present\n"
    )
    lone, role = sorted(p.positions, key=lambda x: x.project)  # type: ignore[attr-defined]
    assert (lone.title, lone.project, lone.kind) == ("", "All Social", "informal")
    assert (role.title, role.project) == ("Maintainer", "OpenRoute")


def test_linkedin_project_name_is_not_a_title(tmp_path: Path) -> None:
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(
            "Positions.csv", "Company Name,Title,Started On,Finished On\nAcme,Nurse,Jan 2019,\n"
        )
        zf.writestr(
            "Projects.csv",
            "Title,Description,Started On,Finished On\nAll Social,App,Jan 2020,Mar 2020\n",
        )
    p = read_cv(z)
    proj = next(x for x in p.positions if x.kind == "informal")
    assert (proj.title, proj.project) == ("", "All Social")
    assert [x.title for x in p.positions if x.title] == ["Nurse"]


# -------------------------------------------------------------- years: union, not sum


def test_union_of_overlapping_ranges() -> None:
    today = date(2025, 1, 1)
    spans = [(date(2013, 1, 1), None), (date(2016, 1, 1), date(2018, 12, 1)),
             (date(2017, 1, 1), date(2019, 12, 1))]  # fmt: skip
    assert union_years(spans, today) == pytest.approx(12 + 1 / 12)
    assert union_years([], today) == 0.0
    # weights: a month counts with its largest weight
    half = [(date(2020, 1, 1), date(2020, 12, 1), 0.5), (date(2020, 7, 1), date(2021, 6, 1), 1.0)]
    assert union_years(half, today) == pytest.approx(0.25 + 1.0)


def test_profile_experience_years_overlap_once() -> None:
    p = _read(
        "EXPERIENCE\nTech Lead, Streamly\nMar 2019 - present\nSoftware Engineer, Streamly\n"
        "Jan 2016 - Feb 2019\nSoftware Engineer, OpenMaps\nJan 2017 - Dec 2018\n"
    )
    today = date(2025, 3, 1)
    total = sum(x.years(today) for x in p.positions)  # type: ignore[attr-defined]
    union = p.experience_years(today)  # type: ignore[attr-defined]
    assert union == pytest.approx(9 + 3 / 12)
    assert total > union + 1.5


# --------------------------------------------------------------------------- language

SAMPLES = {
    "en": "I worked as a nurse in the emergency department of the city hospital for five years.",
    "de": "Ich habe fünf Jahre als Pflegefachkraft in der Notaufnahme des Klinikums gearbeitet.",
    "fr": "J'ai travaillé pendant cinq ans comme infirmière aux urgences de l'hôpital de la ville.",
    "es": "He trabajado cinco años como enfermera en el servicio de urgencias del hospital.",
    "nl": "Ik heb vijf jaar als verpleegkundige op de spoedeisende hulp van het ziekenhuis gewerkt.",
    "it": "Ho lavorato per cinque anni come infermiera nel pronto soccorso dell'ospedale della città.",
    "pt": "Trabalhei durante cinco anos como enfermeira no serviço de urgência do hospital da cidade.",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_language_detected(lang: str) -> None:
    assert detect_language(SAMPLES[lang]) == lang
    assert _read(SAMPLES[lang]).language == lang  # type: ignore[attr-defined]


def test_language_unsure_on_a_list_of_tools() -> None:
    assert detect_language("Python, SQL, Kubernetes") is None


# ------------------------------------------------------------------ skills and levels


def test_foreign_level_words() -> None:
    p = _read("KENNTNISSE\nJava (sehr gut), Python (Grundkenntnisse), Excel (avancé)\n")
    assert {s.name: s.level for s in p.skills} == {  # type: ignore[attr-defined]
        "Java": "advanced",
        "Python": "basic",
        "Excel": "advanced",
    }


def test_position_dataclass_defaults_unchanged() -> None:
    pos = Position(title="X")
    assert (pos.founder, pos.project) == (False, "")


# ------------------------------------------------- a date range over three lines (issue 12)


def test_date_range_broken_over_three_lines_dates_one_entry() -> None:
    """Some PDF templates print the dates as a column: "January 2004" / "to" / "January 2012"
    before "Company Name City , State Supervisor". The range dates one entry; "to" is no
    position."""
    p = _read(
        "EXPERIENCE\n"
        "January 2004\nto\nJanuary 2012\n"
        "Company Name City , State Supervisor\n"
        "Supervised a shift of three painters.\n"
        "March 2013\nto\nCurrent\n"
        "Company Name City , State Aircraft Painter\n"
        "Masked and painted aircraft surfaces.\n"
    )
    got = [(x.title, x.start, x.end, x.current) for x in p.positions]  # type: ignore[attr-defined]
    assert sorted(got, key=lambda x: x[1]) == [
        ("Supervisor", date(2004, 1, 1), date(2012, 1, 1), False),
        ("Aircraft Painter", date(2013, 3, 1), None, True),
    ], got


def test_only_dates_around_a_lone_separator_are_joined() -> None:
    from skillpath.profile._dates import join_split_ranges

    assert join_split_ranges(["May 2014", "to", "Present"]) == ["May 2014 to Present"]
    assert join_split_ranges(["2010", "-", "2012", "Chef"]) == ["2010 to 2012", "Chef"]
    kept = ["Went", "to", "Paris", "May 2014", "to", "Acme Corp"]
    assert join_split_ranges(kept) == kept
