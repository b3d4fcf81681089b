"""Dates as CVs write them, in English, German, French, Spanish, Dutch, Italian and Portuguese.

One date: "Jan 2019", "janvier 2019", "März 2018", "marzo de 2018", "1. März 2018", "2019-03",
"03/2019", "03.2018", "15.03.2018", "Summer 2019", "2019". A range joins two of them with a dash
or a word ("to", "bis", "à", "hasta", "tot", "al", "até"...); the end may be a "present" word
("present", "heute", "présent", "actualidad", "heden", "oggi", "atual"...), and "since 2018",
"seit 2018", "depuis 2016", "desde 2016", "sinds 2016", "dal 2016" open a range that is ongoing.

This is the project's one parser of CV dates: every CV reader uses it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = [
    "MONTHS",
    "PRESENT",
    "DateRange",
    "find_date_range",
    "find_date_ranges",
    "is_present",
    "join_split_ranges",
    "parse_date",
    "parse_date_range",
]


def _fold(text: str) -> str:
    """Lower case without accents ("Février" -> "fevrier"), so both spellings match."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch)
    )


_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("jan", "january", "januar", "jänner", "janvier", "janv", "enero", "ene", "januari",
        "gennaio", "gen", "janeiro"),
    2: ("feb", "february", "februar", "février", "févr", "fév", "febrero", "februari",
        "febbraio", "fevereiro", "fev"),
    3: ("mar", "march", "märz", "mär", "mrz", "mars", "marzo", "maart", "mrt", "março"),
    4: ("apr", "april", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "mei", "maggio", "mag", "maio"),
    6: ("jun", "june", "juni", "juin", "junio", "giugno", "giu", "junho"),
    7: ("jul", "july", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho"),
    8: ("aug", "august", "août", "aout", "agosto", "ago", "augustus"),
    9: ("sep", "sept", "september", "septembre", "septiembre", "setiembre", "settembre", "sett",
        "setembro", "set"),
    10: ("oct", "october", "okt", "oktober", "octobre", "octubre", "ottobre", "ott", "outubro",
         "out"),
    11: ("nov", "november", "novembre", "noviembre", "novembro"),
    12: ("dec", "december", "dez", "dezember", "décembre", "déc", "diciembre", "dic", "dicembre",
         "dezembro"),
}  # fmt: skip
# Seasons (English and the others' words) read as their first month.
_SEASONS: dict[int, tuple[str, ...]] = {
    3: ("spring", "frühling", "frühjahr", "printemps", "primavera", "lente"),
    6: ("summer", "sommer", "été", "verano", "zomer", "estate", "verão"),
    9: ("fall", "autumn", "herbst", "automne", "otoño", "herfst", "autunno", "outono"),
}  # fmt: skip

MONTHS: dict[str, int] = {}
"""Month and season words (folded: lower case, no accents) -> month number."""
for _m, _words in (*_MONTH_WORDS.items(), *_SEASONS.items()):
    for _w in _words:
        MONTHS.setdefault(_fold(_w), _m)

_PRESENT_WORDS = (
    # en
    "present", "the present", "now", "current", "currently", "today", "ongoing", "to date",
    "till date", "date", "onwards", "present day",
    # de
    "heute", "bis heute", "aktuell", "derzeit", "jetzt", "laufend", "gegenwärtig", "dato",
    "bis dato", "heute",
    # fr
    "présent", "aujourd'hui", "aujourd’hui", "à ce jour", "ce jour", "actuel", "actuellement",
    "en cours", "maintenant", "à présent",
    # es
    "presente", "actualidad", "la actualidad", "actual", "actualmente", "hoy", "hoy en día",
    "la fecha",
    # nl
    "heden", "nu", "huidig", "lopend", "tegenwoordig", "momenteel", "nog steeds",
    # it
    "oggi", "ad oggi", "attuale", "attualmente", "in corso",
    # pt
    "atual", "atualmente", "hoje", "o momento", "em curso", "momento",
)  # fmt: skip
PRESENT: set[str] = {_fold(w) for w in _PRESENT_WORDS}
"""Words for an ongoing end (folded: lower case, no accents)."""


def _alt(words: set[str] | list[str]) -> str:
    """A regex alternation, longest first, accepting each word with or without its accents."""
    forms: set[str] = set()
    for w in words:
        forms.add(re.escape(w))
    return "|".join(sorted(forms, key=len, reverse=True))


_ACCENTED_MONTHS = {w for ws in (*_MONTH_WORDS.values(), *_SEASONS.values()) for w in ws}
_MONTH_RE = _alt(_ACCENTED_MONTHS | set(MONTHS))
_PRESENT_RE = _alt({w for w in _PRESENT_WORDS} | PRESENT).replace("\\ ", r"\s+")
_YEAR = r"(?:19|20)\d\d"
# One date. Named month (optional day before it, optional "de"/"del"/"of" before the year),
# ISO year-month, month/year, day.month.year, or a bare year.
_DATE = (
    rf"(?:(?:[0-3]?\d(?:st|nd|rd|th|er|\.)?\s+)?(?:{_MONTH_RE})\.?,?\s+(?:(?:de|del|of)\s+)?{_YEAR}"
    rf"|{_YEAR}[-/][01]?\d(?:[-/][0-3]?\d)?"
    rf"|[0-3]?\d[/.][01]?\d[/.]{_YEAR}"
    rf"|[01]?\d[/.]{_YEAR}"
    rf"|{_YEAR})"
)
_END = rf"(?:{_DATE}|{_PRESENT_RE})"
_SEP = (
    r"\s*(?:-{1,2}|–|—|−|~|→|>|to|until|till|through|thru|bis|à|a|au|jusqu'à|hasta|al|tot|t/m"
    r"|até|ao|fino\s+a|a\s+oggi)\s*"
)
# A "present" word must not run on into a word ("now" in "nowadays", "date" in "dates").
_NOT_AFTER = r"(?![\w/-])"
_RANGE_RE = re.compile(rf"(?<![\w/.-])({_DATE}){_SEP}({_END}){_NOT_AFTER}", re.IGNORECASE)
# "Jan - Mar 2021": the start month takes the end's year.
_MONTH_PAIR_RE = re.compile(
    rf"(?<![\w/.-])({_MONTH_RE})\.?{_SEP}((?:{_MONTH_RE})\.?,?\s+{_YEAR}){_NOT_AFTER}",
    re.IGNORECASE,
)
# "since 2018", "seit 03/2018", "depuis janvier 2016", "desde 2016", "sinds 2016", "dal 2016".
_SINCE_RE = re.compile(
    rf"(?<![\w/.-])(?:since|seit|depuis|dès|desde|sinds|dal|dall'|dalla|a\s+partir\s+de)\s+"
    rf"(?:(?:le|el|il|de|del|het|em)\s+)?({_DATE}){_NOT_AFTER}",
    re.IGNORECASE,
)
# "03/2018 –" with nothing after the dash: an open range.
_OPEN_RE = re.compile(rf"(?<![\w/.-])({_DATE})\s*(?:-|–|—|−)\s*(?=$|[|,;)\]])", re.IGNORECASE)
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

    Accepts every form in this module's docstring, in the seven languages. Returns ``None`` for
    empty, "present"-like or unparseable text.
    """
    if not text:
        return None
    t = re.sub(r"\s+", " ", _fold(text).strip().rstrip("."))
    if not t or t in PRESENT:
        return None
    m = re.fullmatch(r"((?:19|20)\d\d)(?:[-/]([01]?\d)(?:[-/]([0-3]?\d))?)?(?:t.*)?", t)
    if m:
        month = int(m.group(2)) if m.group(2) else 1
        return _mk(int(m.group(1)), month)
    m = re.fullmatch(r"([01]?\d)[/.]((?:19|20)\d\d)", t)
    if m:
        return _mk(int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(
        r"(?:[0-3]?\d(?:st|nd|rd|th|er|\.)?\s+)?([a-z]+)\.?,?\s+(?:(?:de|del|of)\s+)?"
        r"((?:19|20)\d\d)",
        t,
    )
    if m and m.group(1) in MONTHS:
        return _mk(int(m.group(2)), MONTHS[m.group(1)])
    m = re.fullmatch(r"([0-3]?\d)[/.]([0-3]?\d)[/.]((?:19|20)\d\d)", t)
    if m:  # day first (15.03.2019, 15/03/2019); month first only when the day cannot be a month
        a, b = int(m.group(1)), int(m.group(2))
        return _mk(int(m.group(3)), b if b <= 12 else a)
    return None


def _mk(year: int, month: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    return date(year, month, 1)


def is_present(text: str | None) -> bool:
    """True for "present", "now", "heute", "présent", "actualidad" and the like."""
    if not text:
        return False
    return re.sub(r"\s+", " ", _fold(text).strip().rstrip(".")) in PRESENT


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


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"\d{4}", text.strip()))


def _range(start_txt: str, end_txt: str, whole: str) -> DateRange | None:
    start = parse_date(start_txt)
    current = is_present(end_txt)
    end = None if current else parse_date(end_txt)
    if start is None:
        return None
    if end is not None and _is_year(end_txt):
        # "2015 - 2018": worked into 2018; take mid-year rather than January.
        mid = date(end.year, 6, 1)
        end = mid if start <= mid else date(end.year, 12, 1)
    if end is not None and end < start:
        start, end = end, start
    return DateRange(start, end, current, whole)


def find_date_ranges(text: str) -> list[tuple[DateRange, int, int]]:
    """Every date range (or single date) in ``text``, left to right, with its span."""
    out: list[tuple[DateRange, int, int]] = []
    pos = 0
    while pos < len(text):
        found = find_date_range(text[pos:])
        if found is None:
            break
        dr, a, b = found
        out.append((dr, pos + a, pos + b))
        pos += max(b, 1)
    return out


def find_date_range(text: str) -> tuple[DateRange, int, int] | None:
    """Find the first date range (or single date) in ``text``: the range and its span."""
    best: tuple[DateRange, int, int] | None = None
    for m in _RANGE_RE.finditer(text):
        dr = _range(m.group(1), m.group(2), m.group(0))
        if dr is not None:
            best = (dr, m.start(), m.end())
            break
    m2 = _MONTH_PAIR_RE.search(text)
    if m2 and (best is None or m2.start() < best[1]):
        end = parse_date(m2.group(2))
        month = MONTHS.get(_fold(m2.group(1)))
        if end is not None and month is not None:
            start = date(end.year, month, 1)
            if start > end:
                start = date(end.year - 1, month, 1)
            best = (DateRange(start, end, False, m2.group(0)), m2.start(), m2.end())
    for rx in (_SINCE_RE, _OPEN_RE):
        m3 = rx.search(text)
        if m3 and (best is None or m3.start() < best[1]):
            d = parse_date(m3.group(1))
            if d is not None:
                best = (DateRange(d, None, True, m3.group(0)), m3.start(), m3.end())
    if best is not None:
        return best
    single = _SINGLE_RE.search(text)
    if single:
        d = parse_date(single.group(1))
        if d is None:
            return None
        end = date(d.year, 12, 1) if _is_year(single.group(1)) else d
        return DateRange(d, end, False, single.group(0)), single.start(), single.end()
    return None


_LONE_DATE_RE = re.compile(rf"\s*{_DATE}\s*", re.IGNORECASE)
_LONE_END_RE = re.compile(rf"\s*{_END}\s*", re.IGNORECASE)
_LONE_SEP_RE = re.compile(rf"{_SEP}", re.IGNORECASE)


def join_split_ranges(lines: list[str]) -> list[str]:
    """Lines with a date range that the layout broke over three lines ("January 2004" / "to" /
    "January 2012", a column of dates in some PDF templates) joined into one line, so that the
    range dates one entry instead of opening three entries titled "to"."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if (
            i + 2 < len(lines)
            and _LONE_DATE_RE.fullmatch(lines[i])
            and lines[i + 1].strip()
            and _LONE_SEP_RE.fullmatch(lines[i + 1])
            and _LONE_END_RE.fullmatch(lines[i + 2])
        ):
            out.append(f"{lines[i].strip()} to {lines[i + 2].strip()}")
            i += 3
            continue
        out.append(lines[i])
        i += 1
    return out
