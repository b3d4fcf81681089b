"""Writers for small, synthetic O*NET and ESCO release files in the official layouts."""

from __future__ import annotations

from pathlib import Path

import openpyxl

OCC_H = ["O*NET-SOC Code", "Title", "Description"]
SKILL_H = [
    "O*NET-SOC Code",
    "Title",
    "Element ID",
    "Element Name",
    "Scale ID",
    "Scale Name",
    "Data Value",
    "N",
    "Standard Error",
    "Lower CI Bound",
    "Upper CI Bound",
    "Recommend Suppress",
    "Not Relevant",
    "Date",
    "Domain Source",
]
TECH_H = [
    "O*NET-SOC Code",
    "Title",
    "Example",
    "Commodity Code",
    "Commodity Title",
    "Hot Technology",
]
ALT_H = ["O*NET-SOC Code", "Title", "Alternate Title", "Short Title", "Source(s)"]


def write_table(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """Write a table as tab-separated .txt or as .xlsx, by the path's suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = path.stem[:31]
        ws.append(header)
        for r in rows:
            ws.append(r)
        wb.save(path)
    else:
        lines = ["\t".join(header)] + [
            "\t".join("" if v is None else str(v) for v in r) for r in rows
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def skill_rows(ratings: dict[tuple[str, str], tuple[float, float]]) -> list[list[object]]:
    """Rows of a Skills file from {(code, element): (importance, level)}."""
    names = {
        "2.A.1.a": "Reading Comprehension",
        "2.A.2.a": "Critical Thinking",
        "2.B.5.d": "Management of Personnel Resources",
    }
    out: list[list[object]] = []
    for (code, el), (im, lv) in ratings.items():
        for scale, name, val in (("IM", "Importance", im), ("LV", "Level", lv)):
            out.append(
                [
                    code,
                    "T",
                    el,
                    names.get(el, el),
                    scale,
                    name,
                    val,
                    8,
                    0.1,
                    None,
                    None,
                    "N",
                    "N" if scale == "LV" else None,
                    "07/2020",
                    "Analyst",
                ]
            )
    return out


def small_release(folder: Path, ext: str = ".txt") -> Path:
    """A small but complete O*NET release: 3 occupations, skills, technologies, titles."""
    write_table(
        folder / f"Occupation Data{ext}",
        OCC_H,
        [
            ["15-1252.00", "Software Developers", "Develop software."],
            ["11-3021.00", "Computer and Information Systems Managers", "Plan IT activities."],
            ["29-1141.00", "Registered Nurses", "Care for patients."],
        ],
    )
    write_table(
        folder / f"Skills{ext}",
        SKILL_H,
        skill_rows(
            {
                ("15-1252.00", "2.A.2.a"): (4.0, 4.0),
                ("15-1252.00", "2.B.5.d"): (2.5, 2.0),
                ("11-3021.00", "2.A.2.a"): (4.1, 4.5),
                ("11-3021.00", "2.B.5.d"): (4.0, 4.2),
                ("29-1141.00", "2.A.1.a"): (4.0, 4.0),
            }
        ),
    )
    write_table(
        folder / f"Technology Skills{ext}",
        TECH_H,
        [
            [
                "15-1252.00",
                "Software Developers",
                "Python",
                43232403,
                "Development environment software",
                "Y",
            ],
            [
                "11-3021.00",
                "Computer and Information Systems Managers",
                "Atlassian JIRA",
                43232201,
                "Project management software",
                "Y",
            ],
        ],
    )
    write_table(
        folder / f"Alternate Titles{ext}",
        ALT_H,
        [
            [
                "11-3021.00",
                "Computer and Information Systems Managers",
                "Software Development Manager",
                None,
                "08",
            ],
            ["15-1252.00", "Software Developers", "Application Developer", "App Dev", "08"],
        ],
    )
    return folder
