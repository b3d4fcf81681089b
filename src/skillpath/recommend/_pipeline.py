"""The one-learner pipeline: candidates -> signals -> blend -> re-rank -> reasons.

Every signal is optional: without a gap, success paths, ratings or a collaborative model the
blend uses what is there (cold start for a learner with only a CV and a target: gap fit +
success paths + quality). Blend weights have sensible defaults and can be learned on validation
data with :meth:`Blender.fit` (logistic regression). Decision 0044.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from skillpath.recommend._rerank import Filters, mmr_rerank, passes
from skillpath.recommend._signals import CourseLike, GapEntry, SuccessPaths, gap_fit, known_topics

__all__ = [
    "SIGNALS",
    "Blender",
    "Reason",
    "Recommendation",
    "recommend_courses",
]

#: The share of its relevance a course keeps when the learner already knows its main topics
KNOWN_SHARE = 0.25

#: Blend features, in order.
SIGNALS = ("gap", "success", "collaborative", "quality", "completion")


@dataclass(frozen=True)
class Reason:
    """Why a course is recommended: a sentence and the signal's contribution to the score."""

    kind: str
    text: str
    contribution: float


@dataclass(frozen=True)
class Recommendation:
    """One recommended course, its blended score and reasons (largest contribution first)."""

    course: str
    title: str
    score: float
    reasons: tuple[Reason, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict (schema in docs/recommend.md)."""
        return {
            "course": self.course,
            "title": self.title,
            "score": round(self.score, 4),
            "reasons": [
                {"kind": r.kind, "text": r.text, "contribution": round(r.contribution, 4)}
                for r in self.reasons
            ],
        }


@dataclass(frozen=True)
class Blender:
    """Linear blend of signal features; missing signals contribute 0.

    Features: gap = share of the weighted gap closed, relative to the best candidate (0-1); success = log2 lift clipped to
    [0, 3] / 3; collaborative = the model's score scaled to [0, 1] over candidates; quality =
    (Bayesian rating - 3) / 2 clipped to [-1, 1]; completion = rate - 0.5.
    """

    weights: Mapping[str, float] = field(
        default_factory=lambda: {
            # gap fit counts within what is about the target's work (x relevance): tuned on the
            # advice benchmark's 14 moves (decision 0142), a course that fits the gap's generic
            # skills ("Programming" for a CNC programmer) must not outrank one about the work
            "gap": 0.5,
            "success": 0.5,
            "collaborative": 0.5,
            "quality": 0.15,
            "completion": 0.1,
            # how much the course is about the target's work (its own text against the role's
            # titles and description): the strongest content signal (decisions 0141, 0142)
            "relevance": 4.0,
        }
    )

    @classmethod
    def fit(cls, features: np.ndarray, labels: np.ndarray, *, c: float = 1.0) -> Blender:
        """Learn weights on validation data: rows are (learner, course) pairs with features in
        :data:`SIGNALS` order; labels 1 for the course the learner took next, else 0."""
        from sklearn.linear_model import LogisticRegression

        lr = LogisticRegression(C=c, max_iter=1000)
        lr.fit(np.asarray(features, dtype=float), np.asarray(labels, dtype=int))
        return cls(dict(zip(SIGNALS, (float(w) for w in lr.coef_[0]), strict=True)))

    def contributions(self, features: Mapping[str, float]) -> dict[str, float]:
        """Each signal's weighted contribution."""
        return {k: self.weights.get(k, 0.0) * v for k, v in features.items()}


def _pct(x: float) -> str:
    return f"{x:.0%}"


def recommend_courses(
    courses: Sequence[CourseLike],
    *,
    gap: Mapping[str, GapEntry | tuple[float, float, float] | tuple[float, float]] | None = None,
    skill_labels: Mapping[str, str] | None = None,
    taken: Sequence[str] = (),
    success: SuccessPaths | None = None,
    target_label: str = "",
    collaborative: Mapping[str, float] | None = None,
    also_took: Mapping[str, str] | None = None,
    completion: Mapping[str, float] | None = None,
    blender: Blender | None = None,
    filters: Filters | None = None,
    n: int = 10,
    diversity: float = 0.3,
    title_of: Callable[[CourseLike], str] | None = None,
    relevance: Mapping[str, float] | None = None,
    relevance_why: Mapping[str, str] | Callable[[Sequence[str]], Mapping[str, str]] | None = None,
    levels: Mapping[str, float] | None = None,
) -> list[Recommendation]:
    """Rank courses for one learner with whichever signals are available.

    Args:
        courses: the catalogue (any objects with id, skills, hours, price, rating).
        gap: skill id -> (current, required, weight) for the target role.
        skill_labels: skill id -> label, for reasons.
        taken: course ids the learner already took (never recommended; prerequisites met).
        success: success paths into the target role.
        target_label: the role's name, for reasons.
        collaborative: course id -> a collaborative model's score for this learner.
        also_took: course id -> the title of a taken course that drives its collaborative score.
        completion: course id -> smoothed completion rate.
        blender: the weights (default :class:`Blender`).
        filters: free / max hours / provider / language.
        n: list length.
        diversity: MMR trade-off (0: pure score).
        title_of: course -> title (default its ``title`` attribute or id).
        relevance: course id -> how much the course is about the target's work (any scale; it is
            divided by the best candidate's).
        relevance_why: course id -> the reason for its relevance, quoting the course's own text;
            or a function of the ranked course ids returning that, so only the courses shown are
            explained (quoting is the costly part of a recommendation).
        levels: the learner's estimated level of every skill the profile rates: a course whose
            main topics the learner already has (:func:`known_topics`) keeps only
            :data:`KNOWN_SHARE` of its relevance, and says so (decision 0152).

    Returns:
        Up to ``n`` recommendations, each with reasons.
    """
    bl = blender or Blender()
    flt = filters or Filters()
    labels = skill_labels or {}
    taken_set = set(taken)
    cands = [c for c in courses if c.id not in taken_set and passes(c, flt)]
    cf_scaled: dict[str, float] = {}
    if collaborative:
        vals = [collaborative.get(c.id, 0.0) for c in cands]
        lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
        span = (hi - lo) or 1.0
        cf_scaled = {c.id: (collaborative.get(c.id, 0.0) - lo) / span for c in cands}
    scored: list[tuple[str, float]] = []
    reasons: dict[str, list[Reason]] = {}
    fits = {c.id: gap_fit(c, gap) for c in cands} if gap else {}
    best_fit = max((f.score for f in fits.values()), default=0.0) or 1.0
    best_rel = max((relevance.get(c.id, 0.0) for c in cands), default=0.0) if relevance else 0.0
    for c in cands:
        feats: dict[str, float] = {}
        why: list[tuple[str, str]] = []
        if relevance and best_rel > 0:
            feats["relevance"] = max(0.0, relevance.get(c.id, 0.0)) / best_rel
            text = relevance_why.get(c.id) if isinstance(relevance_why, Mapping) else None
            if text or callable(relevance_why):
                why.append(("relevance", text or ""))  # a function fills it once ranked
        known = known_topics(c, levels, labels=labels) if levels else ()
        lost = 0.0
        if known and "relevance" in feats:
            # an introduction to what the learner already knows is about the work, not for them
            lost = feats["relevance"] * (1 - KNOWN_SHARE)
            feats["relevance"] -= lost
            shown = "; ".join(
                f"{n} {mine:.1f} of the course's {lvl:.1f}" for n, mine, lvl in known[:2]
            )
            why.append(("known", f"you already know its main topics ({shown})"))
        if gap:
            gf = fits[c.id]
            # with relevance known, fitting the gap counts as much as the course is about the
            # target's work (a piano course tagged "Coordination" fits no manager's gap)
            feats["gap"] = gf.score / best_fit * feats.get("relevance", 1.0)
            if gf.per_skill:
                s, _, share = gf.per_skill[0]
                if share >= 0.05:  # "closes 0% of your gap" says nothing true
                    label = labels.get(s, s)
                    # an estimate from the course's stated level, not a promise: never "100 %"
                    why.append(
                        (
                            "gap",
                            f"closes {_pct(share)} of your gap in {label}"
                            if share < 0.95
                            else f"may close your gap in {label} (estimated from the course's "
                            "level; to be confirmed by feedback on your work)",
                        )
                    )
        if success is not None:
            p = success.by_course.get(c.id)
            if p is not None:
                feats["success"] = min(3.0, max(0.0, math.log2(max(p.lift, 1e-9)))) / 3.0
                role = target_label or success.target
                why.append(
                    (
                        "success",
                        f"taken by {_pct(p.share_movers)} of people who became {role}, "
                        f"{p.lift:.1f}x the base rate",
                    )
                )
        if cf_scaled:
            feats["collaborative"] = cf_scaled.get(c.id, 0.0)
            src = (also_took or {}).get(c.id)
            why.append(
                (
                    "collaborative",
                    f"learners who took {src} also took this"
                    if src
                    else "learners with a history like yours took this",
                )
            )
        rating = getattr(c, "rating", None)
        if rating is not None:
            feats["quality"] = max(-1.0, min(1.0, (float(rating) - 3.0) / 2.0))
            count = int(getattr(c, "rating_count", 0) or 0)
            why.append(
                (
                    "quality",
                    f"rated {float(rating):.1f} by {count:,} learners"
                    if count
                    else f"rated {float(rating):.1f}",
                )
            )
        if completion and c.id in completion:
            feats["completion"] = completion[c.id] - 0.5
            why.append(("completion", f"{_pct(completion[c.id])} of learners who start it finish"))
        contrib = bl.contributions(feats)
        score = float(sum(contrib.values()))
        if lost:  # shown as what knowing it already cost the course (not added again)
            contrib["known"] = -bl.weights.get("relevance", 0.0) * lost
        scored.append((c.id, score))
        reasons[c.id] = sorted(
            (Reason(kind, text, contrib.get(kind, 0.0)) for kind, text in why),
            key=lambda r: -r.contribution,
        )
    scored.sort(key=lambda kv: (-kv[1], kv[0]))
    pool = scored[: max(n * 5, 50)]
    by_id = {c.id: c for c in cands}
    skills = {cid: [t.skill_id for t in (by_id[cid].skills or ())] for cid, _ in pool}
    prereq = {
        cid: [
            p.ref
            for p in getattr(by_id[cid], "prerequisites", ()) or ()
            if getattr(p, "kind", "") == "course"
        ]
        for cid, _ in pool
    }
    ranked = mmr_rerank(
        pool, k=n, skills=skills, prerequisites=prereq, taken=taken_set, diversity=diversity
    )

    def title(cid: str) -> str:
        c = by_id[cid]
        if title_of is not None:
            return title_of(c)
        return str(getattr(c, "title", cid))

    quoted: Mapping[str, str] = {}
    if callable(relevance_why) and ranked:
        quoted = relevance_why([cid for cid, _ in ranked])

    def explained(cid: str) -> tuple[Reason, ...]:
        out = []
        for r in reasons[cid]:
            if r.kind == "relevance" and not r.text:
                if not quoted.get(cid):
                    continue
                r = Reason(r.kind, quoted[cid], r.contribution)
            out.append(r)
        return tuple(out)

    return [
        Recommendation(course=cid, title=title(cid), score=s, reasons=explained(cid))
        for cid, s in ranked
    ]
