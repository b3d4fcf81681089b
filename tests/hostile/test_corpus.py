"""The hostile-input corpus, run through the installed console script (see _cases.py).

Each case must: exit with the expected code, name the file (and the row or field where the case
says so), print no traceback, and leave the store unchanged (row counts, a content hash of every
table, the attachment files); SQLite's integrity check must pass afterwards.
"""

from __future__ import annotations

import pytest

from ._cases import CASES, Case
from ._harness import Env, integrity_ok

RESULTS: list[tuple[str, str, str]] = []  # (backend, case id, outcome), for the summary line


def _param(c: Case):  # type: ignore[no-untyped-def]
    marks = [pytest.mark.xfail(strict=True, reason=f"fixed by {c.xfail}")] if c.xfail else []
    return pytest.param(c, id=c.id, marks=marks)


def materialise(case: Case, env: Env) -> list[str]:
    """Write the case's files into the scratch folder; the command line with paths filled in."""
    for name, content in case.files.items():
        path = env.work / name
        if content is None:
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content(env.ids) if callable(content) else content)
    args = []
    for a in case.args:
        if a.startswith("@"):
            a = str(env.work / a[1:])
        args.append(a.replace("{item}", str(env.ids.get("item", ""))))
    return args


def check(case: Case, env: Env, *, exec_script: bool = False) -> tuple[str, list[str], str]:
    """Run one case; (outcome, problems, output). Outcome: clear, traceback, exit, loss, unclear."""
    args = materialise(case, env)
    before = env.fingerprint()
    proc = env.run(args, timeout=case.timeout, exec_script=exec_script)
    out = proc.stdout + proc.stderr
    problems: list[str] = []
    outcome = "clear"
    changed = before.diff(env.fingerprint())
    if changed and not case.store_may_change:
        problems.append("the store changed: " + "; ".join(changed))
        outcome = "loss"
    if env.url.startswith("sqlite") and (ok := integrity_ok(env.url)) != "ok":
        problems.append(f"integrity_check: {ok}")
        outcome = "loss"
    if proc.returncode != case.exit:
        problems.append(f"exit code {proc.returncode}, expected {case.exit}")
        outcome = "exit" if outcome == "clear" else outcome
    if "Traceback" in out:
        problems.append("a traceback was printed")
        outcome = "traceback"
    name = case.file_named()
    low = out.replace(str(env.work), "<work>").lower()  # words must not match the scratch path
    missing = [w for w in ([name] if name else []) + list(case.names) if w.lower() not in low]
    if missing:
        problems.append(f"the message does not say {missing}")
        outcome = "unclear" if outcome == "clear" else outcome
    return outcome, problems, out


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_hostile_input(case: Case, hostile_env: Env, request: pytest.FixtureRequest) -> None:
    outcome, problems, out = check(case, hostile_env)
    backend = "sqlite" if hostile_env.url.startswith("sqlite") else "postgres"
    RESULTS.append((backend, case.id, outcome))
    tail = "\n".join(out.strip().splitlines()[-12:])
    assert not problems, "; ".join(problems) + f"\n--- output (tail):\n{tail}"


def _sample() -> list[Case]:
    """One case per command and file family (the first of each), for the console-script run."""
    seen: dict[str, Case] = {}
    for c in CASES:
        if c.xfail:
            continue
        fam = "-".join(c.id.split("-")[:2])
        seen.setdefault(fam, c)
    return list(seen.values())


@pytest.mark.parametrize("case", [_param(c) for c in _sample()])
def test_console_script(case: Case, sqlite_env: Env) -> None:
    """The same checks through the installed console script (a new interpreter per case)."""
    _outcome, problems, out = check(case, sqlite_env, exec_script=True)
    tail = "\n".join(out.strip().splitlines()[-12:])
    assert not problems, "; ".join(problems) + f"\n--- output (tail):\n{tail}"


def test_corpus_is_big_enough() -> None:
    """The issue asks for at least 200 cases across every loader."""
    assert len(CASES) >= 200
    assert len({c.id for c in CASES}) == len(CASES)
    commands = {" ".join(a for a in c.args[:2] if not a.startswith(("@", "-"))) for c in CASES}
    for cmd in (
        "data import",
        "catalog import",
        "profile",
        "plan",
        "paths",
        "recommend batch",
        "portfolio import",
        "portfolio add",
        "badge verify",
        "badge import",
        "badge stack",
        "roles",
        "skills link",
    ):
        assert any(c.startswith(cmd) for c in commands), cmd


def summary_lines() -> list[str]:
    """'N inputs: N clear errors, 0 tracebacks, 0 wrong exit codes, 0 data loss' per backend."""
    lines = []
    for backend in ("sqlite", "postgres"):
        got = [o for b, _, o in RESULTS if b == backend]
        if not got:
            continue
        n = len(got)
        lines.append(
            f"{backend}: {n} inputs: {got.count('clear')} clear errors, {got.count('traceback')} "
            f"tracebacks, {got.count('exit')} wrong exit codes, {got.count('loss')} data loss"
            + (f", {got.count('unclear')} unclear messages" if got.count("unclear") else "")
        )
    return lines
