"""ESCO specifics: alternative labels that do not belong to their row are removed and moved."""

from __future__ import annotations

import csv
from pathlib import Path

from skillpath.store import open_store
from skillpath.taxonomy import Taxonomy, import_paths


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def test_shifted_alt_labels_are_moved_to_their_skill(tmp_path: Path) -> None:
    a, b = "http://data.europa.eu/esco/skill/a", "http://data.europa.eu/esco/skill/b"
    # row a carries b's alt labels (a shifted column), row b carries none
    _write(
        tmp_path / "esco" / "skills_en.csv",
        ["conceptUri", "reuseLevel", "preferredLabel", "altLabels"],
        [
            [
                a,
                "cross-sector",
                "immigration law",
                "perform data analysis\nundertake data analysis",
            ],
            [b, "cross-sector", "perform data analysis", ""],
        ],
    )
    _write(
        tmp_path / "esco" / "derived" / "skills.csv",
        ["conceptUri", "preferredLabel", "text"],
        [
            [
                a,
                "immigration law",
                "immigration law migration rules The regulations on immigration.",
            ],
            [
                b,
                "perform data analysis",
                "perform data analysis undertake data analysis Collect and analyse data.",
            ],
        ],
    )
    _write(
        tmp_path / "esco" / "occupations_en.csv",
        ["conceptUri", "preferredLabel", "altLabels"],
        [["http://data.europa.eu/esco/occupation/x", "data analyst", "analyst"]],
    )
    store = open_store(f"sqlite:///{tmp_path / 'e.db'}")
    report = import_paths(store, [tmp_path / "esco"])
    assert any("alternative labels" in w and "moved" in w for w in report.warnings)
    tax = Taxonomy.load(store, refresh=True)
    assert tax.skills[a].alt_labels == ()
    assert tax.skills[b].alt_labels == ("undertake data analysis",)
    assert tax.resolve("data analyst")[0].occupation.label == "data analyst"
