"""The fuller O*NET release tables (29.x): Knowledge, Job Zones, Education/Training/Experience, Tools,
Tasks to DWAs, In Demand flags, Related Occupations tiers, Interests; newest release per table."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillpath.errors import InputError
from skillpath.store import open_store
from skillpath.taxonomy import Taxonomy, clear_cache, import_paths

from ._release import OCC_H, SKILL_H, skill_rows, small_release, write_table

TECH2_H = [
    "O*NET-SOC Code",
    "Title",
    "Example",
    "Commodity Code",
    "Commodity Title",
    "Hot Technology",
    "In Demand",
]


def full_release(
    folder: Path, ext: str = ".txt", *, readme: str | None = "O*NET 29.3 Database"
) -> Path:
    """A small release with the 29.x tables; named by its Read Me like the official one."""
    small_release(folder, ext)
    if readme:
        (folder / "Read Me.txt").write_text(f"{readme}\nMay 2025 Release\n", encoding="utf-8")
    write_table(
        folder / f"Knowledge{ext}",
        SKILL_H,
        [
            [
                c,
                "T",
                "2.C.1.a",
                "Administration and Management",
                sc,
                n,
                v,
                8,
                0.1,
                None,
                None,
                "N",
                "N" if sc == "LV" else None,
                "08/2024",
                "Incumbent",
            ]
            for c, im, lv in (("11-3021.00", 4.5, 5.6), ("15-1252.00", 2.4, 2.0))
            for sc, n, v in (("IM", "Importance", im), ("LV", "Level", lv))
        ],
    )
    write_table(
        folder / f"Technology Skills{ext}",
        TECH2_H,
        [
            [
                "15-1252.00",
                "Software Developers",
                "Python",
                43232403,
                "Development environment software",
                "Y",
                "Y",
            ],
            [
                "11-3021.00",
                "Computer and Information Systems Managers",
                "Atlassian JIRA",
                43232201,
                "Project management software",
                "Y",
                "N",
            ],
        ],
    )
    write_table(
        folder / f"Tools Used{ext}",
        ["O*NET-SOC Code", "Title", "Example", "Commodity Code", "Commodity Title"],
        [["29-1141.00", "Registered Nurses", "Stethoscopes", 42181902, "Stethoscopes"]],
    )
    write_table(
        folder / f"Job Zones{ext}",
        ["O*NET-SOC Code", "Title", "Job Zone", "Date", "Domain Source"],
        [
            ["15-1252.00", "T", 4, "08/2024", "Analyst"],
            ["11-3021.00", "T", 4, "08/2024", "Analyst"],
            ["29-1141.00", "T", 3, "08/2024", "Analyst"],
        ],
    )
    write_table(
        folder / f"Job Zone Reference{ext}",
        ["Job Zone", "Name", "Experience", "Education", "Job Training", "Examples", "SVP Range"],
        [
            [
                4,
                "Job Zone Four: Considerable Preparation Needed",
                "A minimum of two to four years",
                "Most of these occupations require a four-year bachelor's degree",
                "several years",
                "e.g.",
                "(7.0 to < 8.0)",
            ]
        ],
    )
    ete_h = [
        "O*NET-SOC Code",
        "Title",
        "Element ID",
        "Element Name",
        "Scale ID",
        "Scale Name",
        "Category",
        "Data Value",
        "N",
        "Standard Error",
        "Lower CI Bound",
        "Upper CI Bound",
        "Recommend Suppress",
        "Date",
        "Domain Source",
    ]
    write_table(
        folder / f"Education, Training, and Experience{ext}",
        ete_h,
        [
            [
                "11-3021.00",
                "T",
                "2.D.1",
                "Required Level of Education",
                "RL",
                "RL",
                6,
                70.0,
                20,
                1,
                None,
                None,
                "N",
                "08/2024",
                "Incumbent",
            ],
            [
                "11-3021.00",
                "T",
                "2.D.1",
                "Required Level of Education",
                "RL",
                "RL",
                8,
                30.0,
                20,
                1,
                None,
                None,
                "N",
                "08/2024",
                "Incumbent",
            ],
            [
                "11-3021.00",
                "T",
                "3.A.1",
                "Related Work Experience",
                "RW",
                "RW",
                8,
                60.0,
                20,
                1,
                None,
                None,
                "N",
                "08/2024",
                "Incumbent",
            ],
        ],
    )
    write_table(
        folder / f"Education, Training, and Experience Categories{ext}",
        [
            "Element ID",
            "Element Name",
            "Scale ID",
            "Scale Name",
            "Category",
            "Category Description",
        ],
        [
            ["2.D.1", "Required Level of Education", "RL", "RL", 6, "Bachelor's Degree"],
            ["2.D.1", "Required Level of Education", "RL", "RL", 8, "Master's Degree"],
        ],
    )
    write_table(
        folder / f"Task Statements{ext}",
        [
            "O*NET-SOC Code",
            "Title",
            "Task ID",
            "Task",
            "Task Type",
            "Incumbents Responding",
            "Date",
            "Domain Source",
        ],
        [
            [
                "11-3021.00",
                "T",
                100,
                "Direct daily operations of the department.",
                "Core",
                90,
                "08/2024",
                "Incumbent",
            ]
        ],
    )
    write_table(
        folder / f"Tasks to DWAs{ext}",
        [
            "O*NET-SOC Code",
            "Title",
            "Task ID",
            "Task",
            "DWA ID",
            "DWA Title",
            "Date",
            "Domain Source",
        ],
        [
            [
                "11-3021.00",
                "T",
                100,
                "Direct daily operations.",
                "4.A.4.b.4.I09.D02",
                "Direct department activities.",
                "08/2024",
                "Analyst",
            ]
        ],
    )
    write_table(
        folder / f"Related Occupations{ext}",
        [
            "O*NET-SOC Code",
            "Title",
            "Related O*NET-SOC Code",
            "Related Title",
            "Relatedness Tier",
            "Index",
        ],
        [["15-1252.00", "T", "11-3021.00", "T", "Primary-Short", 1]],
    )
    write_table(
        folder / f"Interests{ext}",
        [
            "O*NET-SOC Code",
            "Title",
            "Element ID",
            "Element Name",
            "Scale ID",
            "Scale Name",
            "Data Value",
            "Date",
            "Domain Source",
        ],
        [
            [
                "15-1252.00",
                "T",
                "1.B.1.b",
                "Investigative",
                "OI",
                "Occupational Interests",
                6.1,
                "11/2023",
                "ML",
            ]
        ],
    )
    return folder


@pytest.mark.parametrize("ext", [".txt", ".xlsx"])
def test_full_release_tables(db_url: str, tmp_path: Path, ext: str) -> None:
    store = open_store(db_url)
    report = import_paths(store, [full_release(tmp_path / "rel", ext)])
    assert not [f for f, why in report.skipped_files if "not a recognised" in why]
    assert report.releases and set(report.releases) == {"29.3"}
    clear_cache()
    tax = Taxonomy.load(store, refresh=True)
    reqs = {r.skill_id: r for r in tax.requirements("onet:11-3021.00")}
    assert reqs["onet:2.C.1.a"].level == 5.6 and tax.skills["onet:2.C.1.a"].kind == "knowledge"
    py = next(r for r in tax.requirements("onet:15-1252.00") if r.skill_id == "onet-tech:python")
    assert py.hot and py.in_demand
    assert any(
        r.relation == "tool" and r.skill_id == "onet-tool:stethoscopes"
        for r in tax.requirements("onet:29-1141.00")
    )
    prep = tax.preparation("onet:11-3021.00")
    assert prep.job_zone == 4 and tax.job_zone("onet:29-1141.00") == 3
    assert prep.typical("education") == (6, 70.0, "Bachelor's Degree")
    assert prep.share_at_least("education", 8) == pytest.approx(0.3)
    assert "bachelor" in (tax.job_zone_info(4) or tax.job_zone_info(1) or object()).education  # type: ignore[union-attr]
    assert tax.activities("onet:11-3021.00") == [("onet:4.A.4.b.4.I09.D02", ["100"])]
    assert tax.skills["onet:4.A.4.b.4.I09.D02"].label == "Direct department activities"
    assert tax.tier("onet:15-1252.00", "onet:11-3021.00") == "Primary-Short"
    assert tax.values("onet:15-1252.00", "1.B.1.b", "OI") == [(0, 6.1)]
    # idempotent
    again = import_paths(store, [tmp_path / "rel"])
    assert again.loaded == report.loaded


def test_newest_release_per_table_and_mixed_releases_reported(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    new = full_release(tmp_path / "onet-29.3-excel", readme=None)  # named by its folder
    old = small_release(tmp_path / "onet")  # unnamed: dated 07/2020 by its Skills file
    write_table(
        old / "Technology Skills.txt",
        [
            "O*NET-SOC Code",
            "Title",
            "Example",
            "Commodity Code",
            "Commodity Title",
            "Hot Technology",
        ],
        [
            ["15-1252.00", "Software Developers", "Python", 43232403, "Dev", "N"],
            ["15-1252.00", "Software Developers", "Old Tool", 43232403, "Dev", "N"],
        ],
    )
    write_table(
        old / "Career Changers Matrix.txt",
        ["O*NET-SOC Code", "Title", "Related O*NET-SOC Code", "Related Title", "Index"],
        [["15-1252.00", "T", "11-3021.00", "T", 1]],
    )
    report = import_paths(store, [old, new])
    skipped = dict(report.skipped_files)
    assert "newest is used" in skipped[str(old / "Technology Skills.txt")]
    assert "newest is used" in skipped[str(old / "Skills.txt")]
    assert any("mixed releases" in w and "Career Changers Matrix" in w for w in report.warnings)
    clear_cache()
    tax = Taxonomy.load(store, refresh=True)
    techs = {
        r.skill_id: r for r in tax.requirements("onet:15-1252.00") if r.relation == "technology"
    }
    assert (
        set(techs) == {"onet-tech:python"} and techs["onet-tech:python"].hot
    )  # 29.3's flags, not the old file's
    assert tax.related("onet:15-1252.00", "career_changer")
    # importing the older table later does not replace the newer one
    later = import_paths(store, [old / "Technology Skills.txt"])
    assert (
        "newer O*NET release 29.3" in dict(later.skipped_files)[str(old / "Technology Skills.txt")]
    )


def test_bad_job_zone_names_file_row_column(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    rel = full_release(tmp_path / "rel")
    write_table(
        rel / "Job Zones.txt",
        ["O*NET-SOC Code", "Title", "Job Zone", "Date", "Domain Source"],
        [["15-1252.00", "T", 4, "08/2024", "A"], ["11-3021.00", "T", 9, "08/2024", "A"]],
    )
    with pytest.raises(InputError) as exc:
        import_paths(store, [rel])
    msg = str(exc.value)
    assert "Job Zones.txt" in msg and "row 3" in msg and "Job Zone" in msg and "9" in msg
    clear_cache()
    assert Taxonomy.load(store, refresh=True).empty  # nothing written


def test_abilities_and_work_activities_stay_optional(db_url: str, tmp_path: Path) -> None:
    rel = full_release(tmp_path / "rel")
    write_table(
        rel / "Occupation Data.txt",
        OCC_H,
        [
            ["15-1252.00", "Software Developers", "Develop software."],
            ["11-3021.00", "Managers", "Plan."],
            ["29-1141.00", "Registered Nurses", "Care."],
        ],
    )
    write_table(rel / "Skills.txt", SKILL_H, skill_rows({("15-1252.00", "2.A.2.a"): (4.0, 4.0)}))
    report = import_paths(open_store(db_url), [rel])
    assert report.loaded["requirements"] > 0
