"""Date and date-range parsing as CVs write them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillpath.profile._dates import parse_date, parse_date_range

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
LONG = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("2019 - present", date(2019, 1, 1), None, True),
        ("Jan 2018 – Mar 2021", date(2018, 1, 1), date(2021, 3, 1), False),
        ("03/2019 to 11/2020", date(2019, 3, 1), date(2020, 11, 1), False),
        ("September 2012 — June 2016", date(2012, 9, 1), date(2016, 6, 1), False),
        ("2019-03 - 2021-07", date(2019, 3, 1), date(2021, 7, 1), False),
        ("May 2020 – Now", date(2020, 5, 1), None, True),
        ("Engineer, Acme (2015-2018)", date(2015, 1, 1), date(2018, 6, 1), False),
    ],
)
def test_known_ranges(text: str, start: date, end: date | None, current: bool) -> None:
    r = parse_date_range(text)
    assert r is not None
    assert (r.start, r.end, r.current) == (start, end, current)


def test_no_date() -> None:
    assert parse_date_range("Windows 10 and Office") is None
    assert parse_date("present") is None
    assert parse_date("13/2019") is None


def _fmt(d: date, style: int) -> str:
    return [
        f"{MONTHS[d.month - 1]} {d.year}",
        f"{LONG[d.month - 1]} {d.year}",
        f"{d.year}-{d.month:02d}",
        f"{d.month:02d}/{d.year}",
    ][style]


months = st.builds(lambda y, m: date(y, m, 1), st.integers(1960, 2035), st.integers(1, 12))


@given(a=months, b=months, s1=st.integers(0, 3), s2=st.integers(0, 3),
       sep=st.sampled_from([" - ", " – ", " — ", " to ", "-", "–"]))  # fmt: skip
def test_range_roundtrip(a: date, b: date, s1: int, s2: int, sep: str) -> None:
    start, end = min(a, b), max(a, b)
    r = parse_date_range(f"Analyst, Acme, {_fmt(start, s1)}{sep}{_fmt(end, s2)}")
    assert r is not None
    assert (r.start, r.end, r.current) == (start, end, False)


@given(
    a=months, s=st.integers(0, 3), word=st.sampled_from(["present", "Present", "now", "current"])
)
def test_open_range(a: date, s: int, word: str) -> None:
    r = parse_date_range(f"{_fmt(a, s)} - {word}")
    assert r is not None and r.start == a and r.end is None and r.current


@given(st.text(max_size=60))
def test_never_crashes_and_start_not_after_end(text: str) -> None:
    r = parse_date_range(text)
    if r is not None and r.start and r.end:
        assert r.start <= r.end
