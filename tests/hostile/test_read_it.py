"""Inputs the audit saw refused or misnamed that must be read (or named for what they are)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillpath.errors import InputError
from skillpath.profile import read_cv

from . import _files as F

CV = "Ann Smith\n\nExperience\nSoftware developer, Acme, 2019 - 2023\n\nSkills\nPython, SQL\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_text_cv_is_read(tmp_path: Path, codec: str) -> None:
    p = tmp_path / "cv.txt"
    p.write_bytes(CV.encode(codec))
    prof = read_cv(p)
    assert prof.format == "text"
    assert any("developer" in pos.title.lower() for pos in prof.positions)
    assert any(s.name == "Python" for s in prof.skills)


def test_utf16_json_resume_is_read(tmp_path: Path) -> None:
    doc = {"basics": {"name": "Zoë Ångström"}, "work": [{"name": "Acme", "position": "Nurse"}]}
    p = tmp_path / "cv.json"
    p.write_bytes(json.dumps(doc, ensure_ascii=False).encode("utf-16"))
    prof = read_cv(p)
    assert prof.name == "Zoë Ångström"


def test_docx_without_document_part_is_called_a_docx(tmp_path: Path) -> None:
    p = tmp_path / "cv.docx"
    p.write_bytes(F.zip_bytes({"[Content_Types].xml": "<Types/>", "word/styles.xml": "<x/>"}))
    with pytest.raises(InputError) as ei:
        read_cv(p)
    msg = str(ei.value)
    assert "word/document.xml" in msg and "LinkedIn" not in msg


def test_binary_is_still_binary(tmp_path: Path) -> None:
    p = tmp_path / "cv.txt"
    p.write_bytes(b"\x00\x01\x02\x03" + F.noise(512))
    with pytest.raises(InputError, match="binary"):
        read_cv(p)
