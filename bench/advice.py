"""Advice benchmark: are the plan's courses and the top-10 recommendations on topic for the move?

Usage::

    python bench/advice.py --db sqlite:///NEW.db [--old-db sqlite:///OLD.db --old-src DIR] [--out advice.json]

14 career moves across sectors, each with a CV written for this benchmark (bench/advice_cvs/) and a
target O*NET occupation. **The on-topic rule is fixed here, before any run**: a course is on topic
for a move when its title, or the first 200 characters of its summary, contains one of the move's
keywords (case-insensitive, at a word start). The keyword sets below were written once, from the
target occupation's description, and are not tuned afterwards.

Measured in the same run, on the same catalogue:

* ``new``: this tree's pipeline (``skillpath plan --cv ... --format json`` and ``skillpath
  recommend --cv ... --json --top 10``);
* ``old``: the previous pipeline (``--old-src``: a source tree of the previous commit, e.g.
  ``git archive c15da68 src | tar -x -C /tmp/old``, with its own database ``--old-db`` built by
  that code from the ``onet`` folder, as it shipped);
* ``naive``: TF-IDF search of the catalogue with the target occupation's description (top 10).

Also: the share of top-10 recommendations that teach only what the learner already knows (every
main topic of the course rated by the CV's profile at or above the course's level; one judge for
all pipelines).
And: the gap checks the issue names (data scientist: Python or R, statistics, machine learning; HR
manager: employment law, compensation, recruitment), and for 10 source roles the share of
suggested next roles that need a higher Job Zone and say so.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CVS = HERE / "advice_cvs"

# (move, CV file, target O*NET-SOC code, on-topic keywords). Written once; not tuned.
MOVES: list[tuple[str, str, str, tuple[str, ...]]] = [
    (
        "IT support -> information security analyst",
        "it-support-to-security.md",
        "15-1212.00",
        (
            "security",
            "cyber",
            "hacking",
            "penetration",
            "firewall",
            "network",
            "encryption",
            "cryptograph",
            "malware",
            "incident",
            "risk",
            "siem",
            "forensic",
            "vulnerabilit",
            "threat",
            "comptia",
            "cissp",
            "linux",
            "privacy",
        ),
    ),
    (
        "marketing coordinator -> market research analyst",
        "marketing-to-market-research.md",
        "13-1161.00",
        (
            "market research",
            "marketing",
            "survey",
            "consumer",
            "analytics",
            "data analysis",
            "statistic",
            "spss",
            "excel",
            "segmentation",
            "brand",
            "questionnaire",
            "customer insight",
            "forecasting",
        ),
    ),
    (
        "bookkeeper -> accountant",
        "bookkeeper-to-accountant.md",
        "13-2011.00",
        (
            "accounting",
            "accountant",
            "audit",
            "tax",
            "financial statement",
            "bookkeeping",
            "ifrs",
            "gaap",
            "cpa",
            "financial reporting",
            "cost accounting",
            "excel",
            "finance",
            "budget",
        ),
    ),
    (
        "primary teacher -> training and development specialist",
        "teacher-to-training-specialist.md",
        "13-1151.00",
        (
            "training",
            "instructional design",
            "e-learning",
            "elearning",
            "learning design",
            "teaching",
            "adult learning",
            "curriculum",
            "facilitation",
            "coaching",
            "presentation",
            "articulate",
            "moodle",
            "lms",
            "education",
        ),
    ),
    (
        "delivery driver -> logistician",
        "driver-to-logistician.md",
        "13-1081.00",
        (
            "logistics",
            "supply chain",
            "inventory",
            "warehouse",
            "transportation",
            "procurement",
            "operations management",
            "shipping",
            "lean",
            "six sigma",
            "forecasting",
            "sap",
            "erp",
            "distribution",
        ),
    ),
    (
        "chef -> food service manager",
        "chef-to-food-service-manager.md",
        "11-9051.00",
        (
            "restaurant",
            "food",
            "hospitality",
            "catering",
            "kitchen",
            "menu",
            "haccp",
            "management",
            "leadership",
            "budget",
            "cost control",
            "customer service",
            "hotel",
        ),
    ),
    (
        "carpenter -> construction manager",
        "carpenter-to-construction-manager.md",
        "11-9021.00",
        (
            "construction",
            "project management",
            "building",
            "contract",
            "estimating",
            "cost",
            "scheduling",
            "safety",
            "osha",
            "autocad",
            "blueprint",
            "site",
            "pmp",
            "leadership",
            "budget",
        ),
    ),
    (
        "administrative assistant -> HR specialist",
        "admin-to-hr-specialist.md",
        "13-1071.00",
        (
            "human resource",
            "hr",
            "recruit",
            "hiring",
            "talent",
            "employment law",
            "labor law",
            "compensation",
            "payroll",
            "interview",
            "onboarding",
            "workforce",
            "people management",
            "benefits",
        ),
    ),
    (
        "graphic designer -> web and digital interface designer",
        "designer-to-ux.md",
        "15-1255.00",
        (
            "ux",
            "user experience",
            "ui",
            "user interface",
            "interaction design",
            "usability",
            "wireframe",
            "prototyp",
            "figma",
            "sketch",
            "adobe xd",
            "web design",
            "html",
            "css",
            "accessibility",
            "design thinking",
        ),
    ),
    (
        "social worker -> social and community service manager",
        "social-worker-to-manager.md",
        "11-9151.00",
        (
            "social work",
            "nonprofit",
            "non-profit",
            "community",
            "program management",
            "grant",
            "fundraising",
            "leadership",
            "management",
            "public health",
            "social service",
            "budget",
            "supervision",
            "policy",
        ),
    ),
    (
        "machinist -> CNC programmer",
        "machinist-to-cnc-programmer.md",
        "51-9162.00",
        (
            "cnc",
            "g-code",
            "gcode",
            "cam",
            "cad",
            "machining",
            "mastercam",
            "solidworks",
            "autocad",
            "fusion 360",
            "manufacturing",
            "blueprint",
            "gd&t",
            "programming",
            "tool",
        ),
    ),
    (
        "web developer -> database architect / data engineer",
        "developer-to-data-engineer.md",
        "15-1243.00",
        (
            "data engineer",
            "database",
            "sql",
            "data warehouse",
            "etl",
            "big data",
            "hadoop",
            "spark",
            "python",
            "data pipeline",
            "nosql",
            "mongodb",
            "cloud",
            "aws",
            "azure",
            "data model",
            "kafka",
        ),
    ),
    (
        "medical assistant -> medical records specialist",
        "medical-assistant-to-records.md",
        "29-2072.00",
        (
            "medical record",
            "health information",
            "coding",
            "icd",
            "medical coding",
            "billing",
            "hipaa",
            "ehr",
            "electronic health",
            "medical terminology",
            "healthcare",
            "health care",
            "anatomy",
        ),
    ),
    (
        "electrician -> electrical engineering technician",
        "electrician-to-engineering-tech.md",
        "17-3023.00",
        (
            "electrical",
            "electronic",
            "circuit",
            "plc",
            "automation",
            "control",
            "engineering",
            "power",
            "autocad",
            "instrumentation",
            "signal",
            "microcontroller",
            "arduino",
            "motor",
        ),
    ),
]

# The gap checks the issue asks for: each concept must be named in the gap (labels or reasons).
GAP_CHECKS = [
    (
        "data analyst -> data scientist",
        "--cv",
        str(HERE.parent / "examples" / "cv" / "data-analyst.txt"),
        "15-2051.00",
        {
            "Python or R": ("python", r"\br\b"),
            "statistics": ("statistic",),
            "machine learning": ("machine learning", "tensorflow", "pytorch", "scikit", "keras"),
        },
    ),
    (
        "store manager -> HR manager",
        "--from",
        "first-line supervisors of retail sales workers",
        "11-3121.00",
        {
            "employment law": (
                "employment law",
                "labor law",
                "legal",
                "law and government",
                "equal employment",
            ),
            "compensation": ("compensation",),
            "recruitment": ("recruit", "hire personnel", "hiring"),
        },
    ),
]

# 10 source roles for the paths check
PATH_SOURCES = [
    "registered nurses",
    "software developers",
    "retail salespersons",
    "bookkeeping clerks",
    "electricians",
    "cooks, restaurant",
    "customer service representatives",
    "carpenters",
    "medical assistants",
    "elementary school teachers",
]


def on_topic(text: str, keywords: tuple[str, ...]) -> bool:
    """The fixed rule: a keyword at a word start in the text (case-insensitive)."""
    t = text.lower()
    return any(re.search(r"(?<![a-z0-9])" + re.escape(k), t) for k in keywords)


def course_text(c: dict) -> str:
    return f"{c.get('title', '')} {(c.get('summary') or '')[:200]}"


def cli(src: Path | None, db: str, args: list[str], timeout: float = 900) -> tuple[int, str, float]:
    """Run ``skillpath`` (from ``src`` when given) and return (exit code, stdout, seconds)."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    code = "import sys; from skillpath.cli import main; sys.exit(main(sys.argv[1:]))"
    t0 = time.perf_counter()
    p = subprocess.run(
        [sys.executable, "-c", code, "--db", db, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    return p.returncode, p.stdout, time.perf_counter() - t0


def _json(out: str) -> dict:
    start = out.find("{")
    return json.loads(out[start:]) if start >= 0 else {}


def worker(db: str) -> None:
    """Run this tree's (or, with PYTHONPATH, another tree's) pipeline for every move in one process
    and print one JSON line per move: plan courses and the top-10 recommendations."""
    from skillpath.catalog import load_catalog
    from skillpath.plan import PlanRequest, learner_from_cv, make_plan, to_dict
    from skillpath.recommend import Filters, recommend_courses
    from skillpath.store import open_store
    from skillpath.taxonomy import Taxonomy

    os.environ["SKILLPATH_DB"] = db  # the CLI helpers open the configured store
    store = open_store(db)
    tax = Taxonomy.load(store)
    courses = load_catalog(store)
    summary = {c.id: c.summary for c in courses}
    for name, cv, target, _kws in MOVES:
        t0 = time.perf_counter()
        row: dict = {"move": name}
        try:
            learner = learner_from_cv(tax, CVS / cv)
            plan = to_dict(make_plan(tax, courses, learner, target, PlanRequest()))
            row["plan_courses"] = [
                {
                    "id": i["id"].removeprefix("course:"),
                    "title": i["title"],
                    "summary": summary.get(i["id"].removeprefix("course:"), ""),
                    "covers": [c["label"] for c in i.get("covers", [])],
                    "reasons": i.get("reasons", []),
                }
                for i in plan["items"]
                if i["kind"] == "course"
            ]
            row["gap"] = [g["label"] for g in plan["gap"]["skills"]][:12]
            row["milestones"] = [m["text"] for m in plan.get("milestones", [])][:6]
            row["hours"] = plan["totals"]["hours"]
        except Exception as exc:  # a failing pipeline is a result, recorded
            row["plan_error"] = f"{type(exc).__name__}: {exc}"
            row["plan_courses"] = []
        try:
            # the recommendation the CLI shows (`recommend --cv ... --json --top 10`), through
            # the application layer; an older tree without it uses its CLI helper
            try:
                from skillpath.cli._app import get_service

                svc = get_service()
                occ = tax.get_occupation(target)
                res = svc.recommend(
                    svc.learner_from_cv(CVS / cv), occ, n=10, diversity=0.3, filters=Filters()
                )
                recs = list(res.items)
            except ImportError:
                import contextlib
                import io

                from skillpath.cli._recommend import _learner_signals  # type: ignore[attr-defined]

                with contextlib.redirect_stdout(io.StringIO()):
                    kwargs = _learner_signals(CVS / cv, target, events=None, careers=None)
                for k in ("target_id", "signals", "about"):
                    kwargs.pop(k, None)
                recs = recommend_courses(n=10, diversity=0.3, filters=Filters(), **kwargs)
            row["recommendations"] = [
                {
                    "id": r.course,
                    "title": r.title,
                    "summary": summary.get(r.course, ""),
                    "reasons": [x.text for x in r.reasons],
                }
                for r in recs[:10]
            ]
        except Exception as exc:
            row["recommend_error"] = f"{type(exc).__name__}: {exc}"
            row["recommendations"] = []
        row["seconds"] = round(time.perf_counter() - t0, 1)
        print(json.dumps(row, ensure_ascii=False), flush=True)


def run_worker(src: Path | None, db: str) -> dict[str, dict]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    p = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", "--db", db],
        capture_output=True,
        text=True,
        env=env,
        timeout=7200,
        check=False,
    )
    rows = [json.loads(x) for x in p.stdout.splitlines() if x.startswith("{")]
    if not rows:
        raise SystemExit(f"the pipeline at {src or 'this tree'} failed:\n{p.stderr[-3000:]}")
    return {r["move"]: r for r in rows}


def naive(db: str, target: str, n: int = 10) -> list[dict]:
    """TF-IDF search of the catalogue with the target occupation's description."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from skillpath.catalog import load_catalog
    from skillpath.store import open_store
    from skillpath.taxonomy import Taxonomy

    store = open_store(db)
    tax = Taxonomy.load(store)
    occ = tax.get_occupation(target)
    courses = load_catalog(store)
    docs = [f"{c.title} {c.subject} {c.summary}" for c in courses]
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    mat = vec.fit_transform([*docs, f"{occ.label} {occ.description}"])
    sims = (mat[:-1] @ mat[-1].T).toarray().ravel()
    order = sims.argsort()[::-1][:n]
    return [
        {"id": courses[i].id, "title": courses[i].title, "summary": courses[i].summary}
        for i in order
    ]


def gap_checks(db: str) -> list[dict]:
    out = []
    for name, flag, who, target, wanted in GAP_CHECKS:
        rc, text, _s = cli(None, db, ["plan", flag, who, "--target", target, "--format", "json"])
        plan = _json(text) if rc == 0 else {}
        words = " ".join(
            f"{g['label']} {' '.join(g.get('reasons', []))}"
            for g in plan.get("gap", {}).get("skills", [])
        ).lower()
        met = " ; ".join(plan.get("gap", {}).get("met", [])).lower()

        def says(text: str, pats: tuple[str, ...]) -> bool:
            return any(re.search(p if p.startswith("\\b") else re.escape(p), text) for p in pats)

        out.append(
            {
                "move": name,
                "named": {k: says(words, pats) for k, pats in wanted.items()},
                # a requirement the CV already meets is named among the met, not as a gap: the
                # data analyst's CV says "Python (advanced); R (intermediate)"
                "met": {k: says(met, pats) for k, pats in wanted.items()},
                "gap": [g["label"] for g in plan.get("gap", {}).get("skills", [])][:15],
            }
        )
    return out


def paths_check(db: str) -> dict:
    """Share of suggested next roles with a higher Job Zone whose reasons say so."""
    total = said = 0
    rows = []
    for src in PATH_SOURCES:
        rc, text, _s = cli(None, db, ["paths", "--from", src, "--json", "--top", "10"])
        if rc != 0:
            rows.append({"from": src, "error": text[-200:]})
            continue
        doc = json.loads(text[text.find("[") :]) if "[" in text else []
        for r in doc:
            if r.get("job_zone_step", 0) > 0:
                total += 1
                said += any("Job Zone" in x for x in r.get("reasons", []))
        rows.append(
            {
                "from": src,
                "next": [(r.get("label"), r.get("job_zone"), r.get("hours")) for r in doc],
            }
        )
    return {
        "higher_zone": total,
        "says_so": said,
        "share": (said / total) if total else None,
        "rows": rows,
    }


def known_judge(db: str):  # type: ignore[no-untyped-def]
    """For a move's CV, a test of whether a course teaches only what the learner already knows:
    the learner's profile rates every main topic of the course at or above the course's level
    (``recommend.known_topics``, decision 0152). One judge
    for every pipeline of the run, this tree's reading of the CV."""
    from skillpath.catalog import load_catalog
    from skillpath.plan import learner_from_cv
    from skillpath.recommend._signals import known_topics
    from skillpath.store import open_store
    from skillpath.taxonomy import Taxonomy

    store = open_store(db)
    tax = Taxonomy.load(store)
    by_id = {c.id: c for c in load_catalog(store)}

    def for_cv(cv: str):  # type: ignore[no-untyped-def]
        levels = dict(learner_from_cv(tax, CVS / cv).levels)
        return lambda cid: cid in by_id and bool(known_topics(by_id[cid], levels))

    return for_cv


def share(rows: list[list[bool]]) -> float | None:
    flat = [x for r in rows for x in r]
    return sum(flat) / len(flat) if flat else None


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db", required=True)
    ap.add_argument("--old-db")
    ap.add_argument("--old-src", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--skip-paths", action="store_true")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.db)
        return
    new_rows = run_worker(None, args.db)
    old_rows = run_worker(args.old_src, args.old_db) if args.old_db and args.old_src else {}
    result: dict = {"moves": []}
    stats: dict[str, dict[str, list[list[bool]]]] = {
        k: {"plan": [], "rec": [], "known": []} for k in ("new", "old", "naive")
    }
    judge = known_judge(args.db)
    for name, cv, target, kws in MOVES:
        row: dict = {"move": name, "target": target}
        knows = judge(cv)
        for key, rows in (("new", new_rows), ("old", old_rows)):
            if name not in rows:
                continue
            r = rows[name]
            for c in [*r["plan_courses"], *r["recommendations"]]:
                c["on_topic"] = on_topic(course_text(c), kws)
                c["known"] = knows(c["id"])
            stats[key]["plan"].append([c["on_topic"] for c in r["plan_courses"]])
            stats[key]["rec"].append([c["on_topic"] for c in r["recommendations"]])
            stats[key]["known"].append([c["known"] for c in r["recommendations"]])
            row[key] = r
        nv = naive(args.db, target)
        for c in nv:
            c["on_topic"] = on_topic(course_text(c), kws)
            c["known"] = knows(c["id"])
        row["naive"] = nv
        stats["naive"]["rec"].append([c["on_topic"] for c in nv])
        stats["naive"]["known"].append([c["known"] for c in nv])
        result["moves"].append(row)
        n = stats["new"]
        print(
            f"{name}: plan {sum(n['plan'][-1])}/{len(n['plan'][-1])} on topic, top-10 "
            f"{sum(n['rec'][-1])}/{len(n['rec'][-1])}, naive {sum(stats['naive']['rec'][-1])}/10"
            + (
                f"; old plan {sum(stats['old']['plan'][-1])}/{len(stats['old']['plan'][-1])}, old top-10 "
                f"{sum(stats['old']['rec'][-1])}/{len(stats['old']['rec'][-1])}"
                if old_rows
                else ""
            ),
            flush=True,
        )
    summary = {
        k: {
            "plan_courses_on_topic": share(v["plan"]),
            "top10_on_topic": share(v["rec"]),
            "top10_already_known": share(v["known"]),
            "plan_courses": sum(len(r) for r in v["plan"]),
            "recommendations": sum(len(r) for r in v["rec"]),
        }
        for k, v in stats.items()
    }
    result["summary"] = summary
    result["gap_checks"] = gap_checks(args.db)
    if not args.skip_paths:
        result["paths"] = paths_check(args.db)
    print(
        json.dumps(
            {
                "summary": summary,
                "gap_checks": [
                    {k: v for k, v in g.items() if k != "gap"} for g in result["gap_checks"]
                ],
                "paths": {k: v for k, v in result.get("paths", {}).items() if k != "rows"},
            },
            indent=1,
        )
    )
    if args.out:
        args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
