"""Duration and price parsing: known answers and Hypothesis invariants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillpath.catalog import PriceError, duration_pattern, parse_duration, parse_price
from skillpath.catalog._effort import MAX_PRICE


@pytest.mark.parametrize(
    ("text", "length", "unit", "hours", "low", "high"),
    [
        ("2–4 hours per week", "6 Weeks", "hours", 18, 12, 24),
        ("4-6 hours per week", "8 weeks", "hours", 40, 32, 48),
        ("5 hours/week for 4 weeks", None, "hours", 20, 20, 20),
        ("1.5 total hours", None, "hours", 1.5, 1.5, 1.5),
        ("Approx. 15 hours to complete", None, "hours", 15, 15, 15),
        ("2h 30m", None, "hours", 2.5, 2.5, 2.5),
        ("90 minutes", None, "hours", 1.5, 1.5, 1.5),
        ("1.5", None, "video-hours", 2.25, 1.5, 3.0),
        ("12", None, "hours", 12, 12, 12),
    ],
)
def test_known_durations(
    text: str, length: str | None, unit: str, hours: float, low: float, high: float
) -> None:
    e = parse_duration(text, length=length, unit=unit)
    assert e is not None
    assert (e.hours, e.low, e.high) == pytest.approx((hours, low, high))


def test_estimated_and_unknown_durations() -> None:
    e = parse_duration("8 weeks")
    assert e is not None and e.estimated and e.low < e.hours < e.high
    e = parse_duration("4-6 hours/week")
    assert e is not None and e.estimated and e.hours == 20  # default 4 weeks
    assert parse_duration("Self-paced") is None
    assert parse_duration("") is None
    assert parse_duration(None) is None
    assert duration_pattern("2–4 hours per week") == "N–N hours per week"
    assert duration_pattern("Self-paced") == "self-paced"


@given(
    st.text(max_size=80),
    st.one_of(st.none(), st.text(max_size=30)),
    st.sampled_from(["hours", "video-hours", "minutes", "weeks"]),
)
def test_never_raises_and_ordered(text: str, length: str | None, unit: str) -> None:
    e = parse_duration(text, length=length, unit=unit)
    if e is not None:
        assert 0 <= e.low <= e.hours <= e.high


@given(
    st.integers(0, 40),
    st.integers(0, 40),
    st.integers(1, 52),
    st.sampled_from(["–", "-", " to "]),
    st.sampled_from(["hours per week", "hrs/week", "hours a week"]),
)
def test_per_week_times_weeks(a: int, b: int, weeks: int, dash: str, unit: str) -> None:
    e = parse_duration(f"{a}{dash}{b} {unit}", length=f"{weeks} Weeks")
    assert e is not None
    lo, hi = min(a, b), max(a, b)
    assert e.low == pytest.approx(lo * weeks, abs=0.01)
    assert e.high == pytest.approx(hi * weeks, abs=0.01)
    assert e.hours == pytest.approx((lo + hi) / 2 * weeks, abs=0.01)


@given(st.floats(0, 500, allow_nan=False).map(lambda x: round(x, 2)))
def test_total_hours_roundtrip(x: float) -> None:
    e = parse_duration(f"{x} total hours")
    assert e is not None and e.hours == pytest.approx(x, abs=0.01)


@given(
    st.floats(0, 500, allow_nan=False).map(lambda x: round(x, 1)),
    st.floats(0, 500, allow_nan=False).map(lambda x: round(x, 1)),
)
def test_more_weeks_never_fewer_hours(w1: float, w2: float) -> None:
    a = parse_duration("3-5 hours per week", length=f"{min(w1, w2)} weeks")
    b = parse_duration("3-5 hours per week", length=f"{max(w1, w2)} weeks")
    assert a is not None and b is not None and a.hours <= b.hours


def test_prices() -> None:
    p = parse_price("FREE-Add a Verified Certificate for $49 USD")
    assert (p.amount, p.currency, p.is_free, p.certificate) == (0.0, "USD", True, 49.0)
    assert parse_price("20").amount == 20 and not parse_price("20").is_free
    assert parse_price("€ 1.299,00".replace(".", "")).currency == "EUR"
    assert parse_price("$1,299.00").amount == 1299.0
    assert parse_price("Free").is_free
    assert parse_price("0", is_paid=False).is_free
    assert parse_price(None).is_free
    with pytest.raises(PriceError):
        parse_price("-5")
    with pytest.raises(PriceError):
        parse_price("call us")
    with pytest.raises(PriceError):
        parse_price(None, is_paid=True)


@given(st.floats(0, 1e6, allow_nan=False))
def test_price_numbers(x: float) -> None:
    if x > MAX_PRICE:  # no course costs that much: refused, never clamped
        with pytest.raises(PriceError, match="more than 100,000"):
            parse_price(x)
        return
    p = parse_price(x)
    assert p.amount == x and p.is_free == (x == 0)


@pytest.mark.parametrize(
    ("text", "hours", "low", "high", "pattern"),
    [
        ("1 - 3 Months", 34.76, 8.69, 78.21, "months (default hours/week)"),
        ("1 - 4 Years", 521.8, 104.36, 1252.32, "years (default hours/week)"),
        ("4 meses", 69.52, 34.76, 104.28, "months (default hours/week)"),
        ("Less Than 2 Hours", 1.5, 1.0, 2.0, "less than N hours"),
        ("15+ hours of study/wk per course", 60, 60, 60, "per-week (default 4 weeks)"),
        ("2e1 hours", 20, 20, 20, "total hours"),
    ],
)
def test_lengths_and_notation(
    text: str, hours: float, low: float, high: float, pattern: str
) -> None:
    e = parse_duration(text)
    assert e is not None and e.pattern == pattern
    assert (e.hours, e.low, e.high) == pytest.approx((hours, low, high))
    assert e.estimated == (pattern != "total hours")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1e9 hours per week", "168"),
        ("169 hours per week", "168"),
        ("1.5e9 hours", "2,000"),
        ("1500000000", "2,000"),
        ("1e400 hours per week", "too large"),
        ("10 years", "2,000"),
        ("abc", "not a duration"),
        ("Module 3", "not a duration"),
    ],
)
def test_impossible_durations(text: str, why: str) -> None:
    from skillpath.catalog._effort import duration_problem

    problem = duration_problem(text)
    assert problem is not None and why in problem


@pytest.mark.parametrize("text", ["", "Self-paced", "Flexible", "Varies", "On demand", "2-4 weeks"])
def test_possible_durations(text: str) -> None:
    from skillpath.catalog._effort import duration_problem

    assert duration_problem(text) is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("-$49", ">= 0"),
        ("$-49", ">= 0"),
        ("−49 EUR", ">= 0"),
        ("1e308", "100,000"),
        ("1e999", "finite"),
        (float("inf"), "finite"),
        (1e308, "100,000"),
        ("200000", "100,000"),
        ("FREE-Add a Verified Certificate for -$49 USD", "certificate"),
    ],
)
def test_impossible_prices(text: object, why: str) -> None:
    with pytest.raises(PriceError, match=why):
        parse_price(text)


def test_free_with_dash_is_not_negative() -> None:
    p = parse_price("FREE-Add a Verified Certificate for $49 USD")
    assert p.is_free and p.certificate == 49
    assert parse_price("1e3").amount == 1000
