"""Dates as CVs write them: "Jan 2019", "2019-03", "03/2019", "2019", and ranges between them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["DateRange", "find_date_range", "parse_date", "parse_date_range"]

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
PRESENT = {"present", "now", "current", "today", "ongoing", "date", "to date", "till date"}

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
# One date: "Jan 2019", "January, 2019", "2019-03(-01)", "03/2019", "3.2019", "2019".
_DATE = (
    rf"(?:(?:{_MONTH_NAMES})\.?,?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d-[01]?\d(?:-[0-3]?\d)?"
    r"|[01]?\d[/.](?:19|20)\d\d"
    r"|(?:19|20)\d\d)"
)
_END = rf"(?:{_DATE}|present|now|current|today|ongoing|to date|till date|date)"
_SEP = r"\s*(?:-|–|—|−|to|until|till|→|>)\s*"
_RANGE_RE = re.compile(rf"(?<![\w/.-])({_DATE}){_SEP}({_END})(?![\w/-])", re.IGNORECASE)
_SINGLE_RE = re.compile(rf"(?<![\w/.-])({_DATE})(?![\w/-])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateRange:
    """A parsed range: ``end`` is ``None`` when ``current`` (or unknown)."""

    start: date | None
    end: date | None
    current: bool
    text: str = ""


def parse_date(text: str | None) -> date | None:
    """Parse one CV date to the first day of its month (January when only a year is given).

    Returns ``None`` for empty, "present"-like or unparseable text.
    """
    if not text:
        return None
    t = text.strip().lower().rstrip(".")
    if not t or t in PRESENT:
        return None
    m = re.fullmatch(r"((?:19|20)\d\d)(?:-([01]?\d)(?:-([0-3]?\d))?)?(?:t.*)?", t)
    if m:
        month = int(m.group(2)) if m.group(2) else 1
        return _mk(int(m.group(1)), month)
    m = re.fullmatch(r"([01]?\d)[/.]((?:19|20)\d\d)", t)
    if m:
        return _mk(int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(r"([a-z]+)\.?,?\s+((?:19|20)\d\d)", t)
    if m and m.group(1) in MONTHS:
        return _mk(int(m.group(2)), MONTHS[m.group(1)])
    m = re.fullmatch(r"[0-3]?\d[/.]([01]?\d)[/.]((?:19|20)\d\d)", t)  # 15/03/2019 (day first)
    if m:
        return _mk(int(m.group(2)), int(m.group(1)))
    return None


def _mk(year: int, month: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    return date(year, month, 1)


def is_present(text: str | None) -> bool:
    """True for "present", "now", "current" and the like."""
    return bool(text) and text.strip().lower().rstrip(".") in PRESENT  # type: ignore[union-attr]


def parse_date_range(text: str) -> DateRange | None:
    """Parse a whole string as a date range ("2019 - present", "Jan 2018 – Mar 2021", "2020").

    A single date is read as a range that starts and ends that month (a one-off), except a bare
    year, which is read as January to December of that year. Returns ``None`` if nothing parses.
    A range whose end is before its start is returned with start and end swapped.
    """
    found = find_date_range(text)
    if found is None:
        return None
    return found[0]


def find_date_range(text: str) -> tuple[DateRange, int, int] | None:
    """Find the first date range (or single date) in ``text``: the range and its span."""
    m = _RANGE_RE.search(text)
    if m:
        start = parse_date(m.group(1))
        end_txt = m.group(2)
        current = is_present(end_txt)
        end = None if current else parse_date(end_txt)
        if end is not None and re.fullmatch(r"\d{4}", end_txt.strip()):
            # "2015 - 2018": worked into 2018; take mid-year rather than January.
            mid = date(end.year, 6, 1)
            end = mid if start is None or start <= mid else date(end.year, 12, 1)
        if start is not None and end is not None and end < start:
            start, end = end, start
        return DateRange(start, end, current, m.group(0)), m.start(), m.end()
    m = _SINGLE_RE.search(text)
    if m:
        d = parse_date(m.group(1))
        if d is None:
            return None
        end = date(d.year, 12, 1) if re.fullmatch(r"\d{4}", m.group(1).strip()) else d
        return DateRange(d, end, False, m.group(0)), m.start(), m.end()
    return None
