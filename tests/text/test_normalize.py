"""Normalisation, tokenisation and analysis."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from skillpath.text import analyze, normalize, stem, tokenize


def test_normalize_folds_case_accents_and_punctuation() -> None:
    assert normalize("Crème Brûlée,  Ltd.") == "creme brulee ltd"
    assert normalize("") == ""


def test_programming_language_spellings_survive() -> None:
    assert normalize("C++ and C# on .NET, Node.js") == "cplusplus and csharp on dotnet nodejs"
    assert tokenize("ASP.NET") == ["asp", "dotnet"]


def test_abbreviations_expand() -> None:
    assert analyze("k8s") == analyze("Kubernetes")
    assert analyze("ML") == analyze("machine learning")
    assert analyze("JS") == analyze("JavaScript")
    assert analyze("R&D") == analyze("research and development")


def test_plural_and_inflection_share_a_stem() -> None:
    assert analyze("databases") == analyze("database")
    assert analyze("managing teams") == analyze("manage team")
    assert stem("optimisation") == stem("optimization")


def test_stop_words_dropped_unless_asked() -> None:
    assert analyze("the art of war") == ["art", "war"]
    assert "the" in analyze("the art of war", keep_stop_words=True)


@given(st.text(max_size=60))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert once == once.strip()
    assert "  " not in once
