"""The replace guard: header-only or column-less files never silently replace stored data."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from skillpath.errors import InputError
from skillpath.store import open_store
from skillpath.taxonomy import import_paths, status

from ._release import ALT_H, OCC_H, SKILL_H, TECH_H, small_release, write_table
from .test_import import dump


def _counts(store) -> dict:  # type: ignore[no-untyped-def]
    return status(store)["totals"]


@pytest.mark.parametrize(
    ("name", "header"),
    [("Skills", SKILL_H), ("Technology Skills", TECH_H), ("Alternate Titles", ALT_H)],
)
@pytest.mark.parametrize("ext", [".txt", ".xlsx"])
def test_header_only_file_is_refused_and_changes_nothing(
    db_url: str, tmp_path: Path, name: str, header: list[str], ext: str
) -> None:
    store = open_store(db_url)
    import_paths(store, [small_release(tmp_path / "rel")])
    before = dump(store)
    empty = write_table(tmp_path / "new" / f"{name}{ext}", header, [])
    with pytest.raises(InputError) as exc:
        import_paths(store, [empty])
    msg = str(exc.value)
    assert f"{name}{ext}" in msg and "--replace" in msg and "would go from" in msg and "to 0" in msg
    assert dump(store) == before
    # with --replace the user gets what they asked for, and the report says what changed
    report = import_paths(store, [empty], replace=True)
    assert any(w.startswith("replaced (--replace)") for w in report.warnings)
    assert dump(store) != before


def test_missing_needed_column_is_refused(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    import_paths(store, [small_release(tmp_path / "rel")])
    before = dump(store)
    f = write_table(
        tmp_path / "new" / "Occupation Data.txt",
        OCC_H[:2],
        [
            ["15-1252.00", "Software Developers"],
            ["11-3021.00", "Managers"],
            ["29-1141.00", "Registered Nurses"],
        ],
    )
    with pytest.raises(InputError) as exc:
        import_paths(store, [f])
    msg = str(exc.value)
    assert "Occupation Data.txt" in msg and "'Description'" in msg
    assert "would blank the stored description of 3 occupations" in msg
    assert dump(store) == before
    # a fresh store refuses it too: the docs promise a missing column stops the import
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    with pytest.raises(InputError, match="'Description'"):
        import_paths(fresh, [f])
    import_paths(fresh, [f], replace=True)


def test_shrinking_a_table_a_little_is_allowed(db_url: str, tmp_path: Path) -> None:
    """A newer release that drops a few rows is normal: only losing most of a table is refused."""
    store = open_store(db_url)
    rel = small_release(tmp_path / "rel")
    import_paths(store, [rel])
    alt = write_table(
        tmp_path / "new" / "Alternate Titles.txt",
        ALT_H,
        [["15-1252.00", "Software Developers", "Application Developer", "App Dev", "08"]],
    )
    # 3 titles (2 alternate + 1 short) -> 2: a third lost, allowed
    report = import_paths(store, [alt])
    assert not any("replaced" in w for w in report.warnings)


def test_header_only_esco_hierarchy_is_refused(db_url: str, tmp_path: Path) -> None:
    h = [
        "Level 0 URI",
        "Level 0 preferred term",
        "Level 1 URI",
        "Level 1 preferred term",
        "Level 2 URI",
        "Level 2 preferred term",
        "Level 3 URI",
        "Level 3 preferred term",
        "Description",
        "Scope note",
    ]
    esco = tmp_path / "esco"
    esco.mkdir()

    def write(rows: list[list[str]]) -> Path:
        p = esco / "skillsHierarchy_en.csv"
        with p.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([h, *rows])
        return p

    u = "http://data.europa.eu/esco/skill/"
    p = write(
        [
            [u + "S", "skills", u + "S1", "communication", "", "", "", "", "", ""],
            [u + "S", "skills", u + "S2", "assisting", u + "S2.1", "caring", "", "", "", ""],
        ]
    )
    store = open_store(db_url)
    import_paths(store, [p])
    assert _counts(store)["skill_hierarchy_links"] == 3
    with pytest.raises(InputError, match="esco/hierarchy would go from 3 stored broader to 0"):
        import_paths(store, [write([])])
    assert _counts(store)["skill_hierarchy_links"] == 3


def _script() -> str:
    exe = shutil.which("skillpath", path=str(Path(sys.executable).parent)) or shutil.which(
        "skillpath"
    )
    if exe is None:
        pytest.skip("the skillpath console script is not installed")
    return exe


def test_cli_refusal_exits_2_and_replace_flag(tmp_path: Path) -> None:
    env = {**os.environ, "SKILLPATH_DB": str(tmp_path / "s.db")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [_script(), "data", "import", *args],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )

    assert run(str(small_release(tmp_path / "rel"))).returncode == 0
    before = subprocess.run(
        [_script(), "data", "status", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    ).stdout
    empty = write_table(tmp_path / "new" / "Skills.xlsx", SKILL_H, [])
    proc = run(str(empty))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert (
        "Skills.xlsx" in proc.stderr
        and "onet/skills would go from 5 stored requirements to 0" in proc.stderr
    )
    after = subprocess.run(
        [_script(), "data", "status", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    ).stdout
    assert json.loads(after)["totals"] == json.loads(before)["totals"]
    proc = run(str(empty), "--replace", "--json")
    assert proc.returncode == 0, proc.stderr
    assert any("replaced (--replace)" in w for w in json.loads(proc.stdout)["warnings"])


# --- the real release files, as in the audit (issue 11) -------------------------------------------


def _header_only(src: Path, dest: Path) -> Path:
    """A copy of ``src`` that keeps only its header row (any of .txt, .csv, .xlsx)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(src, read_only=True)
        header = list(next(wb.worksheets[0].iter_rows(values_only=True)))
        wb.close()
        return write_table(dest, [str(h) for h in header], [])
    with src.open(encoding="utf-8-sig") as fh:
        dest.write_text(fh.readline(), encoding="utf-8")
    return dest


@pytest.mark.parametrize(
    ("src", "name"),
    [
        ("onet/Skills.xlsx", "Skills.xlsx"),
        ("onet-28.1-text/Technology Skills.txt", "Technology Skills.txt"),
        ("onet-28.1-text/Alternate Titles.txt", "Alternate Titles.txt"),
        ("esco/skillsHierarchy_en.csv", "skillsHierarchy_en.csv"),
    ],
)
def test_real_header_only_files_are_refused(
    real_store, data_dir: Path, tmp_path: Path, src: str, name: str
) -> None:
    before = _counts(real_store)
    f = _header_only(data_dir / src, tmp_path / "cut" / name)
    with pytest.raises(InputError, match="would go from"):
        import_paths(real_store, [f])
    assert _counts(real_store) == before


def test_real_occupation_data_without_description_is_refused(
    real_store, data_dir: Path, tmp_path: Path
) -> None:
    before = _counts(real_store)
    out = tmp_path / "Occupation Data.txt"
    lines = (data_dir / "onet" / "Occupation Data.txt").read_text(encoding="utf-8-sig").splitlines()
    out.write_text(
        "\n".join("\t".join(ln.split("\t")[:2]) for ln in lines) + "\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as exc:
        import_paths(real_store, [out])
    assert "would blank the stored description of 1,016 occupations" in str(exc.value)
    assert _counts(real_store) == before
