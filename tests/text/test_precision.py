"""Precision rules of the linker: evidence must be a phrase that means the concept."""

from __future__ import annotations

import pytest

from skillpath.text import Concept, build_linker, extract_mentions
from skillpath.text._precision import CaseRule, mask_non_evidence, technology_aliases

# A small taxonomy in the shape of the real one: named technologies (some spelled like common
# words), ESCO-style lower-case skills whose labels and descriptions are the "prose".
CONCEPTS = [
    Concept("t:reduce", "REDUCE", (), "Computer algebra system.", "technology"),
    Concept("t:self", "Self", (), "Prototype-based programming language.", "technology"),
    Concept("e:staf", "STAF", (), "Software testing automation framework.", "esco-skill"),
    Concept("e:led", "LED", (), "Light-emitting diode components.", "esco-knowledge"),
    Concept("t:css", "CSS", (), "Style sheet language.", "technology"),
    Concept("e:lead", "lead a team", (), "Lead and supervise staff to reduce errors; projects led by others.", "esco-skill"),
    Concept("e:staff", "manage staff", (), "Manage staff and staffing levels; plan staffing and reduce staff turnover.", "esco-skill"),
    Concept("e:self", "self-promote", (), "Promote oneself; self study of the market; a project led by peers.", "esco-skill"),
    Concept("e:code", "coding", ("programming",), "Write code to reduce manual work; code reviews led by seniors.", "esco-skill"),
    Concept("e:building", "building codes", (), "Regulations for building works and staffing of sites.", "esco-knowledge"),
    Concept("t:sw", "Dassault Systemes SOLIDWORKS", ("SOLIDWORKS",), "", "technology"),
]  # fmt: skip


@pytest.fixture(scope="module")
def linker():  # type: ignore[no-untyped-def]
    return build_linker(CONCEPTS, engine="lexical")


def _ids(linker, text: str, min_score: float = 0.3) -> set[str]:  # type: ignore[no-untyped-def]
    return {h.id for m in extract_mentions(linker, text, min_score=min_score) for h in m.hits}


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("Reduced turnover by 20% in a year", "t:reduce"),
        ("Coordinate staffing for three wards", "e:staf"),
        ("Led a team of five engineers", "e:led"),
        ("Completed a self-paced online course", "t:self"),
        ("Taught myself to cook", "t:self"),
    ],
)
def test_common_word_is_not_a_name(linker, text: str, wrong: str) -> None:  # type: ignore[no-untyped-def]
    assert wrong not in _ids(linker, text)


@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("Solved equations in REDUCE and Maple", "t:reduce"),
        ("Ran regression suites on STAF", "e:staf"),
        ("Designed LED lighting for stages", "e:led"),
        ("Wrote a compiler for Self and Smalltalk", "t:self"),
        ("wrote css for the site", "t:css"),  # an acronym that is no common word: any case
    ],
)
def test_names_written_as_names_still_match(linker, text: str, right: str) -> None:  # type: ignore[no-untyped-def]
    assert right in _ids(linker, text)


def test_a_stated_skill_is_the_name_whatever_its_case(linker) -> None:  # type: ignore[no-untyped-def]
    assert linker.link("self", top_k=3)[0].id == "t:self"
    assert linker.link("reduce", top_k=3)[0].id == "t:reduce"


def test_negation_is_not_evidence(linker) -> None:  # type: ignore[no-untyped-def]
    assert "e:code" not in _ids(linker, "No coding required for this role")
    assert "e:code" not in _ids(linker, "We don't do any coding here")
    assert "e:code" in _ids(linker, "Coding in Python every day")
    assert "e:code" in _ids(linker, "Not only coding: also design")  # "not only" negates nothing


def test_mask_keeps_offsets() -> None:
    for text in ("No coding required; self-paced. Python", "without supervision, and led QA"):
        masked = mask_non_evidence(text)
        assert len(masked) == len(text)
        assert "Python" in masked or "led QA" in masked
    assert mask_non_evidence("non-profit management") == "non-profit management"
    assert mask_non_evidence("full-time role").strip() == "role"


def test_shared_stem_with_a_different_head_is_weak(linker) -> None:  # type: ignore[no-untyped-def]
    hits = {h.id: h.score for h in linker.link("Build weekly schedules for the crew", top_k=5)}
    assert hits.get("e:building", 0.0) < 0.5


def test_vendor_prefixed_names() -> None:
    labels = ["Dassault Systemes SOLIDWORKS", "Dassault Systemes CATIA",
              "National Instruments LabVIEW", "National Instruments Multisim",
              "Hypertext markup language HTML", "Kronos Workforce HR", "Kronos Workforce Payroll",
              "Microsoft Word", "Microsoft Project", "Python"]  # fmt: skip
    al = technology_aliases(labels, common={"word", "project", "payrol"})
    assert "SOLIDWORKS" in al["Dassault Systemes SOLIDWORKS"]
    assert "LabVIEW" in al["National Instruments LabVIEW"]
    assert "HTML" in al["Hypertext markup language HTML"]
    assert "Kronos" in al["Kronos Workforce HR"]
    assert "Word" not in al.get("Microsoft Word", ())  # a common word alone is no alias
    assert "Payroll" not in al.get("Kronos Workforce Payroll", ())
    assert "Python" not in al


def test_alias_links_the_product_name(linker) -> None:  # type: ignore[no-untyped-def]
    assert linker.link("SolidWorks", top_k=1)[0].id == "t:sw"


def test_case_rule_learns_common_words_from_the_prose() -> None:
    rule = CaseRule(["reduce the risk", "reduce costs", "reduce waste"])
    assert rule.pattern("REDUCE") is not None
    # not a common word: any case will do, but the word itself (no stemming)
    pat = rule.pattern("MATLAB")
    assert pat is not None and CaseRule.satisfied(pat, "wrote matlab scripts", ["matlab"], [])
    assert rule.pattern("CSS") is None  # a short acronym: any case, stemmed like any word
    assert rule.pattern("manage staff") is None  # not a one-word name


# Names that are also ordinary words in a CV: the software Chef in a cook's titles, the
# software GRAMS in a lab's "Gram stain".
CV_CONCEPTS = [
    Concept("t:chef", "Chef", (), "Configuration management tool.", "technology"),
    Concept("t:grams", "Adept Scientific GRAMS", ("GRAMS",), "", "technology"),
    Concept("e:cook", "cook meals", (), "Prepare food; a chef and a head chef cook for guests.", "esco-skill"),
    Concept("e:chefcraft", "supervise kitchen", (), "The chef supervises the kitchen staff; chef duties.", "esco-skill"),
]  # fmt: skip


@pytest.fixture(scope="module")
def cv_linker():  # type: ignore[no-untyped-def]
    return build_linker(CV_CONCEPTS, engine="lexical")


@pytest.mark.parametrize(
    "text",
    [
        "Worked as Sous Chef for three years, then Executive Chef at a hotel",
        "EXECUTIVE CHEF",
        "Prepared Gram stain slides and cultures",
    ],
)
def test_a_name_inside_a_title_or_a_lookalike_word_is_not_the_software(
    cv_linker, text: str
) -> None:  # type: ignore[no-untyped-def]
    assert not {"t:chef", "t:grams"} & _ids(cv_linker, text)


@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("Automated servers with Chef and Puppet", "t:chef"),
        ("Tools: Ansible, Chef, Terraform", "t:chef"),
        ("Processed spectra in GRAMS", "t:grams"),
        ("Processed spectra in Grams/AI", "t:grams"),  # a name spelled out, in any case
    ],
)
def test_names_in_a_technical_context_still_match(cv_linker, text: str, right: str) -> None:  # type: ignore[no-untyped-def]
    assert right in _ids(cv_linker, text)


def test_product_only_aliases_drop_the_vendor_and_the_trailing_software() -> None:
    """Decision 0156: the tagger's aliases are one-word product names: "Microsoft Azure
    software" answers to "Azure"; no vendor alone, no several-word rest, no common word."""
    labels = ["Microsoft Azure software", "Microsoft Azure Sentinel", "Microsoft Word",
              "FileMaker Pro", "FileMaker Server", "Python Tools for Visual Studio",
              "Python Experimental Economics Toolkit"]  # fmt: skip
    al = technology_aliases(labels, common={"word"}, products_only=True)
    assert al["Microsoft Azure software"] == ("Azure",)
    assert "Microsoft Word" not in al
    assert "FileMaker Pro" not in al  # "Pro" is too short to name a product
    assert "Python Tools for Visual Studio" not in al
    assert "Microsoft" not in al.get("Microsoft Azure Sentinel", ())
