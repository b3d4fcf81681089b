"""Plan benchmark: speed, optimality and hours saved versus a greedy baseline, with an independent validator.

Usage::

    python bench/plan.py [--db sqlite:///PATH] [--pairs 200] [--seed 7]

The database must hold the shared taxonomy and catalogue (``skillpath data import`` and
``skillpath catalog import``); without ``--db`` a temporary one is built from SKILLPATH_DATA.
Over random (occupation, target occupation) pairs it reports plan time p50/p95 (warm, in process),
the share solved to proven optimality, hours of the optimal plan versus a greedy baseline measured in
the same run, and constraint violations found by ``skillpath.plan.validate``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from skillpath.catalog import load_catalog
from skillpath.plan import PlanRequest, analyse_gap, build_plan, occupation_levels, validate
from skillpath.plan._build import candidates
from skillpath.plan._optimise import STUDY_STAGES, level_providers, needs_study, starts_by_doing
from skillpath.plan._tasks import build_tasks
from skillpath.store import open_store
from skillpath.taxonomy import Taxonomy


def greedy_hours(gap, cands, tasks) -> tuple[float, bool]:  # type: ignore[no-untyped-def]
    """Greedy baseline: repeatedly take the item with the most importance-weighted gain per hour."""
    need = {g.skill_id: g.need for g in gap}
    w = {g.skill_id: g.weight for g in gap}
    by_gap = {g.skill_id: g for g in gap}
    course_gain = dict.fromkeys(need, 0.0)
    done_tasks: set[tuple[str, str]] = set()
    taken: set[str] = set()
    by_id = {c.id: c for c in cands}
    hours = 0.0

    def closed(s: str) -> float:
        return course_gain[s] + sum(t.gain for t in tasks.get(s, []) if (s, t.stage) in done_tasks)

    while True:
        best, best_ratio = None, 0.0
        for c in cands:
            if c.id in taken:
                continue
            extra = closure(c, taken, by_id, cands)
            if extra is None:
                continue
            h = c.hours + sum(by_id[d].hours for d in extra)
            v = sum(
                w[s] * max(0.0, min(need[s] - closed(s) + course_gain[s], g) - course_gain[s])
                for s, (g, _l) in c.gains.items()
                if s in need
            )
            if v > 1e-9 and v / h > best_ratio:
                best, best_ratio = ("c", c, extra), v / h
        for s in need:
            can = course_gain[s] > 0 or starts_by_doing(by_gap[s])
            for t in tasks.get(s, []):
                prev = {"practise": None, "apply": "practise", "create": "apply"}[t.stage]
                if (s, t.stage) in done_tasks or not can or (prev and (s, prev) not in done_tasks):
                    continue
                if t.stage in STUDY_STAGES and needs_study(by_gap[s]) and course_gain[s] <= 0:
                    break  # a Knowledge area's portfolio project needs a course first (0145)
                v = w[s] * min(max(0.0, need[s] - closed(s)), t.gain)
                if v > 1e-9 and v / t.hours > best_ratio:
                    best, best_ratio = ("t", s, t), v / t.hours
                break
        if best is None:
            break
        if best[0] == "c":
            c, extra = best[1], best[2]
            for d in [*extra, c.id]:
                if d in by_id and d not in taken:
                    taken.add(d)
                    hours += by_id[d].hours
                    for s, (g, _l) in by_id[d].gains.items():
                        if s in need:
                            course_gain[s] = max(course_gain[s], g)
        else:
            s, t = best[1], best[2]
            done_tasks.add((s, t.stage))
            hours += t.hours
    for s in need:  # learning always leads to doing: the practise step, as in the optimal model
        if (
            (s, "practise") not in done_tasks
            and (course_gain[s] > 0 or starts_by_doing(by_gap[s]))
            and tasks.get(s)
        ):
            done_tasks.add((s, "practise"))
            hours += tasks[s][0].hours
    complete = all(closed(s) >= need[s] - 1e-6 for s in need)
    return hours, complete


def closure(c, taken, by_id, cands):  # type: ignore[no-untyped-def]
    """Courses that must come with ``c``: its course prerequisites and, for each level prerequisite,
    the cheapest provider, transitively (None when one cannot be met), as the model requires."""
    extra: list[str] = []
    stack = [c]
    while stack:
        x = stack.pop()
        for d in x.requires_courses:
            if d in by_id and d not in taken and d not in extra and d != c.id:
                extra.append(d)
                stack.append(by_id[d])
        for s_, lvl in x.requires_levels:
            provs = level_providers(x, s_, lvl, cands)
            if any(p.id in taken or p.id in extra or p.id == c.id for p in provs):
                continue
            if not provs:
                return None
            best = min(provs, key=lambda p: (p.hours, p.id))
            extra.append(best.id)
            stack.append(best)
    return extra


def _store(db: str | None):  # type: ignore[no-untyped-def]
    if db:
        return open_store(db)
    from skillpath.catalog import import_path, tag_catalog
    from skillpath.config import default_data_dir
    from skillpath.taxonomy import default_paths, import_paths

    data = default_data_dir()
    if data is None:
        sys.exit("no data: set SKILLPATH_DATA or pass --db")
    path = Path(tempfile.mkdtemp()) / "bench.db"
    store = open_store(f"sqlite:///{path}")
    import_paths(store, default_paths(data))  # the newest O*NET release, as the demo
    import_path(store, data / "catalogs")
    tag_catalog(store)
    return store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db")
    ap.add_argument("--pairs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    store = _store(args.db)
    tax = Taxonomy.load(store)
    courses = load_catalog(store)
    rated = sorted(
        o.id
        for o in tax.occupations.values()
        if o.taxonomy == "onet"
        and o.status == "current"
        and any(r.relation == "rated" for r in tax.requirements(o.id))
    )
    rng = random.Random(args.seed)
    pairs = [(rng.choice(rated), rng.choice(rated)) for _ in range(args.pairs)]
    # warm-up: first TF-IDF / HiGHS calls
    src, tgt = tax.occupations[pairs[0][0]], tax.occupations[pairs[0][1]]
    lv, sd = occupation_levels(tax, src)
    build_plan(tax, courses, analyse_gap(tax, tgt, lv, sd), PlanRequest(), target=tgt, levels=lv)
    times, solve_times, optimal, violations, saved, opt_h, gr_h, budget_runs = (
        [],
        [],
        0,
        0,
        [],
        [],
        [],
        0,
    )
    for a, b in pairs:
        src, tgt = tax.occupations[a], tax.occupations[b]
        lv, sd = occupation_levels(tax, src)
        t0 = time.perf_counter()
        gap = analyse_gap(tax, tgt, lv, sd)
        plan = build_plan(tax, courses, gap, PlanRequest(), target=tgt, levels=lv)
        times.append(time.perf_counter() - t0)
        solve_times.append(plan.solver.seconds)
        optimal += plan.solver.status == "optimal" and plan.solver.mip_gap <= 1e-9
        violations += len(validate(plan))
        # the same model inputs for the greedy baseline
        focus = gap.skills[: plan.request.focus]
        covered = [g for g in focus if g.skill_id not in {s for s, _l, _w in plan.uncovered}]
        cands = candidates(courses, covered, PlanRequest(objective="hours"), lv)
        tasks = build_tasks(tax, tgt, tuple(covered))
        gh, complete = greedy_hours(covered, cands, tasks)
        if complete and covered:
            # the optimal plan for exactly the covered skills, for a like-for-like comparison
            sub = type(gap)(gap.target_id, gap.target_label, gap.target_code, tuple(covered))
            # the greedy baseline minimises hours: compare with the exact model under the hours objective
            p2 = build_plan(
                tax, courses, sub, PlanRequest(objective="hours"), target=tgt, levels=lv
            )
            if not p2.uncovered and p2.solver.mode == "cover":
                opt_h.append(p2.total_hours)
                gr_h.append(gh)
                saved.append((gh - p2.total_hours) / gh if gh else 0.0)
        budget_runs += plan.solver.mode == "budget"
    # the same pairs under a deadline and a money cap (budget mode when the gap cannot be closed)
    tight = PlanRequest(hours_per_week=5, weeks=12, budget=100.0)
    t_times, t_opt, t_viol, t_budget = [], 0, 0, 0
    for a, b in pairs:
        src, tgt = tax.occupations[a], tax.occupations[b]
        lv, sd = occupation_levels(tax, src)
        t0 = time.perf_counter()
        plan = build_plan(tax, courses, analyse_gap(tax, tgt, lv, sd), tight, target=tgt, levels=lv)
        t_times.append(time.perf_counter() - t0)
        t_opt += plan.solver.status == "optimal" and plan.solver.mip_gap <= 1e-9
        t_viol += len(validate(plan))
        t_budget += plan.solver.mode == "budget"
    t_times.sort()
    times.sort()
    n = len(times)
    print(f"plans: {n} random (occupation -> occupation) pairs, catalogue {len(courses):,} courses")
    print(
        f"plan time (warm, in process): p50 {times[n // 2] * 1000:.0f} ms, p95 {times[int(n * 0.95) - 1] * 1000:.0f} ms, "
        f"max {times[-1] * 1000:.0f} ms; solver alone p50 {statistics.median(solve_times) * 1000:.0f} ms"
    )
    print(f"proven optimal: {optimal}/{n} ({optimal / n:.1%}); budget-mode plans: {budget_runs}")
    print(f"constraint violations (independent validator): {violations}")
    print(
        f"with 12 weeks x 5 h and a 100 money cap: p50 {t_times[n // 2] * 1000:.0f} ms, "
        f"p95 {t_times[int(n * 0.95) - 1] * 1000:.0f} ms; proven optimal {t_opt}/{n}; budget-mode plans "
        f"{t_budget}; violations {t_viol}"
    )
    if opt_h:
        print(
            f"hours, optimal vs greedy on {len(opt_h)} comparable plans: mean {statistics.mean(opt_h):.1f} h vs "
            f"{statistics.mean(gr_h):.1f} h; greedy/optimal ratio {statistics.mean(gr_h) / statistics.mean(opt_h):.3f}; "
            f"hours saved per plan: mean {statistics.mean(saved):.1%}, max {max(saved):.1%}; "
            f"optimal never worse: {all(o <= g + 1e-6 for o, g in zip(opt_h, gr_h, strict=True))} "
            f"(worst optimal - greedy: {max(o - g for o, g in zip(opt_h, gr_h, strict=True)):+.3f} h)"
        )


if __name__ == "__main__":
    main()
