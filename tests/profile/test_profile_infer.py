"""Inference: the level model's invariants, a known-answer toy taxonomy, and the real taxonomy."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillpath.profile import (
    Observation,
    Position,
    Profile,
    StatedSkill,
    combine,
    infer_profile,
    read_cv,
)
from skillpath.taxonomy import Occupation, Requirement, Skill
from skillpath.text import Concept, build_linker

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cv"
TODAY = date(2025, 6, 1)

# ------------------------------------------------------------------------- combine invariants

obs_st = st.builds(
    Observation,
    level=st.floats(-5, 12, allow_nan=False),
    sd=st.floats(0.05, 10, allow_nan=False),
    evidence=st.just("x"),
)


@given(st.lists(obs_st, max_size=12), st.floats(0, 7), st.floats(0.1, 5))
def test_combine_level_in_range_and_sd_positive(
    obs: list[Observation], prior: float, psd: float
) -> None:
    level, sd = combine(prior, psd, obs)
    assert 0.0 <= level <= 7.0
    assert 0.0 < sd <= psd + 1e-12


@given(st.lists(obs_st, max_size=10), obs_st)
def test_more_evidence_never_raises_uncertainty(obs: list[Observation], extra: Observation) -> None:
    _, sd_before = combine(2.0, 2.0, obs)
    _, sd_after = combine(2.0, 2.0, [*obs, extra])
    assert sd_after <= sd_before


def test_combine_moves_towards_evidence() -> None:
    level, sd = combine(2.0, 2.0, [Observation(6.0, 0.5, "strong")])
    assert 5.5 < level < 6.0 and sd < 0.5


# ------------------------------------------------------------------------- a toy taxonomy


class ToyTax:
    """The slice of the Taxonomy API inference uses."""

    def __init__(self) -> None:
        self.occupations = {
            "onet:dev": Occupation("onet:dev", "onet", "15-0000.00", "Software Developers",
                                   "Develop software applications."),
            "onet:nurse": Occupation("onet:nurse", "onet", "29-0000.00", "Registered Nurses",
                                     "Assess patients and provide nursing care."),
        }  # fmt: skip
        self.skills = {
            "onet:prog": Skill("onet:prog", "onet", "skill", "Programming"),
            "onet:speak": Skill("onet:speak", "onet", "skill", "Speaking"),
            "onet-tech:python": Skill("onet-tech:python", "onet", "technology", "Python", hot=True),
            "onet-tech:excel": Skill("onet-tech:excel", "onet", "technology", "Microsoft Excel"),
            "esco:care": Skill("esco:care", "esco", "esco-skill", "plan nursing care"),
        }
        self._reqs = {
            "onet:dev": [
                Requirement("onet:dev", "onet:prog", "rated", importance=4.5, level=5.0),
                Requirement("onet:dev", "onet:speak", "rated", importance=3.0, level=3.5),
                Requirement("onet:dev", "onet-tech:python", "technology", hot=True),
            ],
            "onet:nurse": [
                Requirement("onet:nurse", "onet:speak", "rated", importance=4.0, level=4.0)
            ],
        }

    def requirements(self, occupation_id: str) -> list[Requirement]:
        return list(self._reqs.get(occupation_id, []))

    def tasks(self, occupation_id: str) -> list[Any]:
        return []

    def all_titles(self) -> list[tuple[str, str, str]]:
        titles = [(o.label, o.id, "label") for o in self.occupations.values()]
        return [
            *titles,
            ("Software Engineer", "onet:dev", "alternate"),
            ("Programmer", "onet:dev", "alternate"),
            ("Staff Nurse", "onet:nurse", "alternate"),
            ("Charge Nurse", "onet:nurse", "alternate"),
        ]


@pytest.fixture(scope="module")
def toy() -> tuple[ToyTax, Any, Any]:
    tax = ToyTax()
    skills = build_linker(
        [Concept(s.id, s.label, s.alt_labels, "", s.kind) for s in tax.skills.values()],
        engine="lexical",
    )
    occs = build_linker(
        [
            Concept("onet:dev", "Software Developers", ("Software Engineer", "Programmer")),
            Concept("onet:nurse", "Registered Nurses", ("Staff Nurse", "Charge Nurse")),
        ],
        engine="lexical",
    )
    return tax, skills, occs


def _profile(*positions: Position, skills: tuple[StatedSkill, ...] = ()) -> Profile:
    return Profile(source="test", format="text", positions=positions, skills=skills)


DEV = Position("Software Engineer", "Acme", date(2019, 6, 1), None, True,
               "Built services in Python.", "job")  # fmt: skip


def test_toy_occupation_and_role_evidence(toy: tuple[ToyTax, Any, Any]) -> None:
    tax, sl, ol = toy
    state = infer_profile(_profile(DEV), tax, skill_linker=sl, occupation_linker=ol, today=TODAY)
    assert state.occupations[0].occupation_id == "onet:dev"
    assert state.occupations[0].current
    prog = state.get("onet:prog")
    assert prog is not None
    assert any(
        "years as Software Developers" in e and "Programming at level 5.0" in e
        for e in prog.evidence
    )
    python = state.get("onet-tech:python")
    assert python is not None and any(e.startswith("used in") for e in python.evidence)
    assert any("technology used by Software Developers" in e for e in python.evidence)
    assert set(state.levels) == {e.skill_id for e in state.estimates}


def test_longer_tenure_means_higher_level(toy: tuple[ToyTax, Any, Any]) -> None:
    tax, sl, ol = toy
    short = replace(DEV, start=date(2024, 6, 1))
    a = infer_profile(_profile(short), tax, skill_linker=sl, occupation_linker=ol, today=TODAY)
    b = infer_profile(_profile(DEV), tax, skill_linker=sl, occupation_linker=ol, today=TODAY)
    assert b.levels["onet:prog"] > a.levels["onet:prog"]
    assert b.sds["onet:prog"] < a.sds["onet:prog"]


def test_volunteering_counts_but_less(toy: tuple[ToyTax, Any, Any]) -> None:
    tax, sl, ol = toy
    vol = replace(DEV, kind="volunteer")
    a = infer_profile(_profile(vol), tax, skill_linker=sl, occupation_linker=ol, today=TODAY)
    b = infer_profile(_profile(DEV), tax, skill_linker=sl, occupation_linker=ol, today=TODAY)
    assert "onet:prog" in a.levels
    assert a.levels["onet:prog"] < b.levels["onet:prog"]


def test_stated_level_words_order(toy: tuple[ToyTax, Any, Any]) -> None:
    tax, sl, ol = toy
    levels = []
    for word in ("beginner", "intermediate", "advanced", "expert"):
        p = _profile(skills=(StatedSkill("Microsoft Excel", level=word),))
        state = infer_profile(p, tax, skill_linker=sl, occupation_linker=ol, today=TODAY)
        levels.append(state.levels["onet-tech:excel"])
    assert levels == sorted(levels)


SKILL_NAMES = ["Python", "Microsoft Excel", "Programming", "Speaking", "plan nursing care"]


@settings(max_examples=30, deadline=None)
@given(
    base=st.lists(st.sampled_from(SKILL_NAMES), max_size=4),
    extra=st.sampled_from(SKILL_NAMES),
    word=st.sampled_from([None, "beginner", "expert"]),
    years=st.integers(0, 15),
)
def test_estimate_invariants(toy: tuple[ToyTax, Any, Any], base: list[str], extra: str,
                             word: str | None, years: int) -> None:  # fmt: skip
    tax, sl, ol = toy
    pos = replace(DEV, start=date(TODAY.year - years, 1, 1))
    stated = tuple(StatedSkill(n, level=word) for n in base)
    a = infer_profile(
        _profile(pos, skills=stated), tax, skill_linker=sl, occupation_linker=ol, today=TODAY
    )
    more = (*stated, StatedSkill(extra, level=word))
    b = infer_profile(
        _profile(pos, skills=more), tax, skill_linker=sl, occupation_linker=ol, today=TODAY
    )
    for st_ in (a, b):
        for e in st_.estimates:
            assert 0.0 <= e.level <= 7.0 and e.sd > 0 and e.evidence
    for skill_id, sd in a.sds.items():  # more evidence never raises uncertainty
        assert b.sds[skill_id] <= sd + 1e-9


def test_inputs_not_mutated_and_state_immutable(toy: tuple[ToyTax, Any, Any]) -> None:
    tax, sl, ol = toy
    p = _profile(DEV)
    state = infer_profile(p, tax, skill_linker=sl, occupation_linker=ol, today=TODAY)
    assert p == _profile(DEV)
    with pytest.raises(AttributeError):
        state.estimates[0].level = 7.0  # type: ignore[misc]


# ------------------------------------------------------------------------- occupation votes

NURSE = Position("Staff Nurse", "City Hospital", date(2008, 1, 1), date(2009, 6, 1), False,
                 "Cared for patients on a medical ward.", "job")  # fmt: skip


def _ids(state: Any) -> list[str]:
    return [o.occupation_id for o in state.occupations]


def test_recent_long_position_outweighs_an_old_short_one(toy: tuple[ToyTax, Any, Any]) -> None:
    tax, sl, _ol = toy
    for order in ((DEV, NURSE), (NURSE, DEV)):  # the order the CV lists them in does not matter
        state = infer_profile(_profile(*order), tax, skill_linker=sl, today=TODAY)
        assert _ids(state)[:2] == ["onet:dev", "onet:nurse"], _ids(state)
    # the same two, the nursing years recent and long, the programming ones old and short
    old_dev = replace(DEV, start=date(2005, 1, 1), end=date(2005, 9, 1), current=False)
    long_nurse = replace(NURSE, start=date(2012, 1, 1), end=None, current=True)
    state = infer_profile(_profile(old_dev, long_nurse), tax, skill_linker=sl, today=TODAY)
    assert _ids(state)[0] == "onet:nurse"


def test_headline_is_read_as_a_title(toy: tuple[ToyTax, Any, Any]) -> None:
    tax, sl, _ol = toy
    p = replace(_profile(), headline="Charge Nurse | night shifts")
    state = infer_profile(p, tax, skill_linker=sl, today=TODAY)
    assert _ids(state)[0] == "onet:nurse"
    assert any("the headline 'Charge Nurse'" in e for e in state.occupations[0].evidence)
    # a sentence is no title
    p = replace(_profile(), headline="I love solving problems. Team player.")
    assert infer_profile(p, tax, skill_linker=sl, today=TODAY).occupations == ()


def test_a_name_line_that_is_a_title_is_the_headline(toy: tuple[ToyTax, Any, Any]) -> None:
    """Anonymised CVs print the title where the name would be ("KEY HOLDER", "CHARGE NURSE")."""
    tax, sl, _ol = toy
    state = infer_profile(
        replace(_profile(), name="CHARGE NURSE"), tax, skill_linker=sl, today=TODAY
    )
    assert _ids(state)[:1] == ["onet:nurse"]
    state = infer_profile(
        replace(_profile(), name="Ada Lovelace"), tax, skill_linker=sl, today=TODAY
    )
    assert state.occupations == ()


def test_a_cv_without_titles_is_read_from_its_text(toy: tuple[ToyTax, Any, Any]) -> None:
    tax, sl, _ol = toy
    text = "Ten years on hospital wards: assess patients, provide nursing care, give medication."
    state = infer_profile(replace(_profile(), text=text), tax, skill_linker=sl, today=TODAY)
    assert _ids(state)[0] == "onet:nurse"
    assert "reads like its description" in state.occupations[0].evidence[0]
    assert not state.occupations[0].titles and state.occupations[0].years == 0


def test_sentences_are_not_titles_and_titles_split() -> None:
    from skillpath.profile._infer import _reads_as_title, title_variants

    for t in ("Sr. Engineer", "R.N.", "iOS Developer", "Head of Mathematics", "eBay Seller"):
        assert _reads_as_title(t), t
    for t in ("Achieved a 5 star rating on YELP within the first year of business. The company",
              "I held a position among the top three", "the Center's website", ""):  # fmt: skip
        assert not _reads_as_title(t), t
    assert title_variants("Regional Account Manager   Acme Corp   Boston") == [
        "Regional Account Manager"
    ]
    v = title_variants("Finance Manager/ Operations Manager")
    assert "Finance Manager" in v and "Operations Manager" in v
    assert "Head Chef" in title_variants("Head Chef, Trattoria Verde")
    assert title_variants("Co-founder & CEO") == ["Co-founder & CEO"]


# ------------------------------------------------------------------------- the real taxonomy

EXPECTED = {
    "developer.resume.json": ("Software Developers", "Programming"),
    "teacher.md": ("teacher", "Instructing"),
    "linkedin-nurse": ("Registered Nurses", "Service Orientation"),
    "linkedin-nurse.zip": ("Registered Nurses", "Service Orientation"),
    "data-analyst.pdf": ("Analyst", "SQL"),
    "marketing.docx": ("Market", "Google Analytics"),
}


@pytest.mark.realdata
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_examples_on_real_taxonomy(real_tax: Any, name: str) -> None:
    occupation_part, skill_label = EXPECTED[name]
    state = infer_profile(read_cv(EXAMPLES / name), real_tax, today=TODAY)
    top = [o.label for o in state.occupations[:2]]
    assert any(occupation_part.lower() in label.lower() for label in top), top
    labels = {e.label for e in state.estimates}
    assert skill_label in labels, sorted(labels)
    for e in state.estimates:
        assert 0 <= e.level <= 7 and e.sd > 0 and e.evidence


@pytest.mark.realdata
@pytest.mark.slow
def test_cli_json(
    real_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from skillpath.cli import main

    monkeypatch.setenv("SKILLPATH_DB", real_db)
    assert main(["profile", "--cv", str(EXAMPLES / "teacher.md"), "--json", "--top", "5"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["name"] == "Amara Okafor" and len(data["skills"]) == 5
    assert {"id", "label", "kind", "level", "sd", "evidence"} <= set(data["skills"][0])
    assert {"id", "label", "taxonomy", "score", "years", "current", "titles", "evidence"} <= set(
        data["occupations"][0]
    )
    assert main(["profile", "--cv", str(EXAMPLES / "teacher.md"), "--top", "3"]) == 0
    assert "Occupations" in capsys.readouterr().out


def test_prepare_indexes_builds_what_inference_uses(toy: tuple[ToyTax, Any, Any]) -> None:
    from skillpath.profile import prepare_indexes

    fresh = ToyTax()
    prepare_indexes(fresh)
    memo = fresh.__dict__
    assert "role_index" in memo["_role_memo"] and "skill_votes" in memo["_profile_memo"]
    index = memo["_role_memo"]["role_index"]
    infer_profile(_profile(DEV), fresh, today=TODAY)  # uses them, builds nothing new
    assert memo["_role_memo"]["role_index"] is index


def test_each_role_a_title_lists_reads_as_well_as_the_best(toy: tuple[ToyTax, Any, Any]) -> None:
    """ "General Manager / Executive Chef": the parts are two roles, and which one the person
    practises is for the rest of the CV to say, not for the part that matches a title better."""
    tax, sl, _ol = toy
    both = Position("Software Engineer / Ward Nurse", "City Hospital", date(2015, 1, 1), None, True,
                    "Assess patients and provide nursing care on the wards.", "job")  # fmt: skip
    text = "Assess patients and provide nursing care on the wards; give medication."
    state = infer_profile(replace(_profile(both), text=text), tax, skill_linker=sl, today=TODAY)
    assert _ids(state)[:2] == ["onet:nurse", "onet:dev"], _ids(state)
    # a slash inside one role ("Sales/Marketing Manager") is not a list of roles
    from skillpath.profile._infer import _listed_roles

    assert _listed_roles("Sales/Marketing Manager") == ["Sales/Marketing Manager"]
    assert _listed_roles("Manager / Fitness Instructor") == ["Manager / Fitness Instructor"]
    assert _listed_roles("Finance Manager/ Operations Manager") == [
        "Finance Manager",
        "Operations Manager",
    ]


def _it_taxonomy() -> Any:
    """IT project managers and web administrators, and filler occupations that make their
    words rare (the real taxonomy's idf)."""
    from skillpath.taxonomy import Taxonomy

    occs = [
        Occupation("onet:15-1299.09", "onet", "15-1299.09",
                   "Information Technology Project Managers",
                   "Plan, initiate, and manage information technology projects."),
        Occupation("onet:15-1299.01", "onet", "15-1299.01", "Web Administrators",
                   "Manage web environment design, deployment, servers, networks and support."),
    ] + [
        Occupation(f"onet:51-{4000 + i}.00", "onet", f"51-{4000 + i}.00", f"Filler Operators {i}",
                   f"Operate machine number {i}.")
        for i in range(40)
    ]  # fmt: skip
    titles = {
        "onet:15-1299.09": [("IT Project Manager", "alternate")],
        "onet:15-1299.01": [("Web Administrator", "alternate")],
    }
    return Taxonomy(occupations={o.id: o for o in occs}, _titles=titles, _tasks={})


def test_a_plain_headline_is_not_overruled_by_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A headline naming the job with one word the dictionary lacks ("Global") reads as that
    job although the CV's words are about servers and support (decision 0125)."""
    monkeypatch.setenv("SKILLPATH_CACHE_DIR", str(tmp_path / "cache"))
    from skillpath.profile import InferenceConfig

    tax = _it_taxonomy()
    sl = build_linker([Concept("onet:x", "Project management")], engine="lexical")
    p = replace(
        _profile(),
        headline="GLOBAL IT PROJECT MANAGER",
        summary="Over 20 years in IT roles: support, deployment of servers and networks.",
    )
    state = infer_profile(p, tax, skill_linker=sl, today=TODAY)
    assert _ids(state)[:1] == ["onet:15-1299.09"], state.occupations
    # the former step (the weak share for any title below 0.9) read the text instead
    step = InferenceConfig(title_weak_below=0.9)
    old = infer_profile(p, tax, skill_linker=sl, today=TODAY, config=step)
    assert _ids(old)[:1] == ["onet:15-1299.01"], old.occupations


# ------------------------------------------------- a rank beside a trade (issue 12, 2026-12-02)


def _kitchen_taxonomy() -> Any:
    """General managers and chefs, each holding its title, and filler occupations that make
    their words rare."""
    from skillpath.taxonomy import Taxonomy

    occs = [
        Occupation("onet:11-1021.00", "onet", "11-1021.00", "General and Operations Managers",
                   "Plan, direct, or coordinate the operations of organizations: budgets, staff, "
                   "policies and daily operations."),
        Occupation("onet:35-1011.00", "onet", "35-1011.00", "Chefs and Head Cooks",
                   "Direct and participate in the preparation, seasoning, and cooking of food."),
    ] + [
        Occupation(f"onet:51-{4000 + i}.00", "onet", f"51-{4000 + i}.00", f"Filler Operators {i}",
                   f"Operate machine number {i}.")
        for i in range(40)
    ]  # fmt: skip
    titles = {
        "onet:11-1021.00": [("General Manager", "alternate"), ("Operations Manager", "alternate")],
        "onet:35-1011.00": [("Executive Chef", "alternate")],
    }
    return Taxonomy(occupations={o.id: o for o in occs}, _titles=titles, _tasks={})


def test_a_rank_listed_beside_a_trade_defers_to_the_trade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "General Manager / Executive Chef": the general manager is where the person stands, the
    chef what they practise, even when the CV's words are about running the place."""
    monkeypatch.setenv("SKILLPATH_CACHE_DIR", str(tmp_path / "cache"))
    from skillpath.profile import _infer

    tax = _kitchen_taxonomy()
    sl = build_linker([Concept("onet:x", "Budgeting")], engine="lexical")
    pos = Position("General Manager / Executive Chef", "", date(2014, 6, 1), None, True,
                   "Managed budgets, staff and daily operations.", "job")  # fmt: skip
    p = replace(_profile(pos), text="Managed budgets, staff, policies and daily operations.")
    state = infer_profile(p, tax, skill_linker=sl, today=TODAY)
    assert _ids(state)[:1] == ["onet:35-1011.00"], state.occupations
    # the former rule (each listed role lifted to the best one) let the text pick the manager
    monkeypatch.setattr(_infer, "_rank_only", lambda _t: False)
    old = infer_profile(p, tax, skill_linker=sl, today=TODAY)
    assert _ids(old)[:1] == ["onet:11-1021.00"], old.occupations


@pytest.mark.parametrize(
    ("title", "rank"),
    [
        ("General Manager", True),
        ("Operations Manager", True),
        ("Senior Vice President", True),
        ("Owner", True),
        ("Team Leader", True),
        ("Executive Chef", False),
        ("Finance Manager", False),
        ("Store Manager", False),
        ("Maintenance Manager", False),
    ],
)
def test_rank_only_titles(title: str, rank: bool) -> None:
    from skillpath.profile._infer import _rank_only

    assert _rank_only(title) is rank
