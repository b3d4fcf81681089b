"""Generic imports: mapping files, formats, validation, atomicity, idempotence, de-duplication."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from skillpath.catalog import Mapping, import_file, import_path, load_catalog, load_mapping
from skillpath.errors import InputError
from skillpath.store import Store
from skillpath.store.models.catalog import CatCourse, CatImport


def _count(store: Store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(CatCourse)) or 0)


def test_generic_csv_with_toml_mapping(store: Store, acme: tuple[Path, Path]) -> None:
    f, m = acme
    rep = import_file(store, f, preset="generic", mapping=m)
    assert (rep.rows, rep.inserted, len(rep.rejected)) == (3, 3, 0)
    courses = {c.id: c for c in load_catalog(store)}
    a1, a2, a3 = courses["acme:A1"], courses["acme:A2"], courses["acme:A3"]
    assert (a1.hours, a1.price, a1.is_free) == (12.0, 49.0, False)
    assert 2.5 <= a1.level <= 3.0  # 'Beginner', nudged down by the cue 'basic' in the text
    assert a2.hours == 40 and a2.hours_low == 32 and a2.hours_high == 48
    assert a2.price == 199 and a2.level >= 5.5 and a2.bloom == "create"
    assert a3.is_free and a3.hours == 1.5 and a3.level == 2.5  # no label (3.0), "for everyone" -0.5


def test_idempotent_reimport_updates_in_place(
    store: Store, acme: tuple[Path, Path], tmp_path: Path
) -> None:
    f, m = acme
    import_file(store, f, mapping=m)
    again = import_file(store, f, mapping=m)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    f2 = tmp_path / "acme2.csv"
    f2.write_text(f.read_text().replace("Guitar for everyone", "Guitar for all"), encoding="utf-8")
    rep = import_file(store, f2, mapping=m)
    assert (rep.inserted, rep.updated, rep.unchanged) == (0, 1, 2)
    assert _count(store) == 3
    assert {c.title for c in load_catalog(store)} >= {"Guitar for all"}


def test_row_level_rejections(store: Store, tmp_path: Path, acme: tuple[Path, Path]) -> None:
    _, m = acme
    f = tmp_path / "bad.csv"
    f.write_text(
        "code,name,about,hours,cost,level,link\n"
        "B1,Good course,text,3,10,,https://acme.test/b1\n"
        "B2,Negative price,text,3,-10,,https://acme.test/b2\n"
        "B1,Duplicate id,text,3,10,,https://acme.test/b1bis\n"
        "B4,,no title,3,10,,https://acme.test/b4\n"
        "B5,Bad url,text,3,10,,ftp:/nowhere\n",
        encoding="utf-8",
    )
    rep = import_file(store, f, mapping=m)
    assert rep.inserted == 1
    reasons = {r.row: r.reason for r in rep.rejected}
    assert set(reasons) == {3, 4, 5, 6}
    assert "price must be >= 0" in reasons[3]
    assert "duplicate id 'acme:B1', first seen at row 2" in reasons[4]
    assert "empty" in reasons[5]
    assert "http" in reasons[6]
    cols = {r.row: r.column for r in rep.rejected}
    assert cols[3] == "cost"
    with store.session() as s:
        log = s.scalars(select(CatImport)).one()
        assert log.counts["rejected"] == 4 and len(log.rejected) == 4


def test_missing_mapping_column_refuses_the_file(
    store: Store, acme: tuple[Path, Path], tmp_path: Path
) -> None:
    f, m = acme
    import_file(store, f, mapping=m)
    bad = tmp_path / "nolink.csv"
    bad.write_text("code,name,about,hours,cost,level\nZ1,New,text,1,1,\n", encoding="utf-8")
    with pytest.raises(InputError, match="not in the header") as ei:
        import_file(store, bad, mapping=m)
    assert ei.value.column == "link"
    assert _count(store) == 3  # nothing stored is lost, nothing half-written


def test_broken_encoding(store: Store, acme: tuple[Path, Path], tmp_path: Path) -> None:
    _, m = acme
    f = tmp_path / "latin.csv"
    f.write_bytes(
        "code,name,about,hours,cost,level,link\nL1,Caf\xe9 fran\xe7ais,x,1,1,,\n".encode("latin-1")
    )
    with pytest.raises(InputError, match="not UTF-8 text") as ei:
        import_file(store, f, mapping=m)
    assert ei.value.row == 2
    rep = import_file(store, f, mapping=m, encoding="latin-1")
    assert load_catalog(store)[0].title == "Café français" and rep.inserted == 1


def test_json_jsonl_xlsx(store: Store, tmp_path: Path) -> None:
    mp = Mapping(provider="x", columns={"id": "id", "title": "title", "duration": "len"})
    (tmp_path / "a.json").write_text(
        json.dumps({"courses": [{"id": "j1", "title": "JSON one", "len": "2 hours"}]})
    )
    (tmp_path / "b.jsonl").write_text(
        '{"id": "l1", "title": "JSONL one"}\n\n{"id": "l2", "title": "JSONL two"}\n'
    )
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["id", "title", "len"])
    ws.append(["x1", "Excel one", 3])
    ws.append([None, None, None])
    wb.save(tmp_path / "c.xlsx")
    for name in ("a.json", "b.jsonl", "c.xlsx"):
        import_file(store, tmp_path / name, mapping=mp)
    got = {c.id: c for c in load_catalog(store)}
    assert set(got) == {"x:j1", "x:l1", "x:l2", "x:x1"}
    assert got["x:j1"].hours == 2 and got["x:x1"].hours == 3


def test_bad_json_and_unknown_type(store: Store, tmp_path: Path) -> None:
    mp = Mapping(columns={"title": "title"})
    (tmp_path / "bad.jsonl").write_text('{"title": "ok"}\n{oops\n')
    with pytest.raises(InputError, match="invalid JSON in line 2") as ei:
        import_file(store, tmp_path / "bad.jsonl", mapping=mp)
    assert ei.value.row == 2
    (tmp_path / "x.pdf").write_text("x")
    with pytest.raises(InputError, match="unsupported file type"):
        import_file(store, tmp_path / "x.pdf", mapping=mp)


def test_mapping_validation(tmp_path: Path) -> None:
    m = tmp_path / "m.json"
    m.write_text(json.dumps({"columns": {"name": "title"}}))
    with pytest.raises(InputError, match="unknown course field"):
        load_mapping(m)
    m.write_text(json.dumps({"columns": {"id": "x"}}))
    with pytest.raises(InputError, match="title"):
        load_mapping(m)
    with pytest.raises(InputError, match="needs --mapping"):
        import_path(None, tmp_path / "m.json", preset="generic")  # type: ignore[arg-type]


def test_cross_file_duplicates_are_marked_not_lost(store: Store, tmp_path: Path) -> None:
    a = tmp_path / "one.csv"
    a.write_text(
        "id,title,url,inst\n1,Intro to SQL,https://www.example.org/sql/,Uni\n", encoding="utf-8"
    )
    b = tmp_path / "two.csv"
    b.write_text(
        "id,title,url,inst\n9,Intro to SQL,https://example.org/sql,Uni\n", encoding="utf-8"
    )
    import_file(
        store,
        a,
        mapping=Mapping(
            provider="p1",
            columns={"id": "id", "title": "title", "url": "url", "institution": "inst"},
        ),
    )
    rep = import_file(
        store,
        b,
        mapping=Mapping(
            provider="p2",
            columns={"id": "id", "title": "title", "url": "url", "institution": "inst"},
        ),
    )
    assert rep.duplicates == (("p2:9", "p1:1"),)
    assert [c.id for c in load_catalog(store)] == ["p1:1"]
    assert {c.id for c in load_catalog(store, include_duplicates=True)} == {"p1:1", "p2:9"}
