"""Bounded load test of the web app on loopback: latency percentiles and errors.

Starts the app (uvicorn, one process) on a store that already holds the taxonomy and a catalogue,
creates a learner with a plan and evidence and an invited mentor, then sends a fixed-rate mix for
a fixed time from client threads: plan reads (API), evidence lists (API), evidence pages (HTML)
and review submissions (API, which queue a re-plan off the request path).

Phases, in one run on one server: ``reads`` (no reviews), ``worker`` (10 % reviews, re-plans in
the worker process) and ``thread`` (the same mix with re-plans on a thread of the server, the
naive baseline: the worker is stopped first). Each phase has its own learner and mentor.

Run: python bench/web_load.py --db sqlite:////path/with/data.db [--rps 50] [--seconds 60]
[--phases reads,worker,thread] (the store is copied first, so the run does not change it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import socket
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _client(
    q: Any,
    base: str,
    learner_id: int,
    evs: list[int],
    ltok: str,
    mtok: str,
    rps: float,
    seconds: float,
    reads_only: bool,
    warm: bool = True,
) -> None:
    """The load generator, in its own process (so it does not compete for the server's GIL).

    With ``warm`` its 32 threads first make their HTTP clients (each loads the CA bundle for
    its TLS context, ~1 s of CPU for all, on the cores the server needs) and one connection
    each, with one ``GET /api/v1/me`` per thread, before the timed requests start; without, the
    first second of the timed traffic measures that start-up."""
    lat: dict[str, list[float]] = {
        "plan": [],
        "evidence list": [],
        "evidence page": [],
        "review": [],
    }
    errors: list[str] = []
    bodies: dict[str, str] = {}
    local = threading.local()

    def client() -> httpx.Client:
        if not hasattr(local, "c"):
            local.c = httpx.Client(base_url=base, timeout=30)
        return local.c

    def one(kind: str) -> None:
        c = client()
        t = time.perf_counter()
        if kind == "plan":
            r = c.get(
                f"/api/v1/learners/{learner_id}/plan", headers={"Authorization": f"Bearer {ltok}"}
            )
        elif kind == "evidence list":
            r = c.get(
                f"/api/v1/learners/{learner_id}/evidence",
                headers={"Authorization": f"Bearer {mtok}"},
            )
        elif kind == "evidence page":
            r = c.get(
                f"/api/v1/evidence/{random.choice(evs)}",
                headers={"Authorization": f"Bearer {mtok}"},
            )
        else:
            r = c.post(
                f"/api/v1/evidence/{random.choice(evs)}/reviews",
                json={"rubric": random.randrange(4), "feedback": "load"},
                headers={"Authorization": f"Bearer {mtok}"},
            )
        lat[kind].append((time.perf_counter() - t) * 1000)
        if r.status_code >= 400:
            errors.append(f"{kind}: {r.status_code}")
            bodies.setdefault(f"{kind}: {r.status_code}", r.text[:300])

    kinds = (
        ["plan"] * 4
        + ["evidence list"] * 3
        + ["evidence page"] * 2
        + ([] if reads_only else ["review"])
    )
    n = int(rps * seconds)
    with ThreadPoolExecutor(max_workers=32) as pool:
        if warm:
            ready = threading.Barrier(32)

            def hello() -> None:
                client().get("/api/v1/me", headers={"Authorization": f"Bearer {ltok}"})
                ready.wait(timeout=60)

            for f in [pool.submit(hello) for _ in range(32)]:
                f.result()
            time.sleep(1.0)
        start = time.perf_counter()
        for k in range(n):
            due = start + k / rps
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, random.choice(kinds))
    q.put((lat, errors, n, bodies))


PHASES = {
    "reads": "reads only, re-plans in the worker process",
    "worker": "with 10 % reviews, re-plans in the worker process (this tree)",
    "thread": "with 10 % reviews, re-plans on a thread of the server (naive baseline)",
}


class _ServerTimes:
    """ASGI wrapper: how long the server spends on each request, from the request reaching the
    app to the last byte of its response leaving it (what the client's latency adds to this is
    the client, the network stack and waiting for a CPU), and how late the event loop runs a
    10 ms timer (time it spent blocked by work on the loop thread)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.times: list[tuple[float, float, str]] = []  # (start, ms, "read" | "review")
        self.lag: list[tuple[float, float]] = []  # (when, ms late)
        self.watcher: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.watcher is None:  # on the server's loop, from its first request
            import asyncio

            self.watcher = asyncio.get_running_loop().create_task(self.watch_loop())
        t = time.perf_counter()

        async def sent(msg: Any) -> None:
            await send(msg)
            if (
                msg["type"] == "http.response.body"
                and not msg.get("more_body")
                and scope["path"] != "/api/v1/me"
            ):
                kind = "review" if scope["method"] == "POST" else "read"
                self.times.append((t, (time.perf_counter() - t) * 1000, kind))

        await self.app(scope, receive, sent)

    async def watch_loop(self) -> None:
        import asyncio

        while True:
            t = time.perf_counter()
            await asyncio.sleep(0.01)
            self.lag.append((t, (time.perf_counter() - t - 0.01) * 1000))


def _world(svc: Any, cv: Path) -> tuple[int, list[int], str, str]:
    """A learner with a plan and 5 pieces of evidence, an invited mentor; their API tokens."""
    from skillpath.service import new_api_token, register

    store = svc.store
    tag = random.randrange(10**9)
    learner = register(store, email=f"load{tag}@example.org", password="x" * 10)
    svc.read_cv(learner, filename=cv.name, data=cv.read_bytes())
    svc.set_target(learner, target="computer and information systems manager", hours_per_week=6)
    svc.jobs[learner.id].result()
    st = svc.learner_state(learner, learner.id)
    task = next(i["id"] for i in st["plan"]["items"] if i["kind"] == "task")
    evs = [svc.submit_evidence(learner, task, kind="text", text=f"evidence {k}") for k in range(5)]
    mentor = register(store, email=f"m{tag}@example.org", password="x" * 10, role="mentor")
    token = svc.invite(learner, "mentor").rsplit("/", 1)[1]
    svc.accept(mentor, token)
    return learner.id, evs, new_api_token(store, learner), new_api_token(store, mentor)


def main() -> None:
    import multiprocessing as mp

    import uvicorn

    from skillpath.service import Service
    from skillpath.store import open_store
    from skillpath.web import create_app

    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, help="sqlite:///FILE with the taxonomy and a catalogue")
    ap.add_argument("--rps", type=float, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument(
        "--phases",
        default="reads,worker,thread",
        help=f"comma-separated, in order: {', '.join(PHASES)} (thread stops the worker)",
    )
    ap.add_argument("--reads-only", action="store_true", help="the same as --phases reads")
    ap.add_argument(
        "--http",
        default="auto",
        choices=("auto", "h11", "httptools"),
        help="uvicorn's HTTP parser (auto: httptools when installed)",
    )
    ap.add_argument(
        "--cold-clients",
        action="store_true",
        help="no client warm-up: the timed requests include the clients' start (the old runs)",
    )
    ap.add_argument(
        "--dump",
        help="write each phase's server times (start, ms, read|review) and loop lags as JSON",
    )
    a = ap.parse_args()
    phases = ["reads"] if a.reads_only else [x.strip() for x in a.phases.split(",") if x.strip()]
    if not phases or any(x not in PHASES for x in phases):
        raise SystemExit(f"--phases: choose from {', '.join(PHASES)}")
    tmp = Path(tempfile.mkdtemp())
    src = Path(a.db.removeprefix("sqlite:///"))
    shutil.copy(src, tmp / "load.db")
    store = open_store(f"sqlite:///{tmp / 'load.db'}")
    svc = Service(store, blob_dir=tmp / "blobs")
    t0 = time.perf_counter()
    svc.warm()  # forks the re-plan worker (before the server's threads start)
    warm_s = time.perf_counter() - t0
    cv = Path(__file__).parents[1] / "examples" / "cv" / "developer.resume.json"
    port = _port()
    app = _ServerTimes(create_app(svc))
    srv = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", http=a.http)
    )
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    ctx = mp.get_context("spawn")

    def pct(xs: list[float], q: float) -> float:
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")

    print(
        f"# web load, {dt.date.today().isoformat()}: {a.rps:g} requests/s for {a.seconds:g} s "
        f"per phase, 1 uvicorn process on loopback, the load generator in its own process; "
        f"warm-up {warm_s:.1f} s; {os.cpu_count()} cores; HTTP parser {a.http}"
        f"{'' if a.cold_clients else '; clients warmed up first'}"
    )
    print("| phase | request | n | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|")
    for phase in phases:
        if phase == "thread":
            svc.stop_worker()
        learner_id, evs, ltok, mtok = _world(svc, cv)
        app.times.clear()
        app.lag.clear()
        q: Any = ctx.Queue()
        proc = ctx.Process(
            target=_client,
            args=(
                q,
                base,
                learner_id,
                evs,
                ltok,
                mtok,
                a.rps,
                a.seconds,
                phase == "reads",
                not a.cold_clients,
            ),
        )
        start = time.perf_counter()
        proc.start()
        lat, errors, n, bodies = q.get()
        proc.join()
        took = time.perf_counter() - start
        reads = [x for k in ("plan", "evidence list", "evidence page") for x in lat[k]]
        for k, xs in [*lat.items(), ("all reads", reads)]:
            if not xs:
                continue
            errs = sum(1 for e in errors if e.startswith(f"{k}:"))
            if k == "all reads":
                errs = sum(1 for e in errors if not e.startswith("review:"))
            print(
                f"| {phase} | {k} | {len(xs)} | {statistics.median(xs):.1f} | "
                f"{pct(xs, 0.95):.1f} | {pct(xs, 0.99):.1f} | {errs} |"
            )
        if a.dump:
            Path(f"{a.dump}.{phase}.json").write_text(
                json.dumps({"server": app.times, "lag": app.lag, "t0": start})
            )
        lag = [ms for _t, ms in app.lag]
        for what, want in (("every request", None), ("reads", "read"), ("reviews", "review")):
            server = [ms for _t, ms, kind in app.times if want in (None, kind)]
            if server:
                print(
                    f"| {phase} | server time, {what} | {len(server)} | "
                    f"{statistics.median(server):.1f} | {pct(server, 0.95):.1f} | "
                    f"{pct(server, 0.99):.1f} | |"
                )
        print(
            f"| {phase} | event-loop lag of a 10 ms timer | {len(lag)} | "
            f"{statistics.median(lag):.1f} | {pct(lag, 0.95):.1f} | {pct(lag, 0.99):.1f} | |"
        )
        print(
            f"| {phase} | ({PHASES[phase]}) | {n} sent | {took:.1f} s wall | "
            f"load average {os.getloadavg()[0]:.1f} | | {len(errors)} |"
        )
        for k, body in bodies.items():
            print(f"  first {k}: {body}")
    srv.should_exit = True
    svc.close()  # queued re-plans are cancelled; a running one finishes


if __name__ == "__main__":
    main()
