"""Importing learning and career events: good rows, bad rows with reasons, file-level errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillpath.errors import InputError
from skillpath.recommend import (
    ImportReport,
    interactions_from_events,
    load_interactions,
    read_career_csv,
    read_events_csv,
    read_sequences,
    read_xapi,
)


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def test_csv_events_with_aliases_bad_rows_and_time_order(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "ev.csv",
        "User_ID,Item,Timestamp,Event,Score,notes\n"
        "a,c2,2024-01-03,completed,0.9,x\n"
        "a,c1,2024-01-01T10:00:00Z,enrolled,,x\n"
        "b,c1,yesterday,enrolled,,x\n"
        "b,c3,2024-01-01,teleported,,x\n"
        "b,,2024-01-01,enrolled,,x\n"
        "b,c3,1704067200,passed,abc,x\n"
        "b,c3,1704067200,passed,1,x\n",
    )
    rep = ImportReport(str(p))
    events = list(read_events_csv(p, rep))
    assert rep.rows == 7 and rep.accepted == 3 and rep.n_bad == 4
    reasons = {b.row: b.reason for b in rep.bad}
    assert "not a date/time" in reasons[4]
    assert "unknown event 'teleported'" in reasons[5]
    assert "empty learner or course" in reasons[6]
    assert "score is not a number" in reasons[7]
    assert rep.warnings == ["ignored column(s): notes"]
    data = interactions_from_events(events)
    a = data.learner_index()["a"]
    assert [data.courses[i] for i in data.history(a)] == ["c1", "c2"]  # ordered by time


def test_csv_unknown_columns_is_a_clear_error(tmp_path: Path) -> None:
    p = write(tmp_path, "x.csv", "who,what\n1,2\n")
    with pytest.raises(InputError, match="missing required column"):
        list(read_events_csv(p))


def test_non_utf8_empty_and_header_only(tmp_path: Path) -> None:
    bad = write(tmp_path, "latin.csv", "learner,course\nJos\xe9,c1\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        list(read_events_csv(bad))
    with pytest.raises(InputError, match="empty file"):
        list(read_events_csv(write(tmp_path, "empty.csv", "")))
    with pytest.raises(InputError, match="no events"):
        list(read_events_csv(write(tmp_path, "head.csv", "learner,course\n")))
    with pytest.raises(InputError, match="file not found"):
        list(read_events_csv(tmp_path / "nope.csv"))
    with pytest.raises(InputError, match="empty file"):
        read_sequences(write(tmp_path, "empty.txt", ""))


def statement(actor: str, verb: str, activity: str, ts: str = "2024-05-01T00:00:00Z") -> dict:
    return {
        "actor": {"account": {"homePage": "https://lms.example", "name": actor}},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}},
        "object": {"id": activity},
        "timestamp": ts,
        "result": {"score": {"scaled": 0.8}},
    }


def test_xapi_json_array_jsonl_and_course_map(tmp_path: Path) -> None:
    sts = [
        statement("ann", "completed", "https://lms.example/course/42/module/1"),
        statement("ann", "passed", "https://lms.example/course/7"),
        statement("bob", "interacted", "https://lms.example/course/7"),
        statement("bob", "attempted", "https://other.example/x"),
    ]
    cmap = {"https://lms.example/course/42": "C42", "https://lms.example/course/7": "C7"}
    arr = write(tmp_path, "s.json", json.dumps(sts))
    rep = ImportReport("s.json")
    evs = list(read_xapi(arr, course_map=cmap, report=rep))
    assert [(e.learner.split("|")[-1], e.course, e.event) for e in evs] == [
        ("ann", "C42", "completed"),
        ("ann", "C7", "passed"),
    ]
    assert evs[0].score == 0.8
    assert (
        rep.n_bad == 2
        and "not one we map" in rep.bad[0].reason
        and "maps to no course" in rep.bad[1].reason
    )

    lines = write(tmp_path, "s.jsonl", "\n".join(json.dumps(s) for s in sts) + "\n{broken\n")
    rep2 = ImportReport("s.jsonl")
    assert len(list(read_xapi(lines, report=rep2))) == 3
    assert any("invalid JSON" in b.reason for b in rep2.bad)

    doc = write(tmp_path, "lrs.json", json.dumps({"statements": sts[:2]}, indent=2))
    assert len(list(read_xapi(doc))) == 2
    with pytest.raises(InputError, match="empty file"):
        list(read_xapi(write(tmp_path, "e.jsonl", "  \n")))


def test_load_interactions_by_extension(tmp_path: Path) -> None:
    seq = write(tmp_path, "train.txt", "0 5 6 7\n1 6 7\n")
    data = load_interactions(seq)
    assert data.n_learners == 2 and data.n_courses == 3 and data.n_events == 5


def test_career_csv(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "careers.csv",
        "learner,title,start,end\n"
        "a,Data Analyst,2019,2021-06\n"
        "a,Data Scientist,2021-07,\n"
        "b,Nurse,2020-13-01,\n"
        "c,Nurse,2022-01-01,2021-01-01\n",
    )
    rep = ImportReport("careers.csv")
    evs = list(read_career_csv(p, rep))
    assert [(e.learner, e.occupation, str(e.start)) for e in evs] == [
        ("a", "Data Analyst", "2019-01-01"),
        ("a", "Data Scientist", "2021-07-01"),
    ]
    assert rep.n_bad == 2 and "end" in rep.bad[1].reason
