"""The advice use cases' catalogue views: one list per set of done courses (relevance is kept per
catalogue object, so a re-plan with the same done courses must not rebuild it)."""

from __future__ import annotations

from pathlib import Path

from skillpath.catalog import import_file
from skillpath.service import Service
from skillpath.store import open_store

CSV = """code,name,about,hours,cost,level,link
A1,Python for Data Analysis,Analyse data with Python.,12,49,Beginner,https://acme.test/a1
A2,Advanced Machine Learning,Build machine learning models.,20,199,Advanced,https://acme.test/a2
A3,Guitar for everyone,Play guitar songs.,2,free,,https://acme.test/a3
"""
# the generic mapping of the small "acme" catalogues, shared by the tests that import one
MAPPING = (Path(__file__).resolve().parents[1] / "fixtures" / "catalog" / "acme.toml").read_text(
    encoding="utf-8"
)


def test_same_done_courses_same_catalogue_object(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "a.toml").write_text(MAPPING, encoding="utf-8")
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    import_file(store, tmp_path / "a.csv", preset="generic", mapping=tmp_path / "a.toml")
    svc = Service(store, blob_dir=tmp_path / "blobs", replan_process=False)
    one = svc._courses_without(frozenset({"acme:A1"}))
    assert [c.id for c in one] == ["acme:A2", "acme:A3"]
    assert svc._courses_without(frozenset({"acme:A1"})) is one
    other = svc._courses_without(frozenset({"acme:A2", "acme:A3"}))
    assert [c.id for c in other] == ["acme:A1"] and other is not one
    for k in range(4):  # at most a few views are kept
        svc._courses_without(frozenset({f"x{k}"}))
    assert svc._courses_without(frozenset({"acme:A1"})) is not one
    svc.close()
