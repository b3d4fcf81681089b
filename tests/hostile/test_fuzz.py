"""Fuzzing (Hypothesis, bounded) of the CV readers, the badge verifier and the catalogue parser.

The property is the one the CLI needs: whatever the bytes, a reader returns a result or raises
:class:`~skillpath.errors.InputError` (one clear line, exit 2). Any other exception is a
traceback for a user. Inputs are random bytes and, more usefully, valid files of each format
with random damage (bytes overwritten, cut short, parts replaced), so the fuzzer gets past the
first magic-number check into the parsers proper. Each test is bounded by ``max_examples``.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillpath._safejson import MAX_DEPTH, json_depth, loads_json
from skillpath.errors import InputError

from . import _files as F

pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4)
    ),
    max_leaves=30,
)


@st.composite
def damaged(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with a few random edits: overwrite, insert, delete, or cut short."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        op = draw(st.sampled_from(["overwrite", "insert", "delete", "truncate"]))
        i = draw(st.integers(0, len(data) - 1))
        if op == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=16))
            data[i : i + len(chunk)] = chunk
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[i : i + draw(st.integers(1, 32))]
        else:
            del data[i:]
    return bytes(data)


_SCRATCH = tempfile.TemporaryDirectory(prefix="skillpath-fuzz-")


def _write(suffix: str, data: bytes) -> Path:
    """Write one example's bytes (each example overwrites the last)."""
    p = Path(_SCRATCH.name) / f"input{suffix}"
    p.write_bytes(data)
    return p


# --- the depth check itself -------------------------------------------------------------------


def _depth(o: object) -> int:
    if isinstance(o, dict):
        return 1 + max((_depth(v) for v in o.values()), default=0)
    if isinstance(o, list):
        return 1 + max((_depth(v) for v in o), default=0)
    return 0


@FUZZ
@given(JSON, st.booleans())
def test_json_depth_is_exact(doc: object, ascii_only: bool) -> None:
    text = json.dumps(doc, ensure_ascii=ascii_only)
    assert json_depth(text) == _depth(doc)
    assert loads_json(text) == doc


@FUZZ
@given(st.integers(MAX_DEPTH + 1, 3 * MAX_DEPTH), st.sampled_from("[{"))
def test_too_deep_is_refused_before_parsing(depth: int, bracket: str) -> None:
    text = ('{"a":' * depth + "1" + "}" * depth) if bracket == "{" else "[" * depth + "]" * depth
    with pytest.raises(InputError, match="deeper than"):
        loads_json(text, file="f.json")


@FUZZ
@given(st.binary(max_size=300))
def test_loads_json_raises_only_input_error(data: bytes) -> None:
    with contextlib.suppress(InputError):
        loads_json(data, file="f.json")


# --- CV readers -------------------------------------------------------------------------------

_RESUME = F.jdump(
    {
        "basics": {"name": "Ann Smith", "label": "Developer"},
        "work": [{"name": "Acme", "position": "Software developer", "startDate": "2019-01"}],
        "skills": [{"name": "Python", "keywords": ["pandas"]}],
        "education": [{"institution": "Uni", "area": "CS", "startDate": "2014"}],
    }
)
_TEXT = b"Ann Smith\n\nExperience\nSoftware developer, Acme, 2019 - 2023\n\nSkills\nPython, SQL\n"
_CV_BASES: dict[str, bytes] = {
    ".json": _RESUME,
    ".txt": _TEXT,
    ".pdf": F.pdf_bytes(),
    ".docx": F.docx_bytes(),
    ".zip": F.zip_bytes(
        {
            "Profile.csv": "First Name,Last Name,Headline\nAnn,Smith,Developer\n",
            "Positions.csv": "Company Name,Title,Started On,Finished On\nAcme,Developer,Jan 2019,\n",
            "Skills.csv": "Name\nPython\n",
        }
    ),
}


def _read_cv_only_input_errors(path: Path) -> None:
    from skillpath.profile import read_cv

    with contextlib.suppress(InputError):
        read_cv(path)


@FUZZ
@given(st.sampled_from(sorted(_CV_BASES)), st.data())
def test_cv_readers_on_damaged_files(suffix: str, data: st.DataObject) -> None:
    _read_cv_only_input_errors(_write(suffix, data.draw(damaged(_CV_BASES[suffix]))))


@FUZZ
@given(
    st.sampled_from([".json", ".txt", ".md", ".pdf", ".docx", ".zip", ""]), st.binary(max_size=3000)
)
def test_cv_readers_on_random_bytes(suffix: str, data: bytes) -> None:
    _read_cv_only_input_errors(_write(suffix, data))


@FUZZ
@given(JSON)
def test_json_resume_of_any_shape(doc: Any) -> None:
    for shape in (doc, {"basics": doc}, {"work": doc}, {"work": [doc]}, {"skills": [doc]}):
        _read_cv_only_input_errors(_write(".json", json.dumps(shape).encode()))


@FUZZ
@given(st.text(max_size=400))
def test_docx_with_any_document_part(xml: str) -> None:
    _read_cv_only_input_errors(_write(".docx", F.docx_bytes(xml)))


# --- the badge verifier -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def credential() -> str:
    """An OB 3.0 credential issued by a fresh local issuer."""
    from skillpath.portfolio import add_evidence, issue_badge
    from skillpath.store import close_all, open_store

    store = open_store(f"sqlite:///{Path(_SCRATCH.name) / 'badge.db'}")
    try:
        item = add_evidence(store, kind="artefact", title="Dashboard")
        return issue_badge(store, evidence=[item.id], name="Dashboards").text
    finally:
        close_all()


def _verify_only_input_errors(data: bytes) -> Any:
    from skillpath.portfolio import verify_badge

    try:
        return verify_badge(data)
    except InputError:
        return None


@FUZZ
@given(st.data())
def test_verifier_on_damaged_credentials(credential: str, data: st.DataObject) -> None:
    raw = data.draw(damaged(credential.encode()))
    report = _verify_only_input_errors(raw)
    if report is not None and report.valid:
        # damage that leaves a valid credential must not have changed what it says
        assert json.loads(raw) == json.loads(credential)


@FUZZ
@given(JSON)
def test_verifier_on_any_json(doc: Any) -> None:
    for shape in (doc, {"@context": doc}, {"type": doc, "proof": doc}, {"credentialSubject": doc}):
        report = _verify_only_input_errors(json.dumps(shape).encode())
        assert report is None or not report.valid


@FUZZ
@given(st.sampled_from(["png", "svg", "jwt", "raw"]), st.binary(max_size=2000))
def test_verifier_on_containers_of_junk(kind: str, junk: bytes) -> None:
    if kind == "png":
        data = F.png_bytes(F.itxt("openbadgecredential", junk))
    elif kind == "svg":
        data = F.svg_bytes(assertion=junk.decode("latin-1").replace("]]>", ""))
    elif kind == "jwt":
        import base64

        b = base64.urlsafe_b64encode(junk).rstrip(b"=")
        data = b"eyJhbGciOiJFZERTQSJ9." + b + b"." + b[:40]
    else:
        data = junk
    report = _verify_only_input_errors(data)
    assert report is None or not report.valid


def test_tampered_name_never_verifies(credential: str) -> None:
    doc = json.loads(credential)
    doc["name"] = doc.get("name", "") + "!"
    report = _verify_only_input_errors(json.dumps(doc).encode())
    assert report is None or not report.valid


# --- the catalogue parser ---------------------------------------------------------------------

_CAT_BASES: dict[str, bytes] = {
    ".csv": b"code,name,hours,cost,link\nA1,Python,12,49,https://x.test/a1\nA2,SQL,3 weeks,$10,\n",
    ".tsv": b"code\tname\thours\nA1\tPython\t12\n",
    ".json": F.jdump(
        [{"code": "A1", "name": "Python", "hours": 12}, {"code": "A2", "name": "SQL"}]
    ),
    ".jsonl": b'{"code": "A1", "name": "Python"}\n{"code": "A2", "name": "SQL", "cost": "free"}\n',
    ".xlsx": F.xlsx_bytes(
        [["code", "name", "hours"], ["A1", "Python", 12], ["A2", "SQL", "3 weeks"]]
    ),
}


def _parse_catalogue(path: Path) -> None:
    from skillpath.catalog._importer import build_record
    from skillpath.catalog._sources import Mapping, read_rows

    mp = Mapping(
        provider="fz",
        columns={
            "id": "code",
            "title": "name",
            "duration": "hours",
            "price": "cost",
            "url": "link",
        },
    )
    try:
        _, rows = read_rows(path)
        for _, row in rows:
            with contextlib.suppress(ValueError):  # a rejected row, reported with its reason
                build_record(row, mp)
    except InputError:
        pass


@FUZZ
@given(st.sampled_from(sorted(_CAT_BASES)), st.data())
def test_catalogue_parser_on_damaged_files(suffix: str, data: st.DataObject) -> None:
    _parse_catalogue(_write(suffix, data.draw(damaged(_CAT_BASES[suffix]))))


@FUZZ
@given(
    st.lists(
        st.lists(
            st.text(max_size=12) | st.integers() | st.floats(allow_nan=True), min_size=5, max_size=5
        ),
        max_size=6,
    )
)
def test_catalogue_rows_of_any_values(rows: list[list[object]]) -> None:
    header = ["code", "name", "hours", "cost", "link"]
    _parse_catalogue(
        _write(".json", json.dumps([dict(zip(header, r, strict=True)) for r in rows]).encode())
    )
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows([header, *rows])
    _parse_catalogue(_write(".csv", buf.getvalue().encode()))
