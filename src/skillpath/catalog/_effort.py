"""Parsing free-text durations and prices.

Durations (docs/decisions/0031-effort-and-price.md): providers state effort per week plus a
length in weeks (edX: "2–4 hours per week", "6 Weeks"), a total ("1.5 total hours",
"Approx. 15 hours to complete", Udemy's bare number of video hours) or nothing useful
("Self-paced"). We turn each into expected total learner hours with a low/high range.

Numbers may be written in scientific notation ("1e9 hours"): they are read whole, and values no
course can have are refused by :func:`duration_problem` and :func:`parse_price` (limits below).
"""

from __future__ import annotations

import math
import re

from skillpath.catalog._model import Effort, Price

# Defaults when only part of the information is given (documented in decision 0031).
DEFAULT_HOURS_PER_WEEK = (2.0, 4.0, 6.0)  # low, expected, high: a typical MOOC week
WEEKS_PER_MONTH = 4.345
HOURS_PER_DAY = 6.0  # a "3-day" bootcamp day
DEFAULT_WEEKS = 4.0  # a per-week effort with no stated length: a typical 4-week MOOC
VIDEO_FACTOR = (1.0, 1.5, 2.0)  # learner time per hour of recorded video: watch, practise, redo
WEEKS_PER_YEAR = 52.18

# Values no course has (decision 0031): a row stating one is refused, not clamped.
MAX_HOURS_PER_WEEK = 168.0  # the hours a week has
MAX_TOTAL_HOURS = 2000.0  # about a year of full-time study; longer is a programme, not a course
MAX_PRICE = 100_000.0  # dearer than any degree listed on a MOOC platform

_NUM = r"(\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?)"
_RANGE = rf"{_NUM}\+?\s*(?:(?:-|–|—|to|or)\s*{_NUM})?"
_H = r"(?:hours?|hrs?|h)\b"
_M = r"(?:minutes?|mins?|m)\b"
_PERWEEK = r"(?:per|a|/|each|every)\s*(?:week|wk)\b|/\s*w(?:ee)?k\b|weekly"

_RE_PER_WEEK = re.compile(rf"{_RANGE}\s*{_H}\s*(?:of\s+\w+\s*)?(?:{_PERWEEK})", re.I)
_RE_WEEKS = re.compile(rf"{_RANGE}\s*(?:weeks?|wks?|semanas?|semaines?)\b", re.I)
_RE_MONTHS = re.compile(rf"{_RANGE}\s*(?:months?|mos?|mes(?:es)?|mois)\b", re.I)
_RE_YEARS = re.compile(rf"{_RANGE}\s*(?:years?|yrs?|años?|anos?|ans)\b", re.I)
_RE_LESS = re.compile(rf"(?:less\s+than|under|up\s+to|<)\s*{_NUM}\s*{_H}", re.I)
_RE_DAYS = re.compile(rf"{_RANGE}\s*days?\b", re.I)
_RE_HM = re.compile(rf"{_NUM}\s*{_H}\s*(?:and\s*)?{_NUM}\s*{_M}", re.I)
_RE_HOURS = re.compile(rf"{_RANGE}\s*(?:total\s+)?{_H}", re.I)
_RE_MINUTES = re.compile(rf"{_RANGE}\s*{_M}", re.I)
_RE_BARE = re.compile(rf"^\s*{_RANGE}\s*$")
_RE_SELF = re.compile(
    r"self[\s-]*paced|flexible|(?:at )?your own pace|on your (?:own )?time|on[\s-]demand|"
    r"\bvar(?:ies|iable)\b|\bongoing\b",
    re.I,
)


def _f(s: str | None) -> float | None:
    if s is None:
        return None
    return float(s.replace(",", "."))  # "1e400" is inf: refused by duration_problem


def _range(m: re.Match[str], start: int = 1) -> tuple[float, float]:
    a = _f(m.group(start))
    b = _f(m.group(start + 1))
    assert a is not None
    lo, hi = (a, b) if b is not None else (a, a)
    return (min(lo, hi), max(lo, hi))


def _mk(
    lo: float, hi: float, pattern: str, *, mid: float | None = None, est: bool = False
) -> Effort:
    mid = (lo + hi) / 2 if mid is None else mid
    # inf x 0 ("1e400 hours per week for 0 weeks") is nan: keep it inf, duration_problem refuses it
    r = lambda x: round(x, 2) if x == x else math.inf  # noqa: E731
    return Effort(
        hours=r(mid), low=r(min(lo, mid)), high=r(max(hi, mid)), pattern=pattern, estimated=est
    )


def _weeks(text: str) -> tuple[float, float] | None:
    found = _weeks_unit(text)
    return None if found is None else found[:2]


def _weeks_unit(text: str) -> tuple[float, float, str] | None:
    """Weeks stated as weeks, months (4.345 weeks) or years (52.18 weeks), and which it was."""
    if m := _RE_WEEKS.search(text):
        return (*_range(m), "weeks")
    if m := _RE_MONTHS.search(text):
        lo, hi = _range(m)
        return lo * WEEKS_PER_MONTH, hi * WEEKS_PER_MONTH, "months"
    if m := _RE_YEARS.search(text):
        lo, hi = _range(m)
        return lo * WEEKS_PER_YEAR, hi * WEEKS_PER_YEAR, "years"
    return None


def parse_duration(
    text: str | None, *, length: str | None = None, unit: str = "hours"
) -> Effort | None:
    """Turn a free-text duration into expected total hours with a range.

    Args:
        text: the effort or duration text ("4-6 hours per week", "1.5 total hours", "8 weeks").
        length: a separate course length ("6 Weeks"), combined with a per-week effort.
        unit: what a bare number means: ``hours`` (total), ``video-hours`` (hours of video,
            scaled to learner time), ``minutes`` or ``weeks``.

    Returns:
        An :class:`Effort`, or None when the text says nothing usable ("Self-paced", "").
        Never raises on arbitrary text.
    """
    t = (text or "").strip()
    ln = (length or "").strip()
    if not t and not ln:
        return None
    both = f"{t} {ln}".strip()
    weeks = _weeks(ln) or _weeks(t.split(" for ")[-1] if " for " in t else "")
    if m := _RE_PER_WEEK.search(t):
        lo, hi = _range(m)
        if weeks is None:
            weeks = _weeks(_RE_PER_WEEK.sub(" ", t))
        if weeks is None:
            w = DEFAULT_WEEKS
            return _mk(lo * w, hi * w, "per-week (default 4 weeks)", est=True)
        return _mk(
            lo * weeks[0], hi * weeks[1], "per-week x weeks", mid=(lo + hi) / 2 * sum(weeks) / 2
        )
    if m := _RE_HM.search(t):
        h = (_f(m.group(1)) or 0) + (_f(m.group(2)) or 0) / 60
        return _mk(h, h, "hours + minutes")
    if m := _RE_LESS.search(t):  # "Less Than 2 Hours": between half and all of it
        h = _f(m.group(1)) or 0.0
        return _mk(h / 2, h, "less than N hours", mid=h * 0.75, est=True)
    if m := _RE_HOURS.search(t):
        lo, hi = _range(m)
        return _mk(lo, hi, "total hours")
    if m := _RE_MINUTES.search(t):
        lo, hi = _range(m)
        return _mk(lo / 60, hi / 60, "minutes")
    if m := _RE_BARE.match(t):
        lo, hi = _range(m)
        if unit == "video-hours":
            a, b, c = VIDEO_FACTOR
            return _mk(lo * a, hi * c, "video hours", mid=(lo + hi) / 2 * b)
        if unit == "minutes":
            return _mk(lo / 60, hi / 60, "minutes")
        if unit == "weeks":
            weeks = (lo, hi)
        else:
            return _mk(lo, hi, "total hours")
    unit_name = "weeks"
    if weeks is None and (found := _weeks_unit(both)) is not None:
        weeks, unit_name = found[:2], found[2]
    if weeks is not None:
        # Only a length ("6 Weeks", "1 - 3 Months", "1 - 4 Years"): 2-4-6 hours a week.
        a, b, c = DEFAULT_HOURS_PER_WEEK
        return _mk(
            weeks[0] * a,
            weeks[1] * c,
            f"{unit_name} (default hours/week)",
            mid=sum(weeks) / 2 * b,
            est=True,
        )
    if m := _RE_DAYS.search(both):
        lo, hi = _range(m)
        return _mk(lo * HOURS_PER_DAY, hi * HOURS_PER_DAY, "days", est=True)
    return None


def is_self_paced(text: str | None) -> bool:
    """True for a duration that states no length on purpose ("Self-paced", "Varies")."""
    t = (text or "").strip()
    return bool(_RE_SELF.search(t)) and not re.search(r"\d", t)


def effort_problem(effort: Effort) -> str | None:
    """Why parsed hours are impossible for a course (non-finite, over 2,000 hours), or None."""
    if not all(math.isfinite(x) for x in (effort.hours, effort.low, effort.high)):
        return "a number too large to be a duration"
    if effort.hours > MAX_TOTAL_HOURS:
        return (
            f"{effort.hours:,.0f} hours in total is more than the {MAX_TOTAL_HOURS:,.0f} hours "
            "any course takes"
        )
    return None


def duration_problem(text: str | None, *, unit: str = "hours") -> str | None:
    """Why one duration cell cannot be used, or None when it can (or says nothing on purpose).

    Refused: text that states no duration ("abc"), more hours per week than a week has (168),
    more than 2,000 hours in total, numbers too large to be finite. Empty and self-paced texts
    are fine: the course then gets its provider's default hours, flagged as an estimate.
    """
    t = (text or "").strip()
    if not t or is_self_paced(t):
        return None
    if m := _RE_PER_WEEK.search(t):
        hi = _range(m)[1]
        if not math.isfinite(hi):
            return "a number too large to be a duration"
        if hi > MAX_HOURS_PER_WEEK:
            return f"{hi:,g} hours per week: a week has only {MAX_HOURS_PER_WEEK:g} hours"
    e = parse_duration(t, unit=unit)
    if e is None:
        return (
            "not a duration (write e.g. '12 hours', '4-6 hours per week', '6 weeks', "
            "'1 - 3 months' or 'Self-paced')"
        )
    return effort_problem(e)


def duration_pattern(text: str | None) -> str:
    """A coarse shape of a duration text for the coverage table: digits become ``N``."""
    t = (text or "").strip()
    if not t:
        return "(empty)"
    if _RE_SELF.search(t) and not re.search(r"\d", t):
        return "self-paced"
    shape = re.sub(r"\d+(?:[.,]\d+)?", "N", t.lower())
    return re.sub(r"\s+", " ", shape)[:60]


# ----------------------------------------------------------------------------- prices

_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "₹": "INR", "¥": "JPY", "R$": "BRL"}
_ISO = re.compile(r"\b(USD|EUR|GBP|INR|JPY|CAD|AUD|BRL|CHF|CNY|MXN)\b", re.I)
_RE_MONEY = re.compile(
    r"([-−]\s*)?(R\$|[$€£₹¥])?\s*"
    r"(-?\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?|-?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?)"
)
_RE_FREE = re.compile(r"\bfree\b|\bgratis\b|\bgratuit\b|^\s*0+(?:[.,]0+)?\s*$", re.I)
_RE_CERT = re.compile(r"certificate|verified|upgrade", re.I)


class PriceError(ValueError):
    """A price text that is not a valid price (negative, unreadable)."""


def _money(m: re.Match[str]) -> float:
    """The signed amount of a money match: "-$49" and "$-49" are both -49."""
    s = m.group(3).replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        s = s.replace(",", "")
    amount = float(s.replace(",", "."))
    return -abs(amount) if m.group(1) else amount


def _check_amount(amount: float, what: str, shown: object) -> float:
    if not math.isfinite(amount):
        raise PriceError(f"{what} is not a finite number: {shown!r}")
    if amount < 0:
        raise PriceError(f"{what} must be >= 0, got {shown!r}")
    if amount > MAX_PRICE:
        big = f"{amount:,.0f}" if amount < 1e12 else f"{amount:.3g}"
        raise PriceError(f"{what} {big} is more than {MAX_PRICE:,.0f}: {shown!r}")
    return amount


def parse_price(text: object, *, currency: str = "USD", is_paid: bool | None = None) -> Price:
    """Normalise a price.

    Args:
        text: "49", "$49.99", "FREE-Add a Verified Certificate for $49 USD", "Free", 0, None.
        currency: ISO code assumed when the text names none.
        is_paid: a provider's explicit paid flag (Udemy ``is_paid``), which wins over the text.

    Raises:
        PriceError: negative or unreadable prices.
    """
    cur = currency.upper()
    if text is None or (isinstance(text, str) and not text.strip()):
        if is_paid:
            raise PriceError("the course is marked paid but has no price")
        return Price(0.0, cur, True)
    if isinstance(text, bool):
        raise PriceError(f"not a price: {text!r}")
    if isinstance(text, int | float):
        amount = _check_amount(float(text), "price", text)
        free = amount == 0 if is_paid is None else not is_paid
        return Price(amount, cur, free)
    s = str(text).strip()
    if m := _ISO.search(s):
        cur = m.group(1).upper()
    m = _RE_MONEY.search(s)
    if m and m.group(2):
        cur = _CURRENCY_SIGNS.get(m.group(2), cur)
    if _RE_FREE.search(s):
        cert = None
        if m and _RE_CERT.search(s):
            cert = _check_amount(_money(m), "certificate price", s)
        return Price(0.0, cur, True if is_paid is None else not is_paid, certificate=cert)
    if not m:
        raise PriceError(f"no amount found in {s!r}")
    amount = _check_amount(_money(m), "price", s)
    free = amount == 0 if is_paid is None else not is_paid
    return Price(amount, cur, free)
