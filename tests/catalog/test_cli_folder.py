"""``skillpath catalog import FOLDER`` through the installed console script, in a subprocess:
exit codes, messages, and the store unchanged (row counts) after a refused folder."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .test_folder_and_values import C2023, EDX_H, UDEMY, edx_row


def _script() -> list[str]:
    exe = shutil.which("skillpath", path=str(Path(sys.executable).parent)) or shutil.which(
        "skillpath"
    )
    if exe is None:
        pytest.skip("the skillpath console script is not installed (pip install -e .)")
    return [exe]


def _run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_script(), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SKILLPATH_DB": f"sqlite:///{db}", "COLUMNS": "200"},
    )


def _rows(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        return {
            t: con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("cat_course", "cat_import", "cat_rating")
        }
    finally:
        con.close()


def test_refused_folder_exits_2_and_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    first = tmp_path / "first"
    first.mkdir()
    (first / "edx_courses.csv").write_text(EDX_H + edx_row("kept"), encoding="utf-8")
    ok = _run(db, "catalog", "import", str(first), "--no-tag")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    before = _rows(db)
    assert before["cat_course"] == 1
    cat = tmp_path / "cat"
    cat.mkdir()
    (cat / "a_edx.csv").write_text(EDX_H + edx_row("one") + edx_row("two"), encoding="utf-8")
    (cat / "b.csv").write_text(C2023, encoding="utf-8")
    (cat / "c_udemy.csv").write_bytes(b"course_id,course_title\n1,Caf\xe9\n")  # not UTF-8
    proc = _run(db, "catalog", "import", str(cat), "--no-tag")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert "Traceback" not in out
    assert "c_udemy.csv" in out and "nothing from the folder was imported" in out
    assert _rows(db) == before
    # the same folder without the broken file imports whole, mixed providers by header
    (cat / "c_udemy.csv").write_text(UDEMY, encoding="utf-8")
    (cat / "readme.txt").write_text("these are our courses\n", encoding="utf-8")
    proc = _run(db, "catalog", "import", str(cat), "--no-tag", "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    reports = json.loads(proc.stdout)
    assert [(Path(r["file"]).name, r["preset"], r["inserted"]) for r in reports] == [
        ("a_edx.csv", "edx", 2),
        ("b.csv", "coursera-2023", 6),
        ("c_udemy.csv", "udemy", 1),
    ]
    assert "skipped readme.txt" in proc.stderr
    assert _rows(db)["cat_course"] == before["cat_course"] + 9


def test_impossible_values_exit_0_with_row_and_column(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    f = tmp_path / "edx_courses.csv"
    f.write_text(
        EDX_H + edx_row("good") + edx_row("neg", price="-$49") + edx_row("x", effort="abc"),
        encoding="utf-8",
    )
    proc = _run(db, "catalog", "import", str(f), "--no-tag")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "rejected edx_courses.csv row 3 column 'price'" in proc.stdout
    assert "rejected edx_courses.csv row 4 column 'course_effort': not a duration" in proc.stdout
    assert _rows(db)["cat_course"] == 1


def test_provider_skills_in_export_and_show(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    f = tmp_path / "c.csv"
    f.write_text(C2023, encoding="utf-8")
    assert _run(db, "catalog", "import", str(f), "--no-tag").returncode == 0
    out = tmp_path / "cat.json"
    proc = _run(db, "catalog", "export", "--json", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text())
    by_id = {c["id"]: c for c in doc["courses"]}
    gda = by_id["coursera:google--google-data-analytics"]
    assert gda["provider_skills"] == [
        "Data Analysis",
        "R Programming",
        "Extract, Transform, Load",
        "SQL",
    ]
    assert gda["hours_estimated"] is True
    proc = _run(db, "catalog", "show", "coursera:google--google-data-analytics")
    assert proc.returncode == 0, proc.stderr
    assert "provider skills (4): Data Analysis; R Programming; Extract, Transform, Load; SQL" in (
        proc.stdout
    )
    assert "[months (default hours/week), estimated]" in proc.stdout
