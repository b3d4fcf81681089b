"""Fixtures of the catalogue tests: a store, a small linker, tiny catalogue files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from skillpath.store import Store, open_store
from skillpath.text import Concept, build_linker

FIXTURES = Path(__file__).with_name("fixtures")

SKILLS = [
    Concept("onet-tech:python", "Python", (), "", "technology"),
    Concept("esco:python", "Python (computer programming)", ("Python",), "", "esco-skill"),
    Concept("onet:2.B.3.e", "Programming", ("computer programming",), "", "skill"),
    Concept(
        "esco:data-analysis",
        "perform data analysis",
        ("data analysis", "analyse data"),
        "",
        "esco-skill",
    ),
    Concept("onet-tech:excel", "Microsoft Excel", ("Excel",), "", "technology"),
    Concept("esco:ml", "machine learning", (), "", "esco-knowledge"),
    Concept("esco:guitar", "play guitar", ("guitar",), "", "esco-skill"),
    Concept("esco:statistics", "statistics", (), "", "esco-knowledge"),
]


@pytest.fixture(scope="session")
def linker():  # type: ignore[no-untyped-def]
    """A small lexical linker over a handful of skills."""
    return build_linker(SKILLS, engine="lexical")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A fresh store (SQLite, and PostgreSQL when a server answers)."""
    yield open_store(db_url)


CSV = """code,name,about,hours,cost,level,link
A1,Python for Data Analysis,"Analyse data with Python. Requires basic Excel.",12,49,Beginner,https://acme.test/a1
A2,Advanced Machine Learning,"Build machine learning models in Python; capstone project.",4-6 hours per week for 8 weeks,$199,Advanced,https://acme.test/a2
A3,Guitar for everyone,Play guitar songs.,90 minutes,free,,https://acme.test/a3
"""

# the generic mapping of the small "acme" catalogues, shared by the tests that import one
MAPPING = (Path(__file__).resolve().parents[1] / "fixtures" / "catalog" / "acme.toml").read_text(
    encoding="utf-8"
)


@pytest.fixture
def acme(tmp_path: Path) -> tuple[Path, Path]:
    """A small generic catalogue (CSV) and its TOML mapping."""
    f = tmp_path / "acme.csv"
    f.write_text(CSV, encoding="utf-8")
    m = tmp_path / "acme.toml"
    m.write_text(MAPPING, encoding="utf-8")
    return f, m
