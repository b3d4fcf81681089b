"""Issue 10 §3: one xAPI 1.0.3 reader for `portfolio import --format xapi` and `recommend batch`,
checked on ADL's statement templates and the xAPI specification's examples (tests/fixtures/xapi)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillpath._xapi import parse_statements, read_statements
from skillpath.cli import main
from skillpath.errors import InputError
from skillpath.portfolio import import_xapi, load_portfolio
from skillpath.recommend import ImportReport, load_interactions, read_xapi
from skillpath.store import Store, open_store

FIX = Path(__file__).parent / "fixtures" / "xapi"
#: ADL templates that are malformed on their own, with the reason the reader must give.
ADL_MALFORMED = {
    "actor.json": "actor has no identifier",
    "no_actor.json": "actor is missing",
    "no_object.json": "object is missing",
    "no_verb.json": "verb is missing",
    "verb.json": "verb needs an id",
    "object_activity.json": "needs an id IRI",
    "object_actor.json": "object has no identifier",
    "object_statementref_no_id.json": "StatementRef) needs the id",
    "object_substatement.json": "object.actor is missing",
}
ADL = sorted(p.name for p in (FIX / "adl").glob("*.json"))
SPEC = sorted(p.name for p in (FIX / "spec").glob("*.json"))


@pytest.fixture
def store(db_url: str) -> Store:
    return open_store(db_url)


def test_fixture_selection_is_there() -> None:
    assert len(ADL) >= 20 and len(SPEC) >= 8
    assert set(ADL_MALFORMED) <= set(ADL)


@pytest.mark.parametrize("name", ADL)
def test_adl_templates(name: str) -> None:
    got = parse_statements([json.loads((FIX / "adl" / name).read_text("utf-8"))])
    if name in ADL_MALFORMED:
        assert len(got.rejected) == 1, name
        assert ADL_MALFORMED[name] in got.rejected[0][1]
    else:
        assert got.rejected == [], got.rejected
        assert len(got.statements) + len(got.voiding) == 1


@pytest.mark.parametrize("name", SPEC)
def test_spec_examples_are_accepted(name: str) -> None:
    got = read_statements(FIX / "spec" / name)
    assert got.rejected == [] and got.rows == 1


def _st(sid: str, verb: str, **extra: object) -> dict[str, object]:
    return {
        "id": sid,
        "actor": {"account": {"homePage": "https://lms.example", "name": "ada"}},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {
            "id": f"https://lms.example/course/{sid[:4]}",
            "definition": {"name": {"en": f"C {sid[:4]}"}},
        },
        **extra,
    }


A = "11111111-1111-4111-8111-111111111111"
B = "22222222-2222-4222-8222-222222222222"
C = "33333333-3333-4333-8333-333333333333"
V = "99999999-9999-4999-8999-999999999999"


def _file(tmp_path: Path, statements: list[dict[str, object]], jsonl: bool = False) -> Path:
    p = tmp_path / ("s.jsonl" if jsonl else "s.json")
    p.write_text("\n".join(json.dumps(s) for s in statements) if jsonl else json.dumps(statements))
    return p


VOIDING = {
    "id": V,
    "actor": {"mbox": "mailto:admin@example.org"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
    "object": {"objectType": "StatementRef", "id": A},
}


@pytest.mark.parametrize("jsonl", [False, True])
def test_voiding_removes_its_target_in_both_consumers(
    store: Store, tmp_path: Path, jsonl: bool
) -> None:
    # the voiding statement comes first in the file: voiding is not order-dependent
    f = _file(
        tmp_path,
        [
            VOIDING,
            _st(A, "completed", timestamp="2024-01-01T00:00:00Z"),
            _st(B, "completed", timestamp="2024-01-02T00:00:00Z"),
        ],
        jsonl,
    )
    notes: list[str] = []
    added = import_xapi(store, read_statements(f), source=f, notes=notes)
    assert added == [B]
    assert any("voided" in n for n in notes)
    rep = ImportReport(str(f))
    evs = list(read_xapi(f, report=rep))
    assert [e.course for e in evs] == [f"https://lms.example/course/{B[:4]}"]
    reasons = " ".join(b.reason for b in rep.bad)
    assert "voided" in reasons and "voiding statement" in reasons


def test_timestamp_is_optional_stored_then_import_time(store: Store, tmp_path: Path) -> None:
    f = _file(tmp_path, [_st(A, "completed", stored="2024-03-04T05:06:07Z"), _st(B, "completed")])
    notes: list[str] = []
    import_xapi(store, read_statements(f), source=f, notes=notes)
    items = {i.id: i for i in load_portfolio(store).items}
    assert (
        items[A].occurred_at == "2024-03-04T05:06:07Z" and items[A].meta["time_source"] == "stored"
    )
    assert items[B].meta["time_source"] == "import"
    assert any("'stored' time is used" in n for n in notes)
    assert any("import time is used" in n for n in notes)
    evs = list(read_xapi(f))
    assert evs[0].time is not None and evs[0].time.year == 2024 and evs[1].time is None


def test_attempted_experienced_launched_are_not_completions(store: Store, tmp_path: Path) -> None:
    f = _file(
        tmp_path,
        [_st(A, "attempted"), _st(B, "experienced"), _st(C, "launched"), _st(V, "completed")],
    )
    notes: list[str] = []
    assert import_xapi(store, read_statements(f), source=f, notes=notes) == [V]
    assert sum("not a completion" in n for n in notes) == 3
    kinds = [e.event for e in read_xapi(f)]
    assert kinds == ["attempted", "viewed", "viewed", "completed"]


def test_malformed_statement_refuses_the_portfolio_import(store: Store, tmp_path: Path) -> None:
    bad = _st(B, "completed")
    bad["object"] = {"objectType": "StatementRef"}
    f = _file(tmp_path, [_st(A, "completed"), bad])
    with pytest.raises(InputError) as exc:
        import_xapi(store, read_statements(f), source=f)
    msg = str(exc.value)
    assert str(f) in msg and "row 2" in msg and "StatementRef) needs the id" in msg
    assert load_portfolio(store).items == ()


def test_a_nul_refuses_the_statement_with_file_row_and_field(store: Store, tmp_path: Path) -> None:
    bad = _st(B, "completed")
    bad["object"]["definition"]["name"]["en"] = "C\x00 B"  # type: ignore[index]
    f = _file(tmp_path, [_st(A, "completed"), bad])
    got = read_statements(f)
    assert got.rejected == [
        (2, "object.definition.name.en holds a NUL (0x00) character; remove it")
    ]
    with pytest.raises(InputError) as exc:
        import_xapi(store, got, source=f)
    msg = str(exc.value)
    assert str(f) in msg and "row 2" in msg and "object.definition.name.en" in msg
    assert load_portfolio(store).items == ()  # nothing half-imported
    rep = ImportReport(str(f))
    assert len(list(read_xapi(f, report=rep))) == 1
    assert "NUL" in " ".join(b.reason for b in rep.bad)


def test_cli_import_exit_2_and_batch_names_file_and_reasons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SKILLPATH_DB", str(tmp_path / "cli.db"))
    no_verb = _st(A, "completed")
    del no_verb["verb"]
    no_actor = _st(B, "completed")
    no_actor["actor"] = {"objectType": "Agent", "name": "only a name"}
    f = _file(tmp_path, [no_verb, no_actor])
    assert main(["portfolio", "import", str(f), "--format", "xapi"]) == 2
    err = capsys.readouterr().err
    assert "verb is missing" in err and "Traceback" not in err
    with pytest.raises(InputError) as exc:
        load_interactions(f)
    msg = str(exc.value)
    assert str(f) in msg and "no learning events" in msg
    assert "verb is missing" in msg and "actor has no identifier" in msg


def test_both_consumers_give_the_same_reason(store: Store, tmp_path: Path) -> None:
    bad = _st(A, "completed", timestamp="yesterday")
    f = _file(tmp_path, [bad])
    rep = ImportReport(str(f))
    assert list(read_xapi(f, report=rep)) == []
    with pytest.raises(InputError) as exc:
        import_xapi(store, read_statements(f), source=f)
    assert rep.bad[0].reason in str(exc.value)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "actor",
                    "verb",
                    "object",
                    "id",
                    "objectType",
                    "mbox",
                    "account",
                    "name",
                    "homePage",
                    "member",
                    "display",
                    "definition",
                    "timestamp",
                    "stored",
                    "result",
                    "score",
                    "raw",
                    "min",
                    "max",
                    "scaled",
                    "success",
                    "context",
                ]
            ),
            kids,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_json, max_size=5))
def test_reader_never_crashes_on_arbitrary_json(doc: list[object]) -> None:
    got = parse_statements(doc)
    assert got.rows == len(doc)
    assert len(got.rejected) + len(got.statements) + len(got.voided) + len(got.voiding) == got.rows
