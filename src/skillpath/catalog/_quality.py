"""Rating aggregation: Bayesian average, lower confidence bound, recency.

Decision 0033: a course's rating is the posterior mean of its 1-5 ratings with a prior of
``PRIOR_WEIGHT`` pseudo-ratings at the global mean (shrinks courses with few ratings towards the
catalogue average); the lower bound is that mean minus 1.96 standard errors, with the variance
shrunk the same way.
"""

from __future__ import annotations

import math
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from skillpath._archive import open_zip
from skillpath._csv import read_csv
from skillpath.errors import InputError

PRIOR_WEIGHT = 20.0
Z95 = 1.96


@dataclass
class RatingStats:
    """Sufficient statistics of one course's ratings (mutable accumulator)."""

    count: int = 0
    total: float = 0.0
    total_sq: float = 0.0
    histogram: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])
    first: str | None = None
    last: str | None = None
    by_year: dict[str, list[float]] = field(default_factory=dict)  # year -> [count, total]

    def add(self, value: float, day: str | None = None) -> None:
        """Add one rating (1-5) given on ``day`` (ISO date, optional)."""
        self.count += 1
        self.total += value
        self.total_sq += value * value
        self.histogram[min(4, max(0, round(value) - 1))] += 1
        if day:
            if self.first is None or day < self.first:
                self.first = day
            if self.last is None or day > self.last:
                self.last = day
            y = self.by_year.setdefault(day[:4], [0.0, 0.0])
            y[0] += 1
            y[1] += value

    def recent_mean(self, year: str) -> float | None:
        """Mean of the ratings given in ``year`` and later (None if none)."""
        c = sum(v[0] for k, v in self.by_year.items() if k >= year)
        t = sum(v[1] for k, v in self.by_year.items() if k >= year)
        return round(t / c, 4) if c else None

    @property
    def mean(self) -> float:
        """The raw mean (0 without ratings)."""
        return self.total / self.count if self.count else 0.0


@dataclass(frozen=True, slots=True)
class Quality:
    """Aggregated quality of one course."""

    rating: float | None
    rating_lcb: float | None
    rating_count: int
    raw_mean: float | None = None
    recent_mean: float | None = None
    last_rated: str | None = None


def bayesian(
    count: int,
    total: float,
    total_sq: float,
    *,
    prior_mean: float,
    prior_var: float,
    prior_weight: float = PRIOR_WEIGHT,
) -> tuple[float, float]:
    """Posterior mean and its 95 % lower bound for ratings with the given sums.

    Args:
        count, total, total_sq: number, sum and sum of squares of the ratings.
        prior_mean, prior_var: the global mean and variance of all ratings.
        prior_weight: pseudo-ratings at the prior.
    """
    n = count + prior_weight
    mean = (total + prior_weight * prior_mean) / n
    # Shrunk variance: the prior contributes prior_weight draws with the global variance.
    ss = total_sq - (total * total / count if count else 0.0)
    var = (ss + prior_weight * prior_var) / max(1.0, n - 1)
    lcb = mean - Z95 * math.sqrt(var / n)
    return round(mean, 4), round(max(1.0, lcb), 4)


def read_ratings(path: Path) -> tuple[dict[str, RatingStats], list[str]]:
    """Read a ratings file (CSV, or a zip holding one CSV): columns course_id, rating, date.

    Returns per-course statistics and warnings (skipped rows, with counts by reason).

    Raises:
        InputError: the file is missing, not UTF-8, or lacks the needed columns.
    """
    if not path.exists():
        raise InputError("ratings file not found", file=path)
    if zipfile.is_zipfile(path):
        # bounded expansion, and the 52 MB ratings CSV is streamed, never held whole
        zf = open_zip(path, what="ratings archive")
        names = [i for i in zf.files() if i.filename.lower().endswith(".csv")]
        if not names:
            zf.close()
            raise InputError("the zip holds no .csv ratings file", file=path)
        table = read_csv(zf.open(names[0]), file=f"{path}!{names[0].filename}", prefer=",")
        zf.close()  # the member stream keeps the file open until it is read
    else:
        table = read_csv(path, prefer=",")
    return aggregate(chain([table.header], (rec for _row, rec in table.rows)), file=str(path))


def aggregate(
    rows: Iterable[list[str]], *, file: str = ""
) -> tuple[dict[str, RatingStats], list[str]]:
    """Aggregate rating rows (first row = header with course_id, rating, optional date)."""
    it = iter(rows)
    header = [h.strip().lower() for h in next(it, [])]

    def col(*names: str) -> int | None:
        for n in names:
            if n in header:
                return header.index(n)
        return None

    ci, ri = col("course_id", "course", "id"), col("rating", "stars", "score")
    di = col("date_reviews", "date", "reviewed_at", "timestamp")
    if ci is None or ri is None:
        raise InputError(f"ratings need columns course_id and rating; found {header}", file=file)
    stats: dict[str, RatingStats] = {}
    bad = 0
    for row in it:
        try:
            v = float(row[ri])
            cid = row[ci].strip()
        except (ValueError, IndexError):
            bad += 1
            continue
        if not cid or not 1 <= v <= 5:
            bad += 1
            continue
        day = row[di][:10] if di is not None and di < len(row) else None
        st = stats.get(cid)
        if st is None:
            st = stats[cid] = RatingStats()
        st.add(v, day)
    warnings = [f"{bad} rating rows skipped (no course id, or rating not in 1-5)"] if bad else []
    return stats, warnings


def summarise(stats: dict[str, RatingStats]) -> tuple[float, float]:
    """Global mean and variance over all ratings (the Bayesian prior)."""
    n = sum(s.count for s in stats.values())
    if not n:
        return 4.0, 1.0
    tot = sum(s.total for s in stats.values())
    sq = sum(s.total_sq for s in stats.values())
    mean = tot / n
    return mean, max(0.05, sq / n - mean * mean)
