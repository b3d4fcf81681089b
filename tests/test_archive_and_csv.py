"""The shared archive opener (bounded expansion) and the shared CSV reader (delimiter sniffed once)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from skillpath._archive import check_zip, open_zip
from skillpath._csv import read_csv, sniff_delimiter
from skillpath.errors import InputError


def _bomb(path: Path, member: str = "Occupation Data.txt", mb: int = 64) -> Path:
    """A small zip whose one member expands ~1000 times (zeros after a valid header)."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open(member, "w", force_zip64=True) as fh,
    ):
        fh.write(b"O*NET-SOC Code\tTitle\tDescription\n")
        block = b"\0" * (1 << 20)
        for _ in range(mb):
            fh.write(block)
    return path


def test_open_zip_refuses_a_bomb_before_decompressing(tmp_path: Path) -> None:
    z = _bomb(tmp_path / "bomb.zip")
    assert z.stat().st_size < 1 << 20
    with pytest.raises(InputError, match="zip bomb") as ei:
        open_zip(z)
    assert str(z) in str(ei.value) and "Occupation Data.txt" in str(ei.value)
    with pytest.raises(InputError, match="zip bomb"):
        check_zip(z.read_bytes(), display="x.xlsx")


def test_total_size_cap_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "ok.zip"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.csv", os.urandom(3 << 20))  # incompressible: ratio 1
    with open_zip(p) as zf:
        assert zf.read("a.csv")[:0] == b""
    monkeypatch.setenv("SKILLPATH_MAX_UNPACKED_MB", "2")
    with pytest.raises(InputError, match="more than the 2 MB accepted"):
        open_zip(p)


def test_small_highly_compressible_members_are_fine(tmp_path: Path) -> None:
    p = tmp_path / "ok.zip"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("blank.txt", b" " * 500_000)  # 1000x, but under the 1 MiB floor
    with open_zip(p) as zf:
        assert [i.filename for i in zf.files()] == ["blank.txt"]


def test_real_archives_pass(data_dir: Path) -> None:
    for p in [
        data_dir / "catalogs" / "coursera_ratings.zip",
        *sorted((data_dir / "onet").glob("*.xlsx")),
    ]:
        check_zip(p)


def test_every_archive_reader_refuses_a_bomb(tmp_path: Path) -> None:
    from skillpath.catalog._quality import read_ratings
    from skillpath.catalog._sources import read_rows as catalog_rows
    from skillpath.portfolio._portability import import_zip
    from skillpath.profile._linkedin import read_linkedin
    from skillpath.store import open_store
    from skillpath.taxonomy import import_paths

    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    with pytest.raises(InputError, match="zip bomb"):
        import_paths(store, [_bomb(tmp_path / "db_29_0_text.zip")])
    with pytest.raises(InputError, match="zip bomb"):
        read_ratings(_bomb(tmp_path / "coursera_ratings.zip", "ratings.csv"))
    with pytest.raises(InputError, match="zip bomb"):
        catalog_rows(_bomb(tmp_path / "courses.xlsx", "xl/worksheets/sheet1.xml"))
    with pytest.raises(InputError, match="zip bomb"):
        import_zip(store, _bomb(tmp_path / "portfolio.zip", "manifest.json"), blobs=None)
    with pytest.raises(InputError, match="zip bomb"):
        read_linkedin(_bomb(tmp_path / "linkedin.zip", "Positions.csv"))


def test_data_import_of_a_bomb_exits_2_fast(tmp_path: Path) -> None:
    exe = shutil.which("skillpath", path=str(Path(sys.executable).parent)) or shutil.which(
        "skillpath"
    )
    if exe is None:
        pytest.skip("the skillpath console script is not installed")
    z = _bomb(tmp_path / "db_29_0_text.zip", mb=256)
    proc = subprocess.run(
        [exe, "data", "import", str(z)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SKILLPATH_DB": str(tmp_path / "s.db")},
    )
    assert proc.returncode == 2, proc.stderr
    assert "zip bomb" in proc.stderr and "Traceback" not in proc.stderr + proc.stdout


# --- the shared CSV reader -------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", "\t", ";", "|"])
def test_sniffed_delimiter(sep: str) -> None:
    lines = [sep.join(["learner", "course", "time"]) + "\n", sep.join(["u1", "c,1", "2024"]) + "\n"]
    if sep == ",":
        lines[1] = 'u1,"c,1",2024\n'
    assert sniff_delimiter(lines) == sep
    t = read_csv("".join(lines).encode(), file="x")
    assert t.header == ["learner", "course", "time"] and next(t.rows) == (2, ["u1", "c,1", "2024"])


def test_preference_breaks_ties_only() -> None:
    assert sniff_delimiter(["a\tb\n", "1\t2\n"], prefer=",") == "\t"
    assert sniff_delimiter(["a,b\tc\n", "1,2\t3\n"], prefer="\t") == "\t"
    assert sniff_delimiter(["title\n", "x\n"], prefer="\t") == "\t"


def test_rows_are_spreadsheet_rows_and_errors_name_them(tmp_path: Path) -> None:
    t = read_csv(b'a,b\n"multi\nline",1\n\nx,2\n', file="m.csv")
    assert list(t.rows) == [(2, ["multi\nline", "1"]), (4, ["x", "2"])]
    with pytest.raises(InputError, match="byte 0xe9") as ei:
        list(
            read_csv(b"a,b\n" + b"x,1\n" * 80 + "Jos\xe9,2\n".encode("latin-1"), file="l.csv").rows
        )
    assert ei.value.row == 82 and ei.value.file == "l.csv"
    with pytest.raises(InputError, match="empty"):
        read_csv(b"\n\n", file="e.csv")
    t = read_csv("a,b\n1,2\n".encode("utf-16"), file="u.csv")
    assert t.header == ["a", "b"] and list(t.rows) == [(2, ["1", "2"])]


def test_tsv_events_file_is_read(tmp_path: Path) -> None:
    from skillpath.recommend import read_events_csv

    p = tmp_path / "events.tsv"
    p.write_text(
        "learner\tcourse\ttime\tevent\nu1\tc1\t2024-01-02\tcompleted\nu2\tc2\t2024-01-03\tenrolled\n",
        encoding="utf-8",
    )
    events = list(read_events_csv(p))
    assert [(e.learner, e.course) for e in events] == [("u1", "c1"), ("u2", "c2")]
    p2 = tmp_path / "events.csv"
    p2.write_text("learner;course\nu1;c1\n", encoding="utf-8")
    assert [(e.learner, e.course) for e in read_events_csv(p2)] == [("u1", "c1")]
