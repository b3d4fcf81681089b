"""Target proficiency level (O*NET 0-7 scale) and the Bloom stage a course reaches.

See docs/decisions/0032-level-and-bloom.md for the anchors and why these numbers.
"""

from __future__ import annotations

import re

from skillpath.catalog._model import BLOOM_STAGES

# Provider level labels onto the O*NET Level scale: the level a learner who finishes the course
# works at (decision 0145, replacing 0032's 2 for "beginner"). O*NET's anchors put everyday
# tasks at 2 ("approve a reimbursement request", "answer billing questions", "sell cakes at a
# bake sale"), which people do without any course; an introductory course ends above them, about
# 3 ("interview applicants for an administrative position"); intermediate at 4 ("monitor progress
# of a project", "develop financial investment programs for individual clients"); advanced 5.5,
# expert 6 ("manage a multimillion-dollar company"). Keys are lowercase prefixes of the label's
# words.
_LABELS: tuple[tuple[str, float], ...] = (
    ("introductory", 3.0),
    ("beginner", 3.0),
    ("basic", 3.0),
    ("novice", 2.5),
    ("fundamental", 3.0),
    ("all levels", 3.0),
    ("all", 3.0),
    ("mixed", 3.0),
    ("conversant", 3.5),  # Coursera 2021: between beginner and intermediate (decision 0036)
    ("intermediate", 4.0),
    ("advanced", 5.5),
    ("expert", 6.0),
)
DEFAULT_LEVEL = 3.0

_DOWN = re.compile(
    r"\b(introduction|introductory|intro to|for (?:absolute )?beginners?|101|basics?|"
    r"fundamentals?|getting started|essentials|for everybody|for everyone|from scratch|"
    r"first steps|crash course|primer)\b",
    re.I,
)
_UP = re.compile(
    r"\b(advanced|mastery|master ?class|expert|in[- ]depth|deep dive|professional|"
    r"capstone|graduate|specialist|optimi[sz]ation|architecture)\b",
    re.I,
)


def target_level(label: str | None, title: str = "", text: str = "") -> tuple[float, str]:
    """The O*NET 0-7 level a course brings learners to, and the reason.

    The provider's level label sets the base; cue words in the title move it by half a
    point (and by a quarter in the description), clamped to [1, 7].
    """
    base, why = DEFAULT_LEVEL, "no level label: default"
    low = (label or "").strip().lower()
    if low:
        for key, value in _LABELS:
            if low.startswith(key) or f" {key}" in f" {low}":
                base, why = value, f"label {label!r}"
                break
        else:
            why = f"unknown label {label!r}: default"
    delta = 0.0
    if _DOWN.search(title):
        delta -= 0.5
    if _UP.search(title):
        delta += 0.5
    if text:
        delta += 0.25 * (bool(_UP.search(text)) - bool(_DOWN.search(text)))
    if delta:
        why += f", cues {delta:+.2f}"
    return max(1.0, min(7.0, round(base + delta, 2))), why


_BLOOM: dict[str, re.Pattern[str]] = {
    "create": re.compile(
        r"\b(capstone|projects?|build(?:ing)?|create|creating|design(?:ing)?|develop(?:ing)?|"
        r"compose|produce|portfolio|invent|prototype|make your own|from scratch)\b",
        re.I,
    ),
    "analyse/evaluate": re.compile(
        r"\b(analy[sz]e|analy[sz]ing|analysis|evaluat\w*|assess\w*|critique|critical(?:ly)?|"
        r"compare|investigat\w*|diagnos\w*|case stud(?:y|ies)|interpret\w*|debat\w*|audit\w*)\b",
        re.I,
    ),
    "apply": re.compile(
        r"\b(apply|applying|applied|hands[- ]on|labs?|exercises?|practi[cs]e|implement\w*|"
        r"solve|solving|calculat\w*|program(?:ming)?|coding|code|tutorials?|workshop|"
        r"bootcamp|step[- ]by[- ]step|use|using|how to)\b",
        re.I,
    ),
    "remember/understand": re.compile(
        r"\b(understand\w*|learn about|introduction|overview|explain\w*|describe|identify|"
        r"recogni[sz]e|define|discuss\w*|explore|history|concepts?|principles?)\b",
        re.I,
    ),
}
# Evidence needed to say a course reaches a stage: title words count double.
_THRESHOLD = 2


def bloom_stage(title: str, text: str = "") -> tuple[str, tuple[str, ...]]:
    """The highest Bloom stage a course reaches, with the cue words that decided it.

    Stages, lowest first: remember/understand, apply, analyse/evaluate, create. A stage is
    reached when its cues score at least 2 (a title cue counts 2, each distinct text cue 1).
    """
    for stage in reversed(BLOOM_STAGES):
        pat = _BLOOM[stage]
        in_title = {m.lower() for m in pat.findall(title)}
        in_text = {m.lower() for m in pat.findall(text)} - in_title
        score = 2 * len(in_title) + len(in_text)
        if score >= _THRESHOLD and stage != BLOOM_STAGES[0]:
            return stage, tuple(sorted(in_title | in_text))[:6]
    cues = {m.lower() for m in _BLOOM[BLOOM_STAGES[0]].findall(f"{title} {text}")}
    return BLOOM_STAGES[0], tuple(sorted(cues))[:6]


def derive_level(rec: dict[str, object]) -> dict[str, object]:
    """Level and Bloom stage of a course record, from its label, title and texts."""
    title, text = (
        str(rec["title"]),
        " ".join(str(rec[k]) for k in ("summary", "description", "syllabus") if rec.get(k)),
    )
    level, why = target_level(str(rec.get("level_label") or ""), title, text)
    stage, cues = bloom_stage(title, text)
    return {"level": level, "level_why": why, "bloom": stage, "bloom_cues": list(cues)}
