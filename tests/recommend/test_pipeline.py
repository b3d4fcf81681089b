"""Re-ranking, the one-learner pipeline (cold start, reasons) and the CLI."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from skillpath.cli import main
from skillpath.recommend import (
    Blender,
    Filters,
    GapEntry,
    SuccessPath,
    SuccessPaths,
    mmr_rerank,
    passes,
    recommend_courses,
)


@dataclass(frozen=True)
class Tag:
    skill_id: str
    confidence: float
    level: float | None


@dataclass(frozen=True)
class Pre:
    kind: str
    ref: str


@dataclass(frozen=True)
class C:
    id: str
    title: str = ""
    skills: tuple[Tag, ...] = ()
    hours: float | None = None
    price: float | None = 0.0
    rating: float | None = None
    rating_count: int = 0
    is_free: bool = True
    provider: str = "edx"
    language: str = "en"
    prerequisites: tuple[Pre, ...] = field(default=())


def test_filters() -> None:
    paid = C("p", price=50, is_free=False, hours=40, provider="Udemy", language="es")
    assert passes(paid, Filters())
    assert not passes(paid, Filters(free=True))
    assert not passes(paid, Filters(max_hours=10))
    assert passes(paid, Filters(provider="udemy", language="es"))
    assert not passes(paid, Filters(language="en"))
    # names and codes alike, one test with the plan's (catalog._language.reads_language)
    assert passes(paid, Filters(language="Spanish")) and passes(paid, Filters(language="español"))
    assert passes(C("d", language="Deutsch"), Filters(language="de"))
    assert passes(C("u", language=""), Filters(language="de"))  # unknown passes


def test_mmr_diversifies_and_respects_prerequisites() -> None:
    scored = [("a1", 1.0), ("a2", 0.95), ("b1", 0.8), ("adv", 0.99), ("intro", 0.1)]
    skills = {"a1": ["x"], "a2": ["x"], "b1": ["y"], "adv": ["z"], "intro": ["z"]}
    plain = mmr_rerank(scored, k=3, skills=skills, diversity=0.0)
    assert [c for c, _ in plain] == ["a1", "adv", "a2"]
    div = mmr_rerank(scored, k=3, skills=skills, prerequisites={"adv": ["intro"]}, diversity=0.5)
    order = [c for c, _ in div]
    assert order[0] == "a1" and "a2" not in order[:2]
    assert "adv" not in order or order.index("intro") < order.index("adv")
    assert (
        mmr_rerank(scored, k=5, taken={"a1"}, prerequisites={"adv": ["intro"]}, diversity=0.0)[0][0]
        == "a2"
    )
    taken_pre = mmr_rerank(
        scored, k=2, prerequisites={"adv": ["intro"]}, taken={"intro"}, diversity=0.0
    )
    assert [c for c, _ in taken_pre] == ["a1", "adv"]


@settings(max_examples=40, deadline=None)
# Hypothesis found this one: scaled, the two tiny scores round to one value
@example({"a": 7.7e-301, "b": -5e-324, "c": 5e-324, "d": -2.2e-249}, 5, 0.0, set())
@given(
    st.dictionaries(
        st.text("abcdef", min_size=1, max_size=3), st.floats(-5, 5), min_size=1, max_size=20
    ),
    st.integers(1, 10),
    st.floats(0, 1),
    st.sets(st.text("abcdef", min_size=1, max_size=3), max_size=5),
)
def test_mmr_invariants(
    scores: dict[str, float], k: int, diversity: float, taken: set[str]
) -> None:
    out = mmr_rerank(list(scores.items()), k=k, taken=taken, diversity=diversity)
    ids = [c for c, _ in out]
    assert len(ids) == len(set(ids)) and not set(ids) & taken
    assert len(ids) == min(k, len(set(scores) - taken))
    assert out == mmr_rerank(list(scores.items()), k=k, taken=taken, diversity=diversity)
    if diversity == 0:
        assert [s for _, s in out] == sorted((s for _, s in out), reverse=True)


CATALOGUE = [
    C(
        "pm101",
        "Project Management Basics",
        (Tag("pm", 0.9, 4.0),),
        hours=10,
        rating=4.7,
        rating_count=12000,
    ),
    C("pm-adv", "Advanced PM", (Tag("pm", 0.9, 6.0),), hours=30, rating=4.2, rating_count=50),
    C("sql", "SQL for Everyone", (Tag("sql", 0.8, 4.0),), hours=8, rating=4.5, rating_count=900),
    C("art", "Art History", (Tag("art", 1.0, 4.0),), hours=5, rating=4.9, rating_count=100),
    C(
        "paid",
        "Paid PM",
        (Tag("pm", 1.0, 4.0),),
        hours=5,
        price=99,
        is_free=False,
        rating=3.0,
        rating_count=5,
    ),
]


def test_cold_start_from_a_gap_only_with_reasons() -> None:
    gap = {"pm": GapEntry(1.0, 4.0, 1.0), "sql": GapEntry(2.0, 4.0, 0.6)}
    recs = recommend_courses(
        CATALOGUE,
        gap=gap,
        skill_labels={"pm": "Project Management"},
        n=3,
        diversity=0.0,
        filters=Filters(free=True),
    )
    ids = [r.course for r in recs]
    assert set(ids[:2]) == {"pm101", "pm-adv"} and "paid" not in ids and "art" not in ids[:2]
    texts = {r.course: [x.text for x in r.reasons] for r in recs}
    # the plan's credit (decision 0167): a 10-hour course adds at most 0.6 ln(1 + 10/3) = 0.88
    # of the 3 levels (before: "closes 90 %"); the 30-hour one, at level 6 too far above the
    # learner, half of 3 levels x the trust of a 0.9 tag (0.75) = 1.13, under its cap of 1.44
    assert "closes 29% of your gap in Project Management" in texts["pm101"]
    assert "closes 38% of your gap in Project Management" in texts["pm-adv"]
    assert "rated 4.7 by 12,000 learners" in texts["pm101"]
    assert all(
        a.contribution >= b.contribution
        for r in recs
        for a, b in zip(r.reasons, r.reasons[1:], strict=False)
    )


def test_success_and_collaborative_reasons_and_taken() -> None:
    sp = SuccessPaths(
        "onet:11-3021.00", 50, 200, {"sql": SuccessPath("sql", 50, 21, 0.42, 0.135, 3.1)}
    )
    recs = recommend_courses(
        CATALOGUE,
        gap={"pm": (1.0, 4.0, 1.0)},
        taken=["pm101"],
        success=sp,
        target_label="Computer and Information Systems Managers",
        collaborative={"sql": 2.0, "art": 0.1},
        also_took={"sql": "Databases 1"},
        n=10,
    )
    assert "pm101" not in [r.course for r in recs]
    sql = next(r for r in recs if r.course == "sql")
    texts = {r.kind: r.text for r in sql.reasons}
    assert texts["success"] == (
        "taken by 42% of people who became Computer and Information Systems Managers, 3.1x the base rate"
    )
    assert texts["collaborative"] == "learners who took Databases 1 also took this"
    assert (
        sql.to_dict()["reasons"][0]["contribution"] >= sql.to_dict()["reasons"][-1]["contribution"]
    )


def test_blender_learns_weights() -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.random((400, 5))
    y = (x[:, 0] + 0.1 * rng.random(400) > 0.6).astype(int)
    w = Blender.fit(x, y).weights
    assert w["gap"] > abs(w["quality"])


def test_cli_batch_and_errors(tmp_path: Path) -> None:
    ev = tmp_path / "ev.csv"
    rows = ["learner,course"] + [f"u{i},c{j}" for i in range(30) for j in range(i % 5, i % 5 + 4)]
    ev.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "recs.csv"
    assert (
        main(
            [
                "recommend",
                "batch",
                "--interactions",
                str(ev),
                "--model",
                "ease",
                "--top",
                "3",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    with out.open(encoding="utf-8") as fh:
        got = list(csv.DictReader(fh))
    assert set(got[0]) == {"learner", "rank", "course", "score"}
    taken = {(f"u{i}", f"c{j}") for i in range(30) for j in range(i % 5, i % 5 + 4)}
    assert not any((r["learner"], r["course"]) in taken for r in got)
    assert len(got) == 30 * 3
    assert (
        main(
            ["recommend", "batch", "--interactions", str(ev), "--model", "auto", "--out", str(out)]
        )
        == 0
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n", encoding="utf-8")
    assert main(["recommend", "batch", "--interactions", str(bad), "--out", str(out)]) == 2
    assert (
        main(
            ["recommend", "batch", "--interactions", str(ev), "--model", "magic", "--out", str(out)]
        )
        == 2
    )
    assert main(["recommend"]) == 2


def test_relevance_to_the_target_ranks_and_explains() -> None:
    """Decision 0141: with equal gap fit, the course about the target's work comes first, and its
    reason quotes the course's own text."""
    from types import SimpleNamespace

    def c(cid: str) -> SimpleNamespace:
        tag = SimpleNamespace(skill_id="s", confidence=0.9, level=4.0)
        return SimpleNamespace(
            id=cid, title=cid, skills=(tag,), hours=10, price=0, is_free=True, rating=None
        )

    courses = [c("piano"), c("payroll law")]
    recs = recommend_courses(
        courses,
        gap={"s": (1.0, 4.0, 1.0)},
        relevance={"piano": 0.05, "payroll law": 0.9},
        relevance_why={"payroll law": "about the work: the course says 'payroll law'"},
        diversity=0.0,
    )
    assert [r.course for r in recs] == ["payroll law", "piano"]
    assert any("the course says 'payroll law'" in x.text for x in recs[0].reasons)


def test_relevance_reasons_are_quoted_only_for_the_courses_shown() -> None:
    """Quoting is the costly part: with a function for ``relevance_why`` only the ranked courses
    are explained, once, and a course the function cannot explain has no empty reason."""
    from types import SimpleNamespace

    def c(cid: str) -> SimpleNamespace:
        tag = SimpleNamespace(skill_id="s", confidence=0.9, level=4.0)
        return SimpleNamespace(
            id=cid, title=cid, skills=(tag,), hours=10, price=0, is_free=True, rating=None
        )

    courses = [c(f"c{i}") for i in range(30)]
    asked: list[list[str]] = []

    def why(ids):  # type: ignore[no-untyped-def]
        asked.append(list(ids))
        return {i: f"the course says '{i}'" for i in ids if i != "c29"}

    recs = recommend_courses(
        courses,
        gap={"s": (1.0, 4.0, 1.0)},
        relevance={x.id: 0.5 + int(x.id[1:]) / 100 for x in courses},
        relevance_why=why,
        n=3,
        diversity=0.0,
    )
    assert [r.course for r in recs] == ["c29", "c28", "c27"]
    assert asked == [["c29", "c28", "c27"]]
    assert not any(x.kind == "relevance" for x in recs[0].reasons)  # not explained: not claimed
    assert any(x.text == "the course says 'c28'" for x in recs[1].reasons)


def test_a_full_gap_fit_is_an_estimate_not_a_promise() -> None:
    """Issue 13: "closes 100% of your gap" is never claimed from a course's stated level alone."""
    from types import SimpleNamespace

    tag = SimpleNamespace(skill_id="s", confidence=1.0, level=4.0)
    # long enough for its hours to allow the 3 levels (decision 0167)
    c = SimpleNamespace(
        id="x", title="x", skills=(tag,), hours=400, price=0, is_free=True, rating=None
    )
    recs = recommend_courses([c], gap={"s": (1.0, 4.0, 1.0)}, skill_labels={"s": "Leadership"})
    texts = [r.text for r in recs[0].reasons]
    assert not any("100%" in t for t in texts)
    assert any(t.startswith("may close your gap in Leadership (estimated") for t in texts)


def test_a_negligible_gap_fit_is_not_claimed() -> None:
    """ "closes 0% of your gap" was shown for a course tagged at the learner's own level."""
    from types import SimpleNamespace

    tag = SimpleNamespace(skill_id="s", confidence=1.0, level=1.1)
    c = SimpleNamespace(
        id="x", title="x", skills=(tag,), hours=40, price=0, is_free=True, rating=None
    )
    recs = recommend_courses([c], gap={"s": (1.0, 4.0, 1.0)}, skill_labels={"s": "Payroll"})
    assert not any("of your gap" in r.text for r in recs[0].reasons)


def test_a_course_on_what_the_learner_already_knows_ranks_below_and_says_so() -> None:
    """Decision 0152: "Introduction to Computer Programming" for a developer becoming an IT
    manager: every main topic is rated in the learner's profile at or above the course's level,
    so it keeps a quarter of its relevance and its reasons say why. A course with one main topic
    the profile does not rate may be new, and is not discounted."""
    from skillpath.recommend._signals import known_topics

    intro = C("intro", "Introduction to Computer Programming", (Tag("prog", 1.0, 2.5),))
    arch = C("arch", "Enterprise Architecture", (Tag("prog", 0.9, 2.5), Tag("ea", 0.9, 4.0)))
    levels = {"prog": 4.3}
    assert known_topics(intro, levels) and not known_topics(arch, levels)
    assert not known_topics(intro, {"prog": 2.0})  # below the course's level: it teaches
    rel = {"intro": 0.95, "arch": 0.7}
    recs = recommend_courses(
        [intro, arch], relevance=rel, levels=levels, skill_labels={"prog": "Programming"}
    )
    assert [r.course for r in recs] == ["arch", "intro"]
    why = " ".join(r.text for r in recs[1].reasons)
    assert "you already know its main topics (Programming 4.3 of the course's 2.5)" in why
    plain = recommend_courses([intro, arch], relevance=rel)
    assert [r.course for r in plain] == ["intro", "arch"]  # no profile: relevance alone
