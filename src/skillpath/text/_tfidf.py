"""TF-IDF as scikit-learn's ``TfidfVectorizer`` computes it, without importing scikit-learn.

The planner and the relevance of courses use word TF-IDF on every call; importing scikit-learn
(and through it ``scipy.stats``) took about a second of each CLI call, more than the arithmetic.
This covers the options those callers use (word tokens or a callable analyser, English stop
words, word n-grams, ``min_df``/``max_df``, ``sublinear_tf``, smooth idf, l2 rows) and gives the same matrices,
entry for entry and bit for bit (``tests/text/test_tfidf.py`` compares them on real text).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from numbers import Integral
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["ENGLISH_STOP_WORDS", "TfidfVectorizer"]

# scikit-learn's English stop-word list (sklearn/feature_extraction/_stop_words.py, BSD-3-Clause,
# from the Glasgow Information Retrieval Group), unchanged.
ENGLISH_STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "across",
        "after",
        "afterwards",
        "again",
        "against",
        "all",
        "almost",
        "alone",
        "along",
        "already",
        "also",
        "although",
        "always",
        "am",
        "among",
        "amongst",
        "amoungst",
        "amount",
        "an",
        "and",
        "another",
        "any",
        "anyhow",
        "anyone",
        "anything",
        "anyway",
        "anywhere",
        "are",
        "around",
        "as",
        "at",
        "back",
        "be",
        "became",
        "because",
        "become",
        "becomes",
        "becoming",
        "been",
        "before",
        "beforehand",
        "behind",
        "being",
        "below",
        "beside",
        "besides",
        "between",
        "beyond",
        "bill",
        "both",
        "bottom",
        "but",
        "by",
        "call",
        "can",
        "cannot",
        "cant",
        "co",
        "con",
        "could",
        "couldnt",
        "cry",
        "de",
        "describe",
        "detail",
        "do",
        "done",
        "down",
        "due",
        "during",
        "each",
        "eg",
        "eight",
        "either",
        "eleven",
        "else",
        "elsewhere",
        "empty",
        "enough",
        "etc",
        "even",
        "ever",
        "every",
        "everyone",
        "everything",
        "everywhere",
        "except",
        "few",
        "fifteen",
        "fifty",
        "fill",
        "find",
        "fire",
        "first",
        "five",
        "for",
        "former",
        "formerly",
        "forty",
        "found",
        "four",
        "from",
        "front",
        "full",
        "further",
        "get",
        "give",
        "go",
        "had",
        "has",
        "hasnt",
        "have",
        "he",
        "hence",
        "her",
        "here",
        "hereafter",
        "hereby",
        "herein",
        "hereupon",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "hundred",
        "i",
        "ie",
        "if",
        "in",
        "inc",
        "indeed",
        "interest",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "keep",
        "last",
        "latter",
        "latterly",
        "least",
        "less",
        "ltd",
        "made",
        "many",
        "may",
        "me",
        "meanwhile",
        "might",
        "mill",
        "mine",
        "more",
        "moreover",
        "most",
        "mostly",
        "move",
        "much",
        "must",
        "my",
        "myself",
        "name",
        "namely",
        "neither",
        "never",
        "nevertheless",
        "next",
        "nine",
        "no",
        "nobody",
        "none",
        "noone",
        "nor",
        "not",
        "nothing",
        "now",
        "nowhere",
        "of",
        "off",
        "often",
        "on",
        "once",
        "one",
        "only",
        "onto",
        "or",
        "other",
        "others",
        "otherwise",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "part",
        "per",
        "perhaps",
        "please",
        "put",
        "rather",
        "re",
        "same",
        "see",
        "seem",
        "seemed",
        "seeming",
        "seems",
        "serious",
        "several",
        "she",
        "should",
        "show",
        "side",
        "since",
        "sincere",
        "six",
        "sixty",
        "so",
        "some",
        "somehow",
        "someone",
        "something",
        "sometime",
        "sometimes",
        "somewhere",
        "still",
        "such",
        "system",
        "take",
        "ten",
        "than",
        "that",
        "the",
        "their",
        "them",
        "themselves",
        "then",
        "thence",
        "there",
        "thereafter",
        "thereby",
        "therefore",
        "therein",
        "thereupon",
        "these",
        "they",
        "thick",
        "thin",
        "third",
        "this",
        "those",
        "though",
        "three",
        "through",
        "throughout",
        "thru",
        "thus",
        "to",
        "together",
        "too",
        "top",
        "toward",
        "towards",
        "twelve",
        "twenty",
        "two",
        "un",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "via",
        "was",
        "we",
        "well",
        "were",
        "what",
        "whatever",
        "when",
        "whence",
        "whenever",
        "where",
        "whereafter",
        "whereas",
        "whereby",
        "wherein",
        "whereupon",
        "wherever",
        "whether",
        "which",
        "while",
        "whither",
        "who",
        "whoever",
        "whole",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
    ]
)
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


class TfidfVectorizer:
    """The subset of :class:`sklearn.feature_extraction.text.TfidfVectorizer` Skillpath uses.

    Args:
        analyzer: ``"word"`` (lower-cased ``\\b\\w\\w+\\b`` tokens) or a callable from a
            document to its tokens.
        stop_words: ``"english"`` or None.
        sublinear_tf: ``1 + ln(tf)`` instead of ``tf``.
        min_df, max_df: keep terms in at least / at most this many documents (an int) or this
            share of them (a float).
    """

    def __init__(
        self,
        *,
        analyzer: str | Callable[[str], Iterable[str]] = "word",
        stop_words: str | None = None,
        sublinear_tf: bool = False,
        min_df: float = 1,
        max_df: float = 1.0,
        ngram_range: tuple[int, int] = (1, 1),
    ) -> None:
        if stop_words not in (None, "english"):
            raise ValueError("stop_words: 'english' or None")
        if not 1 <= ngram_range[0] <= ngram_range[1]:
            raise ValueError("ngram_range: (min_n, max_n) with 1 <= min_n <= max_n")
        self.ngram_range = ngram_range
        self.analyzer = analyzer
        self.stop_words = stop_words
        self.sublinear_tf = sublinear_tf
        self.min_df = min_df
        self.max_df = max_df
        self.vocabulary_: dict[str, int] = {}
        self.idf_: np.ndarray = np.zeros(0)

    def _tokens(self, doc: str) -> Iterable[str]:
        if callable(self.analyzer):
            return self.analyzer(doc)
        toks = _TOKEN.findall(doc.lower())
        if self.stop_words == "english":
            toks = [t for t in toks if t not in ENGLISH_STOP_WORDS]
        lo, hi = self.ngram_range
        if hi == 1:
            return toks
        # word n-grams after stop words, unigrams first, then each n in turn (scikit-learn's order)
        out = list(toks) if lo == 1 else []
        for n in range(max(lo, 2), min(hi + 1, len(toks) + 1)):
            out.extend(" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1))
        return out

    def _counts(self, docs: Sequence[str], vocab: dict[str, int], *, grow: bool) -> sp.csr_matrix:
        """Term counts, columns numbered by ``vocab`` (new terms added when ``grow``), each row's
        entries in column order (scikit-learn's ``_count_vocab``)."""
        indices: list[int] = []
        values: list[int] = []
        indptr = [0]
        for doc in docs:
            counter: dict[int, int] = {}
            for tok in self._tokens(doc):
                j = vocab.get(tok)
                if j is None:
                    if not grow:
                        continue
                    j = vocab[tok] = len(vocab)
                counter[j] = counter.get(j, 0) + 1
            indices.extend(counter)
            values.extend(counter.values())
            indptr.append(len(indices))
        x = sp.csr_matrix(
            (
                np.asarray(values, dtype=np.int64),
                np.asarray(indices, dtype=np.int64),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(indptr) - 1, len(vocab)),
        )
        x.sort_indices()
        return x

    def fit_transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        """Learn the vocabulary and idf from ``docs``; their TF-IDF rows."""
        docs = list(docs)
        vocab: dict[str, int] = {}
        x = self._counts(docs, vocab, grow=True)
        n = x.shape[0]
        high = self.max_df if isinstance(self.max_df, Integral) else self.max_df * n
        low = self.min_df if isinstance(self.min_df, Integral) else self.min_df * n
        if high < low:
            raise ValueError("max_df corresponds to < documents than min_df")
        df = np.bincount(x.indices, minlength=x.shape[1])
        mask = (df <= high) & (df >= low)
        kept = np.where(mask)[0]
        if len(kept) == 0:
            raise ValueError(
                "After pruning, no terms remain. Try a lower min_df or a higher max_df."
            )
        new = np.cumsum(mask) - 1
        vocab = {t: int(new[j]) for t, j in vocab.items() if mask[j]}
        x = x[:, kept]
        # number the terms in alphabetical order (the columns of scikit-learn's matrix)
        order = sorted(vocab.items())
        remap = np.empty(len(order), dtype=x.indices.dtype)
        for v, (t, old) in enumerate(order):
            vocab[t] = v
            remap[old] = v
        x.indices = remap.take(x.indices, mode="clip")
        self.vocabulary_ = vocab
        dfk = np.bincount(x.indices, minlength=len(vocab)).astype(np.float64) + 1.0
        self.idf_ = np.log(float(n + 1) / dfk) + 1.0
        return self._weigh(x)

    def fit(self, docs: Sequence[str]) -> TfidfVectorizer:
        """Learn the vocabulary and idf from ``docs``."""
        self.fit_transform(docs)
        return self

    def transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows of ``docs`` in the fitted vocabulary (unknown terms ignored)."""
        return self._weigh(self._counts(list(docs), self.vocabulary_, grow=False))

    def get_feature_names_out(self) -> np.ndarray:
        """The terms, in column order."""
        out = np.empty(len(self.vocabulary_), dtype=object)
        for t, j in self.vocabulary_.items():
            out[j] = t
        return out

    def _weigh(self, counts: Any) -> sp.csr_matrix:
        x = sp.csr_matrix(counts, dtype=np.float64, copy=True)
        if self.sublinear_tf:
            np.log(x.data, x.data)
            x.data += 1.0
        x.data *= self.idf_[x.indices]
        # l2 rows as sklearn.preprocessing.normalize: each row's squares summed one after the
        # other in the row's order (not numpy's pairwise sum), so the norms are the same bits
        starts, lens = x.indptr[:-1], np.diff(x.indptr)
        sq = x.data * x.data
        acc = np.zeros(x.shape[0])
        for k in range(int(lens.max()) if len(lens) else 0):
            rows = np.nonzero(lens > k)[0]
            acc[rows] += sq[starts[rows] + k]
        norms = np.sqrt(acc)
        norms[norms == 0.0] = 1.0
        x.data /= np.repeat(norms, lens)
        return x
