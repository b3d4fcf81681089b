"""Practice, apply and create assignments built from the target occupation's real task statements.

Each O*NET task statement of the target is matched to the gap skills by TF-IDF similarity of the
task text with the skill's label and description; the best-matching tasks become assignments with a
deliverable and a rubric (from the O*NET Level Scale Anchors where loaded).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np

from skillpath.plan._model import Checkpoint, GapSkill
from skillpath.taxonomy import Occupation, Taxonomy
from skillpath.text._tfidf import TfidfVectorizer  # scikit-learn's numbers, without its import

# Hours and level gains of the doing stages (docs/decisions/0060-plan-model.md).
STAGE_HOURS = {"practise": 3.0, "apply": 5.0, "create": 10.0}
STAGE_GAIN = {"practise": 0.5, "apply": 0.75, "create": 0.75}
REVIEWER = {"practise": "self", "apply": "peer", "create": "mentor"}


@dataclass(frozen=True, slots=True)
class TaskTemplate:
    """A generated assignment for one skill at one stage."""

    skill_id: str
    stage: str
    title: str
    deliverable: str
    checkpoint: Checkpoint
    hours: float
    gain: float
    source_task: str


_STOP = frozenset(
    (
        "and",
        "or",
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "for",
        "on",
        "with",
        "as",
        "by",
        "at",
        "such",
        "other",
        "others",
        "their",
        "from",
        "into",
        "be",
        "is",
        "are",
        "it",
        "its",
        "that",
    )
)


def _analyze(text: str) -> list[str]:
    return list(_analyzed(text))


@functools.lru_cache(maxsize=16384)
def _analyzed(text: str) -> tuple[str, ...]:
    # the same task statements and skill texts are analysed for the gap and the tasks of a
    # target, and again for every candidate role of ``paths``
    from skillpath.text import analyze

    return tuple(t for t in analyze(text) if t not in _STOP and len(t) > 1)


def _lower_first(s: str) -> str:
    s = s.strip().rstrip(".")
    return s[:1].lower() + s[1:] if s and not s[:2].isupper() else s


_STAGE_BAR = {
    "practise": "The exercise is complete and correct; where it is not, you say what is missing",
    "apply": "It was used in real work: say for whom, what it changed, and what they said of it",
    "create": "It is finished and others can see it (a link or file), with your choices explained",
}


def _rubric(tax: Taxonomy, g: GapSkill, task: str = "", stage: str = "practise") -> tuple[str, ...]:
    """What a reviewer checks, as observable work at the level the target needs: the task the
    work must show done, the O*NET Level Scale Anchor nearest the required level (and
    the one below it as "not yet"), what the stage asks of the result, and a reflection."""
    crit = []
    if task:
        crit.append(f"The work shows you {_lower_first(task)}: point to where it does")
    elif g.relation in ("technology", "tool"):
        crit.append(
            f"You use {g.label} yourself on a realistic problem; the reviewer can open or rerun it"
        )
    anchors = sorted(
        tax.anchors(g.skill_id, "LV") if g.skill_id.startswith("onet:") else [],
        key=lambda a: a.value,
    )
    if anchors:
        meets = min(anchors, key=lambda a: abs(a.value - g.required))
        crit.append(
            f"Meets the level {g.required:.1f}/7 the role needs: work like '{meets.description}' "
            f"(O*NET's example for level {meets.value:g})"
        )
        below = [a for a in anchors if a.value < meets.value - 0.5]
        if below:
            crit.append(
                f"Not yet: work only like '{below[-1].description}' (level {below[-1].value:g})"
            )
    else:
        sk = tax.skills.get(g.skill_id)
        if sk and sk.description:
            crit.append(f"Evidence of: {_lower_first(sk.description)}")
    crit.append(_STAGE_BAR.get(stage, _STAGE_BAR["practise"]))
    crit.append("A short reflection: what worked, what you would do differently, what you learned")
    return tuple(crit)


def match_tasks(
    tax: Taxonomy, target: Occupation, gap: tuple[GapSkill, ...]
) -> dict[str, list[str]]:
    """Up to three task statements of the target per gap skill, the ones that exercise it best.

    A detailed work activity takes the task statements O*NET links to it (Tasks to DWAs); other
    skills the statements most similar (stemmed TF-IDF) to the skill's label, description and level
    anchors, spread so that each skill gets the statements most its own.
    """
    tasks = [t for t in tax.tasks(target.id) if t.text]
    # Core tasks first: they are what the job is mostly about.
    tasks.sort(key=lambda t: (t.task_type != "Core", t.id))
    best: dict[str, list[str]] = {g.skill_id: [] for g in gap}
    linked = {t.id: t.text for t in tasks}
    for g in gap:
        if g.relation == "activity":
            best[g.skill_id] = [
                linked[tid]
                for d, tids in tax.activities(target.id)
                if d == g.skill_id
                for tid in tids
                if tid in linked
            ][:3]
    if tasks:
        docs = [t.text for t in tasks]
        queries = []
        for g in gap:
            sk = tax.skills.get(g.skill_id)
            anchors = (
                " ".join(a.description for a in tax.anchors(g.skill_id, "LV"))
                if g.skill_id.startswith("onet:")
                else ""
            )
            alts = " ".join(sk.alt_labels) if sk else ""
            queries.append(f"{g.label} {g.label} {sk.description if sk else ''} {alts} {anchors}")
        # stemmed tokens (the text package's analyser): "hiring" meets "hire", "staffing" meets "staff"
        vec = TfidfVectorizer(analyzer=_analyze, sublinear_tf=True, min_df=1)
        mat = vec.fit_transform(docs + queries)
        t_mat, q_mat = mat[: len(docs)], mat[len(docs) :]
        sims = (q_mat @ t_mat.T).toarray()
        used: dict[int, int] = {}
        # highest-priority skills choose first; a task already given to another skill counts for
        # less, so each skill gets the statements that are most its own
        for qi in sorted(range(len(gap)), key=lambda i: -gap[i].priority):
            g = gap[qi]
            if best[g.skill_id]:
                continue  # a work activity: its own linked statements
            adj = sims[qi] / (1.0 + 0.5 * np.array([used.get(i, 0) for i in range(len(docs))]))
            order = np.argsort(-adj, kind="stable")
            chosen = [int(i) for i in order[:3] if sims[qi, i] > 0]
            # fall back to the occupation's core tasks when nothing matches the skill's words
            for i in range(len(docs)):
                if len(chosen) >= 3:
                    break
                if i not in chosen:
                    chosen.append(i)
            for i in chosen:
                used[i] = used.get(i, 0) + 1
            best[g.skill_id] = [docs[i] for i in chosen]
    return best


def build_tasks(
    tax: Taxonomy, target: Occupation, gap: tuple[GapSkill, ...]
) -> dict[str, list[TaskTemplate]]:
    """Assignments per gap skill id: practise, apply and create, each from a real task statement."""
    out: dict[str, list[TaskTemplate]] = {}
    if not gap:
        return out
    best = match_tasks(tax, target, gap)
    for g in gap:
        picks = best.get(g.skill_id) or []
        is_tech = g.relation == "technology"
        tpl = []
        # a tool is used at work, not shown off: no portfolio project "showing Postal scales"
        stages = ("practise", "apply") if g.relation == "tool" else ("practise", "apply", "create")
        # fewer task statements than stages: the later stages take the last one again, at a
        # higher Bloom level; a work activity without any is itself the task ("use Collect
        # medical information ... on a realistic problem" is not a sentence)
        last = picks[-1] if picks else (g.label if g.relation == "activity" else "")
        for i, stage in enumerate(stages):
            task = picks[i] if i < len(picks) else last
            t = _lower_first(task) if task else f"use {g.label} on a realistic problem"
            if stage == "practise":
                title = (
                    f"Practise {g.label}: hands-on exercises or a lab"
                    if is_tech
                    else f"Practise {g.label}: in an exercise, {t}"
                )
                deliverable = "exercise solutions or a lab notebook, with a one-page write-up"
            elif stage == "apply":
                title = f"Apply {g.label} at work: {t}"
                deliverable = (
                    "a real work sample (document, code, plan or recording) and a reflection"
                )
            else:
                title = f"Create a portfolio project showing {g.label}: {t}"
                deliverable = (
                    "a finished project others can see (link or file), added to your portfolio"
                )
            tpl.append(
                TaskTemplate(
                    g.skill_id,
                    stage,
                    re.sub(r"\s+", " ", title),
                    deliverable,
                    Checkpoint(REVIEWER[stage], _rubric(tax, g, task, stage)),
                    STAGE_HOURS[stage],
                    STAGE_GAIN[stage],
                    task if task in picks else "",
                )
            )
        out[g.skill_id] = tpl
    return out
