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

__all__ = ["InferenceConfig", "Observation", "combine", "infer_profile"]

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
    mention_base: float = 2.0
    mention_gain: float = 3.0
    undated_years: float = 0.5
    top_skill_hits: int = 5

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
    """The title as written, without seniority words, and without its department qualifier."""
    out = [title.strip()]
    core = re.split(r"\s+[-–—|/,(]\s*|\s+(?:at|in|for)\s+", title.strip())[0]
    for t in (core, _strip_seniority(title), _strip_seniority(core)):
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
) -> list[list[tuple[str, float]]]:
    """For each position, occupation candidates ``(id, score)`` best first.

    Every variant of the title (as written, without seniority words, without its department)
    goes through the one role resolver (:func:`skillpath.taxonomy.resolve_roles`) with the
    position's own words and the rest of the CV as context: that separates occupations sharing
    a title ("Data Analyst") and resolves titles naming no trade ("Founder") by what the CV says
    the person did.
    """
    from skillpath.taxonomy import resolve_roles

    variants = [
        title_variants(p.title) if p.title.strip() and not _generic_role(p) else []
        for p in positions
    ]
    flat: list[str] = []
    contexts: list[str] = []
    for pos, vs in zip(positions, variants, strict=True):
        own = " ".join([pos.organisation, pos.description, headline if pos.current else ""])
        for v in vs:
            flat.append(v)
            # the position's own words first; the whole CV as a weaker second voice
            contexts.append(f"{own} {own} {cv_context}")
    resolved = resolve_roles(tax, flat, contexts=contexts, top=20) if flat else []
    out: list[list[tuple[str, float]]] = []
    i = 0
    for vs in variants:
        scores: dict[str, float] = {}
        for rank_v in range(len(vs)):
            discount = 1.0 if rank_v == 0 else 0.97
            for c in resolved[i].candidates:
                scores[c.occupation.id] = max(scores.get(c.occupation.id, 0.0), c.score * discount)
            i += 1
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        out.append([(oid, s) for oid, s in ranked if s >= min_score * 0.8])
    return out


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
    positions = [p for p in profile.positions if p.title.strip()]
    cv_context = " ".join(
        [profile.headline, profile.summary]
        + [p.title + " " + p.description for p in positions]
        + [s.name for s in profile.skills]
    )
    cands = _match_titles(
        positions, tax, headline=profile.headline, cv_context=cv_context,
        min_score=cfg.min_title_score,
    )  # fmt: skip
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
    occupations = _rank_occupations(matches, tax, cfg, today)

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


def _rank_occupations(
    matches: Sequence[_PositionMatch], tax: Any, cfg: InferenceConfig, today: date
) -> list[OccupationMatch]:
    grouped: dict[str, list[_PositionMatch]] = defaultdict(list)
    for m in matches:
        grouped[m.occupation_id].append(m)
    out = []
    for occ_id, ms in grouped.items():
        occ = tax.occupations[occ_id]
        years = _time_in(((m.position, m.years) for m in ms), today)
        current = any(m.position.current for m in ms)
        score = max(m.score for m in ms)
        titles = tuple(dict.fromkeys(m.position.title for m in ms))
        evidence = tuple(
            f"{m.position.title!r}"
            + (f" at {m.position.organisation}" if m.position.organisation else "")
            + f", {m.years:.1f} years"
            + (" (current)" if m.position.current else "")
            + ("" if m.position.kind == "job" else f" ({m.position.kind})")
            + f", title match {m.score:.2f}"
            for m in ms
        )
        out.append(
            OccupationMatch(
                occupation_id=occ_id,
                label=occ.label,
                taxonomy=occ.taxonomy,
                score=round(score, 4),
                years=round(years, 2),
                current=current,
                titles=titles,
                evidence=evidence,
            )
        )
    current_job = {
        m.occupation_id for m in matches if m.position.current and m.position.kind == "job"
    }

    def key(o: OccupationMatch) -> tuple[float, ...]:
        weight = max(
            0.25, _time_in(((m.position, m.years) for m in grouped[o.occupation_id]), today, cfg)
        )
        return (-(o.occupation_id in current_job), -o.score * (1.0 + math.log1p(weight)), 0.0)

    out.sort(key=lambda o: (key(o), o.taxonomy != "onet", o.occupation_id))
    return out
