"""Which O*NET tools enter a gap, and how the plan practises them (decision 0166), on the shared
O*NET 29.3 release."""

from __future__ import annotations

import pytest


def _gap(tax, code: str):  # type: ignore[no-untyped-def]
    from skillpath.plan import analyse_gap

    return analyse_gap(tax, tax.get_occupation(code), {}, {})


@pytest.mark.parametrize(
    "code",
    [
        "13-1071.00",  # Human Resources Specialists: web conferencing cameras, office printers
        "13-1151.00",  # Training and Development Specialists: overhead projectors
        "11-9051.00",  # Food Service Managers: computerized cash registers
        "13-1081.00",  # Logisticians: personal computers, semiconductor testers
    ],
)
def test_desk_occupations_have_no_tools_in_their_gap(full_taxonomy, code: str) -> None:  # type: ignore[no-untyped-def]
    assert not [g.label for g in _gap(full_taxonomy, code).skills if g.relation == "tool"]


def test_office_equipment_is_not_a_tool_to_learn_for_a_records_specialist(full_taxonomy) -> None:  # type: ignore[no-untyped-def]
    from skillpath.plan._gap import is_office_equipment

    occ = full_taxonomy.get_occupation("29-2072.00")
    tools = [g for g in _gap(full_taxonomy, "29-2072.00").skills if g.relation == "tool"]
    assert tools, "the records specialist keeps its specialised tools"
    for g in tools:
        assert not is_office_equipment(full_taxonomy.skills[g.skill_id], occ), g.label
        assert "scanner" not in g.label.lower(), g.label


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("51-9162.00", "machine"),  # CNC tool programmers: screw machines, punch presses
        ("17-3023.00", "meter"),  # electrical engineering technicians: current meters
    ],
)
def test_hands_on_occupations_keep_their_instruments(full_taxonomy, code: str, word: str) -> None:  # type: ignore[no-untyped-def]
    tools = [g.label.lower() for g in _gap(full_taxonomy, code).skills if g.relation == "tool"]
    assert any(word in t or word + "s" in t for t in tools), tools


def test_a_tool_is_practised_and_used_at_work_not_shown_in_a_portfolio(full_taxonomy) -> None:  # type: ignore[no-untyped-def]
    from skillpath.plan._tasks import build_tasks

    occ = full_taxonomy.get_occupation("51-9162.00")
    gap = _gap(full_taxonomy, "51-9162.00").skills
    tasks = build_tasks(full_taxonomy, occ, gap)
    tools = [g for g in gap if g.relation == "tool"]
    assert tools
    for g in tools:
        assert [t.stage for t in tasks[g.skill_id]] == ["practise", "apply"]
    for g in gap:
        for t in tasks[g.skill_id]:
            if g.relation == "activity":
                # an activity with fewer task statements than stages reuses one, or is the task
                assert f"use {g.label}" not in t.title, t.title
