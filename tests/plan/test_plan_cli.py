"""The plan and paths commands end to end on the real taxonomy and a real catalogue (edX)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillpath.cli import main

pytestmark = [pytest.mark.realdata, pytest.mark.slow]
CV = Path(__file__).resolve().parents[2] / "examples" / "cv" / "developer.resume.json"


@pytest.fixture(scope="module")
def db(real_store, data_dir: Path) -> str:  # type: ignore[no-untyped-def]
    from skillpath.catalog import import_path, tag_catalog

    import_path(real_store, data_dir / "catalogs" / "edx_courses.csv", preset="edx")
    tag_catalog(real_store)
    return str(real_store.url)


def test_plan_json_from_cv(db: str, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    assert (
        main(
            [
                "--db",
                db,
                "plan",
                "--cv",
                str(CV),
                "--target",
                "computer and information systems manager",
                "--hours-per-week",
                "6",
                "--format",
                "json",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    plan = json.loads(out.read_text())
    assert plan["target"]["code"] == "11-3021.00"
    assert plan["solver"]["status"] == "optimal" and plan["solver"]["mip_gap"] == 0
    assert plan["items"] and plan["gap"]["skills"]
    for week in plan["schedule"]:
        assert sum(b["hours"] for b in week["blocks"]) <= 6 + 1e-6
    ends = {i["id"]: i["end_week"] for i in plan["items"]}
    for i in plan["items"]:
        assert all(ends[p] < i["start_week"] for p in i["prerequisites"])
    assert any(
        i["checkpoint"] and i["checkpoint"]["reviewer"] == "mentor" for i in plan["items"]
    ) or any(i["stage"] == "apply" for i in plan["items"])


@pytest.mark.parametrize("fmt", ["html", "ics", "md", "text"])
def test_plan_formats(db: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"plan.{fmt}"
    assert (
        main(
            [
                "--db",
                db,
                "plan",
                "--from",
                "registered nurse",
                "--target",
                "medical and health services manager",
                "--weeks",
                "10",
                "--budget",
                "100",
                "--format",
                fmt,
                "--out",
                str(out),
            ]
        )
        == 0
    )
    body = out.read_text()
    assert {"html": "<svg", "ics": "BEGIN:VEVENT", "md": "## Week by week", "text": "Week 1"}[
        fmt
    ] in body


def test_plan_current_role_and_paths(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["--db", db, "plan", "--cv", str(CV), "--target", "current", "--format", "json"]) == 0
    )
    assert json.loads(capsys.readouterr().out)["target"]["label"]
    assert main(["--db", db, "paths", "--from", "registered nurse", "--n", "5", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert 0 < len(rows) <= 5 and all(r["code"] != "29-1141.00" for r in rows)
    assert rows == sorted(rows, key=lambda r: -r["score"])


@pytest.mark.parametrize(
    "args",
    [
        ["--target", "zzqqxx wobble"],
        ["--target", "nurse", "--hours-per-week", "0"],
        ["--target", "nurse", "--format", "pdf"],
        ["--target", "nurse", "--free-only", "--objective", "cost"],
        ["--target", "nurse", "--start", "next tuesday"],
    ],
)
def test_plan_bad_input_exit_2(
    db: str, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", db, "plan", "--from", "software developer", *args]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()


def test_recommend_for_one_learner_uses_the_plan_gap(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "--db",
                db,
                "recommend",
                "--cv",
                str(CV),
                "--target",
                "IT manager",
                "-n",
                "5",
                "--json",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    recs = out["recommendations"]
    assert out["target"]["id"] == "onet:11-3021.00" and len(recs) == 5
    assert [r["rank"] for r in recs] == [1, 2, 3, 4, 5] and len({r["course"] for r in recs}) == 5
    assert all(r["reasons"] and r["reasons"][0]["text"] for r in recs)
    assert main(["--db", db, "recommend", "--cv", str(CV), "--target", "zzqqxx wobble"]) == 2
