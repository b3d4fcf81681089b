"""Advice a coach would sign, on the real data (issue 13's quoted outputs as regression tests):
gaps in the target's terms, feasible paths with Job Zones and degrees, honest milestones."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skillpath.cli import main

pytestmark = [pytest.mark.realdata, pytest.mark.slow]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cv"


@pytest.fixture(scope="module")
def db(full_store, data_dir: Path) -> str:  # type: ignore[no-untyped-def]
    from skillpath.catalog import import_path, tag_catalog

    import_path(full_store, data_dir / "catalogs")
    tag_catalog(full_store)
    return str(full_store.url)


def _plan(db: str, capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["--db", db, "plan", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _warehouse_to_logistician(db: str, capsys: pytest.CaptureFixture[str]) -> dict:
    return _plan(
        db,
        capsys,
        "--from",
        "laborers and freight, stock, and material movers, hand",
        "--target",
        "13-1081.00",
    )


def _gap_text(plan: dict) -> str:
    return " ".join(f"{g['label']} {' '.join(g['reasons'])}" for g in plan["gap"]["skills"]).lower()


def test_data_scientist_gap_names_programming_statistics_machine_learning(db: str, capsys) -> None:  # type: ignore[no-untyped-def]
    plan = _plan(db, capsys, "--cv", str(EXAMPLES / "data-analyst.txt"), "--target", "15-2051.00")
    text = _gap_text(plan)
    assert "statistic" in text
    assert any(k in text for k in ("tensorflow", "pytorch", "scikit", "machine learning"))
    labels = [g["label"] for g in plan["gap"]["skills"]]
    assert not any(
        label.startswith("Microsoft Office") for label in labels
    )  # not every gap is Office
    # O*NET's Knowledge area and Skill "Mathematics" are two gap entries: named apart
    assert len({label.casefold() for label in labels}) == len(labels)


def test_hr_manager_gap_names_law_compensation_recruitment(db: str, capsys) -> None:  # type: ignore[no-untyped-def]
    plan = _plan(
        db,
        capsys,
        "--from",
        "first-line supervisors of retail sales workers",
        "--target",
        "11-3121.00",
    )
    text = _gap_text(plan)
    assert "compensation" in text and "recruit" in text and ("law" in text or "legal" in text)


def test_generic_skills_are_closed_by_practice_not_by_unrelated_courses(db: str, capsys) -> None:  # type: ignore[no-untyped-def]
    plan = _warehouse_to_logistician(db, capsys)
    generic = {g["skill_id"] for g in plan["gap"]["skills"] if g["route"] == "practice"}
    for it in plan["items"]:
        if it["kind"] == "course":
            assert "Piano" not in it["title"]
            for cov in it["covers"]:
                if cov["skill_id"] in generic:  # only a course about exactly that skill
                    assert cov["label"].lower().split()[0] in it["title"].lower()
    assert not any("closes 100%" in r for it in plan["items"] for r in it["reasons"])
    for m in plan["milestones"]:
        assert "expected level" in m["text"] and "±" in m["text"]


def test_a_new_domain_is_studied_before_it_is_shown_in_a_portfolio(db: str, capsys) -> None:  # type: ignore[no-untyped-def]
    """A warehouse worker moving into logistics learns its Knowledge areas from the catalogue's
    supply chain courses (decision 0145: an introductory course ends above O*NET's everyday level
    2), and no portfolio project claims a Knowledge area no course in the plan teaches."""
    plan = _warehouse_to_logistician(db, capsys)
    courses = [it for it in plan["items"] if it["kind"] == "course"]
    assert any(re.search(r"supply chain|logistic", it["title"], re.I) for it in courses), [
        it["title"] for it in courses
    ]
    knowledge = {g["skill_id"] for g in plan["gap"]["skills"] if g["kind"] == "knowledge"}
    studied = {cv["skill_id"] for it in courses for cv in it["covers"]}
    for it in plan["items"]:
        if it["kind"] == "task" and it["stage"] == "create":
            for cv in it["covers"]:
                assert cv["skill_id"] not in knowledge or cv["skill_id"] in studied, it["title"]


def test_paths_from_registered_nurse_are_feasible_and_honest(db: str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", db, "paths", "--from", "registered nurse", "--top", "15", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    labels = [r["label"] for r in rows]
    assert "Nurse Practitioners" in labels
    np_row = rows[labels.index("Nurse Practitioners")]
    assert np_row["route_years"] > 0 and any(
        "formal route" in x and "Master" in x for x in np_row["reasons"]
    )
    for r in rows:
        if r["job_zone_step"] > 0:
            assert any("Job Zone" in x for x in r["reasons"]), r
        if r["label"] == "Physician Assistants":
            assert r["route_years"] > 0  # not "Physician Assistant in 20 h"
    # the manager of the nurse's own field (decision 0154), with the words that make it so
    assert "Medical and Health Services Managers" in labels
    mgr = rows[labels.index("Medical and Health Services Managers")]
    assert any(x.startswith("manages work like yours") and "nurs" in x for x in mgr["reasons"])


def test_paths_for_an_engineer_include_management(db: str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert (
        main(["--db", db, "paths", "--from", "software developers", "--top", "15", "--json"]) == 0
    )
    rows = json.loads(capsys.readouterr().out)
    labels = [r["label"] for r in rows]
    assert any(
        x in labels
        for x in (
            "Computer and Information Systems Managers",
            "Architectural and Engineering Managers",
        )
    )
    assert labels[0] != "Drafters, All Other"


BENCH_CVS = Path(__file__).resolve().parents[2] / "bench" / "advice_cvs"


def _recommend(db: str, capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["--db", db, "recommend", *args, "--json"]) == 0
    out = capsys.readouterr().out
    return json.loads(out[out.index("{") :])


def test_recommendations_for_a_data_scientist_are_about_data_science(db: str, capsys) -> None:  # type: ignore[no-untyped-def]
    """Decision 0142: only courses about the target's work are recommended (the quoted
    "Diversity and Social Justice in Social Work" for a DevOps move), each with a reason that
    quotes the course."""
    doc = _recommend(
        db, capsys, "--cv", str(EXAMPLES / "data-analyst.txt"), "--target", "15-2051.00"
    )
    recs = doc["recommendations"]
    assert len(recs) == 10
    words = ("data", "statistic", "machine learning", "python", "deep learning", "analytic")
    about = [r for r in recs if any(w in r["title"].lower() for w in words)]
    assert len(about) >= 8, [r["title"] for r in recs]
    assert not any("Social Work" in r["title"] or "Piano" in r["title"] for r in recs)
    for r in recs:
        texts = [x["text"] for x in r["reasons"]]
        assert any("the course says '" in t for t in texts), texts


def test_a_thin_catalogue_shows_fewer_courses_and_says_so(db: str, capsys) -> None:  # type: ignore[no-untyped-def]
    """The shared catalogues hold about four courses on human resources work: an HR specialist
    gets those, in English (the CV's language), and a note, not ten padded with Human Rights."""
    doc = _recommend(
        db,
        capsys,
        "--cv",
        str(BENCH_CVS / "admin-to-hr-specialist.md"),
        "--target",
        "13-1071.00",
    )
    recs = doc["recommendations"]
    assert 0 < len(recs) < 10
    assert "courses in the catalogue are about the work of" in doc["note"]
    assert not any("Human Rights" in r["title"] or "ressources" in r["title"] for r in recs)


def test_demo_plan_credits_management_courses_with_task_rubrics(
    db: str, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The README's demo move (a developer -> Computer and Information Systems Managers), with the
    default text engine a user gets: the courses it credits are about management work, not the
    role's web stack (Node.js, Spring); rubrics describe the task statement's work at the needed
    level, with O*NET's anchors."""
    pytest.importorskip("onnxruntime", reason="the default (hybrid) engine needs the encoder")
    monkeypatch.setenv("SKILLPATH_TEXT_ENGINE", "hybrid")
    plan = _plan(
        db,
        capsys,
        "--cv",
        str(EXAMPLES / "developer.resume.json"),
        "--target",
        "11-3021.00",
    )
    courses = [it for it in plan["items"] if it["kind"] == "course"]
    assert courses, "a manager's plan credits some course"
    for it in courses:
        assert not any(w in it["title"] for w in ("Node.js", "Spring", "Piano"))
        assert any("the course" in r for r in it["reasons"]), it["reasons"]
    tasks = [it for it in plan["items"] if it["kind"] != "course" and it.get("source_task")]
    assert tasks
    for it in tasks:
        rubric = " ".join(it["checkpoint"]["rubric"])
        assert "The work shows you" in rubric
        words = re.findall(r"[a-z]{5,}", it["source_task"].lower())[:3]
        assert all(w in rubric.lower() for w in words), (it["source_task"], rubric)
    reasons = {n["label"]: n["reason"] for n in plan["not_covered"]}
    if "Node.js" in reasons:  # said truthfully: courses exist, they are not about the work
        assert "not about the work of" in reasons["Node.js"] or "no course" in reasons["Node.js"]


def test_profile_weights_name_what_sets_the_work_apart(full_taxonomy) -> None:  # type: ignore[no-untyped-def]
    """Decision 0148: a technology few occupations list and a Knowledge area the target rates far
    above the median occupation weigh much; O*NET Skills and abilities, nothing; a technology
    every office uses, little."""
    from skillpath.plan._relevance import profile_weights

    tax = full_taxonomy
    w = profile_weights(tax, tax.get_occupation("29-2072.00"))  # Medical Records Specialists
    label = {k: tax.skills[k].label for k in w if k in tax.skills}
    rare = [k for k in w if k.startswith("onet-tech:") and "ehr" in label.get(k, "").lower()]
    excel = w.get("onet-tech:microsoft-excel", 0.0)
    assert rare and max(w[k] for k in rare) > 0.7 and excel < 0.2 < min(w[k] for k in rare)
    assert "onet:2.A.1.a" not in w and "onet:2.B.1.a" not in w  # Reading, Social Perceptiveness
    knowledge = {
        k: v for k, v in w.items() if getattr(tax.skills.get(k), "kind", "") == "knowledge"
    }
    assert knowledge and max(knowledge.values()) > 0.3
    assert all(0.0 <= v <= 1.0 for v in w.values())


def test_who_a_course_is_for_is_not_what_it_is_about(db: str) -> None:
    """Decision 0157: "Business Accounts For Managers" is not about the work of a food service
    manager because both say "managers"; "Food & Beverage Management" is."""
    from skillpath.catalog import load_catalog
    from skillpath.plan._relevance import ABOUT, relevance_features, target_relevance
    from skillpath.store import open_store
    from skillpath.taxonomy import Taxonomy

    store = open_store(db)
    tax = Taxonomy.load(store)
    courses = [c for c in load_catalog(store) if (c.language or "en").startswith("en")]
    food = tax.get_occupation("11-9051.00")
    i = [c.title for c in courses].index("Business Accounts For Managers")
    assert relevance_features(tax, food, courses)[i, 0] == 0.0  # no word shared with the work
    p = target_relevance(tax, food, courses)
    by_title = {c.title: p[c.id] for c in courses}
    assert by_title["Business Accounts For Managers"] < ABOUT
    assert by_title["Food & Beverage Management"] >= ABOUT
    # about a financial manager's work it still is
    assert target_relevance(tax, tax.get_occupation("11-3031.00"), courses)[courses[i].id] >= ABOUT


def _english(store):  # type: ignore[no-untyped-def]
    from skillpath.catalog import load_catalog
    from skillpath.catalog._language import language_code

    return [c for c in load_catalog(store) if language_code(c.language or "en") in ("en", "")]


def test_what_a_course_does_without_is_not_what_it_is_about(db: str) -> None:
    """A WordPress course "With No Coding" shared "coding" with the medical coders' titles, and
    the recommendation said it was about a medical records specialist's work (coding), quoting
    "...With No Coding". What a course says it does without is no evidence of its topic
    (decision 0163)."""
    from skillpath.plan._relevance import _index, relevance_reasons
    from skillpath.store import open_store
    from skillpath.taxonomy import Taxonomy

    store = open_store(db)
    tax = Taxonomy.load(store)
    courses = _english(store)
    records = tax.get_occupation("29-2072.00")
    titles = [c.title for c in courses]
    no_code = titles.index("Develop a Professional OnePage WordPress site With No Coding")
    coding = titles.index("Coding for Entrepreneurs Basic")
    idx = _index(tax, courses, records.taxonomy)
    term = idx.vec.vocabulary_["coding"]
    # "coding" is not read once "No Coding" is; a course about coding still has the word
    assert idx.C[no_code, term] == 0.0 and idx.C[coding, term] > 0.0
    why = relevance_reasons(tax, records, courses, [courses[no_code].id])
    assert "coding" not in why.get(courses[no_code].id, "").split(":")[0].lower()


def test_a_shared_word_counts_in_the_targets_sense(db: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Decision 0164: "coding" is in the medical coders' titles and in every programming course;
    the programming courses are not about a medical records specialist's work, the health
    information ones are, and a coding course stays about programmers' work."""
    pytest.importorskip("onnxruntime", reason="a word's sense is read through meaning")
    monkeypatch.setenv("SKILLPATH_TEXT_ENGINE", "hybrid")  # (the shipped default)
    from skillpath.catalog import load_catalog
    from skillpath.plan._relevance import ABOUT, target_relevance
    from skillpath.store import open_store
    from skillpath.taxonomy import Taxonomy

    store = open_store(db)
    tax = Taxonomy.load(store)
    courses = load_catalog(store)  # the whole catalogue, as a plan reads it
    p = target_relevance(tax, tax.get_occupation("29-2072.00"), courses)
    by_title = {c.title: c.id for c in courses}
    for title in (
        "Coding for Entrepreneurs Basic",
        "Introduction to Coding with Ruby",
        "Coding for Entrepreneurs: Learn Python, Django, and More.",
    ):
        assert p[by_title[title]] < ABOUT, (title, p[by_title[title]])
    assert p[by_title["Health Informatics for better and safer healthcare"]] >= ABOUT
    programmers = target_relevance(tax, tax.get_occupation("15-1251.00"), courses)
    assert (
        programmers[by_title["Coding for Entrepreneurs: Learn Python, Django, and More."]] >= ABOUT
    )


def test_a_course_about_a_work_activity_is_credited_for_it(db: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Decision 0158: IT support -> Information Security Analysts. The security activities of the
    gap ("Implement security measures for computer or information systems") are credited to a
    course about information security, quoting the course's own words; a course that shares no
    word of an activity's subject is credited for none."""
    pytest.importorskip("onnxruntime", reason="activities are matched by meaning too")
    monkeypatch.setenv("SKILLPATH_TEXT_ENGINE", "hybrid")
    cv = Path(__file__).resolve().parents[2] / "bench" / "advice_cvs" / "it-support-to-security.md"
    plan = _plan(db, capsys, "--cv", str(cv), "--target", "15-1212.00")
    acts = {g["skill_id"]: g["label"] for g in plan["gap"]["skills"] if g["relation"] == "activity"}
    assert any("security" in label.lower() for label in acts.values())
    credited = [
        (it, cv)
        for it in plan["items"]
        if it["kind"] == "course"
        for cv in it["covers"]
        if cv["skill_id"] in acts
    ]
    assert credited, "some course teaches a security activity of the gap"
    for it, cover in credited:
        assert "security" in it["title"].lower(), it["title"]
        said = " ".join(it["reasons"])
        assert f"({acts[cover['skill_id']]})" not in said  # the course's words, not the label's
        assert "(security" in said or ", security" in said, said


def test_a_training_course_is_not_about_developing_training(db: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Decision 0158: "Futures/Commodity Training (Basics)" is a training course, not one about the
    training specialist's "Develop training materials": the word that names what a course is
    (the tagger's evidence filter, decision 0155) is no evidence of its subject."""
    pytest.importorskip("onnxruntime", reason="activities are matched by meaning too")
    monkeypatch.setenv("SKILLPATH_TEXT_ENGINE", "hybrid")
    from skillpath.catalog import load_catalog
    from skillpath.plan import analyse_gap, learner_from_cv
    from skillpath.plan._relevance import activity_tags, target_relevance
    from skillpath.store import open_store
    from skillpath.taxonomy import Taxonomy

    store = open_store(db)
    tax = Taxonomy.load(store)
    courses = load_catalog(store)
    cv = Path(__file__).resolve().parents[2] / "bench" / "advice_cvs"
    learner = learner_from_cv(tax, cv / "teacher-to-training-specialist.md")
    target = tax.get_occupation("13-1151.00")
    gap = analyse_gap(tax, target, learner.levels, learner.sds, current=learner.current)
    assert any(g.relation == "activity" and "training" in g.label.lower() for g in gap.skills)
    tags = activity_tags(tax, target, gap.skills, courses, target_relevance(tax, target, courses))
    by_id = {c.id: c.title for c in courses}
    for cid, found in tags.items():
        for t in found:
            assert not t.why.endswith("(training)"), (by_id[cid], t.label, t.why)


def test_a_work_activity_a_course_teaches_is_shown_in_a_portfolio_only_after_it(
    db: str, capsys, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Decision 0165: when a course about the target's work teaches one of the gap's work
    activities, the portfolio project for that activity follows the course: an office
    administrator who wants to become an HR specialist gets a recruiting course for the
    recruitment activity, not only an exercise, a task at work and a portfolio project."""
    pytest.importorskip("onnxruntime", reason="activities are matched by meaning too")
    monkeypatch.setenv("SKILLPATH_TEXT_ENGINE", "hybrid")
    cv = tmp_path / "cv.md"
    cv.write_text(
        "# Dana Whitfield\n\nOffice Administrator\n\n## Experience\n\n"
        "### Office Administrator - Harbour Logistics\nMar 2019 - present\n"
        "- Keep the office running: post, supplies, meeting rooms and travel bookings.\n"
        "- Maintain staff files and enter timesheets for payroll.\n\n"
        "### Receptionist - City Dental\nJun 2016 - Feb 2019\n"
        "- Greeted patients, answered phones and booked appointments.\n\n"
        "## Skills\n\nMicrosoft Word, Excel, Outlook, scheduling\n",
        encoding="utf-8",
    )
    plan = _plan(db, capsys, "--cv", str(cv), "--target", "13-1071.00")
    acts = {g["skill_id"] for g in plan["gap"]["skills"] if g["relation"] == "activity"}
    order = {it["id"]: k for k, it in enumerate(plan["items"])}
    taught = {
        cover["skill_id"]: it["id"]
        for it in plan["items"]
        if it["kind"] == "course"
        for cover in it["covers"]
        if cover["skill_id"] in acts
    }
    assert taught, "a course teaches a work activity of the gap"
    for it in plan["items"]:
        if it["kind"] != "course" and it.get("stage") == "create":
            for cover in it["covers"]:
                if cover["skill_id"] in taught:
                    assert order[taught[cover["skill_id"]]] < order[it["id"]], it["title"]
