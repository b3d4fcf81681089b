"""Import of O*NET and ESCO release files: layouts, orphans, errors, atomicity, idempotency."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from skillpath.errors import InputError
from skillpath.store import open_store
from skillpath.store.models import taxonomy as m
from skillpath.taxonomy import Taxonomy, clear_cache, import_paths, status

from ._release import OCC_H, SKILL_H, skill_rows, small_release, write_table


def dump(store) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """Every taxonomy table's content, sorted, without timestamps."""
    out = {}
    with store.session() as s:
        for table in (m.Occupation, m.Skill, m.Requirement, m.Title, m.Task, m.Related, m.Orphan):
            cols = [c for c in table.__table__.columns if c.name != "id" or table is not m.Orphan]
            rows = s.execute(select(*cols)).all()
            out[table.__tablename__] = sorted(tuple(map(str, r)) for r in rows)
    return out


@pytest.mark.parametrize("ext", [".txt", ".xlsx"])
def test_both_official_layouts(db_url: str, tmp_path: Path, ext: str) -> None:
    store = open_store(db_url)
    report = import_paths(store, [small_release(tmp_path / "rel", ext)])
    assert {k for _, k in report.files} >= {
        "onet/occupation",
        "onet/rated",
        "onet/technology",
        "onet/alternate",
    }
    clear_cache()
    tax = Taxonomy.load(store, refresh=True)
    assert len(tax.occupations) == 3
    reqs = {r.skill_id: r for r in tax.requirements("onet:11-3021.00")}
    assert reqs["onet:2.B.5.d"].importance == 4.0 and reqs["onet:2.B.5.d"].level == 4.2
    assert reqs["onet-tech:atlassian-jira"].hot
    assert tax.resolve("software development manager")[0].occupation.code == "11-3021.00"
    assert tax.resolve("15-1252")[0].occupation.label == "Software Developers"


def test_zip_input_and_orphans_are_kept(db_url: str, tmp_path: Path) -> None:
    rel = small_release(tmp_path / "db_29_0_text")
    # a skill row for an occupation code that no Occupation Data file has
    write_table(
        rel / "Skills.txt",
        SKILL_H,
        skill_rows({("15-1252.00", "2.A.2.a"): (4.0, 4.0), ("99-9999.00", "2.A.2.a"): (3.0, 3.0)}),
    )
    zpath = tmp_path / "db_29_0_text.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        for f in rel.iterdir():
            z.write(f, f"db_29_0_text/{f.name}")
    store = open_store(db_url)
    report = import_paths(store, [zpath])
    assert report.orphans == {"onet/requirement-unknown-occupation": 2}  # IM and LV rows
    st_ = status(store)
    assert st_["sources"][0]["release"] == "29.0"
    assert st_["orphans"]["onet"][0]["count"] == 2
    with store.session() as s:
        keys = set(s.scalars(select(m.Orphan.key)))
    assert keys == {"99-9999.00"}


def test_reimport_is_idempotent(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    rel = small_release(tmp_path / "rel")
    import_paths(store, [rel])
    first = dump(store)
    import_paths(store, [rel])
    assert dump(store) == first


def test_single_file_import_does_not_wipe_other_data(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    rel = small_release(tmp_path / "rel")
    import_paths(store, [rel])
    before = dump(store)
    import_paths(store, [rel / "Occupation Data.txt"])
    assert dump(store) == before


def _corrupt_cases(tmp: Path) -> list[tuple[Path, dict]]:
    cases = []
    p = tmp / "enc" / "Occupation Data.txt"
    p.parent.mkdir(parents=True)
    p.write_bytes(
        "O*NET-SOC Code\tTitle\tDescription\n15-1252.00\tD\xe9veloppeur\tx\n".encode("latin-1")
    )
    cases.append((p, {"row": 2}))
    p = write_table(tmp / "quote" / "Occupation Data.txt", ["x"], [])
    p.write_text("O*NET-SOC Code\tTitle\tDescription\n15-1252.00\tSoftware Developers\tx\textra\n")
    cases.append((p, {"row": 2}))
    p = write_table(
        tmp / "scale" / "Skills.txt", SKILL_H, skill_rows({("15-1252.00", "2.A.2.a"): (4.0, 9.5)})
    )
    cases.append((p, {"row": 3, "column": "Data Value"}))
    p = write_table(
        tmp / "trunc" / "Skills.xlsx", SKILL_H, skill_rows({("15-1252.00", "2.A.2.a"): (4.0, 4.0)})
    )
    p.write_bytes(p.read_bytes()[:300])
    cases.append((p, {}))
    p = write_table(
        tmp / "code" / "Occupation Data.txt", OCC_H, [["15-1252", "Software Developers", "x"]]
    )
    cases.append((p, {"row": 2, "column": "O*NET-SOC Code"}))
    p = write_table(tmp / "cols" / "Skills.txt", ["O*NET-SOC Code", "Title"], [["15-1252.00", "x"]])
    cases.append((p, {"row": 1, "column": "Element ID"}))
    return cases


def test_malformed_files_name_file_row_column_and_leave_data_intact(
    db_url: str, tmp_path: Path
) -> None:
    store = open_store(db_url)
    import_paths(store, [small_release(tmp_path / "rel")])
    before = dump(store)
    for path, where in _corrupt_cases(tmp_path / "bad"):
        with pytest.raises(InputError) as ei:
            # the good release is part of the same import: nothing of it may be written either
            import_paths(store, [tmp_path / "rel", path])
        err = ei.value
        assert err.file and path.name in err.file, err
        for k, v in where.items():
            assert getattr(err, k) == v, (path, err)
        assert dump(store) == before, path


@pytest.mark.parametrize(
    ("name", "sep"),
    [
        ("Occupation Data.txt", ","),
        ("Occupation Data.tsv", "\t"),
        ("Occupation Data.txt", ";"),
        ("Occupation Data.tsv", ","),
    ],
)
def test_delimiter_is_sniffed_not_assumed(tmp_path: Path, name: str, sep: str) -> None:
    """A comma-separated .txt or a tab-separated .tsv reads like the official layout."""
    p = tmp_path / name
    p.write_text(
        sep.join(OCC_H)
        + "\n"
        + sep.join(["15-1252.00", "Software Developers", "Develop software."])
        + "\n",
        encoding="utf-8",
    )
    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    import_paths(store, [p])
    assert (
        Taxonomy.load(store, refresh=True).occupations["onet:15-1252.00"].description
        == "Develop software."
    )


def test_cli_bad_input_exit_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from skillpath.cli import main

    bad = write_table(
        tmp_path / "Skills.txt", SKILL_H, skill_rows({("15-1252.00", "2.A.2.a"): (7.0, 4.0)})
    )
    assert main(["--db", str(tmp_path / "x.db"), "data", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Skills.txt" in err and "row 2" in err
    assert main(["--db", str(tmp_path / "x.db"), "data", "import", str(tmp_path / "missing")]) == 2
    assert main(["--db", str(tmp_path / "x.db"), "roles", "--like", "nurse"]) == 2
    assert "skillpath data import" in capsys.readouterr().err


ratings = st.dictionaries(
    st.tuples(
        st.sampled_from(["15-1252.00", "11-3021.00", "29-1141.00", "13-1111.00"]),
        st.sampled_from(["2.A.1.a", "2.A.2.a", "2.B.5.d"]),
    ),
    st.tuples(
        st.floats(1, 5).map(lambda x: round(x, 2)), st.floats(0, 7).map(lambda x: round(x, 2))
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(r=ratings, ext=st.sampled_from([".txt", ".xlsx"]))
def test_import_is_idempotent_property(
    tmp_path_factory: pytest.TempPathFactory, r: dict, ext: str
) -> None:
    tmp = tmp_path_factory.mktemp("h")
    write_table(
        tmp / f"Occupation Data{ext}",
        OCC_H,
        [
            ["15-1252.00", "Software Developers", "x"],
            ["11-3021.00", "CIS Managers", "y"],
            ["29-1141.00", "Registered Nurses", "z"],
        ],
    )
    write_table(tmp / f"Skills{ext}", SKILL_H, skill_rows(r))
    store = open_store(f"sqlite:///{tmp / 'h.db'}")
    import_paths(store, [tmp])
    first = dump(store)
    import_paths(store, [tmp])
    assert dump(store) == first
    with store.session() as s:
        n_orphans = s.execute(text("select count(*) from tx_orphan")).scalar()
        n_reqs = s.execute(text("select count(*) from tx_requirement")).scalar()
    unknown = sum(1 for (code, _e) in r if code == "13-1111.00")
    assert n_orphans == 2 * unknown
    assert n_reqs == len(r) - unknown


def test_cli_import_builds_the_text_indexes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`data import` ends by building what the first CV read needs (cached on disk), so that
    the first `profile` on the store only loads it."""
    import os

    from skillpath.cli import main

    cache = Path(os.environ["SKILLPATH_CACHE_DIR"])
    db = str(tmp_path / "x.db")
    assert main(["--db", db, "data", "import", str(small_release(tmp_path / "rel"))]) == 0
    assert "building the text indexes" in capsys.readouterr().err
    assert list((cache / "role-index").glob("*.pkl")), "role index not cached"
    assert list((cache / "text-index").iterdir()), "skill linker not cached"
