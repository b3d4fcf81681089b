"""Issue 11: a CV's name, a course title or URL cannot inject HTML or links into plan exports."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from skillpath.plan import PlanRequest, analyse_gap, build_plan, to_html, to_markdown

from ._toy import SKILLS, course, toy_taxonomy

NAME = (
    '<img src=x onerror="alert(1)"> [click](javascript:alert(2)) *Ada*\n<script>alert(3)</script>'
)


def _plan():  # type: ignore[no-untyped-def]
    tax = toy_taxonomy()
    target = tax.occupations["onet:11-1021.00"]
    levels = {s: 1.5 for s in SKILLS}
    gap = analyse_gap(tax, target, levels)
    courses = [course(f"c{i}", 4 + i, {s: (4.5, 0.9)}) for i, s in enumerate(SKILLS[:4])]
    courses[0] = dataclasses.replace(
        courses[0], title="<b onmouseover=alert(4)>SQL</b>", url="javascript:alert(5)"
    )
    courses[1] = dataclasses.replace(courses[1], url="https://example.org/c1")
    return build_plan(
        tax,
        courses,
        gap,
        PlanRequest(),
        target=target,
        levels=levels,
        learner=NAME,
        today=dt.date(2026, 11, 29),
    )


def test_markdown_escapes_names_titles_and_drops_script_links() -> None:
    text = to_markdown(_plan())
    assert "<img" not in text and "<script" not in text and "<b " not in text
    assert "&lt;img src=x" in text and "&lt;script&gt;" in text
    assert not re.search(r"(?<!\\)\]\(", text) and "\\[click\\]" in text  # no link syntax left
    assert "javascript:alert(5)" not in text
    assert "<https://example.org/c1>" in text
    first = text.splitlines()[0]
    assert (
        first.startswith("# Development plan: ") and "alert(3)" in first
    )  # one line, no break-out


def test_html_drops_script_links() -> None:
    page = to_html(_plan())
    assert (
        'href="javascript' not in page and "<img src=x" not in page and "<b onmouseover" not in page
    )
    assert 'href="https://example.org/c1"' in page
