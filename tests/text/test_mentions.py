"""Mentions in long text: segments, offsets, thresholds."""

from __future__ import annotations

from skillpath.text import Concept, build_linker, extract_mentions, split_segments

LINKER = build_linker(
    [
        Concept("k8s", "Kubernetes"),
        Concept("py", "Python (computer programming)", ("Python",)),
        Concept("staff", "manage staff"),
        Concept("acc", "accounting"),
    ],
    engine="lexical",
)

CV = """Experience
- Deployed services on k8s.
* Wrote Python tools. Managed staff of 5.
• Enjoys hiking
1) Accounting for small firms"""


def test_segments_strip_bullets_and_split_sentences() -> None:
    parts = [CV[a:b] for a, b in split_segments(CV)]
    assert parts == [
        "Experience",
        "Deployed services on k8s",
        "Wrote Python tools",
        "Managed staff of 5",
        "Enjoys hiking",
        "Accounting for small firms",
    ]


def test_mentions_have_offsets_into_the_source() -> None:
    mentions = extract_mentions(LINKER, CV, min_score=0.3)
    assert [m.hits[0].id for m in mentions] == ["k8s", "py", "staff", "acc"]
    for m in mentions:
        assert CV[m.start : m.end] == m.text


def test_threshold_and_empty_text() -> None:
    assert extract_mentions(LINKER, CV, min_score=1.01) == []
    assert extract_mentions(LINKER, "") == []
    assert extract_mentions(LINKER, "  \n\n - \n") == []


def test_long_lines_are_cut_at_commas() -> None:
    long = ", ".join(["we did a great many unrelated things for the company"] * 30)
    spans = split_segments(long)
    assert len(spans) > 1
    assert all(b - a <= 400 for a, b in spans)
