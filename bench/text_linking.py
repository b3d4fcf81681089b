"""Benchmark of the text linker: ESCO skill linking and O*NET title normalisation.

Run from the project root (needs ../shared/data or SKILLPATH_DATA)::

    python bench/text_linking.py                 # everything, all engines available
    python bench/text_linking.py --skills        # skill linking only
    python bench/text_linking.py --titles        # title normalisation only
    python bench/text_linking.py --engines lexical,bm25

(a) Skill linking (Decorte et al. 2023 protocol): every validation sentence of HOUSE and TECH is
ranked against all 13,895 ESCO skill labels; gold labels are grouped by sentence after dropping
LABEL NOT PRESENT and UNDERSPECIFIED; R-Precision@K = |top K & gold| / min(K, |gold|).
The concepts carry what ESCO itself publishes for each label (alt labels and description from
esco/skills_en.csv and esco/v1.2-derived/skills.csv); the plain BM25 baseline sees labels only,
whitespace-tokenised, like rank_bm25 out of the box.

(b) Title normalisation: O*NET "Sample of Reported Titles" against a dictionary of O*NET
occupation titles + Alternate Titles (+ descriptions). Each reported title's own entry is
removed from the dictionary (10 folds: a fold's titles are all removed at once, which is
slightly stricter than leave-one-out). MRR, hit@1, hit@5. Baseline: character n-gram TF-IDF.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from skillpath.config import default_data_dir
from skillpath.text import Concept, LinkHit, build_linker, normalize

DROP = {"LABEL NOT PRESENT", "UNDERSPECIFIED"}


# -- baselines ---------------------------------------------------------------------------------


class PlainBM25:
    """rank_bm25's BM25Okapi (k1=1.5, b=0.75, epsilon=0.25) over labels, lower-case split."""

    def __init__(self, concepts: Sequence[Concept], *, with_alts: bool = False) -> None:
        self.concepts = list(concepts)
        docs = [
            (c.label + (" " + " ".join(c.alt_labels) if with_alts else "")).lower().split()
            for c in self.concepts
        ]
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for i, d in enumerate(docs):
            counts: dict[int, int] = defaultdict(int)
            for t in d:
                counts[vocab.setdefault(t, len(vocab))] += 1
            for t, n in counts.items():
                rows.append(i)
                cols.append(t)
                vals.append(n)
        tf = sp.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)))
        dl = np.array([len(d) for d in docs], dtype=float)
        k1, b, eps = 1.5, 0.75, 0.25
        df = np.diff(tf.tocsc().indptr)
        idf = np.log(len(docs) - df + 0.5) - np.log(df + 0.5)
        idf = np.where(idf < 0, eps * idf.mean(), idf)
        coo = tf.tocoo()
        denom = coo.data + k1 * (1 - b + b * dl[coo.row] / dl.mean())
        w = idf[coo.col] * coo.data * (k1 + 1) / denom
        self.w_t = sp.csr_matrix((w, (coo.col, coo.row)), shape=(len(vocab), len(docs)))
        self.vocab = vocab

    def link_many(self, texts: Sequence[str], *, top_k: int = 10) -> list[list[LinkHit]]:
        rows, cols = [], []
        for i, t in enumerate(texts):
            for tok in t.lower().split():  # rank_bm25 scores repeated query terms again
                j = self.vocab.get(tok)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        q = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(self.vocab)))
        s = (q @ self.w_t).toarray()
        return [_top(self.concepts, row, top_k) for row in s]


class CharTfidf:
    """Character n-gram (char_wb 2-4) TF-IDF cosine, best surface per concept."""

    def __init__(self, concepts: Sequence[Concept]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.concepts = list(concepts)
        surfaces, owner = [], []
        for i, c in enumerate(self.concepts):
            for s in (c.label, *c.alt_labels):
                surfaces.append(s.lower())
                owner.append(i)
        self.owner = np.asarray(owner)
        self.vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        self.m = self.vec.fit_transform(surfaces).T.tocsr()

    def link_many(self, texts: Sequence[str], *, top_k: int = 10) -> list[list[LinkHit]]:
        sims = (self.vec.transform([t.lower() for t in texts]) @ self.m).toarray()
        out = []
        for row in sims:
            best = np.zeros(len(self.concepts))
            np.maximum.at(best, self.owner, row)
            out.append(_top(self.concepts, best, top_k))
        return out


def _top(concepts: Sequence[Concept], row: np.ndarray, k: int) -> list[LinkHit]:
    idx = np.argpartition(-row, min(k, len(row) - 1))[:k]
    idx = idx[np.argsort(-row[idx], kind="stable")]
    return [LinkHit(concepts[i].id, concepts[i].label, float(row[i])) for i in idx if row[i] > 0]


# -- data --------------------------------------------------------------------------------------


def esco_skill_concepts(data: Path) -> list[Concept]:
    """The 13,895 benchmark labels as concepts, with ESCO's alt labels and descriptions."""
    labels = [
        line.strip()
        for line in (data / "text/esco-linking/skills_en_label.txt").read_text("utf-8").splitlines()
        if line.strip()
    ]
    text: dict[str, str] = {}
    with (data / "esco/v1.2-derived/skills.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["preferredLabel"]:
                text[row["preferredLabel"]] = row["text"]
    alts = _aligned_alt_labels(data / "esco/skills_en.csv", text)
    concepts = []
    for lab in dict.fromkeys(labels):
        alt_labels, desc = _split_derived(lab, text.get(lab, ""), alts.get(lab))
        concepts.append(Concept(lab, lab, tuple(alt_labels), desc, "esco-skill"))
    return concepts


def _aligned_alt_labels(path: Path, text: dict[str, str]) -> dict[str, list[str]]:
    """Alt labels from the trimmed skills_en.csv, re-aligned to their labels.

    In this re-upload the altLabels column does not line up with preferredLabel after about
    row 11. Each list is given to the label (of rows i-1, i, i+1, or named in the list itself)
    whose ESCO v1.2 text contains the most of those alt labels, if it contains at least half.
    """
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[str, list[str]] = {}
    for i, row in enumerate(rows):
        alt = [a for a in row["altLabels"].split("\n") if a.strip()]
        best, best_n = None, 0
        near = [rows[j]["preferredLabel"] for j in (i, i + 1, i - 1) if 0 <= j < len(rows)]
        for lab in dict.fromkeys([*near, *(a for a in alt if a in text)]):
            n = sum(a in text.get(lab, "") for a in alt)
            if n > best_n:
                best, best_n = lab, n
        if best is not None and best_n >= max(1, len(alt) // 2):
            out[best] = alt
    return out


_DESC_START = re.compile(r"(?:(?<=\s)|^)[A-Z][a-z]+ [a-z]")


def _split_derived(label: str, text: str, known_alts: list[str] | None) -> tuple[list[str], str]:
    """Split ``label alt labels... Description.`` into alt labels and description.

    Where ESCO's alt labels are known (esco/skills_en.csv) they are used as is and the rest of the
    text is the description; otherwise the run of lower-case alt labels cannot be split into
    labels, so it goes with the description (a weaker field).
    """
    rest = text[len(label) :].strip() if text.startswith(label) else text
    m = _DESC_START.search(rest)
    if m is None:
        return (known_alts or []), ("" if known_alts else rest)
    desc = rest[m.start() :]
    if known_alts is not None:
        return known_alts, desc
    return [], rest


def load_linking(data: Path, name: str) -> list[tuple[str, set[str]]]:
    gold: dict[str, set[str]] = {}
    with (data / f"text/esco-linking/{name}_validation_annotations.csv").open(
        encoding="utf-8"
    ) as fh:
        for row in csv.DictReader(fh):
            if row["label"] in DROP:
                continue
            gold.setdefault(row["sentence"], set()).add(row["label"])
    return list(gold.items())


def rp_at(hits: list[list[LinkHit]], gold: list[set[str]], k: int) -> float:
    vals = []
    for h, g in zip(hits, gold, strict=True):
        top = {x.id for x in h[:k]}
        vals.append(len(top & g) / min(k, len(g)))
    return 100 * float(np.mean(vals))


# -- runs --------------------------------------------------------------------------------------

Factory = Callable[[Sequence[Concept]], object]


def engines(names: list[str]) -> dict[str, Factory]:
    table: dict[str, Factory] = {
        "bm25": lambda cs: PlainBM25(cs),
        "char-tfidf": lambda cs: CharTfidf(cs),
        "lexical": lambda cs: build_linker(cs, engine="lexical"),
        "semantic": lambda cs: build_linker(cs, engine="semantic"),
        "hybrid": lambda cs: build_linker(cs, engine="hybrid"),
    }
    return {n: table[n] for n in names}


def _hybrid_cv(
    concepts: list[Concept], sets: dict[str, list[tuple[str, set[str]]]]
) -> dict[str, object]:
    """The hybrid with its lexical weight chosen by cross-validation over the two sets: the
    weight scored on HOUSE is the one that does best on TECH and vice versa, so no sentence
    is scored by a weight tuned on it."""
    from skillpath.text._semantic import HybridConfig, HybridLinker

    base = HybridLinker(concepts)
    weights = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
    res: dict[str, dict[float, tuple[float, float]]] = {}
    t0 = time.perf_counter()
    n_sent = 0
    for set_name, items in sets.items():
        sentences = [x for x, _ in items]
        gold = [g for _, g in items]
        n_sent += len(sentences)
        res[set_name] = {}
        for w in weights:
            base.config = HybridConfig(lexical_weight=w)
            hits = base.link_many(sentences, top_k=10)
            res[set_name][w] = (rp_at(hits, gold, 5), rp_at(hits, gold, 10))
    spent = time.perf_counter() - t0
    row: dict[str, object] = {"engine": "hybrid, weight by 2-fold CV", "build s": ""}
    chosen = []
    for set_name in sets:
        other = next(o for o in sets if o != set_name)
        w = max(weights, key=lambda x: res[other][x][0])
        chosen.append(f"{set_name}: w={w}")
        row[f"{set_name} RP@5"] = round(res[set_name][w][0], 1)
        row[f"{set_name} RP@10"] = round(res[set_name][w][1], 1)
    row["sent/s"] = round(n_sent * len(weights) / spent)
    row["note"] = "; ".join(chosen)
    print(
        "  sweep: "
        + "; ".join(
            f"{k} " + ", ".join(f"{w}:{v[0]:.1f}" for w, v in d.items()) for k, d in res.items()
        ),
        file=sys.stderr,
    )
    return row


def bench_skills(data: Path, names: list[str]) -> list[dict[str, object]]:
    concepts = esco_skill_concepts(data)
    sets = {n: load_linking(data, n) for n in ("house", "tech")}
    out = []
    if "hybrid-cv" in names:
        try:
            out.append(_hybrid_cv(concepts, sets))
            print(_fmt_row(out[-1]), file=sys.stderr)
        except Exception as exc:  # the model is not installed
            print(f"  hybrid-cv: skipped ({exc})", file=sys.stderr)
        names = [n for n in names if n != "hybrid-cv"]
    for name, factory in engines([n for n in names if n != "char-tfidf"]).items():
        t0 = time.perf_counter()
        try:
            linker = factory(concepts)
        except Exception as exc:  # an optional engine that is not installed
            print(f"  {name}: skipped ({exc})", file=sys.stderr)
            continue
        build = time.perf_counter() - t0
        row: dict[str, object] = {"engine": name, "build s": round(build, 1)}
        n_sent, spent = 0, 0.0
        for set_name, items in sets.items():
            sentences = [s for s, _ in items]
            t0 = time.perf_counter()
            hits = linker.link_many(sentences, top_k=10)  # type: ignore[attr-defined]
            spent += time.perf_counter() - t0
            n_sent += len(sentences)
            gold = [g for _, g in items]
            row[f"{set_name} RP@5"] = round(rp_at(hits, gold, 5), 1)
            row[f"{set_name} RP@10"] = round(rp_at(hits, gold, 10), 1)
        row["sent/s"] = round(n_sent / spent) if spent else math.inf
        out.append(row)
        print(_fmt_row(row), file=sys.stderr)
    return out


def load_titles(data: Path) -> tuple[list[Concept], list[tuple[str, str]]]:
    import openpyxl

    def rows(name: str) -> list[tuple[object, ...]]:
        wb = openpyxl.load_workbook(data / "onet" / name, read_only=True)
        try:
            return list(wb.active.iter_rows(min_row=2, values_only=True))  # type: ignore[union-attr]
        finally:
            wb.close()

    labels: dict[str, str] = {}
    desc: dict[str, str] = {}
    with (data / "onet/Occupation Data.txt").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            labels[row["O*NET-SOC Code"]] = row["Title"]
            desc[row["O*NET-SOC Code"]] = row["Description"]
    alts: dict[str, list[str]] = defaultdict(list)
    for code, title, alt, short, *_ in rows("Alternate Titles.xlsx"):
        code = str(code)
        labels.setdefault(code, str(title))
        for t in (alt, short):
            if t:
                alts[code].append(str(t))
    queries = []
    for code, title, reported, *_ in rows("Sample of Reported Titles.xlsx"):
        if code and reported:
            labels.setdefault(str(code), str(title))
            queries.append((str(reported), str(code)))
    concepts = [
        Concept(
            code, lab, tuple(dict.fromkeys(alts.get(code, []))), desc.get(code, ""), "occupation"
        )
        for code, lab in labels.items()
    ]
    return concepts, queries


def bench_titles(data: Path, names: list[str], folds: int = 10) -> list[dict[str, object]]:
    concepts, queries = load_titles(data)
    out = []
    for name, factory in engines([n for n in names if n != "bm25"]).items():
        ranks: list[int] = []
        spent = 0.0
        try:
            for f in range(folds):
                fold = [q for i, q in enumerate(queries) if i % folds == f]
                own = {(normalize(t), code) for t, code in fold}
                dictionary = [_without(c, own) for c in concepts]
                linker = factory(dictionary)
                t0 = time.perf_counter()
                hits = linker.link_many([t for t, _ in fold], top_k=20)  # type: ignore[attr-defined]
                spent += time.perf_counter() - t0
                for (_, code), h in zip(fold, hits, strict=True):
                    ids = [x.id for x in h]
                    ranks.append(ids.index(code) + 1 if code in ids else 0)
        except Exception as exc:
            print(f"  {name}: skipped ({exc})", file=sys.stderr)
            continue
        r = np.asarray(ranks)
        row: dict[str, object] = {
            "engine": name,
            "MRR": round(float(np.mean(np.where(r > 0, 1.0 / np.maximum(r, 1), 0.0))), 3),
            "hit@1": round(float(np.mean(r == 1)), 3),
            "hit@5": round(float(np.mean((r > 0) & (r <= 5))), 3),
            "titles/s": round(len(queries) / spent) if spent else math.inf,
        }
        out.append(row)
        print(_fmt_row(row), file=sys.stderr)
    return out


def _without(c: Concept, own: set[tuple[str, str]]) -> Concept:
    alts = tuple(a for a in c.alt_labels if (normalize(a), c.id) not in own)
    label = c.label
    if (normalize(label), c.id) in own:  # the title is the occupation's own name: hide it
        label, alts = (alts[0], alts[1:]) if alts else ("", alts)
    return Concept(c.id, label, alts, c.description, c.kind)


def _fmt_row(row: dict[str, object]) -> str:
    return "  " + "  ".join(f"{k}={v}" for k, v in row.items())


def print_table(title: str, rows: list[dict[str, object]]) -> None:
    if not rows:
        return
    cols = list(dict.fromkeys(k for r in rows for k in r))
    print(f"\n{title}\n")
    print("| " + " | ".join(cols) + " |")
    print("|" + "|".join("---" for _ in cols) + "|")
    for r in rows:
        print("| " + " | ".join(str(r.get(c, "")) for c in cols) + " |")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--skills", action="store_true", help="skill linking only")
    p.add_argument("--titles", action="store_true", help="title normalisation only")
    p.add_argument("--engines", default="bm25,char-tfidf,lexical,semantic,hybrid,hybrid-cv")
    p.add_argument("--folds", type=int, default=10)
    args = p.parse_args(argv)
    data = default_data_dir()
    if data is None:
        print("shared data folder not found: set SKILLPATH_DATA", file=sys.stderr)
        return 2
    names = args.engines.split(",")
    if args.titles and not args.skills:
        names = [n for n in names if n != "hybrid-cv"]
    both = not (args.skills or args.titles)
    if args.skills or both:
        print_table("Skill linking (ESCO, validation), R-Precision", bench_skills(data, names))
    if args.titles or both:
        print_table(
            "Title normalisation (O*NET reported titles, own entry removed)",
            bench_titles(data, names, folds=args.folds),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
