"""Skill tagging, prerequisites, search and export with a small injected linker."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillpath.catalog import (
    bloom_stage,
    clean_title,
    export_catalog,
    get_course,
    import_file,
    load_catalog,
    search,
    tag_catalog,
    target_level,
)
from skillpath.catalog._tagging import explicit_prereq_phrases
from skillpath.store import Store


def test_tags_prerequisites_and_idempotence(store: Store, acme: tuple[Path, Path], linker) -> None:  # type: ignore[no-untyped-def]
    f, m = acme
    import_file(store, f, mapping=m)
    rep = tag_catalog(store, linker=linker)
    assert rep.tagged == 3
    c = {c.id: c for c in load_catalog(store)}
    a1 = c["acme:A1"]
    ids = a1.skill_ids
    assert ids[0] in ("onet-tech:python", "esco:python", "esco:data-analysis")
    assert {"onet-tech:python", "esco:data-analysis"} <= set(ids)
    assert all(0 < s.confidence <= 1 for s in a1.skills)
    assert [s.confidence for s in a1.skills] == sorted(
        (s.confidence for s in a1.skills), reverse=True
    )
    assert "title" in a1.skills[0].why
    # "Requires basic Excel." -> explicit prerequisite at a basic level
    pre = {p.ref: p for p in a1.prerequisites}
    assert pre["onet-tech:excel"].source == "explicit" and pre["onet-tech:excel"].level == 2.0
    # an advanced course implies lower-level knowledge of what it teaches
    a2 = c["acme:A2"]
    implied = [p for p in a2.prerequisites if p.source == "implied"]
    assert implied and all(p.level is not None and p.level < a2.level for p in implied)
    assert "esco:ml" in a2.skill_ids
    assert c["acme:A3"].skill_ids[0] == "esco:guitar"
    # nothing changed: nothing re-tagged
    assert tag_catalog(store, linker=linker).tagged == 0


def test_search_and_export(store: Store, acme: tuple[Path, Path], linker) -> None:  # type: ignore[no-untyped-def]
    f, m = acme
    import_file(store, f, mapping=m)
    tag_catalog(store, linker=linker)
    courses = load_catalog(store)
    hits = search(courses, "python data analysis", max_hours=20)
    assert [h.course.id for h in hits] == ["acme:A1"]
    assert [h.course.id for h in search(courses, "", free=True)] == ["acme:A3"]
    assert [h.course.id for h in search(courses, "", skills=["machine learning"])] == ["acme:A2"]
    assert search(courses, "zzz") == []
    doc = export_catalog(courses)
    assert doc["schema"] == "skillpath-catalog" and doc["count"] == 3
    first = doc["courses"][0]  # type: ignore[index]
    assert {"id", "hours", "hours_low", "hours_high", "skills", "prerequisites", "rating"} <= set(
        first
    )
    assert get_course(store, "acme:A2").title == "Advanced Machine Learning"


def test_level_bloom_and_helpers() -> None:
    # an introductory course ends above O*NET's everyday level 2 (decision 0145)
    assert target_level("Introductory", "Intro to Python")[0] == 2.5
    assert target_level("Intermediate")[0] == 4.0
    assert target_level("Expert Level", "Advanced Excel")[0] == 6.5
    assert target_level(None)[0] == 3.0
    assert bloom_stage("Build a Website from Scratch")[0] == "create"
    assert bloom_stage("History of Jazz", "We explore and discuss.")[0] == "remember/understand"
    assert (
        bloom_stage("Statistics", "You will analyse data and evaluate models.")[0]
        == "analyse/evaluate"
    )
    assert bloom_stage("Excel", "Hands-on exercises in every lab.")[0] == "apply"
    assert clean_title("Learn Guitar in 21 Days") == "Guitar"
    assert explicit_prereq_phrases("This course requires basic Python. Enjoy!") == ["basic Python"]
    assert explicit_prereq_phrases("No prior experience required.") == []


def test_the_quoted_evidence_does_not_depend_on_the_hash_seed() -> None:
    """Two stems of one length ("model", "build") are tried in the same order in every process:
    the quote around the first one found is the same whatever PYTHONHASHSEED is."""
    import os
    import subprocess
    import sys

    code = (
        "from types import SimpleNamespace as N\n"
        "from skillpath.catalog._tagging import _quote\n"
        "text = 'Intro. ' + 'x ' * 60 + 'We build things here. ' + 'y ' * 60 + 'A model at last.'\n"
        "print(_quote(text, N(matched='build model', label='build model'), width=40))\n"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(8)
    }
    assert len(outs) == 1, outs


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        ("Develop a Professional OnePage WordPress site With No Coding", "WordPress", "Coding"),
        ("How to Make a Website Without Coding- WordPress & Elementor", "WordPress", "Coding"),
        ("WordPress For Beginners | No Coding Required", "Beginners", "Coding"),
        ("Learn without any coding skills", "Learn", "coding"),
        ("Non-profit accounting: not only for accountants", "accountants", "zzz"),
    ],
)
def test_what_a_text_does_without_is_dropped(text: str, kept: str, dropped: str) -> None:
    from skillpath.catalog._tagging import without_negated

    out = without_negated(text)
    assert kept in out and dropped not in out
