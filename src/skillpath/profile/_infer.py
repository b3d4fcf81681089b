"""From a :class:`Profile` to a :class:`SkillState`: occupations held, skill levels, evidence.

Two stages, both lexical and fast:

1. **Occupations.** Each position title goes through the one role resolver
   (:func:`skillpath.taxonomy.resolve_roles`) with the position's own words and the rest of the
   CV as context, which separates occupations that share an alternate title ("Staff Nurse") and
   resolves titles naming no trade ("Founder") by what the person did.
2. **Skills.** Every piece of evidence becomes a Gaussian pseudo-observation of the level on the
   O*NET 0-7 scale, with a standard deviation saying how much it tells; a weak prior and all the
   observations are combined by precision weighting (the conjugate normal update). See
   ``docs/decisions/0020-skill-level-inference.md`` for the model and its constants.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from skillpath.profile._model import (
    OccupationMatch,
    Position,
    Profile,
    SkillEstimate,
    SkillState,
    union_years,
)

__all__ = ["InferenceConfig", "Observation", "combine", "infer_profile", "prepare_indexes"]

LEVEL_MIN, LEVEL_MAX = 0.0, 7.0


class _Linker(Protocol):
    def link(self, text: str, *, top_k: int = 10) -> list[Any]: ...

    def link_many(self, texts: Sequence[str], *, top_k: int = 10) -> list[list[Any]]: ...


@dataclass(frozen=True, slots=True)
class InferenceConfig:
    """The constants of the level model (decision 0020). All levels on the O*NET 0-7 scale.

    Attributes:
        prior_level, prior_sd: belief about a skill before any evidence.
        kind_weight: how much a year in each kind of position counts (volunteering and informal
            work count, a little less than a job).
        min_importance: rated requirements below this O*NET importance (1-5) are ignored.
        min_title_score: position titles matching no occupation this well are not used.
        stated_levels: level words -> level.
        stated_sd, stated_sd_unqualified: sd of a stated skill with / without a level word.
        certificate_level, certificate_sd, course_level, course_sd, degree_level, degree_sd.
        mention_base, mention_gain: a skill used in a role for y years: base + gain*(1-e^(-y/3)).
        title_context_weight, title_context_weight_weak, title_context_weight_no_trade: the
            role resolver's context weights (``ResolverConfig``) for the CV's titles;
            ``title_weak_below`` is its ``weak_title`` (the title evidence at and below which
            the weak share applies in full; decision 0125).
        headline_weight: how much the CV's headline ("Sous Chef") counts as a title, relative
            to the most recent long-held position.
        recency_years, duration_years: a position that ended y years ago and lasted d years
            counts ``e^(-y/recency_years) * (1 - 0.6 e^(-d/duration_years))``.
        text_weight: how much the whole text (read like occupations' descriptions and tasks)
            counts, relative to the most recent long-held position.
        skill_weight: the same for the skills and technologies the CV names that occupations
            require.
        vote_sharpness: a source's candidates within this of its best vote nearly fully, those
            further down much less (``e^((s - best) / vote_sharpness)``).
        vote_min_score: title candidates below this score do not vote.
        occupations_kept: occupations listed (per taxonomy).
    """

    prior_level: float = 2.0
    prior_sd: float = 2.0
    kind_weight: tuple[tuple[str, float], ...] = (
        ("job", 1.0),
        ("volunteer", 0.7),
        ("informal", 0.6),
        ("education-project", 0.4),
    )
    min_importance: float = 2.5
    min_title_score: float = 0.55
    stated_levels: tuple[tuple[str, float], ...] = (
        ("beginner", 2.0), ("basic", 2.0), ("elementary", 2.0), ("novice", 1.5),
        ("familiar", 2.0), ("intermediate", 3.5), ("working", 3.5), ("good", 3.5),
        ("competent", 3.5), ("proficient", 4.0), ("advanced", 5.0), ("strong", 5.0),
        ("fluent", 5.0), ("expert", 6.0), ("master", 6.0), ("native", 6.0), ("excellent", 5.5),
    )  # fmt: skip
    stated_default_level: float = 3.5
    stated_sd: float = 1.4
    stated_sd_unqualified: float = 1.9
    certificate_level: float = 4.0
    certificate_sd: float = 1.3
    course_level: float = 3.0
    course_sd: float = 1.7
    degree_level: float = 3.5
    degree_level_graduate: float = 4.5
    degree_sd: float = 1.6
    title_context_weight: float = 0.2
    title_context_weight_weak: float = 0.6
    title_context_weight_no_trade: float = 0.7
    title_weak_below: float = 0.5
    headline_weight: float = 1.0
    recency_years: float = 6.0
    duration_years: float = 2.0
    text_weight: float = 0.35
    skill_weight: float = 0.15
    vote_sharpness: float = 0.05
    vote_min_score: float = 0.55
    occupations_kept: int = 10
    mention_base: float = 2.0
    mention_gain: float = 3.0
    undated_years: float = 0.5
    top_skill_hits: int = 5

    def resolver(self) -> Any:
        """The role resolver's weights for CV titles: the CV as context decides less than for a
        query typed with a context, because a whole CV reads like many occupations."""
        from skillpath.taxonomy import ResolverConfig

        return ResolverConfig(
            context_weight=self.title_context_weight,
            context_weight_weak=self.title_context_weight_weak,
            context_weight_no_trade=self.title_context_weight_no_trade,
            weak_title=self.title_weak_below,
        )

    def weight(self, kind: str) -> float:
        """The weight of a year in a position of ``kind``."""
        return dict(self.kind_weight).get(kind, 0.6)

    def stated_level(self, word: str | None) -> float | None:
        """The level a level word stands for, or ``None`` for no/unknown word."""
        if not word:
            return None
        w = word.strip().lower()
        table = dict(self.stated_levels)
        if w in table:
            return table[w]
        for key, value in self.stated_levels:
            if key in w:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Observation:
    """One piece of evidence about one skill: a noisy reading ``level`` with sd ``sd``."""

    level: float
    sd: float
    evidence: str


def combine(
    prior_level: float, prior_sd: float, observations: Iterable[Observation]
) -> tuple[float, float]:
    """Precision-weighted (conjugate normal) update of a prior by observations.

    The posterior precision is the sum of precisions, so every observation lowers the sd; the
    posterior mean is a convex combination of the prior and the (clipped) observation levels,
    so it stays within 0-7.
    """
    precision = 1.0 / prior_sd**2
    weighted = prior_level * precision
    for ob in observations:
        p = 1.0 / max(ob.sd, 1e-3) ** 2
        precision += p
        weighted += min(LEVEL_MAX, max(LEVEL_MIN, ob.level)) * p
    mean = weighted / precision
    return min(LEVEL_MAX, max(LEVEL_MIN, mean)), math.sqrt(1.0 / precision)


# --------------------------------------------------------------------------------------------
# text helpers


def _analyze(text: str) -> list[str]:
    from skillpath.text import analyze

    return analyze(text)


_SENIORITY = re.compile(
    r"\b(senior|sr|junior|jr|lead|principal|staff|chief|head of|trainee|intern|assistant to|"
    r"volunteer|voluntary|freelance|part[- ]time|acting|interim|deputy|associate|i{1,3}|iv)\b\.?",
    re.IGNORECASE,
)


def _strip_seniority(title: str) -> str:
    """The title without seniority words, except its last word: English titles are head-final,
    so in "Tech Lead" or "Marketing Associate" that word is the role itself."""
    words = title.split()
    if len(words) < 2:
        return title
    head = words[-1]
    rest = _SENIORITY.sub(" ", " ".join(words[:-1]))
    return f"{rest} {head}"


def title_variants(title: str) -> list[str]:
    """The title as written, without seniority words, without its department qualifier, and
    each of the titles a combined one lists ("Finance Manager/ Operations Manager").

    A wide gap (three spaces or more: a column of the layout) ends the title, so that the
    employer and place printed beside it are not read as part of it.
    """
    title = re.split(r"\s{3,}|\t", title.strip())[0].strip()
    out = [title]
    parts = [p.strip() for p in title.split("/") if p.strip()] or [title]
    core = re.split(r"\s*[,|(]\s*|\s+[-–—]\s*|\s+(?:at|in|for)\s+", parts[0])[0]
    for t in (core, _strip_seniority(title), _strip_seniority(core), *parts[1:]):
        t = re.sub(r"\s+", " ", t).strip(" -–—|,")
        if t and t.lower() not in {o.lower() for o in out}:
            out.append(t)
    return out


def _contained(label: str, text_tokens: set[str]) -> bool:
    toks = _analyze(label)
    return bool(toks) and all(t in text_tokens for t in toks)


def _label_accepts(hit: Any, kind: str, text_tokens: set[str]) -> bool:
    """A skill is mentioned when its label's words occur in the text.

    The concept's own label must be fully contained, or the matched alternative label must be
    and half of the own label's words too (ESCO alternative labels are sometimes loose). One-word
    labels are accepted only for named things (technologies, capitalised ESCO labels such as
    "SQL") so that "plan" is not found in "sprint planning".
    """
    label = re.sub(r"\s*\(.*?\)\s*", " ", hit.label).strip() or hit.label
    ltoks = _analyze(label)
    if not ltoks:
        return False
    inside = sum(t in text_tokens for t in ltoks)
    if inside < len(ltoks):
        matched = re.sub(r"\s*\(.*?\)\s*", " ", hit.matched or "").strip()
        mtoks = _analyze(matched) if matched else []
        # a technology's alias (its product name without the vendor, its acronym) names it
        # alone; other alternative labels must share half of the label's own words too
        if (
            not mtoks
            or not all(t in text_tokens for t in mtoks)
            or (inside < len(ltoks) / 2 and kind != "technology")
        ):
            return False
        ltoks = mtoks
        label = matched
    return not (len(ltoks) == 1 and kind != "technology" and not label[:1].isupper())


def _time_in(
    uses: Iterable[tuple[Position, float]], today: date, cfg: InferenceConfig | None = None
) -> float:
    """Years spent in some positions: the union of their dates, so that overlapping roles
    count once (weighted by kind when ``cfg`` is given); undated ones add their assumed years."""
    seen: dict[int, tuple[Position, float]] = {}
    for pos, years in uses:
        seen.setdefault(id(pos), (pos, years))
    weight = cfg.weight if cfg is not None else (lambda _kind: 1.0)
    dated = [(p.start, p.end, weight(p.kind)) for p, _ in seen.values() if p.start is not None]
    undated = sum(weight(p.kind) * y for p, y in seen.values() if p.start is None)
    return union_years(dated, today) + undated


# --------------------------------------------------------------------------------------------
# occupations


@dataclass(frozen=True, slots=True)
class _PositionMatch:
    position: Position
    years: float
    occupation_id: str
    score: float
    alternatives: tuple[tuple[str, float], ...] = ()


_GENERIC_ROLES = {
    "maintainer", "contributor", "author", "creator", "owner", "member", "participant",
    "co-author", "core contributor", "collaborator", "organiser", "organizer", "volunteer",
}  # fmt: skip


def _reads_as_title(title: str) -> bool:
    """A job title, not a sentence the reader took for one ("Achieved a 5 star rating on YELP
    within the first year.", "I held a position among the top three") nor an honour ("Employee
    of the Month", "Award: special achievement award")."""
    from skillpath.profile._text import _AWARD_RE

    t = title.strip()
    words = t.split()
    if not words or (words[0].isalpha() and words[0].islower()) or _AWARD_RE.search(t):
        return False
    if len(words) > 10 or re.match(r"(?:I|My|We|Our)\b", t) or re.search(r"[!?]|\s\.$", t):
        return False
    # a full stop ends a sentence, not an abbreviation ("Sr. Engineer", "R.N.")
    return not (len(words) > 6 and re.search(r"[a-z]{3,}\.(?:\s|$)", t))


def _generic_role(pos: Position) -> bool:
    """Project roles such as "Maintainer" name no occupation."""
    return pos.kind != "job" and pos.title.strip().lower() in _GENERIC_ROLES


def _match_titles(
    positions: Sequence[Position],
    tax: Any,
    *,
    headline: str,
    cv_context: str,
    min_score: float,
    config: Any = None,
) -> list[list[tuple[str, float]]]:
    """For each position, occupation candidates ``(id, score)`` best first.

    Every variant of the title (as written, without seniority words, without its department)
    goes through the one role resolver (:func:`skillpath.taxonomy.resolve_roles`) with the
    position's own words and the rest of the CV as context: that separates occupations sharing
    a title ("Data Analyst") and resolves titles naming no trade ("Founder") by what the CV says
    the person did.
    """
    from skillpath.taxonomy import resolve_roles

    # a title listing several roles ("General Manager / Executive Chef") is read part by part
    groups = [
        [title_variants(t) for t in _listed_roles(p.title)]
        if p.title.strip() and not _generic_role(p)
        else []
        for p in positions
    ]
    flat: list[str] = []
    contexts: list[str] = []
    for pos, gs in zip(positions, groups, strict=True):
        own = " ".join([pos.organisation, pos.description, headline if pos.current else ""])
        for vs in gs:
            for v in vs:
                flat.append(v)
                # the position's own words first; the whole CV as a weaker second voice
                contexts.append(f"{own} {own} {cv_context}")
    resolved = resolve_roles(tax, flat, contexts=contexts, top=20, config=config) if flat else []
    out: list[list[tuple[str, float]]] = []
    i = 0
    for gs in groups:
        per_group: list[dict[str, float]] = []
        for vs in gs:
            scores: dict[str, float] = {}
            for rank_v in range(len(vs)):
                discount = 1.0 if rank_v == 0 else 0.97
                for c in resolved[i].candidates:
                    scores[c.occupation.id] = max(
                        scores.get(c.occupation.id, 0.0), c.score * discount
                    )
                i += 1
            per_group.append(scores)
        merged: dict[str, float] = {}
        tops = [max(g.values(), default=0.0) for g in per_group]
        top = max(tops, default=0.0)
        # a rank listed beside a trade ("General Manager / Executive Chef", "Finance Manager/
        # Operations Manager") says where the person stands, the trade what they practise
        ranks = [_rank_only(vs[0]) for vs in gs]
        trade = any(not r and t >= min_score for r, t in zip(ranks, tops, strict=True)) and any(
            ranks
        )
        for g, g_top, rank in zip(per_group, tops, ranks, strict=True):
            # each role the title lists reads as well as the best one: which of them the person
            # practises is for the rest of the CV (its text and skills) to say
            lift = top - g_top if g_top >= min_score else 0.0
            if trade and rank:
                lift = -(1.0 - RANK_BESIDE_TRADE) * g_top
            for o, sc in g.items():
                merged[o] = max(merged.get(o, 0.0), sc + lift)
        ranked = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
        out.append([(oid, sc) for oid, sc in ranked if sc >= min_score * 0.8])
    return out


# Titles that say a rank in an organisation, not a trade ("General Manager", "Operations
# Manager", "Vice President", "Owner"): the words before the rank word only qualify the rank.
_RANK_ONLY = re.compile(
    r"^(?:(?:senior|sr\.?|junior|jr\.?|assistant|asst\.?|associate|deputy|acting|interim|"
    r"executive|regional|area|district|general|operations|managing|vice|co-?|chief)\s+)*"
    r"(?:manager|director|supervisor|president|vp|owner|founder|partner|principal|head|"
    r"team lead(?:er)?|leader|lead|ceo|coo|chief executive officer|chief operating officer|"
    r"board member)s?$",
    re.IGNORECASE,
)
# a rank part's scores, relative to its own best, when a title lists it beside a trade
RANK_BESIDE_TRADE = 0.9


def _rank_only(title: str) -> bool:
    """The title names a rank ("General Manager", "Operations Manager"), not a trade."""
    return bool(_RANK_ONLY.match(" ".join(title.split()).strip(" ,.-")))


def _listed_roles(title: str) -> list[str]:
    """The roles a title lists ("General Manager / Executive Chef", "Finance Manager/ Operations
    Manager"); the title itself when a part is one word ("Sales/Marketing Manager", "RN/RN Team
    Lead", "Manager / Fitness Instructor")."""
    t = re.split(r"\s{3,}|\t", title.strip())[0]
    parts = [x.strip() for x in t.split("/") if x.strip()]
    if len(parts) < 2:
        return [title]
    # one word alone ("Manager / Fitness Instructor", "Sales/Marketing Manager") qualifies
    return parts if all(len(x.split()) >= 2 for x in parts) else [title]


def _title_candidates(
    profile: Profile, tax: Any, cfg: InferenceConfig
) -> tuple[list[Position], list[list[tuple[str, float]]], list[tuple[str, float]], str]:
    """The titled positions, their occupation candidates, the headline's candidates and the
    headline used as a title.

    A CV without a headline whose first line was read as the person's name may carry its title
    there instead ("KEY HOLDER", "PATIENT ACCESS REP"): the name is tried as a headline and kept
    only when it is one of the taxonomy's titles.
    """
    positions = [p for p in profile.positions if _reads_as_title(p.title)]
    cv_context = " ".join(
        [profile.headline, profile.summary]
        + [p.title + " " + p.description for p in positions]
        + [s.name for s in profile.skills]
    )
    headline = _headline_title(profile.headline)
    from_name = not headline and bool(profile.name) and len((profile.name or "").split()) <= 4
    if from_name:
        headline = profile.name or ""
    # the headline is resolved like a current position described by the summary
    head_pos = (
        [Position(title=headline, description=profile.summary, current=True)] if headline else []
    )
    cands = _match_titles(
        [*positions, *head_pos], tax, headline=profile.headline, cv_context=cv_context,
        min_score=cfg.min_title_score, config=cfg.resolver(),
    )  # fmt: skip
    head_cands = cands.pop() if head_pos else []
    if from_name and not (head_cands and head_cands[0][1] >= 0.85):
        head_cands, headline = [], ""
    return positions, cands, head_cands, headline


def prepare_indexes(tax: Any) -> None:
    """Build what :func:`infer_profile` needs of a taxonomy, now: the skill linker of the
    default text engine (its taxonomy embeddings), the role resolver's title index and the
    skill-vote index. The first two are cached on disk (keyed by their inputs), so doing this
    right after ``data import`` makes the first CV read on that store as fast as the next; the
    embedding shows a progress bar when it takes more than 2 s."""
    from skillpath import text as _text
    from skillpath.errors import SkillpathError
    from skillpath.taxonomy import resolve_roles

    if hasattr(tax, "require_data"):
        tax.require_data()
    _text.skill_linker(tax)
    with contextlib.suppress(SkillpathError):  # a taxonomy without titles: nothing to index
        resolve_roles(tax, ["software developer"], top=1)
    _skill_index(tax)


# --------------------------------------------------------------------------------------------
# the main entry


def infer_profile(
    profile: Profile,
    tax: Any,
    *,
    skill_linker: _Linker | None = None,
    occupation_linker: _Linker | None = None,
    today: date | None = None,
    config: InferenceConfig | None = None,
) -> SkillState:
    """Infer occupations and skill levels (with uncertainty and evidence) from a profile.

    Args:
        profile: what the CV says (:func:`read_cv`).
        tax: the taxonomy (``skillpath.taxonomy.Taxonomy``): occupations, skills, requirements,
            tasks, resolve.
        occupation_linker: ignored (kept so that older callers keep working): position titles
            go through the one role resolver, :func:`skillpath.taxonomy.resolve_roles`.
        skill_linker: text linker for skills (default: ``skillpath.text``'s linker
            over ``tax``, built once and cached per taxonomy).
        today: the date ongoing positions run to (default: today).
        config: the level model's constants.

    Returns:
        A :class:`SkillState` with occupations ranked (current jobs first) and skill estimates
        sorted by level.

    Raises:
        DataMissingError: the taxonomy is empty (nothing imported).
    """
    cfg = config or InferenceConfig()
    today = today or date.today()
    if hasattr(tax, "require_data"):
        tax.require_data()
    if skill_linker is None:
        from skillpath import text as _text

        skill_linker = _text.skill_linker(tax)
    warnings: list[str] = []
    obs: dict[str, list[Observation]] = defaultdict(list)

    # -- occupations -------------------------------------------------------------------------
    positions, cands, head_cands, headline = _title_candidates(profile, tax, cfg)
    matches: list[_PositionMatch] = []
    for pos, cs in zip(positions, cands, strict=True):
        years = pos.years(today) if pos.start else cfg.undated_years
        if pos.start is None:
            warnings.append(f"no dates for {pos.title!r}: counted as {cfg.undated_years} years")
        good = [(oid, s) for oid, s in cs if s >= cfg.min_title_score]
        if not good:
            warnings.append(
                f"no occupation matches the title {pos.title!r} well; not used for skills"
            )
            continue
        # Requirements come from the best O*NET occupation (ESCO ones borrow O*NET ratings via
        # the crosswalk); the best of each taxonomy is listed among the occupations.
        for taxo in ("onet", "esco"):
            best = next(((o, s) for o, s in good if tax.occupations[o].taxonomy == taxo), None)
            if best is not None:
                matches.append(_PositionMatch(pos, years, best[0], best[1], tuple(good[:5])))

    # -- role requirements -> rated skills ---------------------------------------------------
    by_occ: dict[str, list[_PositionMatch]] = defaultdict(list)
    for m in matches:
        if tax.occupations[m.occupation_id].taxonomy == "onet" or not any(
            tax.occupations[x.occupation_id].taxonomy == "onet"
            for x in matches
            if x.position is m.position
        ):
            by_occ[m.occupation_id].append(m)
    tech_in_roles: dict[str, list[tuple[str, float, bool]]] = defaultdict(list)
    for occ_id, ms in by_occ.items():
        occ = tax.occupations[occ_id]
        eff_years = _time_in(((m.position, m.years) for m in ms), today, cfg)
        raw_years = _time_in(((m.position, m.years) for m in ms), today)
        score = max(m.score for m in ms)
        kinds = sorted({m.position.kind for m in ms})
        titles = ", ".join(dict.fromkeys(repr(m.position.title) for m in ms))
        kind_note = "" if kinds == ["job"] else f" ({'/'.join(kinds)})"
        attained = 1.0 - 0.5 * math.exp(-eff_years / 2.0)
        for req in tax.requirements(occ_id):
            if req.relation == "technology":
                tech_in_roles[req.skill_id].append((occ.label, raw_years, req.hot))
                continue
            if req.not_relevant or req.skill_id not in tax.skills:
                continue
            if req.relation == "rated":
                if req.level is None or (req.importance or 0) < cfg.min_importance:
                    continue
                level, base_sd = req.level, 0.7
            elif req.relation == "essential":
                level, base_sd = 3.5, 1.0
            else:
                continue
            sd = (base_sd + 1.5 / math.sqrt(1.0 + eff_years)) / math.sqrt(max(score, 0.05))
            label = tax.skills[req.skill_id].label
            imp = f", importance {req.importance:.1f}" if req.importance else ""
            obs[req.skill_id].append(
                Observation(
                    level * attained,
                    sd,
                    f"{raw_years:.1f} years as {occ.label}{kind_note} (from {titles}), which "
                    f"requires {label} at level {level:.1f}{imp}",
                )
            )

    # -- stated skills, endorsements ------------------------------------------------------------
    # the skills the CV lists (they vote for occupations; mentions in prose are too noisy)
    named: set[str] = set()
    endorsed = {k.lower(): v for k, v in profile.endorsement_counts.items()}
    stated: list[tuple[str, str | None, float | None, float]] = []  # name, level, years, sd factor
    for s in profile.skills:
        stated.append((s.name, s.level, s.years, 1.0))
        for kw in s.keywords:
            stated.append((kw, s.level, None, 1.15))
    names = [n for n, *_ in stated]
    hits_per_name = skill_linker.link_many(names, top_k=cfg.top_skill_hits) if names else []
    unlinked: list[str] = []
    for (name, word, stated_years, factor), hits in zip(stated, hits_per_name, strict=True):
        chosen = _pick_skill_hits(hits, name, tax, stated=True)
        if not chosen:
            unlinked.append(name)
            continue
        lvl_word = cfg.stated_level(word)
        named.update(h.id for h in chosen)
        for hit in chosen:
            conf = max(hit.score, 0.3)
            parts = []
            levels = []
            if lvl_word is not None:
                levels.append(lvl_word)
                parts.append(str(word))
            if stated_years:
                levels.append(2.0 + 4.0 * (1.0 - math.exp(-stated_years / 4.0)))
                parts.append(f"{stated_years:g} years")
            level = sum(levels) / len(levels) if levels else cfg.stated_default_level
            sd = cfg.stated_sd if levels else cfg.stated_sd_unqualified
            if lvl_word is not None and stated_years:
                sd *= 0.9
            qual = f" ({', '.join(parts)})" if parts else ""
            obs[hit.id].append(
                Observation(
                    level, sd * factor / math.sqrt(conf), f"stated in the CV: {name!r}{qual}"
                )
            )
            n = endorsed.get(name.lower(), 0)
            if n:
                lvl = min(6.0, 3.0 + 0.75 * math.log1p(n))
                esd = max(1.0, 2.0 / math.sqrt(1.0 + math.log1p(n)))
                who = "person" if n == 1 else "people"
                obs[hit.id].append(
                    Observation(lvl, esd / math.sqrt(conf), f"endorsed by {n} {who} for {name!r}")
                )
    if unlinked:
        shown = ", ".join(repr(u) for u in unlinked[:8]) + (" ..." if len(unlinked) > 8 else "")
        warnings.append(f"stated skills not found in the taxonomy: {shown}")

    # -- mentions in position descriptions ------------------------------------------------------
    mention_years: dict[str, list[tuple[Position, float, str]]] = defaultdict(list)
    for pos in profile.positions:  # projects without a role title count here too
        text = pos.description
        if not text.strip():
            continue
        years = pos.years(today) if pos.start else cfg.undated_years
        for seg, hits in _mentions(skill_linker, text, tax, cfg):
            for hit in hits:
                mention_years[hit.id].append((pos, years, seg))
    for skill_id, uses in mention_years.items():
        seen: dict[int, tuple[Position, float, str]] = {}
        for pos, years, seg in uses:  # one use per position
            seen.setdefault(id(pos), (pos, years, seg))
        eff = _time_in(((p, y) for p, y, _ in seen.values()), today, cfg)
        level = cfg.mention_base + cfg.mention_gain * (1.0 - math.exp(-eff / 3.0))
        sd = 1.1 + 1.2 / math.sqrt(1.0 + eff)
        where = "; ".join(
            f"{(p.title or p.project or p.organisation)!r} ({y:.1f} y): {_short(seg)!r}"
            for p, y, seg in list(seen.values())[:3]
        )
        obs[skill_id].append(Observation(level, sd, f"used in {where}"))

    # -- technologies of the roles held, when the CV names them too -----------------------------
    for skill_id, roles in tech_in_roles.items():
        if skill_id not in obs:
            continue
        label, years, hot = max(roles, key=lambda r: r[1])
        hot_note = " (a hot technology)" if hot else ""
        obs[skill_id].append(
            Observation(
                3.0 * (1.0 - 0.5 * math.exp(-years / 2.0)),
                2.0,
                f"a technology used by {label}{hot_note}, {years:.1f} years in that role",
            )
        )

    # -- certificates, courses, degrees ---------------------------------------------------------
    items: list[tuple[str, float, float, str]] = []
    for c in profile.certificates:
        extra = ", ".join(x for x in (c.issuer, str(c.date.year) if c.date else "") if x)
        items.append(
            (
                c.name,
                cfg.certificate_level,
                cfg.certificate_sd,
                f"certificate {c.name!r}" + (f" ({extra})" if extra else ""),
            )
        )
    for course in profile.courses:
        items.append(
            (
                course.name,
                cfg.course_level,
                cfg.course_sd,
                f"course {course.name!r}" + (f" ({course.provider})" if course.provider else ""),
            )
        )
    for e in profile.education:
        if not e.field:
            continue
        grad = bool(
            re.search(r"master|m\.?sc|\bma\b|mba|ph\.?d|doctor|m\.?eng|pgce", e.degree, re.I)
        )
        lvl = cfg.degree_level_graduate if grad else cfg.degree_level
        what = " ".join(x for x in (e.degree, "in", e.field) if x) if e.degree else e.field
        items.append(
            (
                e.field,
                lvl,
                cfg.degree_sd,
                f"degree: {what}" + (f" ({e.institution})" if e.institution else ""),
            )
        )
    if items:
        all_hits = skill_linker.link_many([t for t, *_ in items], top_k=cfg.top_skill_hits)
        for (text, lvl, sd, ev), hits in zip(items, all_hits, strict=True):
            toks = set(_analyze(text))
            for hit in _pick_skill_hits(hits, text, tax, stated=False, text_tokens=toks):
                obs[hit.id].append(Observation(lvl, sd / math.sqrt(max(hit.score, 0.3)), ev))

    # -- occupations: titles, headline, whole text and named skills vote -----------------------
    occupations = _rank_occupations(
        positions, cands, head_cands, headline, profile, named, tax, cfg, today
    )

    # -- combine -------------------------------------------------------------------------------
    estimates = []
    for skill_id, lst in obs.items():
        level, sd = combine(cfg.prior_level, cfg.prior_sd, lst)
        ordered = sorted(lst, key=lambda o: o.sd)
        skill = tax.skills.get(skill_id)
        estimates.append(
            SkillEstimate(
                skill_id=skill_id,
                label=skill.label if skill else skill_id,
                level=round(level, 4),
                sd=round(sd, 4),
                evidence=tuple(dict.fromkeys(o.evidence for o in ordered)),
                kind=skill.kind if skill else "",
            )
        )
    estimates.sort(key=lambda e: (-e.level, e.sd, e.skill_id))
    return SkillState(
        estimates=tuple(estimates),
        occupations=tuple(occupations),
        warnings=tuple(profile.warnings) + tuple(warnings),
    )


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _pick_skill_hits(
    hits: Sequence[Any],
    text: str,
    tax: Any,
    *,
    stated: bool,
    text_tokens: set[str] | None = None,
) -> list[Any]:
    """At most one O*NET and one ESCO skill that the text really names."""
    toks = text_tokens if text_tokens is not None else set(_analyze(text))
    chosen: dict[str, Any] = {}
    for hit in hits:
        skill = tax.skills.get(hit.id)
        if skill is None:
            continue
        family = "esco" if skill.taxonomy == "esco" or hit.id.startswith("http") else "onet"
        if family in chosen:
            continue
        ok = _label_accepts(hit, skill.kind, toks)
        if not ok and stated:
            # A stated skill may be worded differently from the label ("Team Leadership" vs
            # "leadership principles"): accept a strong hit sharing most words.
            label_toks = set(_analyze(re.sub(r"\s*\(.*?\)\s*", " ", hit.label)))
            if label_toks and toks:
                jacc = len(label_toks & toks) / len(label_toks | toks)
                ok = hit.score >= 0.6 and jacc >= 0.5
        if ok:
            chosen[family] = hit
    return list(chosen.values())


def _mentions(
    linker: _Linker, text: str, tax: Any, cfg: InferenceConfig
) -> list[tuple[str, list[Any]]]:
    from skillpath.text import extract_mentions

    out = []
    for m in extract_mentions(linker, text, top_k=10, min_score=0.3):
        toks = set(_analyze(m.text))
        kept = []
        for hit in m.hits:
            skill = tax.skills.get(hit.id)
            if skill is not None and _label_accepts(hit, skill.kind, toks):
                kept.append(hit)
        if kept:
            out.append((m.text, kept))
    return out


_NOT_A_TITLE = re.compile(
    r"^(?:resume|r[eé]sum[eé]|curriculum vitae|cv|profile|summary|professional summary|"
    r"objective|career objective|contact|personal details)$",
    re.IGNORECASE,
)


def _headline_title(headline: str) -> str:
    """The headline when it reads as a job title ("Sous Chef", "Registered Nurse | ICU"): short,
    not a sentence, not a document heading; its first part when it lists several."""
    h = " ".join(headline.split()).strip(" -|,;:")
    # "Marketing Manager, digital campaigns", "Registered Nurse | ICU", "Chef - Italian cuisine"
    h = re.split(r"\s*[,|•·:;]\s*|\s+[-–—]\s+", h)[0].strip()
    if not h or _NOT_A_TITLE.match(h) or len(h.split()) > 8 or re.search(r"[.!?]\s", h + " "):
        return ""
    return h


def _position_weight(pos: Position, index: int, today: date, cfg: InferenceConfig) -> float:
    """How much a position's title says who the person is: recent and long-held ones most."""
    if pos.start is None:
        recency = 0.8**index
        years = cfg.undated_years
    else:
        ended = today if pos.current else (pos.end or pos.start)
        gone = max(0.0, (today.year - ended.year) + (today.month - ended.month) / 12.0)
        recency = math.exp(-gone / cfg.recency_years)
        years = pos.years(today)
    duration = 1.0 - 0.6 * math.exp(-years / cfg.duration_years)
    return recency * duration * cfg.weight(pos.kind)


def _votes(
    cands: Sequence[tuple[str, float]], weight: float, sharp: float, tax: Any
) -> dict[str, float]:
    """A source's votes: its best candidates nearly their score, the tail much less; O*NET and
    ESCO candidates are ranked apart (each taxonomy has its own best reading)."""
    if not cands or weight <= 0:
        return {}
    best: dict[str, float] = {}
    for o, s in cands:
        t = tax.occupations[o].taxonomy if o in tax.occupations else ""
        best[t] = max(best.get(t, 0.0), s)
    out = {}
    for o, s in cands:
        t = tax.occupations[o].taxonomy if o in tax.occupations else ""
        out[o] = weight * s * math.exp((s - best[t]) / sharp)
    return out


def _skill_index(tax: Any) -> tuple[list[str], dict[str, list[tuple[int, float]]], Any]:
    """Occupations, skill -> [(occupation, idf weight)], and each occupation's norm: the
    technologies, tools and ESCO skills occupations require (rated O*NET skills every
    occupation has are left out)."""
    memo = getattr(tax, "_memo", None)
    if memo is None:
        memo = tax.__dict__.setdefault("_profile_memo", {})
    got = memo.get("skill_votes")
    if got is not None:
        return got
    rel_w = {"technology": 1.0, "tool": 0.7, "essential": 1.0, "optional": 0.5}
    occ_ids = [o.id for o in tax.occupations.values() if getattr(o, "status", "") != "legacy"]
    pairs: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for oi, oid in enumerate(occ_ids):
        seen: dict[str, float] = {}
        for r in tax.requirements(oid):
            w = rel_w.get(r.relation)
            if w is not None and not r.not_relevant and w > seen.get(r.skill_id, 0.0):
                seen[r.skill_id] = w
        for sid, w in seen.items():
            pairs[sid].append((oi, w))
    n = max(len(occ_ids), 1)
    weighted: dict[str, list[tuple[int, float]]] = {}
    norm = [0.0] * len(occ_ids)
    for sid, lst in pairs.items():
        idf = math.log(1.0 + n / len(lst))
        weighted[sid] = [(oi, w * idf) for oi, w in lst]
        for oi, v in weighted[sid]:
            norm[oi] += v * v
    got = (occ_ids, weighted, [math.sqrt(x) for x in norm])
    memo["skill_votes"] = got
    return got


def _skill_candidates(tax: Any, named: set[str], top: int = 30) -> list[tuple[str, float]]:
    """Occupations requiring the skills the CV names, ``(id, relative score)`` best first."""
    if not named:
        return []
    occ_ids, weighted, norm = _skill_index(tax)
    acc: dict[int, float] = defaultdict(float)
    hits: dict[int, int] = defaultdict(int)
    for sid in named:
        for oi, v in weighted.get(sid, ()):
            acc[oi] += v
            hits[oi] += 1
    # one shared skill is chance (a false link, a tool every office uses): two at least
    acc = defaultdict(float, {oi: a for oi, a in acc.items() if hits[oi] >= 2})
    if not acc:
        return []
    # pivoted (square-root) length normalisation: a long tool list is not a penalty
    scored = {oi: a / math.sqrt(max(norm[oi], 1e-9)) for oi, a in acc.items()}
    ranked = sorted(scored.items(), key=lambda kv: -kv[1])[:top]
    best = ranked[0][1]
    return [(occ_ids[oi], v / best) for oi, v in ranked]


def _rank_occupations(
    positions: Sequence[Position],
    cands: Sequence[Sequence[tuple[str, float]]],
    head_cands: Sequence[tuple[str, float]],
    headline: str,
    profile: Profile,
    named: set[str],
    tax: Any,
    cfg: InferenceConfig,
    today: date,
) -> list[OccupationMatch]:
    """Occupations the CV shows, ranked by the votes of its evidence.

    Each titled position votes for its candidates (the role resolver's scores) with a weight
    for how recent and how long it was; the headline votes like a recent position; the whole
    text votes for occupations whose descriptions and tasks it reads like, and the skills and
    technologies the CV names vote for the occupations requiring them. A CV without titles is
    so read from its text and skills alone.
    """
    from skillpath.taxonomy import occupations_like_text

    total: dict[str, float] = defaultdict(float)
    reasons: dict[str, list[tuple[float, str]]] = defaultdict(list)
    held: dict[str, list[tuple[Position, float]]] = defaultdict(list)
    weights: list[float] = []
    sharp = cfg.vote_sharpness
    for k, (pos, cs) in enumerate(zip(positions, cands, strict=True)):
        good = [(o, s) for o, s in cs if s >= cfg.vote_min_score]
        if not good:
            continue
        w = _position_weight(pos, k, today, cfg)
        weights.append(w)
        years = pos.years(today) if pos.start else cfg.undated_years
        scores = dict(good)
        for o, v in _votes(good, w, sharp, tax).items():
            total[o] += v
            s = scores[o]
            if v >= 0.45 * w * s:  # one of this position's best readings
                held[o].append((pos, years))
                reasons[o].append(
                    (
                        v,
                        f"{pos.title!r}"
                        + (f" at {pos.organisation}" if pos.organisation else "")
                        + f", {years:.1f} years"
                        + (" (current)" if pos.current else "")
                        + ("" if pos.kind == "job" else f" ({pos.kind})")
                        + f", title match {s:.2f}",
                    )
                )
    top_w = max(weights, default=0.0)
    sources = sum(weights)
    head_good = [(o, s) for o, s in head_cands if s >= cfg.vote_min_score]
    if head_good:
        w = cfg.headline_weight * max(top_w, 1.0)
        sources += w
        scores = dict(head_good)
        for o, v in _votes(head_good, w, sharp, tax).items():
            total[o] += v
            s = scores[o]
            if v >= 0.45 * w * s:
                reasons[o].append((v, f"the headline {headline!r}, title match {s:.2f}"))
    text = profile.text or " ".join(
        [profile.headline, profile.summary, *(f"{p.title} {p.description}" for p in positions)]
    )
    if text.strip():
        like = occupations_like_text(tax, [text], top=30)[0]
        if like:
            best_sim = like[0][1]
            rel = [(o.id, sim / best_sim) for o, sim in like]
            w = cfg.text_weight * max(top_w, 1.0)
            sources += w
            for o, v in _votes(rel, w, sharp, tax).items():
                total[o] += v
                if v >= 0.5 * w:
                    reasons[o].append((v, "the CV's text reads like its description and tasks"))
    skill_rel = _skill_candidates(tax, named)
    if skill_rel:
        w = cfg.skill_weight * max(top_w, 1.0)
        sources += w
        for o, v in _votes(skill_rel, w, sharp, tax).items():
            total[o] += v
            if v >= 0.5 * w:
                reasons[o].append((v, "the CV names skills and technologies it requires"))
    if not total:
        return []
    out = []
    for taxo in ("onet", "esco"):
        ranked = sorted(
            (o for o in total if o in tax.occupations and tax.occupations[o].taxonomy == taxo),
            key=lambda o: (-total[o], o),
        )[: cfg.occupations_kept]
        for o in ranked:
            occ = tax.occupations[o]
            uses = held.get(o, [])
            out.append(
                OccupationMatch(
                    occupation_id=o,
                    label=occ.label,
                    taxonomy=occ.taxonomy,
                    score=round(min(1.0, total[o] / max(sources, 1e-9)), 4),
                    years=round(_time_in(uses, today), 2),
                    current=any(p.current for p, _y in uses),
                    titles=tuple(dict.fromkeys(p.title for p, _y in uses)),
                    evidence=tuple(r for _v, r in sorted(reasons[o], key=lambda x: -x[0])),
                )
            )
    out.sort(key=lambda m: (-total[m.occupation_id], m.taxonomy != "onet", m.occupation_id))
    return out
