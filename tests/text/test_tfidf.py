"""skillpath's TF-IDF gives scikit-learn's matrices bit for bit (it replaces it on the plan path)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")

from skillpath.text._tfidf import ENGLISH_STOP_WORDS, TfidfVectorizer  # noqa: E402


def _docs(data_dir: Path, limit: int = 4000) -> list[str]:
    out: list[str] = []
    for f in sorted((data_dir / "catalogs").glob("*.csv")):
        with f.open(encoding="utf-8", errors="replace", newline="") as fh:
            for row in csv.DictReader(fh):
                vals = [v for v in row.values() if isinstance(v, str)]
                out.append(" ".join(vals[:6]))
                if len(out) >= limit:
                    return out
    return out


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    a, b = a.tocsr(), b.tocsr()
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)  # bit for bit, not approximately


def test_stop_words_are_sklearns() -> None:
    from sklearn.feature_extraction._stop_words import ENGLISH_STOP_WORDS as theirs

    assert theirs == ENGLISH_STOP_WORDS


@pytest.mark.parametrize(
    "kw",
    [
        {"stop_words": "english", "sublinear_tf": True, "min_df": 2, "max_df": 0.2},
        {"stop_words": "english", "sublinear_tf": True, "min_df": 1, "max_df": 1.0},
        {"sublinear_tf": False, "min_df": 3, "max_df": 50},
        {"stop_words": "english", "sublinear_tf": True, "ngram_range": (1, 2), "max_df": 0.1},
        {"ngram_range": (2, 3), "min_df": 2},
    ],
)
def test_same_matrices_on_real_catalogue_text(data_dir: Path, kw: dict) -> None:  # type: ignore[type-arg]
    docs = _docs(data_dir)
    assert len(docs) > 1000
    ours, theirs = TfidfVectorizer(**kw), sklearn_text.TfidfVectorizer(**kw)
    _same(ours.fit_transform(docs), theirs.fit_transform(docs))
    assert ours.vocabulary_ == theirs.vocabulary_
    assert np.array_equal(ours.idf_, theirs.idf_)
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    queries = ["Logisticians analyze and coordinate the supply chain", "", "zzzz qqqq", docs[7]]
    _same(ours.transform(queries), theirs.transform(queries))
    # fit, then transform (the relevance index's use)
    _same(
        type(ours)(**kw).fit(docs[:900]).transform(docs[900:1500]),
        type(theirs)(**kw).fit(docs[:900]).transform(docs[900:1500]),
    )


def test_same_with_a_callable_analyser(data_dir: Path) -> None:
    from skillpath.text import analyze

    docs = _docs(data_dir, 800)
    ours = TfidfVectorizer(analyzer=analyze, sublinear_tf=True, min_df=1)
    theirs = sklearn_text.TfidfVectorizer(analyzer=analyze, sublinear_tf=True, min_df=1)
    _same(ours.fit_transform(docs), theirs.fit_transform(docs))


def test_nothing_left_is_an_error() -> None:
    with pytest.raises(ValueError, match="no terms remain"):
        TfidfVectorizer(stop_words="english").fit_transform(["the and of", "a an"])
