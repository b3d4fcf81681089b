"""The one role resolver: small taxonomies the tests build, then the real one (realdata)."""

from __future__ import annotations

from typing import Any

import pytest

from skillpath.errors import NotFoundError
from skillpath.taxonomy import Occupation, Task, Taxonomy, pick_role, resolve_role, resolve_roles


def _occ(code: str, label: str, desc: str = "") -> Occupation:
    return Occupation(f"onet:{code}", "onet", code, label, desc)


@pytest.fixture()
def small(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Taxonomy:
    monkeypatch.setenv("SKILLPATH_CACHE_DIR", str(tmp_path / "cache"))
    occs = [
        _occ("13-2099.01", "Financial Quantitative Analysts",
             "Develop quantitative financial products used to inform investment decisions."),
        _occ("15-2051.00", "Data Scientists",
             "Develop and implement methods to transform raw data into insights with statistics."),
        _occ("15-1212.00", "Information Security Analysts",
             "Plan and carry out security measures to protect computer networks and systems "
             "against cybersecurity threats."),
        _occ("23-1011.00", "Lawyers", "Represent clients in criminal and civil litigation."),
        _occ("15-1252.00", "Software Developers",
             "Research, design and develop computer applications and software in Python, Go "
             "and Java; build microservices and deploy on Kubernetes."),
        _occ("51-4051.00", "Metal-Refining Furnace Operators and Tenders",
             "Operate furnaces to melt and refine metal before casting."),
        _occ("13-1081.02", "Logistics Analysts",
             "Analyze product delivery or supply chain processes to identify logistics problems."),
    ]  # fmt: skip
    titles = {
        "onet:13-2099.01": [("Data Analyst", "alternate"), ("Quantitative Analyst", "alternate")],
        "onet:15-2051.00": [("Data Analyst", "alternate"), ("Data Scientist", "reported"),
                            ("Senior Data Analyst", "alternate"), ("Data Analytics Lead", "alternate")],
        "onet:15-1212.00": [("Cyber Security Analyst", "alternate"),
                            ("Cybersecurity Analyst", "alternate"), ("Security Analyst", "reported")],
        "onet:23-1011.00": [("Attorney", "alternate"), ("Cybersecurity Attorney", "alternate")],
        "onet:15-1252.00": [("Software Engineer", "alternate"), ("Developer", "alternate")],
        "onet:51-4051.00": [("Founder", "alternate"), ("Furnace Operator", "alternate")],
        "onet:13-1081.02": [("Logistics Analyst", "alternate")],
    }  # fmt: skip
    tasks = {
        "onet:15-1252.00": [Task("t1", "onet:15-1252.00", "Write and test code for web services.")]
    }
    return Taxonomy(occupations={o.id: o for o in occs}, _titles=titles, _tasks=tasks)


def test_code_and_id(small: Taxonomy) -> None:
    r = resolve_role(small, "15-1252")
    assert r.chosen is not None and r.chosen.occupation.label == "Software Developers"
    assert r.chosen.how == "code"
    assert resolve_role(small, "onet:23-1011.00").candidates[0].occupation.label == "Lawyers"
    with pytest.raises(NotFoundError):
        resolve_role(small, "99-9999.00")


def test_shared_title_broken_by_meaning_not_by_code(small: Taxonomy) -> None:
    """Both carry "Data Analyst"; Data Scientists has more titles saying it and a description
    about data: it must win although Financial Quantitative Analysts sorts first by code."""
    r = resolve_role(small, "Data Analyst")
    labels = [c.occupation.label for c in r.candidates]
    assert labels[0] == "Data Scientists", labels
    assert "Financial Quantitative Analysts" in labels
    assert "share the title" in r.reason or r.ambiguous


def test_context_breaks_ties(small: Taxonomy) -> None:
    r = resolve_role(
        small,
        "Data Analyst",
        context="priced derivatives and bond portfolios "
        "for investment decisions as a quantitative analyst",
    )
    assert r.candidates[0].occupation.label == "Financial Quantitative Analysts"


def test_loose_phrase_and_single_word(small: Taxonomy) -> None:
    for q in ("cybersecurity", "something in cybersecurity", "a job in cybersecurity"):
        r = resolve_role(small, q)
        assert r.chosen is not None, q
        assert r.chosen.occupation.label == "Information Security Analysts", (q, r.reason)
    r = resolve_role(small, "I would like to work in logistics")
    assert r.chosen is not None and r.chosen.occupation.label == "Logistics Analysts"


def test_nonsense_fails(small: Taxonomy) -> None:
    assert resolve_role(small, "qwzx blorf").candidates == ()
    with pytest.raises(NotFoundError):
        pick_role(small, "qwzx blorf")


def test_typo_found_by_fuzzy_match(small: Taxonomy) -> None:
    r = resolve_role(small, "Sofware Enginer")
    assert r.chosen is not None and r.chosen.occupation.label == "Software Developers"


def test_title_naming_no_trade_follows_the_context(small: Taxonomy) -> None:
    ctx = "Built the product in Python and Go, wrote web services and deployed on Kubernetes."
    r = resolve_role(small, "Founder", context=ctx)
    labels = [c.occupation.label for c in r.candidates]
    assert labels[0] == "Software Developers", labels
    assert (
        labels.index("Software Developers")
        < labels.index("Metal-Refining Furnace Operators and Tenders")
        if "Metal-Refining Furnace Operators and Tenders" in labels
        else True
    )


def test_family_bonus(small: Taxonomy) -> None:
    a = resolve_role(small, "Analyst").candidates
    b = resolve_role(small, "Analyst", family="13-1081.02").candidates
    score = {c.occupation.code: c.score for c in a}
    score_b = {c.occupation.code: c.score for c in b}
    assert score_b["13-2099.01"] > score["13-2099.01"]  # same major group 13 as the family


def test_batch_equals_single(small: Taxonomy) -> None:
    qs = ["Data Analyst", "cybersecurity", "15-1252", "", "Attorney"]
    batch = resolve_roles(small, qs)
    assert [r.query for r in batch] == qs
    for q, r in zip(qs, batch, strict=True):
        assert r == resolve_role(small, q)
        scores = [c.score for c in r.candidates]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)


def test_taxonomy_resolve_delegates(small: Taxonomy) -> None:
    assert small.resolve("Attorney")[0].occupation.label == "Lawyers"
    assert small.get_occupation("Software Engineer").label == "Software Developers"


# ------------------------------------------------------------------------- the real taxonomy


@pytest.mark.realdata
@pytest.mark.slow
def test_real_cases(real_taxonomy: Any) -> None:
    tax = real_taxonomy
    da = resolve_role(tax, "Data Analyst", taxonomy="onet")
    assert da.chosen is not None
    assert da.chosen.occupation.label != "Financial Quantitative Analysts", da.reason
    assert len([c for c in da.candidates if c.how == "exact"]) >= 5
    for q in ("cybersecurity", "something in cybersecurity"):
        occ, _res = pick_role(tax, q)
        assert "Security" in occ.label or "security" in occ.label, (q, occ.label)
        assert occ.label != "Lawyers"
    # O*NET gives "IT Manager" to both; ESCO's crosswalk says which is the broad one
    occ, _ = pick_role(tax, "IT manager")
    assert occ.code == "11-3021.00", occ.label
    onet_only = resolve_role(tax, "IT manager", taxonomy="onet")  # `roles --taxonomy onet`
    assert onet_only.chosen is not None and onet_only.chosen.occupation.code == "11-3021.00"
    occ, _ = pick_role(tax, "a job in logistics")
    assert "ogistic" in occ.label
    with pytest.raises(NotFoundError):
        pick_role(tax, "qwzx blorf")
    founder = resolve_role(
        tax, "Founder", taxonomy="onet",
        context="Built a SaaS product in Python and React; wrote the backend, designed the "
                "database and deployed web applications on AWS",
    )  # fmt: skip
    labels = [c.occupation.label for c in founder.candidates]
    assert "Software Developers" in labels[:5], labels
    metal = [x for x in labels if x.startswith("Metal-Refining")]
    if metal:
        assert labels.index("Software Developers") < labels.index(metal[0])


def test_paired_titles_are_both_names() -> None:
    from skillpath.taxonomy._roles import title_names

    assert title_names("Information Technology Manager (IT Manager)", "alternate") == [
        "Information Technology Manager",
        "IT Manager",
    ]
    assert title_names("Registered Nurse (RN)", "reported") == ["Registered Nurse", "RN"]
    # ESCO's parentheses qualify, a lower-case word is a qualifier, labels stay whole
    assert title_names("scheduling manager (mine)", "esco-alt") == ["scheduling manager (mine)"]
    assert title_names("Manager (retail)", "alternate") == ["Manager"]
    assert title_names("Nannies (Child Care)", "label") == ["Nannies (Child Care)"]


@pytest.fixture()
def it_managers(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Taxonomy:
    """O*NET's 'IT Manager' case: two occupations carry it, written once as the first and once
    as the second half of a paired title; ESCO's occupation of that name is crosswalked to the
    broad one only."""
    monkeypatch.setenv("SKILLPATH_CACHE_DIR", str(tmp_path / "cache"))
    esco = "http://data.europa.eu/esco/occupation/ict-operations-manager"
    occs = [
        _occ("11-3021.00", "Computer and Information Systems Managers",
             "Plan, direct, or coordinate activities in such fields as electronic data "
             "processing, information systems, systems analysis, and computer programming."),
        _occ("15-1299.09", "Information Technology Project Managers",
             "Plan, initiate, and manage information technology (IT) projects."),
        Occupation(esco, "esco", "1330.1", "ICT operations manager", "Manage ICT operations."),
    ]  # fmt: skip
    titles = {
        "onet:11-3021.00": [("Information Technology Manager (IT Manager)", "alternate"),
                            ("IT Director", "alternate")],
        "onet:15-1299.09": [("IT Manager (Information Technology Manager)", "alternate"),
                            ("IT Project Manager", "alternate"), ("IT Program Manager", "alternate")],
        esco: [("IT manager", "esco-alt"), ("IT operations manager", "esco-alt")],
    }  # fmt: skip
    related = {
        "onet:11-3021.00": [(esco, "crosswalk", 1.0)],
        esco: [("onet:11-3021.00", "crosswalk", 1.0)],
    }
    tasks = {
        "onet:11-3021.00": [Task("t1", "onet:11-3021.00", "Manage backup, security and user "
                                 "help systems.")],
        "onet:15-1299.09": [Task("t2", "onet:15-1299.09", "Manage project execution to ensure "
                                 "adherence to budget, schedule, and scope.")],
    }  # fmt: skip
    return Taxonomy(
        occupations={o.id: o for o in occs}, _titles=titles, _related=related, _tasks=tasks
    )


def test_paired_title_matches_whichever_half_comes_first(it_managers: Taxonomy) -> None:
    r = resolve_role(it_managers, "IT manager", taxonomy="onet")
    how = {c.occupation.code: c.how for c in r.candidates}
    assert how == {"11-3021.00": "exact", "15-1299.09": "exact"}, how


def test_the_other_taxonomy_corroborates_a_shared_title(it_managers: Taxonomy) -> None:
    """Both O*NET occupations carry 'IT Manager'; the project managers' extra 'IT Project/Program
    Manager' titles and the 'IT' in their description must not outweigh ESCO saying that its
    'IT manager' is the broad occupation."""
    r = resolve_role(it_managers, "IT manager", taxonomy="onet")
    assert [c.occupation.code for c in r.candidates] == ["11-3021.00", "15-1299.09"], r
    occ, _res = pick_role(it_managers, "IT manager")
    assert occ.code == "11-3021.00"
    # one taxonomy's view ranks its occupations as the view of both does
    both = resolve_role(it_managers, "IT manager", taxonomy="all")
    assert [c for c in both.candidates if c.occupation.taxonomy == "onet"] == list(r.candidates)
    # without the crosswalk the same titles rank the project managers first: the link decides
    from skillpath.taxonomy import ResolverConfig

    alone = resolve_role(
        it_managers, "IT manager", taxonomy="onet", config=ResolverConfig(cross_weight=0.0)
    )
    assert alone.candidates[0].occupation.code == "15-1299.09"


@pytest.fixture()
def siblings(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Taxonomy:
    """Occupations sharing a title: a general one labelled "..., Except X", its special
    sibling, a residual "All Other" group, and a title the stemmer folds into another."""
    monkeypatch.setenv("SKILLPATH_CACHE_DIR", str(tmp_path / "cache"))
    occs = [
        _occ("25-2021.00", "Elementary School Teachers, Except Special Education",
             "Teach academic and social skills to students at the elementary school level."),
        _occ("25-2056.00", "Special Education Teachers, Elementary School",
             "Teach elementary school subjects to students with learning disabilities."),
        _occ("19-3033.00", "Clinical and Counseling Psychologists",
             "Assess, diagnose, and treat mental and emotional disorders."),
        _occ("19-3039.00", "Psychologists, All Other", "All psychologists not listed separately."),
        _occ("11-2021.00", "Marketing Managers", "Plan and direct marketing of products."),
        _occ("11-3051.00", "Industrial Production Managers",
             "Plan, direct, or coordinate the work activities of production plants."),
    ]  # fmt: skip
    titles = {
        "onet:25-2021.00": [("Elementary School Teacher", "alternate"), ("Teacher", "alternate")],
        "onet:25-2056.00": [("Elementary School Teacher", "alternate"),
                            ("Special Education Teacher", "alternate"),
                            ("Elementary Special Education Teacher", "alternate"),
                            ("Elementary School Special Education Teacher", "alternate")],
        "onet:19-3033.00": [("Psychologist", "alternate"), ("Clinical Psychologist", "alternate")],
        "onet:19-3039.00": [("Psychologist", "alternate"), ("Research Psychologist", "alternate")],
        "onet:11-2021.00": [("Product Manager", "alternate"), ("Brand Manager", "alternate")],
        "onet:11-3051.00": [("Production Manager", "alternate"), ("Plant Manager", "alternate"),
                            ("Production Control Manager", "alternate")],
    }  # fmt: skip
    return Taxonomy(occupations={o.id: o for o in occs}, _titles=titles, _tasks={})


def test_except_label_is_the_general_occupation(siblings: Taxonomy) -> None:
    # both hold the title; the special sibling has more titles saying it, but the one whose own
    # label (without its exceptions) is the title is the elementary school teachers
    r = resolve_role(siblings, "elementary school teacher")
    assert r.chosen is not None and r.chosen.occupation.code == "25-2021.00"
    assert r.candidates[1].occupation.code == "25-2056.00"


def test_residual_group_ranks_after_a_named_occupation(siblings: Taxonomy) -> None:
    r = resolve_role(siblings, "Psychologist")
    assert [c.occupation.code for c in r.candidates[:2]] == ["19-3033.00", "19-3039.00"]


def test_a_stemmed_lookalike_is_not_the_title(siblings: Taxonomy) -> None:
    # "product" and "production" share a stem: the occupation holding "Product Manager" wins
    r = resolve_role(siblings, "Product Manager")
    assert r.chosen is not None and r.chosen.occupation.code == "11-2021.00"
    assert r.chosen.how == "exact"
    prod = next(c for c in r.candidates if c.occupation.code == "11-3051.00")
    assert prod.how != "exact" and prod.score < r.chosen.score
    r2 = resolve_role(siblings, "Production Manager")
    assert r2.chosen is not None and r2.chosen.occupation.code == "11-3051.00"


# ------------------------------------------- description-only candidates, context share (0125)


@pytest.fixture()
def advocates(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Taxonomy:
    """An occupation holding a title that explains the query in part, another whose short
    description holds every query word but no such title, and filler occupations that make
    those words rare (high idf: the description similarity is not bounded by 1)."""
    monkeypatch.setenv("SKILLPATH_CACHE_DIR", str(tmp_path / "cache"))
    occs = [
        _occ("21-1021.00", "Child, Family, and School Social Workers",
             "Provide social services to pupils and households."),
        _occ("25-9021.00", "Farm and Home Management Educators",
             "Child and family advocate programs."),
        _occ("15-1299.09", "Information Technology Project Managers",
             "Plan, initiate, and manage information technology projects."),
        _occ("15-1299.01", "Web Administrators",
             "Manage web environment design, deployment, servers, networks and support."),
    ] + [
        _occ(f"51-{4000 + i}.00", f"Filler Operators {i}", f"Operate machine number {i}.")
        for i in range(40)
    ]  # fmt: skip
    titles = {
        "onet:21-1021.00": [("Family Advocate", "alternate")],
        "onet:25-9021.00": [("Extension Agent", "alternate")],
        "onet:15-1299.09": [("IT Project Manager", "alternate")],
        "onet:15-1299.01": [("Web Administrator", "alternate")],
    }
    return Taxonomy(occupations={o.id: o for o in occs}, _titles=titles, _tasks={})


def test_description_alone_does_not_outrank_a_title(advocates: Taxonomy) -> None:
    from skillpath.taxonomy import ResolverConfig

    # without the cap (the former rule), the description wins at 1.0
    old = resolve_role(advocates, "Child Family Advocate", config=ResolverConfig(title_evidence=2))
    assert old.candidates[0].occupation.code == "25-9021.00"
    r = resolve_role(advocates, "Child Family Advocate")
    assert r.chosen is not None and r.chosen.occupation.code == "21-1021.00"
    desc = [c for c in r.candidates if c.how == "description"]
    assert all(c.score < r.chosen.score - 0.05 for c in desc), r.candidates


def test_context_share_grows_as_the_title_weakens() -> None:
    from skillpath.taxonomy import ResolverConfig
    from skillpath.taxonomy._roles import _context_share

    cfg = ResolverConfig(context_weight=0.2, context_weight_weak=0.6, weak_title=0.5)
    assert _context_share(0.95, cfg) == pytest.approx(0.2)
    assert _context_share(0.5, cfg) == pytest.approx(0.6)
    assert _context_share(0.3, cfg) == pytest.approx(0.6)
    mid = _context_share(0.75, cfg)
    assert 0.2 < mid < 0.6
    assert _context_share(0.8, cfg) < mid
    # the former step: anything below 0.9 had the full weak share
    step = ResolverConfig(context_weight_weak=0.6, weak_title=0.9)
    assert _context_share(0.89, step) == pytest.approx(0.6)


def test_a_plain_title_is_not_overruled_by_a_cv_context(advocates: Taxonomy) -> None:
    """A title with one word the dictionary lacks ("Global") still names the job: the CV's
    text about servers and support does not turn it into web administration."""
    from skillpath.taxonomy import ResolverConfig

    ctx = "Managed servers, networks, web environment deployment and support desks for airports"
    step = ResolverConfig(context_weight=0.2, context_weight_weak=0.6, weak_title=0.9)
    old = resolve_role(advocates, "Global IT Project Manager", context=ctx, config=step)
    assert old.chosen is not None and old.chosen.occupation.code == "15-1299.01"  # the former step
    cfg = ResolverConfig(context_weight=0.2, context_weight_weak=0.6, weak_title=0.5)
    r = resolve_role(advocates, "Global IT Project Manager", context=ctx, config=cfg)
    assert r.chosen is not None and r.chosen.occupation.code == "15-1299.09", r.candidates


# ------------------------------------ a specialty the label names and the CV does not (issue 12)


@pytest.fixture()
def developers(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Taxonomy:
    """Three occupations holding the title "Business Development Manager" (as O*NET's do), one
    whose label names a specialty (wind energy), and filler occupations for the idf."""
    monkeypatch.setenv("SKILLPATH_CACHE_DIR", str(tmp_path / "cache"))
    occs = [
        _occ("11-9199.10", "Wind Energy Development Managers",
             "Lead or manage the development and evaluation of potential wind energy projects."),
        _occ("11-2021.00", "Marketing Managers",
             "Plan, direct, or coordinate marketing policies and programs."),
        _occ("11-9041.00", "Architectural and Engineering Managers",
             "Plan, direct, or coordinate activities in architecture and engineering."),
    ] + [
        _occ(f"51-{4000 + i}.00", f"Filler Operators {i}", f"Operate machine number {i}.")
        for i in range(40)
    ]  # fmt: skip
    titles = {
        "onet:11-9199.10": [("Business Development Manager", "alternate"),
                            ("Wind Development Manager", "alternate")],
        "onet:11-2021.00": [("Business Development Manager", "alternate")],
        "onet:11-9041.00": [("Engineering Director", "alternate")],
    }  # fmt: skip
    return Taxonomy(occupations={o.id: o for o in occs}, _titles=titles, _tasks={})


def test_a_specialty_the_cv_never_mentions_loses_a_shared_title(developers: Taxonomy) -> None:
    from skillpath.taxonomy import ResolverConfig

    # the context's share is off, so that only what it mentions acts
    quiet = ResolverConfig(context_weight=0.0)
    former = ResolverConfig(context_weight=0.0, specialty_weight=0.0)
    ctx = "Recruited clients and grew accounts; marketing."
    off = resolve_role(developers, "Business Development Manager", context=ctx, config=former)
    assert off.chosen is not None and off.chosen.occupation.code == "11-9199.10"  # former rule
    r = resolve_role(developers, "Business Development Manager", context=ctx, config=quiet)
    assert r.chosen is not None and r.chosen.occupation.code == "11-2021.00", r.candidates
    # the CV that says "wind energy" keeps the specialised occupation
    wind = resolve_role(developers, "Business Development Manager", config=quiet,
                        context="Developed wind energy projects; marketing.")  # fmt: skip
    assert wind.chosen is not None and wind.chosen.occupation.code == "11-9199.10"
    # without a context (a title typed alone) nothing changes
    bare = resolve_role(developers, "Business Development Manager")
    bare_off = resolve_role(developers, "Business Development Manager",
                            config=ResolverConfig(specialty_weight=0.0))  # fmt: skip
    assert [(c.occupation.id, c.score) for c in bare.candidates] == [
        (c.occupation.id, c.score) for c in bare_off.candidates
    ]


def test_one_of_a_labels_alternatives_is_its_specialty(developers: Taxonomy) -> None:
    """ "Architectural and Engineering Managers" manage either: a CV about engineering alone
    says the specialty."""
    from skillpath.taxonomy import ResolverConfig

    ctx = "Led the engineering department: designs, testing and field service."
    on = resolve_role(developers, "Engineering Director", context=ctx)
    off = resolve_role(developers, "Engineering Director", context=ctx,
                       config=ResolverConfig(specialty_weight=0.0))  # fmt: skip
    assert on.chosen is not None and off.chosen is not None
    assert on.chosen.occupation.code == "11-9041.00"
    assert on.chosen.score == pytest.approx(off.chosen.score)


@pytest.mark.parametrize("title", ["Vice President", "VP", "Supervisor"])
def test_ranks_name_no_trade(small: Taxonomy, title: str) -> None:
    from skillpath.taxonomy._roles import _NO_TRADE

    assert _NO_TRADE.match(title)
    ctx = "Built the product in Python and Go, wrote web services and deployed on Kubernetes."
    r = resolve_role(small, title, context=ctx)
    assert r.chosen is not None and r.chosen.occupation.label == "Software Developers"
