"""CPU of one review submission and of the read use cases, in process (no server, no re-plans).

The web load test's learner (bench/web_load.py: a plan for the developer CV, 5 pieces of
evidence, an invited mentor) on a copy of the store, ``--history`` reviews first, then ``-n``
timed reviews and reads (``time.process_time``). Re-plans are not queued, so only the request's
own work is counted. Runs the tree on ``PYTHONPATH`` (so the previous tree can be measured by
pointing it at that tree's ``src``).

Run: python bench/review_cost.py --db sqlite:////path/with/data.db [-n 100] [--history 100]
[--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    from sqlalchemy import select

    from skillpath.service import Service, User
    from skillpath.store import open_store
    from skillpath.store.models.web import WebLink

    sys.path.insert(0, str(Path(__file__).parent))
    import web_load

    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, help="sqlite:///FILE with the taxonomy and a catalogue")
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--history", type=int, default=100)
    ap.add_argument("--profile", action="store_true", help="cProfile the timed reviews")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    shutil.copy(Path(a.db.removeprefix("sqlite:///")), tmp / "cost.db")
    svc = Service(open_store(f"sqlite:///{tmp / 'cost.db'}"), blob_dir=tmp / "b")
    _ = svc.taxonomy, svc.courses
    cv = Path(__file__).parents[1] / "examples" / "cv" / "developer.resume.json"
    lid, evs, _lt, _mt = web_load._world(svc, cv)
    with svc.store.session() as s:
        mid = s.scalars(select(WebLink.reviewer_id).where(WebLink.learner_id == lid)).first()
    mentor = User(int(mid or 0), "", "", "mentor")
    svc.replan = lambda *_a, **_k: None  # type: ignore[method-assign]  # the previous tree
    svc._queue_replan = lambda _id: None  # type: ignore[method-assign,assignment,return-value]
    for i in range(a.history):
        svc.review(mentor, evs[i % 5], rubric=i % 4)
    print(f"plan JSON {len(svc.plan_json(mentor, lid)):,} bytes; {a.history} reviews before")
    prof = cProfile.Profile() if a.profile else None

    def cpu(name: str, f: object) -> None:
        t = time.process_time()
        if prof is not None and name == "review":
            prof.enable()
        for i in range(a.n):
            f(i)  # type: ignore[operator]
        if prof is not None and name == "review":
            prof.disable()
        print(f"{name}: {(time.process_time() - t) / a.n * 1000:.2f} ms CPU")

    cpu("review", lambda i: svc.review(mentor, evs[i % 5], rubric=i % 4))
    cpu("mastery", lambda i: svc.mastery(mentor, lid))
    cpu("evidence page", lambda i: svc.evidence(mentor, evs[i % 5]))
    cpu("evidence list", lambda i: svc.evidence_list(mentor, lid))
    cpu("plan", lambda i: svc.plan_json(mentor, lid))
    if prof is not None:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    svc.close()


if __name__ == "__main__":
    main()
