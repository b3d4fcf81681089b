"""Reading the tagged catalogue back: ``load_catalog``, ``get_course``, search and export."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import select

from skillpath.catalog._model import Course, CourseSkill, Prerequisite
from skillpath.catalog._quality import bayesian
from skillpath.errors import NotFoundError
from skillpath.store import Store
from skillpath.store.models.catalog import CatCourse, CatCourseSkill, CatPrerequisite, CatRating

EXPORT_SCHEMA_VERSION = "1.0"


def _prior(ratings: Iterable[CatRating]) -> tuple[float, float, str | None]:
    n = tot = sq = 0.0
    last: str | None = None
    for r in ratings:
        n += r.count
        tot += r.total
        sq += r.total_sq
        if r.last and (last is None or r.last > last):
            last = r.last
    if not n:
        return 4.0, 1.0, None
    mean = tot / n
    return mean, max(0.05, sq / n - mean * mean), last


def _to_course(
    c: CatCourse,
    skills: Sequence[CourseSkill],
    prereqs: Sequence[Prerequisite],
    rating: CatRating | None,
    prior: tuple[float, float, str | None],
) -> Course:
    value = lcb = None
    count = c.stated_rating_count or 0
    last = None
    extra: dict[str, object] = {
        "level_why": c.level_why,
        "bloom_cues": list(c.bloom_cues or []),
        "hours_pattern": c.hours_pattern,
        "duration_text": c.duration_text,
        "certificate_price": c.certificate_price,
        # ISO 639-1 language, stated by the provider or detected from the text (decision 0063)
        "language": (c.raw or {}).get("_language")
        or {"code": "", "confidence": 0.0, "source": "unknown"},
        "instructors": c.instructors,
        "published": c.published,
    }
    if rating is not None and rating.count:
        value, lcb = bayesian(
            rating.count, rating.total, rating.total_sq, prior_mean=prior[0], prior_var=prior[1]
        )
        count = rating.count
        last = rating.last
        extra["raw_mean"] = round(rating.total / rating.count, 4)
        extra["histogram"] = list(rating.histogram)
        if prior[2]:
            year = prior[2][:4]
            c_y = sum(v[0] for k, v in rating.by_year.items() if k >= year)
            t_y = sum(v[1] for k, v in rating.by_year.items() if k >= year)
            extra["recent_count"] = int(c_y)
            extra["recent_mean"] = round(t_y / c_y, 4) if c_y else None
    elif c.stated_rating is not None:
        # A provider's own average with its count: shrink it the same way.
        n = count or 1
        value, lcb = bayesian(
            n,
            c.stated_rating * n,
            (c.stated_rating**2) * n,
            prior_mean=prior[0],
            prior_var=prior[1],
        )
    pop = c.popularity if c.popularity is not None else (count or None)
    return Course(
        id=c.id,
        title=c.title,
        provider=c.provider,
        url=c.url,
        language=c.language or str(((c.raw or {}).get("_language") or {}).get("code") or ""),
        institution=c.institution,
        subject=c.subject,
        summary=c.summary or c.description[:300],
        level=c.level,
        level_label=c.level_label,
        bloom=c.bloom,
        hours=c.hours,
        hours_low=c.hours_low,
        hours_high=c.hours_high,
        hours_estimated=c.hours_estimated,
        price=c.price,
        currency=c.currency,
        is_free=c.is_free,
        rating=value,
        rating_lcb=lcb,
        rating_count=count,
        last_rated=last,
        popularity=pop,
        skills=tuple(skills),
        prerequisites=tuple(prereqs),
        duplicate_of=c.duplicate_of,
        provider_skills=tuple(c.provider_skills or ()),
        extra=extra,
    )


def load_catalog(
    store: Store, *, include_duplicates: bool = False, ids: Iterable[str] | None = None
) -> list[Course]:
    """Every stored course as an immutable :class:`Course`, with skills, prerequisites, quality.

    Args:
        store: the store.
        include_duplicates: also return courses marked as duplicates of another.
        ids: only these course ids.

    Returns:
        Courses sorted by id (empty when nothing is imported).
    """
    if ids is None and not include_duplicates:
        # the whole catalogue: from the derived-data cache when the store is unchanged (0132)
        from skillpath.store._derived import cached, pickle_by_init, source_hash

        pickle_by_init(Course, CourseSkill, Prerequisite)
        return cached(
            store,
            "catalog",
            lambda: _read_catalog(store, include_duplicates=False, ids=None),
            parts=["catalog"],
            version="catalog-1|"
            + source_hash(
                "skillpath.catalog._catalog",
                "skillpath.catalog._model",
                "skillpath.catalog._quality",
            ),
            check=lambda v: isinstance(v, list),
        )
    return _read_catalog(store, include_duplicates=include_duplicates, ids=ids)


def _read_catalog(
    store: Store, *, include_duplicates: bool, ids: Iterable[str] | None
) -> list[Course]:
    with store.session() as s:
        q = select(CatCourse).order_by(CatCourse.id)
        sq = select(CatCourseSkill).order_by(CatCourseSkill.course_id, CatCourseSkill.rank)
        pq = select(CatPrerequisite)
        if ids is not None:
            wanted = list(ids)
            q = q.where(CatCourse.id.in_(wanted))
            sq = sq.where(CatCourseSkill.course_id.in_(wanted))
            pq = pq.where(CatPrerequisite.course_id.in_(wanted))
        if not include_duplicates:
            q = q.where(CatCourse.duplicate_of.is_(None))
        rows = list(s.scalars(q))
        skills: dict[str, list[CourseSkill]] = {}
        for r in s.scalars(sq):
            skills.setdefault(r.course_id, []).append(
                CourseSkill(r.skill_id, r.label, r.confidence, r.level, r.why)
            )
        prereqs: dict[str, list[Prerequisite]] = {}
        for p in s.scalars(pq):
            prereqs.setdefault(p.course_id, []).append(
                Prerequisite(p.kind, p.ref, p.level, p.source, p.label, p.evidence)
            )
        all_ratings = list(s.scalars(select(CatRating)))
    prior = _prior(all_ratings)
    by_key = {f"{r.provider}:{r.native_id}": r for r in all_ratings}
    return [
        _to_course(
            c,
            skills.get(c.id, ()),
            sorted(prereqs.get(c.id, ()), key=lambda p: (p.kind, p.ref)),
            by_key.get(c.id),
            prior,
        )
        for c in rows
    ]


def get_course(store: Store, course_id: str) -> Course:
    """One course by id (also a duplicate), e.g. ``udemy:1070968``.

    Raises:
        NotFoundError: no course has that id.
    """
    found = load_catalog(store, include_duplicates=True, ids=[course_id])
    if not found:
        raise NotFoundError(
            "no course with this id; try `skillpath catalog search`", value=course_id
        )
    return found[0]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A search answer: the course, its relevance score and the skills that matched."""

    course: Course
    score: float
    matched_skills: tuple[str, ...] = ()


def _tokens(text: str) -> list[str]:
    from skillpath.text import analyze

    return analyze(text)


def search(
    courses: Sequence[Course],
    query: str = "",
    *,
    skills: Sequence[str] = (),
    free: bool = False,
    max_hours: float | None = None,
    max_price: float | None = None,
    provider: str | None = None,
    language: str | None = None,
    limit: int = 10,
) -> list[SearchHit]:
    """Rank courses for a free-text query, after filters.

    Relevance is BM25 over title (x3), subject, summary and skill labels, multiplied by a mild
    quality factor (rating lower bound, popularity). A ``skills`` filter keeps courses teaching
    each named skill (an id, or a label substring).

    Returns:
        At most ``limit`` hits, best first; ties broken by id. Never duplicates.
    """
    pool = []
    for c in courses:
        if free and not c.is_free:
            continue
        if max_hours is not None and (c.hours is None or c.hours > max_hours):
            continue
        if max_price is not None and c.price > max_price:
            continue
        if provider and c.provider != provider.lower():
            continue
        if language and language.lower() not in c.language.lower():
            continue
        matched: list[str] = []
        ok = True
        for want in skills:
            w = want.lower()
            hit = next(
                (s for s in c.skills if s.skill_id.lower() == w or w in s.label.lower()), None
            )
            if hit is None:
                ok = False
                break
            matched.append(hit.label)
        if ok:
            pool.append((c, tuple(matched)))
    q = _tokens(query)
    if not pool:
        return []
    docs = []
    for c, _ in pool:
        toks = _tokens(c.title) * 3 + _tokens(c.subject) + _tokens(c.summary[:400])
        for s in c.skills[:8]:
            toks += _tokens(s.label)
        docs.append(toks)
    n = len(docs)
    avg = sum(len(d) for d in docs) / n or 1.0
    df: dict[str, int] = {}
    for d in docs:
        for t in set(d):
            df[t] = df.get(t, 0) + 1
    hits = []
    for (c, found), d in zip(pool, docs, strict=True):
        score = 0.0
        if q:
            tf: dict[str, int] = {}
            for t in d:
                tf[t] = tf.get(t, 0) + 1
            for t in set(q):
                f = tf.get(t, 0)
                if f:
                    idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                    score += idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * len(d) / avg))
            if score <= 0:
                continue
            cover = len(set(q) & set(d)) / len(set(q))
            score *= 0.5 + 0.5 * cover
        else:
            score = 1.0
        quality = 1.0
        if c.rating_lcb is not None:
            quality += 0.15 * (c.rating_lcb - 4.0)
        if c.popularity:
            quality += 0.02 * math.log10(1 + c.popularity)
        hits.append(SearchHit(c, round(score * quality, 4), found))
    hits.sort(key=lambda h: (-h.score, h.course.id))
    return hits[:limit]


def course_to_json(c: Course) -> dict[str, object]:
    """The export form of a course (documented in docs/catalog.md)."""
    d = asdict(c)
    d["skills"] = [asdict(s) for s in c.skills]
    d["prerequisites"] = [asdict(p) for p in c.prerequisites]
    return d


def export_catalog(courses: Sequence[Course]) -> dict[str, object]:
    """The whole catalogue as one JSON-ready document (schema ``skillpath-catalog`` 1.0)."""
    return {
        "schema": "skillpath-catalog",
        "version": EXPORT_SCHEMA_VERSION,
        "count": len(courses),
        "courses": [course_to_json(c) for c in courses],
    }
