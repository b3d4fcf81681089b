"""The CLI forms scripts rely on (contract)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skillpath.cli import main


def test_cli_contract(
    tmp_path: Path,
    png_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SKILLPATH_DB", str(tmp_path / "cli.db"))
    assert (
        main(
            [
                "portfolio",
                "add",
                "--kind",
                "artefact",
                "--title",
                "T",
                "--skill",
                "SQL",
                "--file",
                str(png_file),
                "--visibility",
                "public",
            ]
        )
        == 0
    )
    item_id = capsys.readouterr().out.strip()
    assert re.fullmatch(r"[0-9a-f-]{36}", item_id)
    for proof in ("ldp", "jwt"):
        out = tmp_path / f"b-{proof}"
        assert (
            main(
                [
                    "badge",
                    "issue",
                    "--evidence",
                    item_id,
                    "--name",
                    "N",
                    "--proof",
                    proof,
                    "--out",
                    str(out),
                ]
            )
            == 0
        )
        capsys.readouterr()
        assert main(["badge", "verify", str(out), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["valid"] is True
    bad = tmp_path / "bad.json"
    bad.write_text((tmp_path / "b-ldp").read_text().replace('"name": "N"', '"name": "M"'))
    assert main(["badge", "verify", str(bad)]) == 1
    assert main(["portfolio", "export", str(tmp_path / "p.zip")]) == 0
    monkeypatch.setenv("SKILLPATH_DB", str(tmp_path / "fresh.db"))
    assert main(["portfolio", "import", str(tmp_path / "p.zip")]) == 0
    assert main(["portfolio", "list", "--json"]) == 0
    capsys.readouterr()
    assert main(["portfolio", "site", str(tmp_path / "site")]) == 0
    assert (tmp_path / "site" / "index.html").is_file()
    assert main(["portfolio", "add", "--kind", "nonsense", "--title", "T"]) == 2
    assert main(["badge", "verify", str(tmp_path / "missing.json")]) == 2
