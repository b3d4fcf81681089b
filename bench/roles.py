"""Benchmark of title -> occupation resolution (the one role resolver) against baselines.

Run from the project root with a store holding the shared O*NET + ESCO import::

    python bench/roles.py --db sqlite:////tmp/home/skillpath.db [--sample N] [--sets reported,bls,alternate]

Query sets (hit@1, hit@5, MRR against O*NET-SOC codes, O*NET occupations only):

* ``reported``: O*NET's Sample of Reported Titles (7,513), every reported title removed from the
  dictionary (otherwise each lookup is an exact hit); alternate titles stay.
* ``bls``: BLS SOC 2018 direct-match titles (6,5xx); SOC 2018 is the 6-digit prefix of
  O*NET-SOC 2019, so a hit is an occupation whose code starts with the SOC code. The dictionary
  is complete (reported titles included): this set measures titles as users type them.
* ``alternate``: a sample of O*NET Alternate Titles, each fold's titles removed from the
  dictionary: the set the resolver's weights were chosen on (reported only for transparency).

Baselines in the same run: character n-gram TF-IDF over all titles (best title per
occupation), the lexical text engine over all titles (max over titles, the former occupation
linker) and the former ``Taxonomy.resolve`` (exact + rapidfuzz WRatio, kept here verbatim).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from skillpath.config import default_data_dir, get_settings
from skillpath.store import open_store
from skillpath.taxonomy import Taxonomy, norm_title
from skillpath.taxonomy._roles import ResolverConfig, resolve_roles

CONFIG = ResolverConfig()


def _xlsx_rows(path: Path, skip: int = 1) -> list[tuple[object, ...]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(wb.active.iter_rows(min_row=skip + 1, values_only=True))  # type: ignore[union-attr]
    finally:
        wb.close()


def reported_queries(data: Path) -> list[tuple[str, str]]:
    return [
        (str(r[2]), str(r[0]))
        for r in _xlsx_rows(data / "onet/Sample of Reported Titles.xlsx")
        if r[0] and r[2]
    ]


def bls_queries(data: Path) -> list[tuple[str, str]]:
    rows = _xlsx_rows(data / "titles/soc_2018_direct_match_title_file.xlsx", skip=0)
    start = next(i for i, r in enumerate(rows) if r and r[0] == "2018 SOC Code") + 1
    return [(str(r[2]).strip(), str(r[0]).strip()) for r in rows[start:] if r[0] and r[2]]


def without_titles(tax: Taxonomy, drop: Callable[[str, str, str], bool]) -> Taxonomy:
    """A copy of ``tax`` whose title dictionary lacks the (title, occupation, kind) dropped."""
    titles = {
        oid: [(t, k) for t, k in lst if not drop(t, oid, k)] for oid, lst in tax._titles.items()
    }
    occs = dict(tax.occupations)
    return dataclasses.replace(tax, occupations=occs, _titles=titles, _memo={})


# -- baselines -------------------------------------------------------------------------------


def legacy_resolve(tax: Taxonomy, text: str, top: int = 20) -> list[str]:
    """The former ``Taxonomy.resolve`` (exact + WRatio fuzzy, every query word required)."""
    from rapidfuzz import fuzz, process

    kind_w = {
        "label": 1.0,
        "esco-pref": 0.98,
        "alternate": 0.96,
        "reported": 0.96,
        "short": 0.9,
        "esco-alt": 0.94,
        "esco-hidden": 0.85,
    }
    memo = tax._memo
    if "legacy_index" not in memo:
        idx: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for title, oid, kind in tax.all_titles():
            occ = tax.occupations.get(oid)
            if occ is None or occ.status == "legacy" or occ.taxonomy != "onet":
                continue
            idx[norm_title(title)].append((oid, kind))
        memo["legacy_index"] = (dict(idx), list(idx))
    index, choices = memo["legacy_index"]
    q = norm_title(text)
    best: dict[str, float] = {}
    for oid, kind in index.get(q, []):
        best[oid] = max(best.get(oid, 0), 0.9 + 0.1 * kind_w.get(kind, 0.9))
    q_tokens = [t[:4] for t in q.split() if len(t) > 1]
    for cand, score, _i in process.extract(
        q, choices, scorer=fuzz.WRatio, limit=100, score_cutoff=60
    ):
        sim = 0.5 * score / 100 + 0.5 * fuzz.token_sort_ratio(q, cand) / 100
        c_tokens = {t[:4] for t in cand.split()}
        if q_tokens:
            sim *= sum(1 for t in q_tokens if t in c_tokens) / len(q_tokens)
        for oid, kind in index[cand]:
            best[oid] = max(best.get(oid, 0), 0.85 * sim * kind_w.get(kind, 0.9))
    ranked = sorted(best, key=lambda o: (-best[o], o))
    return [tax.occupations[o].code for o in ranked[:top]]


def title_concepts(tax: Taxonomy) -> list:
    from skillpath.text import Concept

    by: dict[str, list[str]] = defaultdict(list)
    for title, oid, _k in tax.all_titles():
        occ = tax.occupations.get(oid)
        if occ is not None and occ.taxonomy == "onet" and occ.status != "legacy":
            by[oid].append(title)
    return [
        Concept(
            o,
            tax.occupations[o].label,
            tuple(dict.fromkeys(t for t in ts if t != tax.occupations[o].label)),
            "",
            "occupation",
        )
        for o, ts in by.items()
    ]


def run_linker(linker, queries: Sequence[str], tax: Taxonomy) -> list[list[str]]:
    out = []
    for a in range(0, len(queries), 512):
        for hits in linker.link_many(list(queries[a : a + 512]), top_k=20):
            out.append([tax.occupations[h.id].code for h in hits])
    return out


def run_resolver(tax: Taxonomy, queries: Sequence[str]) -> list[list[str]]:
    out = []
    for a in range(0, len(queries), 256):
        for r in resolve_roles(
            tax, list(queries[a : a + 256]), taxonomy="onet", top=20, config=CONFIG
        ):
            out.append([c.occupation.code for c in r.candidates])
    return out


def metrics(ranked: list[list[str]], gold: list[str], prefix: bool) -> dict[str, float]:
    ranks = []
    for codes, g in zip(ranked, gold, strict=True):
        r = 0
        for k, c in enumerate(codes, 1):
            if c.startswith(g) if prefix else c == g:
                r = k
                break
        ranks.append(r)
    a = np.asarray(ranks)
    return {
        "hit@1": round(float(np.mean(a == 1)), 3),
        "hit@5": round(float(np.mean((a > 0) & (a <= 5))), 3),
        "MRR": round(float(np.mean(np.where(a > 0, 1.0 / np.maximum(a, 1), 0.0))), 3),
    }


def evaluate(
    name: str, tax: Taxonomy, queries: list[tuple[str, str]], prefix: bool, systems: list[str]
) -> list[dict[str, object]]:
    from skillpath.text import build_linker

    texts = [q for q, _ in queries]
    gold = [g for _, g in queries]
    rows = []
    for sysname in systems:
        t0 = time.perf_counter()
        if sysname == "resolver":
            ranked = run_resolver(tax, texts)
        elif sysname == "legacy-resolve":
            ranked = [legacy_resolve(tax, t) for t in texts]
        elif sysname == "lexical-linker":
            ranked = run_linker(build_linker(title_concepts(tax), engine="lexical"), texts, tax)
        elif sysname == "char-tfidf":
            sys.path.insert(0, str(Path(__file__).parent))
            from text_linking import CharTfidf

            ranked = run_linker(CharTfidf(title_concepts(tax)), texts, tax)
        else:
            raise SystemExit(f"unknown system {sysname}")
        el = time.perf_counter() - t0
        row: dict[str, object] = {
            "set": name,
            "n": len(texts),
            "system": sysname,
            **metrics(ranked, gold, prefix),
            "titles/s": round(len(texts) / el),
        }
        print("  " + "  ".join(f"{k}={v}" for k, v in row.items()), file=sys.stderr, flush=True)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=None, help="store URL (default: SKILLPATH_DB / home store)")
    ap.add_argument("--sample", type=int, default=0, help="N random queries per set (0 = all)")
    ap.add_argument("--sets", default="reported,bls")
    ap.add_argument("--systems", default="resolver,legacy-resolve,lexical-linker,char-tfidf")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="WEIGHT=VALUE",
        help="override a ResolverConfig weight (e.g. cross_weight=0), repeatable",
    )
    args = ap.parse_args(argv)
    global CONFIG
    CONFIG = dataclasses.replace(
        ResolverConfig(), **{k: float(v) for k, v in (kv.split("=", 1) for kv in args.set)}
    )
    data = default_data_dir()
    if data is None:
        print("shared data folder not found: set SKILLPATH_DATA", file=sys.stderr)
        return 2
    tax = Taxonomy.load(open_store(args.db or get_settings().db_url()))
    tax.require_data()
    rng = random.Random(args.seed)
    systems = args.systems.split(",")
    rows: list[dict[str, object]] = []
    for s in args.sets.split(","):
        if s == "reported":
            q = reported_queries(data)
            t = without_titles(tax, lambda _t, _o, k: k == "reported")
            prefix = False
        elif s == "bls":
            q = bls_queries(data)
            t, prefix = tax, True
        elif s == "alternate":
            alt = [
                (title, tax.occupations[o].code)
                for o, lst in tax._titles.items()
                for title, k in lst
                if k == "alternate" and o.startswith("onet:")
            ]
            q = rng.sample(alt, min(len(alt), args.sample or 2000))
            held = {(norm_title(a), "onet:" + c) for a, c in q}
            t = without_titles(
                tax,
                lambda tt, o, k, held=held: (
                    k in ("alternate", "reported") and (norm_title(tt), o) in held
                ),
            )
            prefix = False
        else:
            raise SystemExit(f"unknown set {s}")
        if args.sample and s != "alternate" and len(q) > args.sample:
            q = rng.sample(q, args.sample)
        rows += evaluate(s, t, q, prefix, systems)
    cols = list(dict.fromkeys(k for r in rows for k in r))
    print("| " + " | ".join(cols) + " |")
    print("|" + "|".join("---" for _ in cols) + "|")
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
