"""``skillpath skills link`` through ``skillpath.cli.main``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillpath.cli import main
from skillpath.text import Concept, build_linker

LINKER = build_linker(
    [
        Concept("uri:k8s", "Kubernetes"),
        Concept("uri:py", "Python (computer programming)", ("Python",)),
        Concept("uri:acc", "accounting"),
    ],
    engine="lexical",
)


@pytest.fixture
def fake_linker(monkeypatch: pytest.MonkeyPatch) -> None:
    import skillpath.cli._skills as cli_skills

    monkeypatch.setattr(cli_skills, "_linker", lambda engine: LINKER)


def test_link_json(fake_linker: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["skills", "link", "k8s and python", "--json", "--top", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [h["uri"] for h in out] == ["uri:k8s", "uri:py"]
    assert set(out[0]) == {"uri", "label", "score"}
    assert 0 <= out[0]["score"] <= 1


def test_link_table(fake_linker: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["skills", "link", "accounting"]) == 0
    assert "accounting" in capsys.readouterr().out


def test_link_input_file_one_json_line_per_line(
    fake_linker: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "in.txt"
    f.write_text("python\n\nbookkeeping and accounting\nnothing\n", encoding="utf-8")
    assert main(["skills", "link", "--input", str(f), "--top", "1"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["text"] for x in lines] == ["python", "", "bookkeeping and accounting", "nothing"]
    assert [[s["uri"] for s in x["skills"]] for x in lines] == [["uri:py"], [], ["uri:acc"], []]


@pytest.mark.parametrize(
    "args",
    [
        ["skills", "link"],
        ["skills", "link", "x", "--input", "in.txt"],
        ["skills", "link", "--input", "does-not-exist.txt"],
        ["skills", "link", "x", "--top", "0"],
        ["skills", "link", "x", "--engine", "magic"],
    ],
)
def test_bad_input_exits_2(fake_linker: None, args: list[str]) -> None:
    assert main(args) == 2


def test_nothing_imported_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "empty.db"), "skills", "link", "python"]) == 2
    assert "data import" in capsys.readouterr().err
