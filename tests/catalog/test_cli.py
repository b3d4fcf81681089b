"""``skillpath catalog ...`` through ``skillpath.cli.main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillpath.cli import main


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, linker) -> str:  # type: ignore[no-untyped-def]
    import skillpath.catalog._tagging as tagging

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("SKILLPATH_DB", url)
    real = tagging.tag_catalog
    monkeypatch.setattr(
        tagging,
        "tag_catalog",
        lambda store, **kw: real(store, linker=linker, force=kw.get("force", False)),
    )
    import skillpath.catalog as cat

    monkeypatch.setattr(cat, "tag_catalog", tagging.tag_catalog)
    return url


def test_import_tag_search_show_export(
    db: str, acme: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f, m = acme
    assert (
        main(["catalog", "import", str(f), "--preset", "generic", "--mapping", str(m), "--no-tag"])
        == 0
    )
    assert "acme.csv" in capsys.readouterr().out
    assert main(["catalog", "tag"]) == 0
    assert "tagged 3 courses" in capsys.readouterr().err
    assert main(["catalog", "search", "python data analysis", "--max-hours", "40", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["course"]["id"] == "acme:A1" and hits[0]["course"]["skills"]
    assert main(["catalog", "search", "guitar", "--free"]) == 0
    assert "acme:A3" in capsys.readouterr().out
    assert main(["catalog", "show", "acme:A1"]) == 0
    out = capsys.readouterr().out
    assert "Skills taught" in out and "Prerequisites" in out
    target = tmp_path / "cat.json"
    assert main(["catalog", "export", "--json", "--out", str(target)]) == 0
    doc = json.loads(target.read_text())
    assert doc["count"] == 3 and doc["version"] == "1.0"
    assert main(["catalog", "imports", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["counts"]["inserted"] == 3


def test_bad_input_exits_2(
    db: str, acme: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f, _ = acme
    assert main(["catalog", "import", str(f), "--preset", "generic"]) == 2
    assert "needs --mapping" in capsys.readouterr().err
    assert main(["catalog", "import", str(tmp_path / "nothing.csv"), "--preset", "udemy"]) == 2
    assert main(["catalog", "show", "nope:1"]) == 2
    assert main(["catalog", "search", "x"]) == 2
    assert "catalogue is empty" in capsys.readouterr().err


def test_rejected_rows_are_listed(
    db: str, acme: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, m = acme
    bad = tmp_path / "neg.csv"
    bad.write_text("code,name,about,hours,cost,level,link\nN1,Neg,x,1,-3,,\n", encoding="utf-8")
    assert main(["catalog", "import", str(bad), "--mapping", str(m), "--no-tag"]) == 0
    assert "rejected neg.csv row 2 column 'cost'" in capsys.readouterr().out
