"""Each preset on the real shared catalogue files (skipped when ../shared/data is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillpath.catalog import import_file, import_path, load_catalog
from skillpath.store import open_store

pytestmark = pytest.mark.realdata


@pytest.fixture
def sqlite_store(tmp_path: Path):  # type: ignore[no-untyped-def]
    from skillpath.store import close_all

    yield open_store(f"sqlite:///{tmp_path / 'real.db'}")
    close_all()


def test_edx_preset(data_dir: Path, sqlite_store) -> None:  # type: ignore[no-untyped-def]
    rep = import_file(sqlite_store, data_dir / "catalogs" / "edx_courses.csv", preset="edx")
    assert (rep.rows, rep.inserted, len(rep.rejected)) == (974, 974, 0)
    got = {c.id: c for c in load_catalog(sqlite_store)}
    c = got["edx:how-to-learn-online"]
    assert (c.hours, c.hours_low, c.hours_high) == (5.0, 4.0, 6.0)  # 2–3 h/week x 2 weeks
    assert c.is_free and c.extra["certificate_price"] == 49 and c.popularity == 124980
    assert c.level == 3.0 and c.language == "English"  # Introductory (decision 0145)
    assert all(x.hours is not None and not x.hours_estimated for x in got.values())
    assert {x.level for x in got.values()} >= {3.0, 4.0, 5.5}  # labels (decision 0145)


def test_udemy_preset(data_dir: Path, sqlite_store) -> None:  # type: ignore[no-untyped-def]
    rep = import_file(sqlite_store, data_dir / "catalogs" / "udemy_courses.csv", preset="udemy")
    assert (rep.rows, rep.inserted, len(rep.rejected)) == (3672, 3672, 0)
    c = {c.id: c for c in load_catalog(sqlite_store)}["udemy:1070968"]
    assert (c.price, c.currency, c.is_free) == (200.0, "USD", False)
    assert c.hours == 2.25 and c.rating_count == 23 and c.popularity == 2147
    free = [x for x in load_catalog(sqlite_store) if x.is_free]
    assert len(free) == 310


def test_coursera_preset_with_detected_ratings(data_dir: Path, sqlite_store) -> None:  # type: ignore[no-untyped-def]
    (rep,) = import_path(
        sqlite_store, data_dir / "catalogs" / "Coursera_courses.csv", preset="coursera"
    )
    assert (rep.rows, rep.inserted, len(rep.rejected)) == (623, 623, 0)
    assert rep.ratings == 1_454_711
    courses = load_catalog(sqlite_store)
    rated = [c for c in courses if c.rating is not None]
    assert len(rated) == 604
    for c in rated:
        assert 1 <= c.rating_lcb <= c.rating <= 5  # type: ignore[operator]
    ml = {c.id: c for c in courses}["coursera:machine-learning"]
    assert ml.rating_count > 1000 and ml.last_rated is not None
    assert abs(ml.rating - ml.extra["raw_mean"]) < 0.01  # type: ignore[operator]  # many ratings: little shrinkage


@pytest.mark.slow
def test_all_in_one_go_and_idempotent(data_dir: Path, sqlite_store) -> None:  # type: ignore[no-untyped-def]
    reports = import_path(sqlite_store, data_dir / "catalogs")
    assert [r.preset for r in reports] == ["coursera", "edx", "udemy"]
    assert sum(r.inserted for r in reports) == 5269
    again = import_path(sqlite_store, data_dir / "catalogs")
    assert sum(r.unchanged for r in again) == 5269


@pytest.mark.slow
def test_labelled_coursera_folder(data_dir: Path, sqlite_store) -> None:  # type: ignore[no-untyped-def]
    """Both Coursera layouts with provider skills, one folder, presets told by header."""
    folder = data_dir / "catalogs-labelled"
    if not folder.is_dir():
        pytest.skip("catalogs-labelled is not in the data folder")
    reports = {Path(r.file).name: r for r in import_path(sqlite_store, folder)}
    r21, r23 = reports["coursera_2021_with_skills.xlsx"], reports["coursera_2023_with_skills.csv"]
    assert (r21.preset, r21.rows, r21.inserted) == ("coursera-2021", 3522, 3424)
    assert (r23.preset, r23.rows, r23.inserted) == ("coursera-2023", 1139, 1114)
    # the only rejections are repeated listings of one course, each naming its first row
    for r in (*r21.rejected, *r23.rejected):
        assert r.reason.startswith("duplicate id"), r
    courses = load_catalog(sqlite_store, include_duplicates=True)
    with_skills = [c for c in courses if c.provider_skills]
    assert len(with_skills) >= 4300  # 3,424 + 950 (2023 rows whose cell held debris: none)
    assert not any("reviews)" in s for c in with_skills for s in c.provider_skills)
    etl = [c for c in with_skills if "Extract, Transform, Load" in c.provider_skills]
    assert len(etl) >= 50 and not any("Extract" in c.provider_skills for c in with_skills)
    c23 = [c for c in courses if c.id.startswith("coursera:") and "--" in c.id]
    assert all(c.hours is not None and c.hours_estimated for c in c23)
    again = import_path(sqlite_store, folder)
    assert sum(r.unchanged for r in again) == 3424 + 1114
