"""The derived-data cache (decision 0132): keyed by the store's content, never stale, same values."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert

from skillpath.catalog import import_file, load_catalog
from skillpath.catalog._catalog import _read_catalog
from skillpath.store import Store, open_store
from skillpath.store import _derived as derived
from skillpath.store.models import taxonomy as tm

CSV = """code,name,about,hours,cost,level,link
A1,Python for Data Analysis,"Analyse data with Python. Requires basic Excel.",12,49,Beginner,https://acme.test/a1
A2,Advanced Machine Learning,"Build machine learning models in Python.",20,$199,Advanced,https://acme.test/a2
A3,Guitar for everyone,Play guitar songs.,90 minutes,free,,https://acme.test/a3
"""
# the generic mapping of the small "acme" catalogues, shared by the tests that import one
MAPPING = (Path(__file__).resolve().parents[1] / "fixtures" / "catalog" / "acme.toml").read_text(
    encoding="utf-8"
)


@pytest.fixture
def acme(tmp_path: Path) -> tuple[Path, Path]:
    f, m = tmp_path / "acme.csv", tmp_path / "acme.toml"
    f.write_text(CSV, encoding="utf-8")
    m.write_text(MAPPING, encoding="utf-8")
    return f, m


def _entries(name: str) -> list[Path]:
    d = derived.cache_dir()
    assert d is not None
    return sorted(d.glob(f"{name}-*.pkl"))


def test_catalogue_cached_by_content(db_url: str, acme: tuple[Path, Path], tmp_path: Path) -> None:
    store = open_store(db_url)
    f, m = acme
    import_file(store, f, preset="generic", mapping=m)
    first = load_catalog(store)
    assert len(_entries("catalog")) == 1
    assert load_catalog(store) == first == _read_catalog(store, include_duplicates=False, ids=None)
    # the same number of rows, one title changed: a new fingerprint, a new entry, the new title
    before = derived.fingerprint(store)
    f2 = tmp_path / "acme2.csv"
    f2.write_text(CSV.replace("Guitar for everyone", "Guitar for all"), encoding="utf-8")
    import_file(store, f2, preset="generic", mapping=m)
    assert derived.fingerprint(store) != before
    assert "Guitar for all" in {c.title for c in load_catalog(store)}
    assert len(_entries("catalog")) == 2


def test_a_broken_entry_is_built_again(store_with_courses: Store) -> None:
    good = load_catalog(store_with_courses)
    (entry,) = _entries("catalog")
    entry.write_bytes(b"not a pickle")
    assert load_catalog(store_with_courses) == good


def test_switched_off(store_with_courses: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for p in _entries("catalog"):
        p.unlink()
    monkeypatch.setenv("SKILLPATH_DERIVED_CACHE", "0")
    assert load_catalog(store_with_courses)
    assert _entries("catalog") == []


@pytest.fixture
def store_with_courses(tmp_path: Path, acme: tuple[Path, Path]) -> Store:
    store = open_store(f"sqlite:///{tmp_path / 'c.db'}")
    import_file(store, acme[0], preset="generic", mapping=acme[1])
    load_catalog(store)
    return store


def test_fingerprint_remembered_only_while_the_file_is_unchanged(
    store_with_courses: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SQLite shortcut: a write (here a taxonomy source row) is always seen, remembered or not."""
    monkeypatch.setattr(derived, "RACY_S", 0.0)
    store = store_with_courses
    fp = derived.fingerprint(store)
    assert derived.fingerprint(store) == fp  # now from the remembered answer
    memo = derived._memo_path(store, derived.PARTS)
    assert memo is not None and memo.is_file()
    with store.session(write=True) as s:
        s.execute(insert(tm.Source).values(name="onet", release="x", imported_at="now", files=[]))
    assert derived.fingerprint(store) != fp
    assert derived.fingerprint(store) == derived._fingerprint(store, derived.PARTS)


def test_taxonomy_from_the_cache_equals_the_store(real_store: Store) -> None:
    from skillpath.taxonomy import Taxonomy

    fresh = Taxonomy._read(real_store)
    built = Taxonomy.load(real_store, refresh=True)  # a miss: read and written
    again = Taxonomy.load(real_store, refresh=True)  # a hit: one pickle.load
    assert again is not built and _entries("taxonomy")
    for t in (built, again):
        for f in (
            "occupations",
            "skills",
            "_reqs",
            "_by_skill",
            "_titles",
            "_tasks",
            "_related",
            "_anchors",
            "_values",
            "_categories",
            "_job_zones",
            "_task_dwas",
            "_tiers",
        ):
            assert getattr(t, f) == getattr(fresh, f), f
    occ = next(o for o in again.occupations if o.startswith("onet:"))
    assert again.requirements(occ) == fresh.requirements(occ)
    assert again._memo["content_key"] == built._memo["content_key"]
