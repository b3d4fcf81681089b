"""The lexical engine: field-weighted BM25-style matching of analysed terms, on sparse matrices.

Scoring (docs/decisions/0010-lexical-linker.md). For a text ``q`` and a concept ``c``:

* every *surface* of ``c`` (its label and each alternative label) is a small bag of analysed
  terms. With ``idf`` the BM25 idf over concepts, ``overlap = sum idf(t)`` for the terms shared by
  ``q`` and the surface, ``cov_s = overlap / mass(surface)`` (how much of the label the text says)
  and ``cov_q = overlap / mass(q)`` (how much of the text the label explains);
  ``surface score = cov_s ** alpha * cov_q ** (1 - alpha)``, raised towards 1 by ``phrase_boost``
  when the surface occurs as a contiguous phrase in ``q``. The label part is the best surface.
* the description part is BM25 (k1, b) over the description, divided by its maximum possible
  value for ``q`` so that it also lies in [0, 1].
* ``score = label + desc_weight * description * (1 - label)``, in [0, 1]: labels dominate and
  a description match only fills part of what the labels leave.

Everything is vectorised: a batch of texts is one sparse matrix product per field.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import re
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from skillpath.text._normalize import analyze
from skillpath.text._types import Concept, LinkHit

__all__ = ["LexicalConfig", "LexicalLinker", "cached_lexical_linker", "dedupe_concepts"]


@dataclass(frozen=True, slots=True)
class LexicalConfig:
    """Parameters of :class:`LexicalLinker` (tuned on the validation sets only).

    Attributes:
        alpha: weight of label coverage against text coverage in a surface score.
        phrase_boost: share of the remaining distance to 1 added when a label occurs verbatim.
        desc_weight: weight of the description part (labels dominate).
        k1, b: BM25 parameters of the description field.
        max_phrase: longest label (in terms) looked up as a phrase.
        case_rule: one-word names that are also common words (``REDUCE``, ``Self``) must be
            written as names in the text (:class:`~skillpath.text._precision.CaseRule`).
        mask: blank negated phrases and stop-phrases before linking
            (:func:`~skillpath.text._precision.mask_non_evidence`).
    """

    alpha: float = 0.75
    phrase_boost: float = 0.3
    desc_weight: float = 0.2
    k1: float = 1.2
    b: float = 0.75
    max_phrase: int = 8
    case_rule: bool = True
    mask: bool = True


def dedupe_concepts(concepts: Iterable[Concept]) -> list[Concept]:
    """Merge concepts sharing an id (first label wins, alternative labels are united)."""
    merged: dict[str, Concept] = {}
    for c in concepts:
        prev = merged.get(c.id)
        if prev is None:
            merged[c.id] = c
            continue
        alts = tuple(dict.fromkeys((*prev.alt_labels, c.label, *c.alt_labels)))
        alts = tuple(a for a in alts if a != prev.label)
        merged[c.id] = Concept(
            prev.id, prev.label, alts, prev.description or c.description, prev.kind or c.kind
        )
    return list(merged.values())


def _group_max(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct key: the index (into keys/values) of its largest value (first on ties)."""
    order = np.lexsort((-values, keys))
    ks = keys[order]
    first = np.ones(len(ks), dtype=bool)
    first[1:] = ks[1:] != ks[:-1]
    best = order[first]
    return keys[best], best


class LexicalLinker:
    """Lexical linker over a fixed concept set. Build once, link many times (thread-safe reads).

    Args:
        concepts: the concepts to link to (duplicates by id are merged).
        config: scoring parameters.
    """

    def __init__(self, concepts: Iterable[Concept], config: LexicalConfig | None = None) -> None:
        self.config = config or LexicalConfig()
        self.concepts = dedupe_concepts(concepts)
        vocab: dict[str, int] = {}

        def ids(terms: Iterable[str]) -> list[int]:
            return [vocab.setdefault(t, len(vocab)) for t in terms]

        surf_rows: list[list[int]] = []
        surf_concept: list[int] = []
        surf_text: list[str] = []
        self._phrases: dict[tuple[str, ...], list[int]] = {}
        desc_rows: list[list[int]] = []
        case = None
        if self.config.case_rule:
            from skillpath.text._precision import CaseRule

            case = CaseRule(
                [c.label for c in self.concepts] + [c.description for c in self.concepts]
            )
        # surface id -> (pattern the text must contain, the surface's terms)
        self._case: dict[int, tuple[re.Pattern[str], tuple[str, ...]]] = {}
        for ci, c in enumerate(self.concepts):
            seen: set[tuple[str, ...]] = set()
            for surface in _surfaces(c):
                terms = tuple(analyze(surface))
                if not terms or terms in seen:
                    continue
                seen.add(terms)
                sid = len(surf_rows)
                surf_rows.append(sorted(set(ids(terms))))
                surf_concept.append(ci)
                surf_text.append(surface)
                if case is not None and len(terms) == 1:
                    pat = case.pattern(surface)
                    if pat is not None:
                        self._case[sid] = (pat, terms)
                if len(terms) <= self.config.max_phrase:
                    self._phrases.setdefault(terms, []).append(sid)
            desc_rows.append(ids(analyze(c.description)) if c.description else [])
        self._vocab = vocab
        n_terms = max(len(vocab), 1)
        n_conc = len(self.concepts)
        self._surf_concept = np.asarray(surf_concept, dtype=np.int64)
        self._surf_text = surf_text

        sb = _binary(surf_rows, n_terms)
        # Label idf: document frequency over concepts (a term in several alt labels counts once).
        owner = sp.csr_matrix(
            (np.ones(len(surf_concept)), (self._surf_concept, np.arange(len(surf_concept)))),
            shape=(n_conc, len(surf_concept)),
        )
        df_label = np.asarray(((owner @ sb) > 0).sum(axis=0)).ravel()
        self._idf = _bm25_idf(df_label, n_conc)
        self._sb_t = sb.T.tocsr().astype(np.float32)
        self._surf_mass = np.asarray(sb @ self._idf).ravel()

        # Description field: BM25 weights, concepts x terms.
        cfg = self.config
        tf = _counts(desc_rows, n_terms)
        dlen = np.asarray(tf.sum(axis=1)).ravel()
        avg = float(dlen[dlen > 0].mean()) if (dlen > 0).any() else 1.0
        df_desc = np.diff(tf.tocsc().indptr)
        self._idf_desc = _bm25_idf(df_desc, n_conc)
        tf = tf.tocoo()
        norm = cfg.k1 * (1 - cfg.b + cfg.b * dlen[tf.row] / avg)
        w = self._idf_desc[tf.col] * tf.data * (cfg.k1 + 1) / (tf.data + norm)
        self._desc_t = sp.csr_matrix((w, (tf.col, tf.row)), shape=(n_terms, n_conc))
        self._desc_t = self._desc_t.astype(np.float32)
        self._idf_unknown = math.log(1 + (n_conc + 0.5) / 0.5)

    # -- public protocol ---------------------------------------------------------------------

    def link(self, text: str, *, top_k: int = 10) -> list[LinkHit]:
        """Rank the concepts for one text (see :class:`~skillpath.text.Linker`)."""
        return self.link_many([text], top_k=top_k)[0]

    def link_many(self, texts: Sequence[str], *, top_k: int = 10) -> list[list[LinkHit]]:
        """Rank the concepts for many texts with one sparse product per field."""
        scores, best_surface = self.score_matrix(texts)
        return self.top_hits(scores, best_surface, top_k=top_k)

    # -- building blocks (used by the hybrid engine) ----------------------------------------

    def score_matrix(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """Scores (texts x concepts, sparse, in [0, 1]) and, per entry, 1 + the best surface."""
        scores, best, _veto = self.score_matrix_vetoed(texts)
        return scores, best

    def score_matrix_vetoed(
        self, texts: Sequence[str]
    ) -> tuple[sp.csr_matrix, sp.csr_matrix, set[tuple[int, int]]]:
        """:meth:`score_matrix` plus the (text, concept) pairs the precision rules vetoed (a name
        not written as a name), which other engines fused with this one must not claim."""
        cfg = self.config
        n = len(texts)
        n_conc = len(self.concepts)
        if cfg.mask:
            from skillpath.text._precision import mask_non_evidence

            texts = [mask_non_evidence(t) for t in texts]
        analysed = [analyze(t) for t in texts]
        rows: list[int] = []
        cols: list[int] = []
        mass_q = np.zeros(n)
        for i, terms in enumerate(analysed):
            uniq = set(terms)
            known = [self._vocab[t] for t in uniq if t in self._vocab]
            rows.extend([i] * len(known))
            cols.extend(known)
            mass_q[i] = float(self._idf[known].sum()) + self._idf_unknown * (len(uniq) - len(known))
        n_terms = self._sb_t.shape[0]
        qb = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, n_terms))
        qw = qb.multiply(self._idf.astype(np.float32)[None, :]).tocsr()

        # Label part, per (text, surface).
        ov = (qw @ self._sb_t).tocoo()
        safe_q = np.where(mass_q > 0, mass_q, 1.0)
        cov_s = np.minimum(ov.data / self._surf_mass[ov.col], 1.0)
        cov_q = np.minimum(ov.data / safe_q[ov.row], 1.0)
        s_score = cov_s**cfg.alpha * cov_q ** (1 - cfg.alpha)
        phrase = self._phrase_hits(analysed)
        if phrase:
            key_s = ov.row.astype(np.int64) * len(self._surf_concept) + ov.col
            hit_keys = np.fromiter(
                (i * len(self._surf_concept) + s for i, s in phrase), dtype=np.int64
            )
            is_phrase = np.isin(key_s, hit_keys)
            s_score = np.where(is_phrase, s_score + cfg.phrase_boost * (1 - s_score), s_score)
        veto: set[tuple[int, int]] = set()
        case = getattr(self, "_case", None)
        if case:
            from skillpath.text._precision import CaseRule

            for j in np.flatnonzero(np.isin(ov.col, np.fromiter(case, dtype=np.int64))):
                i, sid = int(ov.row[j]), int(ov.col[j])
                pat, terms = case[sid]
                if not CaseRule.satisfied(pat, texts[i], terms, analysed[i]):
                    s_score[j] = 0.0
                    veto.add((i, int(self._surf_concept[sid])))
        conc = self._surf_concept[ov.col]
        keys = ov.row.astype(np.int64) * n_conc + conc
        ukeys, best = _group_max(keys, s_score)
        label_part = sp.csr_matrix(
            (s_score[best], (ukeys // n_conc, ukeys % n_conc)), shape=(n, n_conc)
        )
        best_surface = sp.csr_matrix(
            (ov.col[best].astype(np.float64) + 1, (ukeys // n_conc, ukeys % n_conc)),
            shape=(n, n_conc),
        )

        # Description part, normalised by its maximum for each text.
        desc = qb @ self._desc_t
        dmax = np.asarray(qb @ (self._idf_desc * (cfg.k1 + 1))).ravel()
        dmax = np.where(dmax > 0, dmax, 1.0)
        desc = sp.diags(1.0 / dmax) @ desc
        # The description only adds to what the labels leave: label + w * desc * (1 - label).
        w_desc = cfg.desc_weight * desc
        scores = sp.csr_matrix(label_part + w_desc - w_desc.multiply(label_part))
        # a vetoed name is not claimed through its description either (unless another of the
        # concept's labels matched)
        veto = {(i, ci) for i, ci in veto if label_part[i, ci] == 0}
        if veto:
            scores = scores.tolil()
            for i, ci in veto:
                scores[i, ci] = 0.0
            scores = sp.csr_matrix(scores)
            scores.eliminate_zeros()
        return scores, best_surface, veto

    def top_hits(
        self, scores: sp.csr_matrix, best_surface: sp.csr_matrix | None, *, top_k: int
    ) -> list[list[LinkHit]]:
        """Turn a texts x concepts score matrix into sorted, de-duplicated hit lists."""
        out: list[list[LinkHit]] = []
        scores = scores.tocsr()
        if best_surface is not None:
            best_surface = best_surface.tocsr()
        for i in range(scores.shape[0]):
            lo, hi = scores.indptr[i], scores.indptr[i + 1]
            cols = scores.indices[lo:hi]
            vals = scores.data[lo:hi]
            keep = vals > 0
            cols, vals = cols[keep], vals[keep]
            if top_k <= 0 or len(cols) == 0:
                out.append([])
                continue
            order = np.lexsort((cols, -vals))[:top_k]
            surf: dict[int, int] = {}
            if best_surface is not None:
                blo, bhi = best_surface.indptr[i], best_surface.indptr[i + 1]
                surf = dict(
                    zip(
                        best_surface.indices[blo:bhi].tolist(),
                        best_surface.data[blo:bhi].astype(np.int64).tolist(),
                        strict=True,
                    )
                )
            hits = []
            for j in order:
                c = self.concepts[cols[j]]
                s = surf.get(int(cols[j]), 0)
                matched = self._surf_text[s - 1] if s > 0 else ""
                hits.append(LinkHit(c.id, c.label, float(min(max(vals[j], 0.0), 1.0)), matched))
            out.append(hits)
        return out

    def surface_text(self, code: int) -> str:
        """The label text behind a ``best_surface`` entry of :meth:`score_matrix` (1-based)."""
        return self._surf_text[code - 1] if code > 0 else ""

    def _phrase_hits(self, analysed: list[list[str]]) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        longest = self.config.max_phrase
        for i, terms in enumerate(analysed):
            seen: set[int] = set()
            for a in range(len(terms)):
                for size in range(1, min(longest, len(terms) - a) + 1):
                    sids = self._phrases.get(tuple(terms[a : a + size]))
                    if sids:
                        for s in sids:
                            if s not in seen:
                                seen.add(s)
                                found.append((i, s))
        return found


_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*")


def _surfaces(c: Concept) -> list[str]:
    """Label and alt labels, plus each without its parenthesised qualifier.

    ``Python (computer programming)`` is also matched as ``Python``: the qualifier only tells
    homonyms apart, a text rarely repeats it.
    """
    out = []
    for s in (c.label, *c.alt_labels):
        out.append(s)
        bare = _QUALIFIER.sub(" ", s).strip()
        if bare and bare != s:
            out.append(bare)
    return out


def _bm25_idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    return np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def _binary(rows: list[list[int]], n_cols: int) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((t for r in rows for t in r), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.float64)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), n_cols))


def _counts(rows: list[list[int]], n_cols: int) -> sp.csr_matrix:
    m = _binary(rows, n_cols)
    m.sum_duplicates()
    return m


# Bump when the index layout or the analysis changes, so that stale caches are ignored.
_CACHE_VERSION = "lexical-4"


def _concepts_key(concepts: Sequence[Concept], config: LexicalConfig) -> str:
    from skillpath.text._normalize import synonyms

    h = hashlib.sha256(f"{_CACHE_VERSION}|{astuple(config)}|{sorted(synonyms().items())}".encode())
    for c in concepts:
        for part in (c.id, c.label, *c.alt_labels, "\x1e", c.description, c.kind):
            h.update(part.encode("utf-8", "surrogatepass") + b"\x1f")
        h.update(b"\x1d")
    return h.hexdigest()[:32]


def cached_lexical_linker(
    concepts: Iterable[Concept],
    config: LexicalConfig | None = None,
    *,
    cache_dir: Path | None = None,
) -> LexicalLinker:
    """A :class:`LexicalLinker`, loaded from the on-disk cache when the same concepts were
    indexed before (a large taxonomy takes seconds to index, a fraction of a second to load).

    The cache lives in ``SKILLPATH_CACHE_DIR/text-index``; files are written by this process
    only (pickle), keyed by a hash of every concept field, the configuration and the synonyms.
    A cache that cannot be read or written is ignored.
    """
    config = config or LexicalConfig()
    concepts = dedupe_concepts(concepts)
    if cache_dir is None:
        from skillpath.config import get_settings

        cache_dir = get_settings().cache_dir / "text-index"
    path = cache_dir / f"{_concepts_key(concepts, config)}.pkl"
    if path.is_file():
        try:
            with path.open("rb") as fh:
                linker = pickle.load(fh)
            if isinstance(linker, LexicalLinker):
                return linker
        except Exception:  # a corrupt or incompatible cache file: rebuild it
            pass
    linker = LexicalLinker(concepts, config)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(linker, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return linker
