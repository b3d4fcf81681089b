"""The lexical linker on the real ESCO skill labels (skipped without ../shared/data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillpath.text import Concept, Linker, build_linker, extract_mentions

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def esco_linker(data_dir: Path) -> Linker:
    labels = data_dir / "text/esco-linking/skills_en_label.txt"
    if not labels.is_file():
        pytest.skip(f"{labels} not found")
    # Labels only: the alt labels of the trimmed esco/skills_en.csv do not line up with their
    # preferred labels after row ~11 (see bench/text_linking.py).
    concepts = [
        Concept(lab, lab)
        for lab in dict.fromkeys(labels.read_text("utf-8").splitlines())
        if lab.strip()
    ]
    assert len(concepts) > 13_000
    return build_linker(concepts, engine="lexical")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("javascript", "JavaScript"),
        ("Java developer", "Java (computer programming)"),
        ("experience with SQL databases", "SQL"),
        ("we use Python for data analysis", "Python (computer programming)"),
        ("fluent in spoken French", "understand spoken French"),
    ],
)
def test_known_esco_answers(esco_linker: Linker, text: str, expected: str) -> None:
    ids = [h.id for h in esco_linker.link(text, top_k=5)]
    assert expected in ids, ids


def test_mentions_in_a_job_ad(esco_linker: Linker) -> None:
    ad = "Requirements:\n- 3+ years of JavaScript\n- Knowledge of SQL\n- Team player"
    found = {h.id for m in extract_mentions(esco_linker, ad, min_score=0.4) for h in m.hits}
    assert {"JavaScript", "SQL"} <= found
