"""Course language detection: how often a course is hidden from, or shown to, the wrong learner.

Usage::

    python bench/course_language.py --db sqlite:///STORE_WITH_CATALOGUE.db

Ground truth: the edX rows, whose provider states the language (English, Spanish, French...).
Most Udemy and Coursera rows have a title and nothing else, so the detector is scored on the edX
titles alone (the hard case), and on title + summary + description (the text it reads when
there is one). A plan keeps a course when its language is one the learner reads or unknown
(``reads_language``), so the two errors that matter are an English course called another
language (hidden from an English reader) and another language's course called English (shown to
one). Lingua's low-accuracy mode (trigrams) and its full mode, at several confidence floors, in
one run. Thresholds are chosen on one half of the titles (md5 of the title, even) and reported on
the other.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections import Counter


def main() -> None:
    from lingua import Language, LanguageDetectorBuilder

    from skillpath.catalog._language import (
        LANGUAGES,
        MIN_CONFIDENCE,
        detect_language,
        language_code,
    )
    from skillpath.store import open_store
    from skillpath.store.models.catalog import CatCourse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    args = ap.parse_args()
    store = open_store(args.db)
    with store.session() as s:
        rows = [
            (
                r.title,
                f"{r.title}. {r.summary} {(r.description or '')[:600]}",
                language_code(r.language),
            )
            for r in s.query(CatCourse).filter(CatCourse.provider == "edx")
        ]
    rows = [r for r in rows if r[2]]
    langs = [getattr(Language, n) for n in LANGUAGES]
    t = time.perf_counter()
    low = LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()
    low.compute_language_confidence_values("a first text to load the models")
    t_low = time.perf_counter() - t
    t = time.perf_counter()
    high = LanguageDetectorBuilder.from_languages(*langs).build()
    high.compute_language_confidence_values("a first text to load the models")
    t_high = time.perf_counter() - t
    print(
        f"{len(rows)} edX courses with a stated language; load: low {t_low:.1f} s, full {t_high:.1f} s"
    )

    def detect(det, floor: float, text: str) -> str | None:
        if len(text.split()) < 3:
            return None
        vals = det.compute_language_confidence_values(text)
        if not vals or vals[0].value < floor:
            return None
        return str(vals[0].language.iso_code_639_1.name).lower()

    half = {r[0]: int(hashlib.md5(r[0].lower().encode()).hexdigest(), 16) % 2 for r in rows}
    print(
        "\n| text | detector | floor | half | English hidden | English unknown | other right | "
        "other shown as English | other unknown |\n|---|---|---:|---|---:|---:|---:|---:|---:|"
    )

    def shipped(_det, _floor: float, text: str) -> str | None:
        got = detect_language(text)
        return got[0] if got else None

    systems = [
        (name, det, floor, detect)
        for name, det in (("low accuracy", low), ("full", high))
        for floor in (0.5, 0.6, 0.7)
    ]
    systems.append(("**shipped** (full, kin languages)", None, MIN_CONFIDENCE, shipped))
    for field in ("title", "title + text"):
        for name, det, floor, fn in systems:
            for h, hname in ((0, "even (choose)"), (1, "odd (held out)")):
                c: Counter[str] = Counter()
                for title, text, gold in rows:
                    if half[title] != h:
                        continue
                    d = fn(det, floor, title if field == "title" else text)
                    if gold == "en":
                        c["en"] += 1
                        c["en_hidden"] += d is not None and d != "en"
                        c["en_unknown"] += d is None
                    else:
                        c["xx"] += 1
                        c["xx_right"] += d == gold
                        c["xx_en"] += d == "en"
                        c["xx_unknown"] += d is None
                print(
                    f"| {field} | {name} | {floor} | {hname} | {c['en_hidden']} / {c['en']} | "
                    f"{c['en_unknown']} | {c['xx_right']} / {c['xx']} | {c['xx_en']} | "
                    f"{c['xx_unknown']} |"
                )


if __name__ == "__main__":
    main()
