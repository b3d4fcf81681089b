"""The loaders on the real shared O*NET and ESCO files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillpath.taxonomy import occupation_gap, status

pytestmark = pytest.mark.realdata


def test_every_loader_on_the_real_files(real_store, real_taxonomy) -> None:  # type: ignore[no-untyped-def]
    st = status(real_store)
    tot = st["totals"]
    assert tot["occupations"]["onet"] >= 1016 and tot["occupations"]["esco"] == 2942
    assert tot["skills"]["skill"] == 35
    assert tot["skills"]["technology"] > 8000 and tot["skills"]["esco-skill"] > 13000
    assert tot["requirements"]["rated"] > 30000 and tot["requirements"]["technology"] > 28000
    assert tot["titles"]["alternate"] == 56495 and tot["titles"]["reported"] == 7513
    assert tot["tasks"] > 19000
    assert tot["relations"]["career_changer"] == 7221 and tot["relations"]["crosswalk"] > 1600
    assert tot["anchors"] > 400
    releases = {(s["source"], s["release"]) for s in st["sources"]}
    assert ("onet", "23") in releases and ("onet", "latest") in releases
    # mixed O*NET-SOC 2010 (release 23) and 2019 codes: older-only codes are kept as legacy
    legacy = next(s for s in st["sources"] if s["source"] == "onet" and s["release"] == "23")
    assert legacy["legacy_occupations"] > 100
    tax = real_taxonomy
    assert tax.anchors("2.A.1.a")  # level scale anchors of Reading Comprehension
    assert any(
        t.task_type == "Core" for t in tax.tasks("onet:15-1252.00")
    )  # via legacy predecessors


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("registered nurse", "29-1141.00"),
        ("software developer", "15-1252.00"),
        ("accountant", "13-2011.00"),
        ("truck driver", "53-3032.00"),
    ],
)
def test_resolve_titles(real_taxonomy, title: str, code: str) -> None:  # type: ignore[no-untyped-def]
    top = [h.occupation.code for h in real_taxonomy.resolve(title, top=5, taxonomy="onet")]
    assert code in top[:3], top


def test_gap_developer_to_manager_is_sensible(real_taxonomy) -> None:  # type: ignore[no-untyped-def]
    tax = real_taxonomy
    g = occupation_gap(
        tax,
        tax.get_occupation("software developer"),
        tax.get_occupation("computer and information systems manager"),
    )
    labels = [i.label for i in g.skills[:6]]
    assert (
        "Management of Personnel Resources" in labels
        or "Management of Financial Resources" in labels
    )
    assert all(
        i.required is not None and i.required > i.current for i in g.skills if i.relation == "rated"
    )
    assert g.technologies and g.technologies[0].hot


def test_cli_roles_gap_status_json(real_store, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from skillpath.cli import main

    db = real_store.url
    assert main(["--db", db, "roles", "--like", "registered nurse", "--json", "--top", "3"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["code"] == "29-1141.00" and {"id", "label", "score", "taxonomy"} <= set(hits[0])
    assert main(["--db", db, "gap", "--from", "15-1252.00", "--to", "11-3021.00", "--json"]) == 0
    g = json.loads(capsys.readouterr().out)
    assert g["to"]["code"] == "11-3021.00" and g["skills"] and g["total_gap"] > 0
    assert main(["--db", db, "data", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["tasks"] > 0
    assert main(["--db", db, "gap", "--from", "zzzzqqqq", "--to", "nurse"]) == 2


def test_demo_runs_from_local_data(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from skillpath.cli import main

    monkeypatch.setenv("SKILLPATH_DATA", str(data_dir))
    assert main(["--db", str(tmp_path / "demo.db"), "demo"]) == 0
    assert "Skill gap" in capsys.readouterr().out


def test_cli_roles_input_one_json_line_per_title(
    real_store,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    from skillpath.cli import main

    f = tmp_path / "titles.txt"
    f.write_text("registered nurse\n\n15-1252.00\nchef de cuisine\n", encoding="utf-8")
    assert (
        main(
            ["--db", real_store.url, "roles", "--input", str(f), "--top", "3", "--taxonomy", "onet"]
        )
        == 0
    )
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["title"] for x in lines] == ["registered nurse", "", "15-1252.00", "chef de cuisine"]
    assert lines[0]["occupations"][0]["code"] == "29-1141.00" and lines[1]["occupations"] == []
    assert lines[2]["occupations"][0]["label"] == "Software Developers"
    assert all({"uri", "code", "label", "score"} <= set(o) for x in lines for o in x["occupations"])
    assert main(["--db", real_store.url, "roles", "--input", str(tmp_path / "nope.txt")]) == 2
    assert main(["--db", real_store.url, "roles"]) == 2


def test_newest_release_with_the_old_folder_keeps_flags_and_counts(
    full_store, full_taxonomy
) -> None:  # type: ignore[no-untyped-def]
    """onet-29.3-excel imported together with the older unnamed onet folder: 29.3's tables win."""
    st = status(full_store)
    tot = st["totals"]
    # the 29.3 files' own counts, not a mix of both releases
    assert tot["titles"]["alternate"] == 56558 and tot["titles"]["reported"] == 7796
    assert tot["skills"]["knowledge"] == 33 and tot["skills"]["skill"] == 35
    assert tot["requirements"]["tool"] > 40000 and tot["requirements"]["technology"] > 32000
    assert tot["occupation_values"]["onet/job_zones"] == 923 and tot["task_activities"] > 23000
    assert tot["relations"]["related"] == 18460 and tot["relations"]["career_changer"] == 7221
    report = full_store.report
    if report is None:
        pytest.skip("SKILLPATH_TEST_FULL_DB: a prebuilt store keeps no import report")
    assert not [
        f
        for f, why in report.skipped_files
        if "not a recognised" in why
        and any(
            k in f
            for k in (
                "Job Zones",
                "Education, Training",
                "Tools Used",
                "Tasks to DWAs",
                "Interests.xlsx",
                "Knowledge",
            )
        )
    ]
    assert any("mixed releases" in w for w in report.warnings)
    tax = full_taxonomy
    # the 29.3 file's flags (59 Hot Technologies of IT managers); in 29.3 software developers list
    # every one of them already, so that gap has no hot technology left, truthfully
    mgr = [r for r in tax.requirements("onet:11-3021.00") if r.relation == "technology"]
    assert sum(r.hot for r in mgr) == 59 and any(r.in_demand for r in mgr)
    assert tax.job_zone("onet:29-1171.00") == 5  # nurse practitioners
    assert tax.preparation("onet:29-1171.00").typical("education")[0] >= 8  # type: ignore[index]
    assert any(
        r.in_demand for r in tax.requirements("onet:15-2051.00") if r.relation == "technology"
    )


def test_an_unrated_occupation_borrows_from_its_most_related_occupation(full_taxonomy) -> None:  # type: ignore[no-untyped-def]
    """O*NET 29.3 rates no Knowledge or Skills for Medical Records Specialists: the ratings come
    from the most related rated occupation of O*NET's Related Occupations (Medical
    Transcriptionists), not from a title in the same minor group that shares "Specialists"
    (Hearing Aid Specialists, whose Sales and Therapy made the records specialist's gap)."""
    tax = full_taxonomy
    occ = tax.get_occupation("29-2072.00")
    if any(r.relation == "rated" for r in tax.own_requirements(occ.id)):
        pytest.skip("this O*NET release rates Medical Records Specialists")
    donor = tax.rating_donor(occ.id)
    assert donor is not None and tax.occupations[donor].label == "Medical Transcriptionists"
    assert donor in {o for o, _k, _r in tax.related(occ.id, "related")}
