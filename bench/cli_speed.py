"""Wall and CPU time of single CLI calls for one learner (``plan``, ``recommend``, ``paths``).

Each call is a new process, as a user runs it. Variants, in one run, interleaved call by call so
that a busy machine slows them alike: ``cached`` (this tree, the derived-data cache warm: each
command once before timing), ``uncached`` (this tree with ``SKILLPATH_DERIVED_CACHE=0``: the
naive baseline that reads the store through the ORM and rebuilds every index), ``daemon`` (the
same calls handed to a running ``skillpath daemon`` on the store, decision 0144; the daemon is
started first and its start-up timed once), and optionally ``--src DIR`` (another tree's
``src``, e.g. main before the change). Every variant but ``daemon`` runs with
``SKILLPATH_DAEMON=0``.

Run: python bench/cli_speed.py --db /path/store.db [--repeat 3] [--src /work/main/src]
[--no-daemon]
(the store is copied first; it needs the taxonomy and a tagged catalogue).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CV = ROOT / "bench" / "advice_cvs" / "driver-to-logistician.md"
COMMANDS = {
    "plan --cv": ["plan", "--cv", str(CV), "--target", "13-1081.00", "--format", "json"],
    "plan --from": ["plan", "--from", "truck driver", "--target", "logistician"],
    "recommend": ["recommend", "--cv", str(CV), "--target", "13-1081.00", "--json"],
    "paths": ["paths", "--cv", str(CV), "--json"],
}
RUN = "import sys; from skillpath.cli import main; sys.exit(main(sys.argv[1:]))"


def _call(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(
        [sys.executable, "-c", RUN, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if p.returncode:
        print(f"  {' '.join(args)}: exit {p.returncode}: {p.stderr.decode()[-300:]}")
    return wall, cpu, p.returncode


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, help="a SQLite store with taxonomy and catalogue")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--src", help="another tree's src folder, timed as the variant 'src'")
    ap.add_argument("--commands", default=",".join(COMMANDS))
    ap.add_argument("--no-daemon", action="store_true", help="leave out the daemon variant")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cli-speed-"))
    db = tmp / "store.db"
    shutil.copy(a.db, db)
    base = {
        **os.environ,
        "SKILLPATH_DB": str(db),
        "SKILLPATH_HOME": str(tmp / "home"),
        "PYTHONPATH": str(ROOT / "src"),
    }
    # the user's cache folder for every variant (SKILLPATH_CACHE_DIR or the default): the
    # text-embedding caches, not derived from the store, are warm for all (a fresh folder
    # embeds the whole taxonomy first, minutes); only this tree uses the derived-data entries
    solo = {**base, "SKILLPATH_DAEMON": "0"}
    variants = {
        "cached": solo,
        "uncached": {**solo, "SKILLPATH_DERIVED_CACHE": "0"},
    }
    if a.src:
        variants["src"] = {**solo, "PYTHONPATH": a.src}
    cmds = [c.strip() for c in a.commands.split(",") if c.strip()]
    print(
        f"# CLI speed, {dt.datetime.now(dt.UTC).isoformat(timespec='minutes')}: {a.repeat} calls "
        f"per command and variant, interleaved; {os.cpu_count()} cores; "
        f"load average {os.getloadavg()[0]:.1f} at the start"
    )
    for c in cmds:  # warm every cache (embeddings, derived data) once
        _call(COMMANDS[c], solo)
    daemon = None
    if not a.no_daemon:
        t = time.perf_counter()
        daemon = subprocess.Popen(
            [sys.executable, "-c", RUN, "daemon", "--idle", "60"],
            env=base,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        while daemon.stdout is not None:  # "skillpath daemon ready in ..."
            line = daemon.stdout.readline()
            if not line or "ready" in line:
                break
        print(f"daemon start-up (load + one call of each command): {time.perf_counter() - t:.1f} s")
        variants["daemon"] = {**base, "SKILLPATH_DAEMON": "1"}
    res: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(a.repeat):
        for c in cmds:
            for v, env in variants.items():
                wall, cpu, rc = _call(COMMANDS[c], env)
                if rc == 0:
                    res.setdefault((c, v), []).append((wall, cpu))
    print("| command | variant | calls | wall median s | wall best s | CPU median s |")
    print("|---|---|---|---|---|---|")
    for c in cmds:
        for v in variants:
            xs = res.get((c, v), [])
            if not xs:
                print(f"| {c} | {v} | 0 | - | - | - |")
                continue
            print(
                f"| {c} | {v} | {len(xs)} | {statistics.median(w for w, _ in xs):.2f} | "
                f"{min(w for w, _ in xs):.2f} | {statistics.median(u for _, u in xs):.2f} |"
            )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    if daemon is not None:
        daemon.terminate()
        daemon.wait(timeout=60)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
