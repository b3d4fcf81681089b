"""The plan pipeline wired once, in one readable place: learner -> gap -> candidates -> optimise -> schedule."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillpath.errors import InputError
from skillpath.plan._build import build_plan
from skillpath.plan._gap import analyse_gap, occupation_levels
from skillpath.plan._model import Plan, PlanRequest
from skillpath.taxonomy import Occupation, Taxonomy


@dataclass(frozen=True)
class Learner:
    """Where a learner stands: a label, levels and uncertainty by skill id, current occupation."""

    label: str
    levels: dict[str, float]
    sds: dict[str, float]
    current: Occupation | None
    evidence: dict[str, tuple[str, ...]]
    languages: tuple[
        str, ...
    ] = ()  # what the learner reads (the CV's language, its languages section)


def learner_from_role(tax: Taxonomy, role: str) -> Learner:
    """A learner described by the occupation they hold (its O*NET levels)."""
    occ = tax.get_occupation(role)
    levels, sds = occupation_levels(tax, occ)
    return Learner(
        label=f"a {occ.label.rstrip('s')}" if occ.label.endswith("s") else occ.label,
        levels=levels,
        sds=sds,
        current=occ,
        evidence={},
    )


def learner_from_cv(tax: Taxonomy, cv: Path, *, today: dt.date | None = None) -> Learner:
    """A learner read from a CV (JSON Resume, LinkedIn export, PDF, DOCX, text)."""
    from skillpath.profile import infer_profile, read_cv

    profile = read_cv(cv)
    state = infer_profile(profile, tax, today=today)
    cur = state.current_occupation
    occ = tax.occupations.get(cur.occupation_id) if cur else None
    return Learner(
        label=profile.name or cv.stem,
        levels=dict(state.levels),
        sds=dict(state.sds),
        current=occ,
        evidence={e.skill_id: e.evidence for e in state.estimates},
        languages=_languages(profile),
    )


def _languages(profile: Any) -> tuple[str, ...]:
    """The languages a CV shows its author reads: the CV's own language (``Profile.language``, when
    the reader detects it) and the languages it lists, as ISO 639-1 codes."""
    from skillpath.catalog._language import language_code

    names = [str(getattr(profile, "language", "") or "")]
    for x in getattr(profile, "languages", None) or ():
        names.append(str(getattr(x, "language", None) or getattr(x, "name", None) or x))
    return tuple(dict.fromkeys(c for c in (language_code(n) for n in names) if c))


def make_plan(
    tax: Taxonomy,
    courses: Sequence[Any],
    learner: Learner,
    target: str,
    request: PlanRequest,
    *,
    today: dt.date | None = None,
) -> Plan:
    """Build the optimal plan for ``learner`` towards ``target`` (a title, a code, or ``current``).

    Raises:
        InputError: an unknown role, ``current`` without a known current occupation, bad constraints,
            or an empty catalogue.
    """
    tax.require_data()
    if target.strip().lower() == "current":
        if learner.current is None:
            raise InputError(
                "--target current needs a current role, and none was recognised in the CV; "
                "name the target role instead",
                value=target,
            )
        occ = learner.current
    else:
        occ = tax.get_occupation(target)
    gap = analyse_gap(tax, occ, learner.levels, learner.sds, current=learner.current)
    if not request.languages and learner.languages:
        # plan only in the learner's languages (from the CV); --language overrides
        from dataclasses import replace

        request = replace(request, languages=learner.languages)
    relevance = target_relevance(tax, occ, courses)  # once: the pool, credit and scores share it
    pool = relevant_courses(tax, occ, courses, gap, relevance=relevance)
    plan = build_plan(
        tax,
        pool or courses,
        gap,
        request,
        target=occ,
        levels=learner.levels,
        learner=learner.label,
        today=today,
        scores=recommendation_scores(pool or courses, gap, tax, relevance=relevance),
        relevance=relevance,
        explain=lambda ids: relevance_reasons(tax, occ, courses, ids),
    )
    return plan


RELEVANT_POOL = (
    300  # courses most about the target's work that the plan and recommendations draw from
)
_VECTORS: dict[int, tuple[Any, Any, Any]] = {}


def _relevance_parts(
    tax: Taxonomy, target: Occupation, courses: Sequence[Any]
) -> tuple[Any, Any, Any]:
    """(vectoriser, course matrix, target query vector): word TF-IDF of each course's title (twice),
    subject and summary against the target's title (three times) and description. Words in more
    than a fifth of the catalogue ("learn", "course") or in one course only carry no topic."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    key = id(courses)
    if key not in _VECTORS:
        docs = [f"{c.title} {c.title} {c.subject} {c.summary}" for c in courses]
        few = len(docs) < 50  # a small test catalogue: every word counts
        vec = TfidfVectorizer(
            stop_words="english",
            sublinear_tf=True,
            min_df=1 if few else 2,
            max_df=1.0 if few else 0.2,
        )
        _VECTORS.clear()
        _VECTORS[key] = (courses, vec, vec.fit_transform(docs))
    _c, vec, mat = _VECTORS[key]
    return vec, mat, vec.transform([" ".join([target.label] * 3 + [target.description])])


W_WORDS = 0.5  # relevance = this share of word overlap + the rest of meaning (decision 0141)


def target_relevance(tax: Taxonomy, target: Occupation, courses: Sequence[Any]) -> dict[str, float]:
    """How much each course is about the target's work, in [0, 1] (the best course 1): half word
    TF-IDF of its title, subject and summary with the target's title and description, half the
    cosine of their MiniLM embeddings (above the catalogue mean), each scaled by its best course.
    Measured on the advice benchmark's 14 moves, top 10 on topic: words alone 56 %, meaning alone
    68 %, both 67 % (and the best top 20); the previous query with tasks and tools 44 %."""
    import numpy as np

    _vec, mat, q = _relevance_parts(tax, target, courses)
    words = (mat @ q.T).toarray().ravel()
    rel = words / (words.max() or 1.0)
    from skillpath.catalog._embed import course_embeddings

    emb = course_embeddings(courses) if len(courses) >= 50 else None
    if emb is not None:
        from skillpath.text._semantic import default_encoder

        v = np.asarray(default_encoder().encode([f"{target.label}. {target.description}"])[0])
        sem = emb @ (v / (np.linalg.norm(v) + 1e-9))
        sem = np.clip((sem - sem.mean()) / ((sem.max() - sem.mean()) or 1.0), 0.0, 1.0)
        rel = W_WORDS * rel + (1 - W_WORDS) * sem
    return {c.id: float(x) for c, x in zip(courses, rel, strict=True)}


# words every course description uses about itself, never what it is about
_COURSE_SPEAK = frozenset(
    [
        "learn",
        "learning",
        "understand",
        "understanding",
        "course",
        "courses",
        "introduction",
        "intro",
        "fundamentals",
        "essential",
        "essentials",
        "basics",
        "basic",
        "skills",
        "skill",
        "start",
        "started",
        "success",
        "successful",
        "successfully",
        "strategies",
        "strategy",
        "complete",
        "master",
        "guide",
        "beginners",
        "beginner",
        "using",
        "use",
        "practical",
        "tools",
        "techniques",
        "various",
        "develop",
        "developing",
        "effective",
        "professional",
        "certificate",
        "part",
        "step",
        "world",
        "real",
        "need",
        "needed",
        "topics",
        "concepts",
        "approach",
        "apply",
        "applied",
        "key",
        "new",
    ]
)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


def relevance_reasons(
    tax: Taxonomy, target: Occupation, courses: Sequence[Any], ids: Sequence[str]
) -> dict[str, str]:
    """Why each course in ``ids`` is about the target's work, quoting the course's own sentence
    that carries most of the words it shares with the role (title, description, tasks, tools)."""
    import numpy as np

    vec, mat, q = _relevance_parts(tax, target, courses)
    vocab = vec.get_feature_names_out()
    row_of = {c.id: i for i, c in enumerate(courses)}
    qd = q.toarray().ravel()
    n_docs = mat.shape[0]
    # words in more than 10 % of the catalogue carry no topic to quote, nor does course-speak
    floor = float(np.log((1 + n_docs) / (1 + 0.1 * n_docs)) + 1) if n_docs >= 50 else 0.0
    out: dict[str, str] = {}
    for cid in ids:
        i = row_of.get(cid)
        if i is None:
            continue
        prod = mat[i].multiply(qd).multiply(vec.idf_ >= floor).tocoo()
        pairs = sorted(
            ((v, j) for v, j in zip(prod.data, prod.col, strict=True) if v > 0), reverse=True
        )[:8]
        terms = [str(vocab[j]) for _v, j in pairs if str(vocab[j]) not in _COURSE_SPEAK]
        c = courses[i]
        if not terms:  # related in meaning, not in words: quote the course's first sentence
            first = _SENTENCE.split((c.summary or "").strip())[0].strip() or c.title
            if len(first) > 160:
                first = first[:157].rsplit(" ", 1)[0] + "..."
            out[cid] = f"close in meaning to the work of {target.label}: the course says '{first}'"
            continue
        best, hits = "", 0
        for sent in [c.title, *_SENTENCE.split(c.summary or "")]:
            low = sent.lower()
            n = sum(1 for t in terms if re.search(rf"\b{re.escape(t)}", low))
            if n > hits:
                best, hits = sent.strip(), n
        if not best:
            continue
        if len(best) > 160:
            best = best[:157].rsplit(" ", 1)[0] + "..."
        shared = ", ".join(t for t in terms if re.search(rf"\b{re.escape(t)}", best.lower()))
        out[cid] = f"about the work of {target.label} ({shared}): the course says '{best}'"
    return out


def relevant_courses(
    tax: Taxonomy,
    target: Occupation,
    courses: Sequence[Any],
    gap: Any,
    n: int = RELEVANT_POOL,
    relevance: dict[str, float] | None = None,
) -> list[Any]:
    """The courses a plan for ``target`` draws from: the ``n`` most about the target's work, plus
    any whose title names a technology or tool of the gap (a "Workday" course for an HR role).
    ``relevance``: :func:`target_relevance` of ``courses`` when the caller already has it."""
    if not courses:
        return []
    rel = relevance if relevance is not None else target_relevance(tax, target, courses)
    ranked = sorted(courses, key=lambda c: -rel[c.id])
    keep = {c.id for c in ranked[:n] if rel[c.id] > 0}
    techs = {g.skill_id for g in gap.skills if g.relation in ("technology", "tool")}
    for c in courses:
        if any(t.skill_id in techs and str(t.why).startswith("title") for t in c.skills):
            keep.add(c.id)
    return [c for c in courses if c.id in keep]


def recommendation_scores(
    courses: Sequence[Any],
    gap: Any,
    tax: Taxonomy,
    n: int = 300,
    relevance: dict[str, float] | None = None,
) -> dict[str, float]:
    """The recommender's scores (gap fit x quality signals) for the courses that fit this gap best,
    scaled to [0, 1]: the planner prefers what the recommender would recommend (decision 0064)."""
    from skillpath.recommend import GapEntry, recommend_courses

    entries = {
        g.skill_id: GapEntry(g.current, g.required, round(g.weight * g.probability, 4))
        for g in gap.skills
    }
    if not entries or not courses:
        return {}
    recs = recommend_courses(
        courses,
        gap=entries,
        n=min(n, len(courses)),
        diversity=0.0,
        skill_labels={s: getattr(tax.skills.get(s), "label", s) for s in entries},
        relevance=relevance,
    )
    top = max((r.score for r in recs), default=0.0)
    return {r.course: round(r.score / top, 4) for r in recs} if top > 0 else {}
