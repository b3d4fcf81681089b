"""Calibrate the course relevance model (decision 0142) and check it on the advice benchmark.

Usage::

    python bench/relevance_fit.py --db sqlite:///STORE_WITH_CATALOGUE.db

Fits the logistic coefficients of ``skillpath.plan._relevance`` (with and without the meaning
encoder) on the **calibration moves** below: the eight moves issue 13 quotes, with keyword sets
written once from each target's description (2026-12-02, before any experiment), labelled by the
advice benchmark's rule (a keyword at a word start in the title or the first 200 characters of the
summary). English courses only (the benchmark's learners read English). The fitted model is then
scored on the advice benchmark's 14 moves, which it never saw: top 10 of the catalogue by
relevance, and the top 10 kept at P >= ABOUT, against the previous relevance (decision 0141: half
catalogue TF-IDF of title and description, half meaning, each scaled by the best course) and the
naive TF-IDF search, in the same run. Paste the printed coefficients into ``_relevance.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from advice import MOVES, course_text, on_topic

CALIBRATION = [
    ("nurse -> health services manager", "11-9111.00",
     ("health", "hospital", "clinic", "medical", "patient", "nursing", "public health", "healthcare")),
    ("teacher -> instructional coordinator", "25-9031.00",
     ("instructional", "curriculum", "e-learning", "elearning", "learning design", "teaching",
      "teacher", "education", "lesson", "pedagog", "assessment")),
    ("warehouse -> supply chain manager", "11-3071.04",
     ("supply chain", "logistic", "warehous", "inventory", "distribution", "procurement",
      "transport", "shipping", "operations management")),
    ("data analyst -> data scientist", "15-2051.00",
     ("data scien", "machine learning", "statistic", "python", "deep learning", "regression",
      "predictive", "data analy", "neural")),
    ("web developer -> devops (systems administrator)", "15-1244.00",
     ("devops", "docker", "kubernetes", "cloud", "aws", "azure", "linux", "continuous integration",
      "deploy", "terraform", "ansible", "jenkins", "server", "network", "system admin")),
    ("accountant -> financial analyst", "13-2051.00",
     ("financ", "invest", "valuation", "accounting", "portfolio", "stock", "budget", "forecast")),
    ("store manager -> HR manager", "11-3121.00",
     ("human resource", "hr", "recruit", "hiring", "talent", "compensation", "employee", "labor",
      "employment", "payroll", "performance management")),
    ("mechanical technician -> mechanical engineer", "17-2141.00",
     ("mechanical", "engineering", "cad", "solidworks", "autocad", "thermodynamic", "mechanics",
      "fluid", "manufactur", "finite element", "materials")),
]  # fmt: skip


def previous_relevance(tax, occ, courses, emb, enc):  # type: ignore[no-untyped-def]
    """Decision 0141's relevance, the baseline."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [f"{c.title} {c.title} {c.subject} {c.summary}" for c in courses]
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2, max_df=0.2)
    mat = vec.fit_transform(docs)
    q = vec.transform([" ".join([occ.label] * 3 + [occ.description])])
    w = (mat @ q.T).toarray().ravel()
    rel = w / (w.max() or 1.0)
    if emb is not None:
        v = np.asarray(enc.encode([f"{occ.label}. {occ.description}"])[0])
        s = emb @ (v / (np.linalg.norm(v) + 1e-9))
        s = np.clip((s - s.mean()) / ((s.max() - s.mean()) or 1.0), 0.0, 1.0)
        rel = 0.5 * rel + 0.5 * s
    return rel


def naive(occ, courses):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [f"{c.title} {c.subject} {c.summary}" for c in courses]
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    mat = vec.fit_transform([*docs, f"{occ.label} {occ.description}"])
    return (mat[:-1] @ mat[-1].T).toarray().ravel()


def main() -> None:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from skillpath.catalog import load_catalog
    from skillpath.catalog._embed import course_embeddings
    from skillpath.catalog._language import language_code
    from skillpath.plan import _relevance as R
    from skillpath.store import open_store
    from skillpath.taxonomy import Taxonomy
    from skillpath.text._semantic import default_encoder

    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", required=True)
    args = ap.parse_args()
    store = open_store(args.db)
    tax = Taxonomy.load(store)
    courses = [c for c in load_catalog(store) if language_code(c.language or "en") in ("en", "")]
    print(f"{len(courses)} English courses", flush=True)
    emb = course_embeddings(courses)
    enc = default_encoder()

    def labelled(moves):  # type: ignore[no-untyped-def]
        for name, code, kws in moves:
            occ = tax.get_occupation(code)
            y = np.array(
                [
                    on_topic(course_text({"title": c.title, "summary": c.summary}), kws)
                    for c in courses
                ]
            )
            yield name, occ, y

    cal = list(labelled(CALIBRATION))
    test = list(labelled([(m, t, k) for m, _cv, t, k in MOVES]))
    # leave one calibration move out: fit on the other seven, top 10 on the one left out (a
    # choice made on the calibration moves alone, never on the advice benchmark's)
    xs = [R.relevance_features(tax, occ, courses) for _n, occ, _y in cal]
    hit = hit30 = 0
    loss = 0.0
    for k in range(len(cal)):
        Xk = np.vstack([x for i, x in enumerate(xs) if i != k])
        yk = np.concatenate([yy for i, (_n, _o, yy) in enumerate(cal) if i != k])
        m = LogisticRegression(C=1.0, max_iter=5000).fit(Xk, yk)
        order = np.argsort(-m.decision_function(xs[k]))
        hit += int(cal[k][2][order[:10]].sum())
        hit30 += int(cal[k][2][order[:30]].sum())
        pk = np.clip(m.predict_proba(xs[k])[:, 1], 1e-6, 1 - 1e-6)
        yk_ = cal[k][2]
        loss += float(-np.mean(yk_ * np.log(pk) + (1 - yk_) * np.log(1 - pk))) / len(cal)
    print(
        f"calibration, leave one move out: top 10 on topic {hit} / {10 * len(cal)}, top 30 "
        f"{hit30} / {30 * len(cal)}, log loss {loss:.4f}",
        flush=True,
    )
    fitted = {}
    for mode in ("meaning", "lexical"):
        if mode == "lexical":
            R._INDEX.clear()
            import skillpath.catalog._embed as E

            E_course = E.course_embeddings
            E.course_embeddings = lambda _c: None  # type: ignore[assignment]
            memo = getattr(tax, "_memo", None) or {}
            content_key = memo.pop("content_key", None)  # (the disk cache holds the meaning index)
        # (the meaning features are the ones computed for the leave-one-out above)
        X = np.vstack(
            xs
            if mode == "meaning"
            else [R.relevance_features(tax, o, courses) for _n, o, _y in cal]
        )
        y = np.concatenate([yy for _n, _o, yy in cal])
        lr = LogisticRegression(C=1.0, max_iter=5000).fit(X, y)
        coef = (round(float(lr.intercept_[0]), 3), *(round(float(v), 3) for v in lr.coef_[0]))
        fitted[mode] = coef
        print(
            f"{mode}: COEF = {coef}  (calibration: {len(cal)} moves, {int(y.sum())} positives of {len(y)})"
        )
        if mode == "lexical":
            E.course_embeddings = E_course  # type: ignore[assignment]
            if content_key is not None:
                memo["content_key"] = content_key
            R._INDEX.clear()
    # score on the advice benchmark's moves (never used for fitting), with the meaning model
    coef = np.asarray(fitted["meaning"])
    rows = {
        "previous (0141)": [],
        "naive TF-IDF": [],
        "this model": [],
        "this model, P >= ABOUT": [],
    }
    for name, occ, y in test:
        x = R.relevance_features(tax, occ, courses)
        p = 1 / (1 + np.exp(-(coef[0] + x @ coef[1:])))
        for key, score in (("previous (0141)", previous_relevance(tax, occ, courses, emb, enc)),
                           ("naive TF-IDF", naive(occ, courses)), ("this model", p)):  # fmt: skip
            top = np.argsort(-score)[:10]
            rows[key].append((int(y[top].sum()), len(top)))
        top = [i for i in np.argsort(-p)[:10] if p[i] >= R.ABOUT]
        rows["this model, P >= ABOUT"].append((int(y[top].sum()), len(top)))
        print(
            f"  {name[:50]:50s} "
            + "  ".join(f"{k}: {v[-1][0]}/{v[-1][1]}" for k, v in rows.items())
        )
    print("\n| relevance (advice moves, top 10) | on topic |\n|---|---|")
    for k, v in rows.items():
        h, n = sum(a for a, _ in v), sum(b for _, b in v)
        print(f"| {k} | {h} / {n} ({h / max(n, 1):.1%}) |")


if __name__ == "__main__":
    main()
