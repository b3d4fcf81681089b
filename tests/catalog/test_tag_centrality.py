"""Regression tests on the real catalogues and taxonomy: a course teaches a skill only when the
skill is central to it (issue 13's quoted outputs), and its language is known."""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import pytest

from skillpath.catalog._tagging import catalog_linker, tag_courses

pytestmark = pytest.mark.realdata


def _row(c: dict[str, str], *, edx: bool) -> SimpleNamespace:
    if edx:
        return SimpleNamespace(
            id="edx:" + c["title"],
            title=c["title"],
            subject=c["subject"],
            summary=c["summary"],
            description=c["course_description"],
            syllabus=c["course_syllabus"],
            prerequisites_text="",
            level=2.5,
            language=c["language"],
        )
    return SimpleNamespace(
        id="udemy:" + c["course_id"],
        title=c["course_title"],
        subject=c["subject"],
        summary="",
        description="",
        syllabus="",
        prerequisites_text="",
        level=2.5,
        language="",
    )


@pytest.fixture(scope="module")
def tagged(data_dir: Path, real_taxonomy):  # type: ignore[no-untyped-def]
    wanted = (
        "Piano Hand Coordination",
        "Ready for Production with Spring Boot Actuator",
        "How I Learned Stock Trading",
        "Technical Charting",
        "Create an E-commerce website without any coding",
        "La costruzione del budget",
        "Diversity and Social Justice in Social Work",
        "Learn Python",
        "Introduction to Financial Accounting",
        "Time Management",
    )
    rows = []
    with (data_dir / "catalogs" / "udemy_courses.csv").open(encoding="utf-8") as f:
        rows += [
            _row(c, edx=False)
            for c in csv.DictReader(f)
            if any(w in c["course_title"] for w in wanted)
        ]
    with (data_dir / "catalogs" / "edx_courses.csv").open(encoding="utf-8") as f:
        rows += [
            _row(c, edx=True) for c in csv.DictReader(f) if any(w in c["title"] for w in wanted)
        ]
    res = tag_courses(rows, catalog_linker(real_taxonomy))
    return {r.title: (res_i.skills, res_i.language) for r, res_i in zip(rows, res, strict=True)}


def _labels(tagged, prefix: str) -> set[str]:  # type: ignore[no-untyped-def]
    hits = [v for k, v in tagged.items() if prefix in k]
    assert hits, prefix
    return {s.label for s in hits[0][0]}


@pytest.mark.parametrize(
    ("title", "not_taught"),
    [
        ("Piano Hand Coordination", "Coordination"),
        ("Ready for Production with Spring Boot Actuator", "Time Management"),
        ("How I Learned Stock Trading", "Active Learning"),
        ("Technical Charting", "Writing"),
        ("Create an E-commerce website without any coding", "Programming"),
        ("Diversity and Social Justice in Social Work", "Programming"),
    ],
)
def test_a_shared_word_is_not_a_skill_taught(tagged, title: str, not_taught: str) -> None:  # type: ignore[no-untyped-def]
    assert not_taught not in _labels(tagged, title)


def test_central_skills_are_kept_and_quoted(tagged) -> None:  # type: ignore[no-untyped-def]
    assert "Spring Boot" in _labels(tagged, "Ready for Production with Spring Boot Actuator")
    py = [v for k, v in tagged.items() if k.startswith("Learn Python")]
    assert py and any("Python" in s.label for s in py[0][0])
    # the reason quotes the course's own words
    sk = next(s for s in py[0][0] if "Python" in s.label)
    assert sk.why.startswith('title: "Learn Python') or "Python" in sk.why.split("(")[0]


def _tag(tax, title: str, summary: str = "", subject: str = "Business") -> set[str]:  # type: ignore[no-untyped-def]
    """The labels the tagger gives one course the test writes (summary doubles as description)."""
    fields = {
        "summary": summary,
        "course_description": summary,
        "course_syllabus": "",
        "language": "English",
    }
    row = _row({"title": title, "subject": subject, **fields}, edx=True)
    (res,) = tag_courses([row], catalog_linker(tax))
    return {s.label for s in res.skills}


@pytest.mark.parametrize(
    ("title", "taught"),
    [
        # "X management" is about X: no bare "management" for the Knowledge area (decision 0148)
        ("Forex: Trade Management & Psychology", False),
        ("Bank Financial Management: A Comprehensive Study", False),
        ("Principles of Management", True),
        ("Business Administration for New Managers", True),
        # who the course is for is not what it teaches (decision 0151)
        ("Business Accounts For Managers", False),
        ("Introduction to Data Analytics for Managers", False),
    ],
)
def test_administration_and_management_needs_a_course_about_management(  # type: ignore[no-untyped-def]
    full_taxonomy, title: str, taught: bool
) -> None:
    assert ("Administration and Management" in _tag(full_taxonomy, title)) is taught


def test_course_language_is_detected(tagged) -> None:  # type: ignore[no-untyped-def]
    it = next(v for k, v in tagged.items() if "La costruzione del budget" in k)
    assert it[1][0] == "it" and it[1][2] == "detected"
    en = next(v for k, v in tagged.items() if "Technical Charting" in k)
    assert en[1][0] in ("en", "")


@pytest.mark.parametrize(
    ("title", "not_taught", "taught"),
    [
        ("Bitcoin for Accountants", "Economics and Accounting", None),
        ("How to Fix Common Branding Mistakes, for Graphic Designers", "graphic design", None),
        ("Statistics for Engineers", "Engineering and Technology", "statistics"),
        ("Accounting for Managers", "Administration and Management", "accounting"),
    ],
)
def test_the_audience_is_not_a_topic(  # type: ignore[no-untyped-def]
    full_taxonomy, title: str, not_taught: str, taught: str | None
) -> None:
    labels = _tag(full_taxonomy, title)
    assert not_taught not in labels
    assert taught is None or taught in labels


def test_a_device_noun_is_not_met_by_the_activity(full_taxonomy) -> None:  # type: ignore[no-untyped-def]
    """Decision 0153: "transformers" (electrical machines) is not "Transformation", and a gerund
    still names the activity of both ("Computing")."""
    assert "electrical machines" not in _tag(
        full_taxonomy, "Business Transformation with Google Cloud", subject=""
    )
    assert "electrical machines" not in _tag(
        full_taxonomy, "Leading transformations: Manage change", subject=""
    )
    assert "Computers and Electronics" in _tag(
        full_taxonomy, "Introduction to Cloud Computing", subject=""
    )


def test_the_programme_a_course_belongs_to_is_not_its_topic(full_taxonomy) -> None:  # type: ignore[no-untyped-def]
    """Decision 0153: "Part of the MITx MicroMasters program in Statistics and Data Science" says
    where the course belongs, not that it teaches statistics."""
    part = "Part of the MITx MicroMasters program in Statistics and Data Science."
    assert "statistics" not in _tag(full_taxonomy, "Electric Cars: Introduction", part, subject="")
    said = "Statistics and Data Science."
    assert "statistics" in _tag(full_taxonomy, "Electric Cars: Introduction", said, subject="")


@pytest.mark.parametrize(
    ("title", "summary", "taught"),
    [
        # the course's form, not its topic (decision 0155)
        ("QuickBooks 2015 Training for Newbies", "", False),
        ("HTML5 Specialist: Comprehensive HTML5 Training", "", False),
        ("Canva Graphics Design Essential Training", "", False),
        ("PyTorch Basics", "This course will teach you the fundamentals of PyTorch.", False),
        ("Landscape Ecology", "This is the first MOOC to teach Landscape Ecology.", False),
        ("Deep Learning", "Learn how to train these models using modern methods.", False),
        # training and teaching as the work itself
        ("Employee Training and Development", "", True),
        ("Designing Training Programs for the Workplace", "", True),
        ("Inclusive Teaching: Supporting All Students in the College Classroom", "", True),
    ],
)
def test_what_a_course_says_about_itself_is_not_its_topic(  # type: ignore[no-untyped-def]
    full_taxonomy, title: str, summary: str, taught: bool
) -> None:
    """Decision 0155: "Training" after a topic, "will teach you", "train these models" name the
    course's form (or machine learning), not Education and Training."""
    assert ("Education and Training" in _tag(full_taxonomy, title, summary, subject="")) is taught


def test_another_courses_quoted_title_is_not_evidence(full_taxonomy) -> None:  # type: ignore[no-untyped-def]
    """Decision 0155: a quoted title of another course in the series teaches nothing here."""
    series = (
        "Learn Agile controls for projects. Continue with one of the most popular courses in "
        'the series, "Agile Leadership Principles and Practices."'
    )
    assert "Management of Personnel Resources" not in _tag(
        full_taxonomy, "Agile Process Controls", series, subject=""
    )


@pytest.mark.parametrize(
    ("title", "label", "taught"),
    [
        # a course names the product, not always its vendor (decision 0156)
        ("Getting Started with Azure", "Microsoft Azure software", True),
        ("Photoshop for Beginners: Edit Your Photos", "Adobe Photoshop", True),
        ("Angular Masterclass", "Google Angular", True),
        # an edition word or a common word is no product name
        ("Learn to Play Piano: Beginner to Pro", "FileMaker Pro", False),
        ("Computing in Python III: Data Structures", "Surface III", False),
    ],
)
def test_a_product_name_without_its_vendor(  # type: ignore[no-untyped-def]
    full_taxonomy, title: str, label: str, taught: bool
) -> None:
    assert (label in _tag(full_taxonomy, title, subject="")) is taught
