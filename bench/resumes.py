"""Real resumes: how well Skillpath reads them, and which occupation it says they show.

Usage::

    python bench/resumes.py [--engine pdfplumber|pypdf|both] [--limit N] [--db URL]
                            [--no-occupations] [--languages]

On the 240 real resumes of ``resumes/livecareer-dev`` (24 category folders, 10 each) in the
shared data folder (``SKILLPATH_DATA`` or ``../shared/data``), it reports:

* reading, per PDF engine: refusals (target 0), CVs with at least one section found, with
  positions, with dated positions, with skills, with education, language detected, mojibake
  left after repair, read time per CV;
* occupations (unless ``--no-occupations``; needs the taxonomy in ``--db`` or imports it):
  top-1 / top-3 / top-5 accuracy (per split: dev, test and all) of ``infer_profile`` against
  ``CATEGORY_OCCUPATIONS`` below, and of a word TF-IDF baseline (the CV's text against each
  O*NET occupation's title, description and alternate titles) in the same run;
* ``--languages``: the language detectors measured on translated UI strings of the system's
  gettext catalogues (``/usr/share/locale``): accuracy on short strings and on 150-word texts,
  time per text.

``CATEGORY_OCCUPATIONS`` was written from what each category name means, before any run: a
resume filed under a category is right when the occupation's O*NET-SOC code starts with one of
the category's prefixes (a 2-digit major group such as ``"29-"`` accepts the whole group).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

CATEGORY_OCCUPATIONS: dict[str, tuple[str, ...]] = {
    "ACCOUNTANT": ("13-2011", "43-3031", "11-3031", "13-2082", "13-2031"),
    # an advocate is a lawyer, or one who speaks for others (patients, children, communities)
    "ADVOCATE": (
        "23-1011", "23-1012", "23-1022", "23-2011", "21-1021", "21-1022", "21-1023",
        "21-1093", "21-1099", "29-2099.08",
    ),
    "AGRICULTURE": (
        "11-9013", "45-", "19-1011", "19-1012", "19-1013", "19-4012", "17-2021", "25-9021",
        "13-1021", "25-1041",
    ),
    "APPAREL": ("27-1022", "51-6", "41-2031", "41-1011", "13-1022", "27-1026"),
    "ARTS": ("27-1", "27-2", "27-4021", "25-1121", "25-4012", "25-4013", "25-3021"),
    "AUTOMOBILE": (
        "49-3021", "49-3022", "49-3023", "49-3031", "17-2141.02", "17-3027.01", "41-2031",
        "53-6031", "51-2031", "49-2096",
    ),
    "AVIATION": (
        "53-2011", "53-2012", "53-2021", "53-2022", "53-2031", "49-3011", "49-2091", "17-2011",
        "17-3021", "53-6051.01", "53-1041", "53-6032", "43-4181", "55-1011", "55-3011",
        "51-2011",
    ),
    "BANKING": (
        "43-3071", "13-2072", "43-4131", "43-4141", "13-2041", "11-3031", "41-3031", "13-2052",
        "13-2051", "43-4051",
    ),
    # business process outsourcing: contact centres, back-office processing, tech support
    "BPO": ("43-4051", "41-9041", "43-9021", "43-1011", "43-9061", "15-1232"),
    "BUSINESS-DEVELOPMENT": (
        "11-2022", "11-2021", "13-1161", "41-4011", "41-4012", "41-3091", "11-1021", "13-1199",
        "11-1011", "13-1111",
    ),
    "CHEF": ("35-1011", "35-2011", "35-2012", "35-2013", "35-2014", "35-2015", "35-2019",
             "35-1012", "11-9051"),
    "CONSTRUCTION": ("11-9021", "47-", "13-1051", "17-2051", "17-3022"),
    "CONSULTANT": ("13-1111", "13-1199", "15-1211", "13-1082", "13-2051", "13-1161"),
    "DESIGNER": ("27-1021", "27-1022", "27-1023", "27-1024", "27-1025", "27-1027", "27-1029",
                 "15-1255", "27-1011", "17-301"),
    "DIGITAL-MEDIA": (
        "27-1014", "27-4032", "27-4031", "27-4011", "27-2012", "27-3041", "27-3043", "13-1161",
        "11-2011", "11-2021", "15-1255", "15-1254", "27-1024", "27-3099", "27-4021", "41-3011",
        "27-3023", "27-3031",
    ),
    "ENGINEERING": ("17-2", "17-3", "11-9041", "15-1252", "15-1299.08"),
    "FINANCE": ("13-2", "11-3031", "43-3031", "41-3031", "15-2011"),
    "FITNESS": ("39-9031", "11-9179.01", "29-9091", "27-2022", "29-1128", "25-1193", "39-9032"),
    "HEALTHCARE": ("29-", "31-", "11-9111", "43-6013", "21-1022"),
    "HR": ("11-3121", "13-1071", "11-3111", "13-1141", "13-1151", "11-3131", "43-4161",
           "13-1075", "43-3051"),
    "INFORMATION-TECHNOLOGY": ("15-12", "11-3021", "49-2011"),
    "PUBLIC-RELATIONS": ("27-3031", "11-2032", "11-2033", "13-1131", "11-2011", "11-2021",
                         "13-1161", "27-3043", "27-3041", "13-1121"),
    "SALES": ("41-", "11-2022"),
    "TEACHER": ("25-1", "25-2", "25-3", "25-9031", "25-904", "11-9031", "11-9032"),
}  # fmt: skip

# Widened once (2026-12-02, issue 12): six categories are named by a job-title word, and a
# resume filed under such a category is a job of that name whatever its field ("Environmental
# Consultant", "Circuit Designer", "Patient Advocate"). For these, an O*NET occupation is also
# accepted when O*NET itself gives it at least two titles ending in that word (alternate,
# reported or its label; singular or plural). The rule was written from what the category names
# mean and is applied from the taxonomy's titles, the same way for all six; the categories
# named by an industry (AGRICULTURE, AUTOMOBILE, ...) keep the mapping above. Both mappings are
# reported in the same run.
TITLE_WORD_CATEGORIES = {
    "ACCOUNTANT": "accountant",
    "ADVOCATE": "advocate",
    "CHEF": "chef",
    "CONSULTANT": "consultant",
    "DESIGNER": "designer",
    "TEACHER": "teacher",
}
WIDEN_MIN_TITLES = 2

# the first DEV_PER_CATEGORY resumes of each category (by file name) are the development half
DEV_PER_CATEGORY = 5

_MOJIBAKE_RE = re.compile(r"â€|Ã[\x80-\xbf©¨ª«¢£¤¥§¹ºµ]|ï¼|Â[ \xa0·]")


def _data_dir() -> Path:
    from skillpath.config import default_data_dir

    data = default_data_dir()
    if data is None:
        raise SystemExit("shared data folder not found: set SKILLPATH_DATA")
    return data


def _files(data: Path, limit: int | None, split: str = "all") -> list[tuple[str, Path]]:
    """The PDFs, by category; ``split`` ``dev`` keeps the first 5 of each category (sorted by
    name), ``test`` the others (the dev half is the one to tune on)."""
    root = data / "resumes" / "livecareer-dev"
    out = [(p.parent.name, p) for p in sorted(root.glob("*/*.pdf"))]
    if split != "all":
        rank: Counter[str] = Counter()
        kept = []
        for cat, p in out:
            if (rank[cat] < DEV_PER_CATEGORY) == (split == "dev"):
                kept.append((cat, p))
            rank[cat] += 1
        out = kept
    if limit:
        per: Counter[str] = Counter()
        kept = []
        for cat, p in out:
            if per[cat] < limit:
                kept.append((cat, p))
                per[cat] += 1
        out = kept
    return out


def read_all(
    files: list[tuple[str, Path]], engine: str, text_cache: Path | None = None
) -> tuple[dict[Path, Any], dict[str, Any]]:
    """Read every PDF with one engine; return the profiles and the reading figures.

    With ``text_cache`` (a pickle of ``{(path, engine): text}``), the PDF text layer is taken
    from it when present and added otherwise: the text is the slow part, the reading rules
    after it are what changes between runs (read times then exclude the PDF engine).
    """
    import pickle

    from skillpath.errors import InputError
    from skillpath.profile._read import pdf_text
    from skillpath.profile._text import parse_text_cv

    cache: dict[tuple[str, str], str] = {}
    if text_cache is not None and text_cache.is_file():
        with text_cache.open("rb") as fh:
            cache = pickle.load(fh)
    n_cached = len(cache)

    profiles: dict[Path, Any] = {}
    refused: list[str] = []
    times: list[float] = []
    counts: Counter[str] = Counter()
    langs: Counter[str] = Counter()
    n_pos = n_dated = 0
    for _cat, path in files:
        t = time.perf_counter()
        try:
            key = (str(path), engine)
            text = cache.get(key) if text_cache is not None else None
            if text is None:
                text = cache[key] = pdf_text(path, engine=engine)
            prof = parse_text_cv(text, source=str(path), fmt="pdf")
        except InputError as exc:
            refused.append(f"{path.name}: {exc}")
            continue
        times.append(time.perf_counter() - t)
        profiles[path] = prof
        counts["sections"] += bool(prof.positions or prof.skills or prof.education)
        counts["positions"] += bool(prof.positions)
        counts["dated"] += any(p.start for p in prof.positions)
        counts["skills"] += bool(prof.skills)
        counts["education"] += bool(prof.education)
        counts["headline"] += bool(prof.headline)
        counts["mojibake"] += bool(_MOJIBAKE_RE.search(prof.text))
        langs[prof.language or "none"] += 1
        n_pos += len(prof.positions)
        n_dated += sum(1 for p in prof.positions if p.start)
    if text_cache is not None and len(cache) > n_cached:
        with text_cache.open("wb") as fh:
            pickle.dump(cache, fh)
    figures = {
        "engine": engine,
        "n": len(files),
        "refused": refused,
        "counts": counts,
        "languages": langs,
        "positions": n_pos,
        "dated_positions": n_dated,
        "median_s": statistics.median(times) if times else 0.0,
        "p95_s": sorted(times)[int(0.95 * (len(times) - 1))] if times else 0.0,
    }
    return profiles, figures


def _print_reading(figs: list[dict[str, Any]]) -> None:
    print("\n## Reading\n")
    print(
        "| engine | CVs | refused | any section | positions | dated positions | skills | "
        "education | headline | mojibake left | positions (dated) | language | "
        "read median s | p95 s |"
    )
    print("|---|" + "---:|" * 13)
    for f in figs:
        c = f["counts"]
        langs = ", ".join(f"{k} {v}" for k, v in f["languages"].most_common())
        print(
            f"| {f['engine']} | {f['n']} | {len(f['refused'])} | {c['sections']} | "
            f"{c['positions']} | {c['dated']} | {c['skills']} | {c['education']} | "
            f"{c['headline']} | {c['mojibake']} | {f['positions']} ({f['dated_positions']}) | "
            f"{langs} | {f['median_s']:.3f} | {f['p95_s']:.3f} |"
        )
        for r in f["refused"][:10]:
            print(f"  refused: {r}")


def _ok(code: str, prefixes: tuple[str, ...]) -> bool:
    return any(code.startswith(p) for p in prefixes)


def widened_mapping(tax: Any) -> dict[str, tuple[str, ...]]:
    """``CATEGORY_OCCUPATIONS`` plus, for the title-word categories, the O*NET occupations with
    at least ``WIDEN_MIN_TITLES`` titles ending in the category's word."""
    from collections import defaultdict

    count: dict[tuple[str, str], set[str]] = defaultdict(set)
    words = set(TITLE_WORD_CATEGORIES.values())
    for title, oid, _kind in tax.all_titles():
        occ = tax.occupations.get(oid)
        if occ is None or occ.taxonomy != "onet":
            continue
        last = re.sub(r"[^a-z]", " ", title.lower()).split()[-1:] or [""]
        w = last[0][:-1] if last[0].endswith("s") and last[0][:-1] in words else last[0]
        if w in words:
            count[(w, occ.code)].add(title.lower())
    out = dict(CATEGORY_OCCUPATIONS)
    for cat, word in TITLE_WORD_CATEGORIES.items():
        extra = sorted(
            c for (w, c), ts in count.items() if w == word and len(ts) >= WIDEN_MIN_TITLES
        )
        out[cat] = tuple(dict.fromkeys([*CATEGORY_OCCUPATIONS[cat], *extra]))
    return out


def _tfidf_baseline(tax: Any, data: Path) -> Any:
    """Word TF-IDF over O*NET occupations: title + description + alternate titles."""
    import openpyxl
    from sklearn.feature_extraction.text import TfidfVectorizer

    alts: dict[str, list[str]] = {}
    wb = openpyxl.load_workbook(data / "onet" / "Alternate Titles.xlsx", read_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(h) for h in next(rows)]
    ci, ti = header.index("O*NET-SOC Code"), header.index("Alternate Title")
    for row in rows:
        if row[ci] and row[ti]:
            alts.setdefault(str(row[ci]), []).append(str(row[ti]))
    wb.close()
    occs = [o for o in tax.occupations.values() if o.taxonomy == "onet"]
    docs = [" ".join([o.label, o.description or "", *alts.get(o.code, [])]) for o in occs]
    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
    matrix = vec.fit_transform(docs)

    def rank(text: str) -> list[str]:
        sims = (matrix @ vec.transform([text]).T).toarray().ravel()
        return [occs[i].code for i in sims.argsort()[::-1][:5]]

    return rank


def occupations(
    files: list[tuple[str, Path]],
    profiles: dict[Path, Any],
    db: str | None,
    overrides: dict[str, float] | None = None,
) -> None:
    """Top-1/top-5 of the profile's occupations and of the TF-IDF baseline."""
    import dataclasses

    from skillpath.profile import InferenceConfig, infer_profile
    from skillpath.store import open_store
    from skillpath.taxonomy import Taxonomy, import_paths

    data = _data_dir()
    url = db or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    store = open_store(url)
    tax = Taxonomy.load(store)
    if tax.empty:
        t = time.perf_counter()
        import_paths(store, [data / "onet", data / "esco"])
        print(f"\nimport O*NET + ESCO: {time.perf_counter() - t:.0f} s (one-off)")
        tax = Taxonomy.load(store, refresh=True)
    rank_tfidf = _tfidf_baseline(tax, data)
    cfg = dataclasses.replace(InferenceConfig(), **(overrides or {}))
    today = date(2025, 6, 1)
    mappings = {"original": CATEGORY_OCCUPATIONS, "widened": widened_mapping(tax)}
    dev_files = set(p for _c, p in _files(data, None, "dev"))
    # per (split, mapping, method): top-1, top-3, top-5 hits and CVs
    hits: dict[tuple[str, str, str], list[int]] = {}
    per_cat: dict[str, list[int]] = {}
    times: list[float] = []
    misses: list[str] = []
    n = 0
    for cat, path in files:
        prof = profiles.get(path)
        n += 1
        if prof is None:
            continue
        t = time.perf_counter()
        state = infer_profile(prof, tax, today=today, config=cfg)
        times.append(time.perf_counter() - t)
        codes = [
            tax.occupations[o.occupation_id].code for o in state.occupations if o.taxonomy == "onet"
        ][:5]
        base = rank_tfidf(prof.text)
        split = "dev" if path in dev_files else "test"
        for m, mapping in mappings.items():
            prefixes = mapping[cat]
            for name, ranked in (("skillpath", codes), ("tfidf", base)):
                for sp_ in (split, "all"):
                    h = hits.setdefault((sp_, m, name), [0, 0, 0, 0])
                    for j, k in enumerate((1, 3, 5)):
                        h[j] += any(_ok(c, prefixes) for c in ranked[:k])
                    h[3] += 1
        prefixes = CATEGORY_OCCUPATIONS[cat]
        cat_row = per_cat.setdefault(cat, [0, 0, 0, 0])
        cat_row[0] += bool(codes[:1]) and _ok(codes[0], prefixes)
        cat_row[1] += any(_ok(c, prefixes) for c in codes[:5])
        cat_row[2] += bool(base[:1]) and _ok(base[0], prefixes)
        cat_row[3] += any(_ok(c, prefixes) for c in base[:5])
        if not (codes and _ok(codes[0], prefixes)):
            got = "; ".join(
                f"{c} {tax.occupations[f'onet:{c}'].label}" + (" *" if _ok(c, prefixes) else "")
                for c in codes[:3]
            )
            misses.append(
                f"[{split}] {cat}/{path.name}: headline {prof.headline!r} -> {got or 'nothing'}"
            )
    print("\n## Occupations (top-1 / top-3 / top-5 against the category mapping)\n")
    print("| split | mapping | method | CVs | top-1 | top-3 | top-5 | infer median s |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    med = statistics.median(times) if times else 0.0
    order = {"dev": 0, "test": 1, "all": 2}
    for (sp_, m, name), (h1, h3, h5, k) in sorted(hits.items(), key=lambda kv: order[kv[0][0]]):
        speed = f"{med:.3f}" if name == "skillpath" else ""
        print(
            f"| {sp_} | {m} | {name} | {k} | {h1 / k:.3f} | {h3 / k:.3f} | {h5 / k:.3f} | {speed} |"
        )
    print("\n| category (original mapping) | skillpath top-1 | top-5 | tfidf top-1 | top-5 |")
    print("|---|---:|---:|---:|---:|")
    for cat, (a, b, c, d) in sorted(per_cat.items()):
        print(f"| {cat} | {a} | {b} | {c} | {d} |")
    print(
        f"\nmisses, original mapping ({len(misses)}; a * marks an accepted occupation in the top 3):"
    )
    for m in misses:
        print("  " + m)


def languages() -> None:
    """The language detectors on gettext catalogues' translated strings."""
    import gettext
    import random

    rng = random.Random(7)
    langs = ["de", "fr", "es", "nl", "it", "pt"]
    samples: dict[str, list[str]] = {}
    english: list[str] = []
    for code in langs:
        strs: list[str] = []
        for mo in sorted(Path("/usr/share/locale", code, "LC_MESSAGES").glob("*.mo")):
            try:
                with mo.open("rb") as fh:
                    cat = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
            except Exception:
                continue
            for k, v in cat.items():
                k = k[0] if isinstance(k, tuple) else k
                if not (isinstance(k, str) and isinstance(v, str)):
                    continue
                clean = [re.sub(r"%\w|[_&~]|\{\w*\}|<[^>]+>", "", x).strip() for x in (k, v)]
                if len(clean[1].split()) >= 4 and clean[0] != clean[1]:
                    strs.append(clean[1])
                    english.append(clean[0])
        samples[code] = strs
    samples["en"] = [e for e in english if len(e.split()) >= 4]
    if not all(samples.values()):
        print("no gettext catalogues for all seven languages under /usr/share/locale")
        return
    sets: dict[str, dict[str, list[str]]] = {}
    for code, strs in samples.items():
        rng.shuffle(strs)
        short = [s for s in strs if 5 <= len(s.split()) <= 15][:300]
        longs, i = [], 0
        while len(longs) < 100 and i < len(strs):
            buf: list[str] = []
            while len(" ".join(buf).split()) < 150 and i < len(strs):
                buf.append(strs[i])
                i += 1
            longs.append(" ".join(buf))
        sets[code] = {"short": short, "long": longs}

    from skillpath.profile._lang import detect_language

    detectors: dict[str, Any] = {"skillpath heuristic": detect_language}
    try:
        from lingua import Language, LanguageDetectorBuilder

        names = {
            Language.ENGLISH: "en", Language.GERMAN: "de", Language.FRENCH: "fr",
            Language.SPANISH: "es", Language.DUTCH: "nl", Language.ITALIAN: "it",
            Language.PORTUGUESE: "pt",
        }  # fmt: skip
        det = LanguageDetectorBuilder.from_languages(*names).build()
        detectors["lingua 7 languages"] = lambda s: names.get(det.detect_language_of(s))  # type: ignore[arg-type]
    except ImportError:
        print("lingua-language-detector not installed: skipped")
    try:
        from langdetect import DetectorFactory, detect

        DetectorFactory.seed = 0

        def _ld(s: str) -> str | None:
            try:
                return str(detect(s))
            except Exception:
                return None

        detectors["langdetect"] = _ld
    except ImportError:
        print("langdetect not installed: skipped")
    print("\n## Language detection (gettext strings, 7 languages)\n")
    print("| detector | short (5-15 words) acc | ms/text | 150-word texts acc | ms/text |")
    print("|---|---:|---:|---:|---:|")
    for name, fn in detectors.items():
        row = []
        for kind in ("short", "long"):
            n = ok = 0
            t = time.perf_counter()
            for code, v in sets.items():
                for s in v[kind]:
                    n += 1
                    ok += fn(s) == code
            row += [f"{ok / n:.3f}", f"{(time.perf_counter() - t) / n * 1000:.2f}"]
        print(f"| {name} | " + " | ".join(row) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", default="pdfplumber", choices=["pdfplumber", "pypdf", "both"])
    ap.add_argument("--limit", type=int, help="CVs per category (default: all 10)")
    ap.add_argument("--db", help="store URL with the taxonomy imported (else imported anew)")
    ap.add_argument("--no-occupations", action="store_true", help="reading figures only")
    ap.add_argument("--languages", action="store_true", help="also measure language detectors")
    ap.add_argument(
        "--split",
        default="all",
        choices=["all", "dev", "test"],
        help=f"dev: the first {DEV_PER_CATEGORY} resumes of each category, test: the rest",
    )
    ap.add_argument(
        "--text-cache", type=Path, help="pickle of the PDFs' text layers, reused across runs"
    )
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="override an InferenceConfig number (e.g. text_weight=0.5), repeatable",
    )
    args = ap.parse_args()
    print(f"# bench/resumes.py, {date.today().isoformat()}, {' '.join(sys.argv[1:])}")
    files = _files(_data_dir(), args.limit, args.split)
    engines = ["pdfplumber", "pypdf"] if args.engine == "both" else [args.engine]
    figs = []
    profiles: dict[Path, Any] = {}
    for eng in engines:
        profs, f = read_all(files, eng, args.text_cache)
        figs.append(f)
        if eng == engines[0]:
            profiles = profs
    _print_reading(figs)
    if args.languages:
        languages()
    if not args.no_occupations:
        overrides = {k: float(v) for k, v in (kv.split("=", 1) for kv in args.set)}
        occupations(files, profiles, args.db, overrides)


if __name__ == "__main__":
    main()
