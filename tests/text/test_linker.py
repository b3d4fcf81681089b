"""Ranking on small concept sets with known answers, and the protocol's invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import skillpath.text as text_pkg
from skillpath.errors import InputError
from skillpath.text import Concept, Linker, LinkHit, build_linker

CONCEPTS = [
    Concept(
        "k8s", "Kubernetes", ("container orchestration",), "Orchestrate containers.", "technology"
    ),
    Concept("py", "Python (computer programming)", ("Python",), "The Python language.", "skill"),
    Concept("js", "JavaScript", (), "Scripting language of the web.", "skill"),
    Concept("ml", "machine learning", (), "Algorithms that learn from data.", "knowledge"),
    Concept("staff", "manage staff", ("supervise staff",), "Lead employees.", "skill"),
    Concept("db", "database design", (), "Design relational databases.", "skill"),
    Concept(
        "sales", "sell products", (), "Sell goods to customers; deal with Python snakes.", "skill"
    ),
    Concept("acc", "accounting", ("bookkeeping",), "Record financial transactions.", "knowledge"),
]


@pytest.fixture(scope="module")
def linker() -> Linker:
    return build_linker(CONCEPTS, engine="lexical")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("k8s", "k8s"),
        ("deployed services on K8S clusters", "k8s"),
        ("JS developer", "js"),
        ("ML engineer", "ml"),
        ("managing a team of staff", "staff"),
        ("supervised staff of 12", "staff"),
        ("designing databases", "db"),
        ("bookkeeping", "acc"),
        ("python", "py"),
    ],
)
def test_known_answers(linker: Linker, text: str, expected: str) -> None:
    hits = linker.link(text, top_k=3)
    assert hits and hits[0].id == expected, hits


def test_label_match_beats_description_match(linker: Linker) -> None:
    hits = linker.link("python", top_k=5)
    ids = [h.id for h in hits]
    assert ids[0] == "py"
    assert "sales" in ids  # found through its description, but lower
    assert hits[0].score > hits[ids.index("sales")].score


def test_exact_label_scores_high_and_unrelated_text_finds_nothing(linker: Linker) -> None:
    assert linker.link("Kubernetes")[0].score > 0.9
    assert linker.link("zzz qqq") == []
    assert linker.link("") == []


def test_matched_names_the_surface(linker: Linker) -> None:
    hit = linker.link("supervise staff")[0]
    assert hit == LinkHit("staff", "manage staff", hit.score, "supervise staff")


def test_link_many_equals_link(linker: Linker) -> None:
    texts = ["k8s and python", "", "accounting, ML", "nothing here"]
    assert linker.link_many(texts, top_k=4) == [linker.link(t, top_k=4) for t in texts]


def test_top_k_limits(linker: Linker) -> None:
    assert len(linker.link("python javascript kubernetes accounting", top_k=2)) == 2
    assert linker.link("python", top_k=0) == []


def test_duplicate_ids_are_merged() -> None:
    lk = build_linker(
        [Concept("a", "alpha"), Concept("a", "alpha", ("first letter",))], engine="lexical"
    )
    hits = lk.link("first letter")
    assert [h.id for h in hits] == ["a"]


def test_unknown_engine_is_an_input_error() -> None:
    with pytest.raises(InputError):
        build_linker(CONCEPTS, engine="magic")


def test_all_is_sorted_and_complete() -> None:
    names = text_pkg.__all__
    # ruff's order (RUF022): CONSTANTS, then Classes, then functions, each alphabetical.
    assert names == sorted(names, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    public = {n for n in dir(text_pkg) if not n.startswith("_")}
    modules = {"annotations"} | {
        n for n in public if type(getattr(text_pkg, n)).__name__ == "module"
    }
    assert public - modules == set(names)


words = st.sampled_from(
    [
        "python",
        "kubernetes",
        "k8s",
        "js",
        "staff",
        "manage",
        "the",
        "of",
        "machine",
        "learning",
        "data",
        "base",
        "design",
        "sell",
        "products",
        "accounting",
        "bookkeeping",
        "x",
        "y",
        "42",
        "c++",
        "supervise",
        "container",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(words, max_size=8).map(" ".join), max_size=5), st.integers(1, 10))
def test_invariants(texts: list[str], k: int) -> None:
    lk = _shared()
    results = lk.link_many(texts, top_k=k)
    assert len(results) == len(texts)
    assert results == lk.link_many(texts, top_k=k)  # deterministic
    for hits in results:
        assert len(hits) <= k
        ids = [h.id for h in hits]
        assert len(ids) == len(set(ids))
        scores = [h.score for h in hits]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)


_LK: list[Linker] = []


def _shared() -> Linker:
    if not _LK:
        _LK.append(build_linker(CONCEPTS, engine="lexical"))
    return _LK[0]
