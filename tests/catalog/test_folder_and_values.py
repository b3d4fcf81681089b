"""Issue 11: folder imports are all-or-nothing, layouts come from headers, the Coursera 2021/2023
presets keep the provider's skills, unmapped columns keep stored values, impossible values are
refused per row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from skillpath.catalog import (
    Mapping,
    detect_preset,
    get_course,
    import_file,
    import_path,
    load_catalog,
)
from skillpath.catalog._sources import split_skills
from skillpath.errors import InputError
from skillpath.store import Store
from skillpath.store.models.catalog import CatCourse, CatImport

EDX_H = (
    "title,summary,course_description,course_syllabus,subject,institution,instructors,"
    "course_url,language,Level,course_effort,course_length,price,n_enrolled\n"
)


def edx_row(
    slug: str, effort: str = "2-3 hours per week", length: str = "6 Weeks", price: str = "FREE"
) -> str:
    return (
        f"Course {slug},s,d,syl,Math,MITx,Ann,https://www.edx.org/course/{slug},English,"
        f'Introductory,"{effort}","{length}","{price}",1000\n'
    )


UDEMY = (
    "course_id,course_title,url,is_paid,price,num_subscribers,num_reviews,num_lectures,level,"
    "content_duration,published_timestamp,subject\n"
    "11,Guitar from zero,https://www.udemy.com/guitar-zero/,True,20,10,2,5,All Levels,1.5,"
    "2017-01-18T20:58:58Z,Music\n"
)
C2023_H = (
    "partner,course,skills,rating,reviewcount,level,certificatetype,duration,crediteligibility\n"
)
C2023 = C2023_H + (
    'Google,Google Data Analytics,"Data Analysis, R Programming, Extract, Transform, Load, SQL",'
    "4.8,133400.0,Beginner , Professional Certificate , 3 - 6 Months,True\n"
    "Yale University,The Science of Well-Being,(36.9k reviews),4.9,36900.0,Mixed , Course , "
    "1 - 3 Months,False\n"
    'University of Pennsylvania,Business Analytics,"Finance, Accounting",,,Beginner , '
    "Specialization , 1 - 4 Years,False\n"
    'University of Illinois,Business Analytics,"Marketing",4.6,10.0,Beginner , Course , '
    "Less Than 2 Hours,False\n"
    'Google,Google データアナリティクス,"Data Analysis",4.7,5.0,Beginner , Course , None,False\n'
    'Google,Google サイバーセキュリティ,"Network Security",4.7,5.0,Beginner , Course , '
    "1 - 4 Weeks,False\n"
)
C2021_H = [
    "Course_Name",
    "University",
    "Difficulty_Level",
    "Course_Rating",
    "Course _URL",
    "Course_Description",
    "Skills",
]
C2021 = [
    C2021_H,
    [
        "Write A Feature Length Screenplay",
        "Michigan State University",
        "Beginner",
        "4.8",
        "https://www.coursera.org/learn/write-a-feature-length-screenplay",
        "Write a full feature film script.",
        "Drama  Comedy  screenwriting  Document Review  project",
    ],
    [
        "Finance for Managers",
        "IESE Business School",
        "Not Calibrated",
        "Not Calibrated",
        "https://www.coursera.org/learn/operational-finance",
        "Numbers.",
        "accounts receivable  dupont analysis",
    ],
]


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _counts(store: Store) -> tuple[int, int]:
    with store.session() as s:
        return (
            int(s.scalar(select(func.count()).select_from(CatCourse)) or 0),
            int(s.scalar(select(func.count()).select_from(CatImport)) or 0),
        )


# --------------------------------------------------------------------------- values


def test_impossible_values_refused_per_row_rest_imports(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "edx_courses.csv"
    f.write_text(
        EDX_H
        + edx_row("good")  # row 2
        + edx_row("neg", price="-$49")  # 3
        + edx_row("sci", effort="1e9 hours per week")  # 4
        + edx_row("huge", effort="1.5e9 hours", length="")  # 5
        + edx_row("dear", price="1e308")  # 6
        + edx_row("abc", effort="abc")  # 7
        + edx_row("selfpaced", effort="Self-paced", length="")  # 8
        + edx_row("long", effort="100 hours per week", length="52 Weeks")  # 9
        + edx_row("badlen", length="soon")  # 10
        + edx_row("infprice", price="1e999")  # 11
        + edx_row("cert", price="FREE-Add a Verified Certificate for -$49 USD"),  # 12
        encoding="utf-8",
    )
    rep = import_file(store, f, preset="edx")
    assert rep.inserted == 2  # good, selfpaced
    got = {r.row: r for r in rep.rejected}
    assert set(got) == {3, 4, 5, 6, 7, 9, 10, 11, 12}
    assert (got[3].column, got[3].value) == ("price", "-$49") and ">= 0" in got[3].reason
    assert got[4].column == "course_effort" and "168" in got[4].reason
    assert got[4].value == "1e9 hours per week"
    assert got[5].column == "course_effort" and "2,000" in got[5].reason
    assert got[6].column == "price" and "100,000" in got[6].reason
    assert got[7].column == "course_effort" and "not a duration" in got[7].reason
    assert got[7].value == "abc"
    assert got[9].column == "course_effort" and "5,200 hours" in got[9].reason
    assert got[10].column == "course_length" and got[10].value == "soon"
    assert got[11].column == "price" and "finite" in got[11].reason
    assert got[12].column == "price" and "certificate" in got[12].reason
    courses = {c.id: c for c in load_catalog(store)}
    assert set(courses) == {"edx:good", "edx:selfpaced"}
    sp = courses["edx:selfpaced"]
    assert sp.hours == 24.0 and sp.hours_estimated  # edX's default, flagged as an estimate
    assert sp.extra["hours_pattern"] == "self-paced: provider default"
    assert courses["edx:good"].hours == 15.0 and not courses["edx:good"].hours_estimated


def test_huge_counts_refused_not_a_traceback(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "u.csv"
    f.write_text(
        UDEMY
        + UDEMY.splitlines()[1].replace("11,", "12,", 1).replace(",10,2,", ",1e308,2,")
        + "\n",
        encoding="utf-8",
    )
    rep = import_file(store, f, preset="udemy")
    assert rep.inserted == 1
    (r,) = rep.rejected
    assert r.row == 3 and r.column == "num_subscribers" and "count" in r.reason


# --------------------------------------------------------------------------- merge


def test_reimport_without_a_column_keeps_the_stored_value(
    store: Store, acme: tuple[Path, Path], tmp_path: Path
) -> None:
    f, m = acme
    import_file(store, f, mapping=m)
    before = {c.id: c for c in load_catalog(store)}
    slim = Mapping(provider="acme", columns={"id": "code", "title": "name", "url": "link"})
    rep = import_file(store, f, mapping=slim)
    assert (rep.updated, rep.unchanged) == (0, 3)  # nothing it maps changed
    after = {c.id: c for c in load_catalog(store)}
    for cid, c in before.items():
        assert after[cid].summary == c.summary and after[cid].summary
        assert (after[cid].hours, after[cid].price, after[cid].level) == (c.hours, c.price, c.level)
    # a file lacking the column altogether (a JSON record without the key) updates the rest only
    j = tmp_path / "acme.json"
    j.write_text(json.dumps([{"code": "A1", "name": "Python for Data Analysis II"}]))
    rep = import_file(store, j, mapping=m)
    assert rep.updated == 1
    a1 = get_course(store, "acme:A1")
    assert a1.title == "Python for Data Analysis II"
    assert a1.summary == before["acme:A1"].summary and a1.price == 49.0 and a1.hours == 12.0
    assert a1.url == "https://acme.test/a1"


def test_empty_cell_of_a_mapped_column_still_clears(
    store: Store, acme: tuple[Path, Path], tmp_path: Path
) -> None:
    f, m = acme
    import_file(store, f, mapping=m)
    g = tmp_path / "acme2.csv"
    g.write_text(f.read_text().replace("Play guitar songs.", ""), encoding="utf-8")
    assert import_file(store, g, mapping=m).updated == 1
    assert get_course(store, "acme:A3").summary == ""  # a stated empty value is a value


# --------------------------------------------------------------------------- folders


def test_folder_with_an_unreadable_file_stores_nothing(
    store: Store, acme: tuple[Path, Path], tmp_path: Path
) -> None:
    f, m = acme
    import_file(store, f, mapping=m)
    before = _counts(store)
    cat = tmp_path / "cat"
    cat.mkdir()
    (cat / "a_edx.csv").write_text(EDX_H + edx_row("one") + edx_row("two"), encoding="utf-8")
    (cat / "b_udemy.csv").write_text(UDEMY, encoding="utf-8")
    (cat / "c_udemy.xlsx").write_bytes(b"not a zip at all")
    with pytest.raises(InputError, match="nothing from the folder was imported") as ei:
        import_path(store, cat)
    assert ei.value.file is not None and ei.value.file.endswith("c_udemy.xlsx")
    assert _counts(store) == before
    (cat / "c_udemy.xlsx").unlink()
    reports = import_path(store, cat)
    assert [r.inserted for r in reports] == [2, 1]
    assert _counts(store) == (before[0] + 3, before[1] + 2)


def test_mixed_folder_detected_by_header(store: Store, tmp_path: Path) -> None:
    cat = tmp_path / "mixed"
    cat.mkdir()
    (cat / "one.csv").write_text(UDEMY, encoding="utf-8")
    (cat / "two.csv").write_text(EDX_H + edx_row("x"), encoding="utf-8")
    _xlsx(cat / "three.xlsx", C2021)
    (cat / "four.csv").write_text(C2023, encoding="utf-8")
    (cat / "notes.md").write_text("# not a catalogue\n", encoding="utf-8")
    (cat / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    skipped: list[tuple[str, str]] = []
    reports = import_path(store, cat, skipped=skipped)
    assert {Path(r.file).name: r.preset for r in reports} == {
        "four.csv": "coursera-2023",
        "one.csv": "udemy",
        "three.xlsx": "coursera-2021",
        "two.csv": "edx",
    }
    assert {Path(n).name for n, _ in skipped} == {"notes.md", "other.csv"}
    assert sum(r.inserted for r in reports) == 1 + 1 + 2 + 6


def test_header_wins_over_name() -> None:
    assert detect_preset(Path("coursera_2021_with_skills.xlsx"), C2021_H) == "coursera-2021"
    assert detect_preset(Path("coursera_x.csv"), C2023_H.strip().split(",")) == "coursera-2023"
    assert detect_preset(Path("edx_courses.csv"), ["foo"]) == "edx"  # name: the fallback
    assert detect_preset(Path("coursera_ratings.csv"), ["name"]) is None


# --------------------------------------------------------------------------- coursera presets


def test_coursera_2023_preset(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "coursera_2023_with_skills.csv"
    f.write_text(C2023, encoding="utf-8")
    (rep,) = import_path(store, f)
    assert rep.preset == "coursera-2023" and (rep.inserted, len(rep.rejected)) == (6, 0)
    assert any("(36.9k reviews)" in w for w in rep.warnings)
    cs = {c.id: c for c in load_catalog(store)}
    gda = cs["coursera:google--google-data-analytics"]
    assert gda.provider_skills == (
        "Data Analysis",
        "R Programming",
        "Extract, Transform, Load",
        "SQL",
    )
    assert gda.rating_count == 133400 and gda.institution == "Google"
    assert gda.hours_estimated and gda.extra["hours_pattern"] == "months (default hours/week)"
    assert gda.hours == pytest.approx(4.5 * 4.345 * 4, abs=0.01)
    assert cs["coursera:yale-university--the-science-of-well-being"].provider_skills == ()
    # one title, two partners: two courses; non-Latin titles keep distinct ids
    assert {
        "coursera:university-of-pennsylvania--business-analytics",
        "coursera:university-of-illinois--business-analytics",
    } <= set(cs)
    assert len([c for c in cs if c.startswith("coursera:google--google-")]) == 3
    degree = cs["coursera:university-of-pennsylvania--business-analytics"]
    assert degree.hours_estimated and 100 < degree.hours < 2000  # type: ignore[operator]
    short = cs["coursera:university-of-illinois--business-analytics"]
    assert (short.hours_low, short.hours_high) == (1.0, 2.0) and short.hours_estimated


def test_coursera_2021_preset_and_export(store: Store, tmp_path: Path) -> None:
    f = _xlsx(tmp_path / "coursera_2021_with_skills.xlsx", C2021)
    (rep,) = import_path(store, f)
    assert rep.preset == "coursera-2021" and (rep.inserted, len(rep.rejected)) == (2, 0)
    c = get_course(store, "coursera:write-a-feature-length-screenplay")
    assert c.provider_skills == ("Drama", "Comedy", "screenwriting", "Document Review", "project")
    fin = get_course(store, "coursera:operational-finance")
    assert fin.rating is None and fin.level_label == ""  # "Not Calibrated" is no value
    from skillpath.catalog import export_catalog

    doc = export_catalog(load_catalog(store))
    assert {tuple(x["provider_skills"]) for x in doc["courses"]} >= {  # type: ignore[attr-defined, index]
        ("accounts receivable", "dupont analysis")
    }


@pytest.mark.parametrize(
    ("text", "sep", "want"),
    [
        ("A, Extract, Transform, Load, B", ",", ["A", "Extract, Transform, Load", "B"]),
        ("A, extract ,transform,  load", ",", ["A", "Extract, Transform, Load"]),
        (
            "Python, Diversity, Equity, and Inclusion",
            ",",
            ["Python", "Diversity, Equity, and Inclusion"],
        ),
        ("X, Foo, Bar, and Baz", ",", ["X", "Foo, Bar, and Baz"]),  # the serial-comma rule
        (
            "Drama  Comedy   film  Document Review",
            "  ",
            ["Drama", "Comedy", "film", "Document Review"],
        ),
        ("SQL, sql, SQL", ",", ["SQL"]),
        ("Course", ",", []),
        ("Beginner · Course · 1 - 3 Months", ",", []),
        ("Python, Course", ",", ["Python", "Course"]),
    ],
)
def test_split_skills(text: str, sep: str, want: list[str]) -> None:
    assert split_skills(text, sep)[0] == want


def test_mapping_known_labels() -> None:
    labels, _ = split_skills("Sales, Research, Design, Art", ",", ("Research, Design",))
    assert labels == ["Sales", "Research, Design", "Art"]
    assert split_skills("A; B, C", ";")[0] == ["A", "B, C"]


def test_migration_gives_stored_courses_empty_provider_skills(db_url: str, tmp_path: Path) -> None:
    """A database with courses at the first catalogue revision upgrades (append-only 0bb22820188a)."""
    from alembic import command

    from skillpath.store import close_all, open_store
    from skillpath.store._db import alembic_config

    command.upgrade(alembic_config(db_url), "7c1e1c8927f9")
    from sqlalchemy import create_engine, text

    url = db_url.replace("postgresql://", "postgresql+psycopg://", 1)
    eng = create_engine(url)
    cols = {
        "id": "'acme:old'",
        "provider": "'acme'",
        "native_id": "'old'",
        "title": "'Old course'",
        "summary": "''",
        "description": "''",
        "syllabus": "''",
        "subject": "''",
        "institution": "''",
        "instructors": "''",
        "url": "''",
        "language": "''",
        "level_label": "''",
        "level": "2.5",
        "level_why": "''",
        "bloom": "'apply'",
        "bloom_cues": "'[]'",
        "duration_text": "''",
        "hours_pattern": "''",
        "hours_estimated": "false",
        "price": "0",
        "currency": "'USD'",
        "is_free": "true",
        "prerequisites_text": "''",
        "url_key": "''",
        "title_key": "''",
        "content_hash": "''",
        "source_file": "''",
        "imported_at": "''",
        "raw": "'{}'",
    }
    with eng.begin() as conn:
        names, values = ", ".join(cols), ", ".join(cols.values())
        conn.execute(text(f"INSERT INTO cat_course ({names}) VALUES ({values})"))
    eng.dispose()
    close_all()
    store = open_store(db_url)
    (c,) = load_catalog(store)
    assert c.id == "acme:old" and c.provider_skills == ()


def test_control_characters_in_a_cell_are_dropped(store: Store, tmp_path: Path) -> None:
    """A NUL (or another control character) in a catalogue file is no text: the row imports
    without it, on SQLite and PostgreSQL alike (a store refuses a NUL in any text)."""
    f = tmp_path / "edx_courses.csv"
    f.write_text(EDX_H + edx_row("nul").replace(",s,d,", ",s\x00x,d\x07,"), encoding="utf-8")
    rep = import_file(store, f, preset="edx")
    assert rep.inserted == 1 and not rep.rejected
    (course,) = load_catalog(store)
    assert course.summary == "sx" and "\x00" not in course.title
