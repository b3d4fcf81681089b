"""JSON Resume files as real people write them: deviations are read with a warning, not refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillpath.errors import InputError
from skillpath.profile._jsonresume import read_jsonresume


def _write(tmp_path: Path, doc: object) -> Path:
    p = tmp_path / "resume.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    return p


REAL_LIKE = {
    "basics": {
        "name": "Ada",
        "label": "Engineer",
        "location": {"postalCode": 12345},
        "profiles": None,
    },
    "work": [
        {"name": "Acme", "position": "Lead developer", "startDate": "2021-03", "endDate": ""},
        {
            "name": "Initech",
            "position": "Developer",
            "startDate": "Jan 2018",
            "endDate": "2021-02-15",
            "highlights": None,
        },
        {"name": "Globex", "position": "Intern", "startDate": "2017-06", "endDate": "Present"},
        "Freelance web work",
    ],
    "education": [
        {
            "institution": "MIT",
            "area": "CS",
            "studyType": "BSc",
            "startDate": "2013",
            "endDate": None,
            "score": 3.8,
            "courses": "Algorithms, Databases",
        }
    ],
    "skills": [{"name": "Python", "keywords": "Django, Flask"}],
}


def test_common_deviations_are_read_with_warnings(tmp_path: Path) -> None:
    p = read_jsonresume(_write(tmp_path, REAL_LIKE))
    by_org = {x.organisation: x for x in p.positions}
    assert by_org["Acme"].current and by_org["Acme"].end is None
    assert by_org["Globex"].current
    assert not by_org["Initech"].current and by_org["Initech"].start is not None
    assert by_org["Initech"].start.year == 2018 and by_org["Initech"].start.month == 1
    assert p.skills[0].keywords == ("Django", "Flask")
    assert [c.name for c in p.courses] == ["Algorithms", "Databases"]
    w = "\n".join(p.warnings)
    assert "work[0].endDate is '': read as ongoing" in w
    assert "education[0].endDate is None: read as ongoing" in w
    assert "work[1].startDate 'Jan 2018' read as 2018-01" in w
    assert "work[3] ignored" in w
    assert "skills[0].keywords is one text" in w


@pytest.mark.parametrize("end", ["", None, "present", "Current"])
def test_current_job_end_date_forms(tmp_path: Path, end: object) -> None:
    doc = {"work": [{"name": "Acme", "position": "Dev", "startDate": "2020-01", "endDate": end}]}
    p = read_jsonresume(_write(tmp_path, doc))
    assert p.positions[0].current and any("ongoing" in w for w in p.warnings)


def test_only_unreadable_documents_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="JSON object"):
        read_jsonresume(_write(tmp_path, [1, 2]))
    with pytest.raises(InputError, match="none of the JSON Resume sections"):
        read_jsonresume(_write(tmp_path, {"work": "nothing", "foo": 1}))
    valid = {
        "basics": {"name": "B"},
        "work": [{"name": "X", "position": "Y", "startDate": "2020-01-01"}],
    }
    assert read_jsonresume(_write(tmp_path, valid)).warnings == ()
