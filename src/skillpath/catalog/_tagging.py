"""Skill tagging and prerequisites: course text -> ranked taxonomy skills (decision 0034).

Each course is linked field by field with the shared text linker (``skillpath.text``): the
title and subject as a whole, the summary, description and syllabus sentence by sentence. A
skill's confidence is the noisy-or of its field-weighted hit scores, so that a skill named in
the title and again in the syllabus is surer than one named once in passing.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, insert, select

from skillpath.catalog._level import derive_level
from skillpath.catalog._model import CourseSkill, Prerequisite
from skillpath.errors import DataMissingError
from skillpath.store import Store
from skillpath.store.models.catalog import CatCourse, CatCourseSkill, CatPrerequisite

TAGGER_VERSION = "12"  # 12: full language models (0162); 11: vendor aliases (0156); 10: what a course says of itself (0155)
# 8: audience words ("for Managers") are not topics (0151)
# 7: no bare "management" for Administration and Management (0148)
# 6: course levels recomputed on tagging (decision 0145)
#: Skill kinds a course can teach: ESCO skills/knowledge, O*NET skills/knowledge, technologies.
TAG_KINDS = frozenset({"skill", "knowledge", "technology", "esco-skill", "esco-knowledge"})
FIELD_WEIGHTS = {
    "title": 1.0,
    "subject": 0.55,
    "summary": 0.85,
    "description": 0.7,
    "syllabus": 0.6,
}
MIN_HIT = {"title": 0.45, "subject": 0.5, "summary": 0.55, "description": 0.6, "syllabus": 0.6}
MIN_CONFIDENCE = 0.4
MAX_SKILLS = 12
MAX_TEXT_CHARS = 4000  # long syllabi: the first pages carry the topics


@dataclass(frozen=True, slots=True)
class TagResult:
    """Tags computed for one course."""

    course_id: str
    skills: tuple[CourseSkill, ...]
    prerequisites: tuple[Prerequisite, ...]
    language: tuple[str, float, str] = ("", 0.0, "unknown")  # (ISO 639-1 code, confidence, source)


@dataclass(frozen=True, slots=True)
class TagReport:
    """What a tagging run did."""

    tagged: int
    skipped: int
    seconds: float
    skills: int
    engine: str


def clean_concepts(tax: Any, *, kinds: frozenset[str] = TAG_KINDS) -> list[Any]:
    """Skill concepts for tagging, with unreliable ESCO alternative labels dropped.

    Some ESCO CSV re-uploads carry alternative labels shifted to another row. When a skill's
    description is the ESCO v1.2 search text (it starts with the label and lists the real
    alternative labels), only alternative labels found in it are kept (decision 0034).
    """
    from skillpath.text import Concept, analyze
    from skillpath.text._taxonomy import vendor_aliases

    out = []
    # a course names the product, not always its vendor ("Getting Started with Azure"); only
    # the one-word product name: a vendor alone or a several-word rest tags far too much
    vendor = vendor_aliases([s for s in tax.skills.values() if s.kind in kinds], products_only=True)
    for s in tax.skills.values():
        if s.kind not in kinds:
            continue
        alts = tuple(dict.fromkeys((*s.alt_labels, *vendor.get(s.label, ()))))
        desc = (s.description or "").lower()
        if alts and s.kind.startswith("esco"):
            if desc.startswith(s.label.lower()):
                alts = tuple(a for a in alts if a.lower() in desc)
            else:
                # Otherwise keep an alternative label only if it shares a term with the label
                # or the description: a shifted label shares none.
                known = set(analyze(f"{s.label} {desc}"))
                alts = tuple(a for a in alts if known.intersection(analyze(a)))
        out.append(Concept(s.id, s.label, alts, s.description or "", s.kind))
    return out


_LINKERS: dict[tuple[int, str], Any] = {}


def catalog_linker(tax: Any, *, engine: str = "lexical") -> Any:
    """The skill linker used for tagging (cached per taxonomy object and engine).

    Raises:
        DataMissingError: no skills imported.
    """
    from skillpath.text import build_linker

    key = (id(tax), engine)
    if key not in _LINKERS:
        concepts = clean_concepts(tax)
        if not concepts:
            raise DataMissingError(
                "no skills imported: run `skillpath data import ../shared/data/onet ../shared/data/esco`"
            )
        _LINKERS.clear()
        _LINKERS[key] = (tax, build_linker(concepts, engine=engine))
    return _LINKERS[key][1]


_PREREQ = re.compile(
    r"(?:pre-?requisites?|requires?|required|prior (?:knowledge|experience)(?: of| with| in)?|"
    r"familiarity with|experience (?:with|in)|(?:basic|some|working) (?:knowledge|understanding) of|"
    r"should (?:know|be familiar with|have)|assumes?|recommended background)\s*[:\-]?\s*"
    r"([^.;\n]{3,160})",
    re.I,
)
_NO_PREREQ = re.compile(
    r"\bno (?:prior |previous )?(?:pre-?requisites?|experience|knowledge)\b|"
    r"\bnot? (?:required|necessary|needed)\b",
    re.I,
)


# Words of course marketing, not of skills ("The Complete Python Course for Beginners").
_FILLER = re.compile(
    r"\b(?:the|a|an|your|my|complete|ultimate|comprehensive|essential|beginners?|beginner's|"
    r"courses?|class(?:es)?|masterclass|bootcamp|certification|certificate|guide|tutorials?|"
    r"learn|learning to|how to|step[- ]by[- ]step|from scratch|zero to hero|in \d+ (?:days|hours|"
    r"minutes|weeks)|part \d+|vol(?:ume)?\.? \d+|\d{4}|introduction to|intro to|getting started "
    r"with|for everybody|for everyone|for dummies|crash|quick|easy|fast|simple|made easy|101|"
    r"grow your|practice|practical|hands[- ]on|mastering|master|become an?|expert)\b",
    re.I,
)


def clean_title(title: str) -> str:
    """A course title without marketing words, for linking ("Learn Guitar in 21 Days" -> "Guitar")."""
    t = _FILLER.sub(" ", title)
    t = re.sub(r"[\s\-:|&!,]+", " ", t).strip()
    return t if len(t) >= 2 else title


def explicit_prereq_phrases(text: str) -> list[str]:
    """Phrases naming what a course requires ("requires basic Python" -> "basic Python")."""
    out = []
    for m in _PREREQ.finditer(text):
        window = text[max(0, m.start() - 40) : m.end()]
        if _NO_PREREQ.search(window):
            continue
        phrase = m.group(1).strip(" ,:")
        if len(phrase) >= 3:
            out.append(phrase)
    return out[:5]


def _segments(text: str) -> list[str]:
    from skillpath.text import split_segments

    text = text[:MAX_TEXT_CHARS]
    return [text[a:b] for a, b in split_segments(text)]


def tag_courses(
    courses: Sequence[CatCourse],
    linker: Any,
    *,
    titles: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    batch: int = 400,
) -> list[TagResult]:
    """Compute skills and prerequisites for courses (pure: no writes).

    Args:
        courses: stored course rows (title, subject, summary, description, syllabus, level...).
        linker: a :class:`skillpath.text.Linker` over taxonomy skills.
        titles: normalised course title -> course id, to resolve course prerequisites by name.
        progress: called with the number of courses finished after each batch.
    """
    results: list[TagResult] = []
    cache: dict[str, list[Any]] = {}
    for start in range(0, len(courses), batch):
        chunk = courses[start : start + batch]
        texts: list[str] = []
        owners: list[tuple[int, str]] = []  # (course index in chunk, field)
        for i, c in enumerate(chunk):
            texts.append(clean_title(c.title))
            owners.append((i, "title"))
            if c.subject:
                texts.append(c.subject)
                owners.append((i, "subject"))
            for fld in ("summary", "description", "syllabus"):
                for seg in _segments(getattr(c, fld) or ""):
                    if _PREREQ.search(seg) and not _NO_PREREQ.search(seg):
                        continue  # a sentence about what is required, not what is taught
                    texts.append(seg)
                    owners.append((i, fld))
            for phrase in explicit_prereq_phrases(
                " ".join([c.prerequisites_text, c.summary, c.description[:MAX_TEXT_CHARS]])
            ):
                texts.append(phrase)
                owners.append((i, "prereq:" + phrase))
        # Subjects and boilerplate sentences repeat across courses: link each text once.
        new = list(dict.fromkeys(t for t in texts if t not in cache))
        if new:
            cache.update(zip(new, linker.link_many(new, top_k=5), strict=True))
        hits = [cache[t] for t in texts]
        per: list[dict[str, list[tuple[float, Any, str, str]]]] = [{} for _ in chunk]
        prereq_hits: list[list[tuple[str, Any]]] = [[] for _ in chunk]
        for (i, fld), hs, txt in zip(owners, hits, texts, strict=True):
            if fld.startswith("prereq:"):
                prereq_hits[i].extend((fld[7:], h) for h in hs[:2] if h.score >= 0.55)
                continue
            w, floor = FIELD_WEIGHTS[fld], MIN_HIT[fld]
            for h in hs:
                if h.score >= floor and _present(h, txt):
                    per[i].setdefault(h.id, []).append((w * h.score, h, fld, txt))
        vocab = _vocabulary(linker)
        for i, c in enumerate(chunk):
            results.append(_finish(c, per[i], prereq_hits[i], titles or {}, vocab))
        if progress:
            progress(min(len(courses), start + batch))
    return results


_GENERIC_WORDS = frozenset({"softwar", "applic", "platform", "suit"})
_NEGATION = re.compile(r"\b(?:without|no|zero|not|never|non)\b(?:\s+\w+){0,2}\s*$", re.I)
_VOCAB: dict[int, tuple[Any, _Vocabulary]] = {}


@lru_cache(maxsize=50_000)
def _stems(text: str) -> frozenset[str]:
    from skillpath.text import analyze

    return frozenset(t for t in analyze(text) if len(t) > 2)


class _Vocabulary:
    """Each concept's words (label, alternative labels, description), stemmed, computed when first
    asked for: what a course about it talks about besides the one phrase that matched."""

    def __init__(self, concepts: Sequence[Any]) -> None:
        self._concepts = {c.id: c for c in concepts}
        self._words: dict[str, frozenset[str]] = {}

    def get(self, sid: str) -> frozenset[str] | None:
        if sid not in self._words:
            c = self._concepts.get(sid)
            if c is None:
                return None
            self._words[sid] = _stems(
                " ".join([c.label, *c.alt_labels, (c.description or "")[:400]])
            )
        return self._words[sid]


def _vocabulary(linker: Any) -> _Vocabulary:
    """The vocabulary of the linker's concepts (cached per linker)."""
    key = id(linker)
    if key not in _VOCAB:
        _VOCAB.clear()
        _VOCAB[key] = (linker, _Vocabulary(getattr(linker, "concepts", None) or []))
    return _VOCAB[key][1]


# who a course is for, not what it teaches: "for Managers", "for Non-Financial Managers", "for
# Data Scientists", "for Beginners" (plural people nouns after "for", at most two words before)
_AUDIENCE = re.compile(
    r"\bfor\s+(?:(?:the|all|busy|new|aspiring|[\w-]+)\s+){0,2}?"
    r"(?:[a-z-]*(?:ers|ors|ists|ians|ants|ents|ees|ives)|professionals|leaders|teams|people)\b",
    re.I,
)


# the programme a course belongs to is not its topic: "Part of the MITx MicroMasters program in
# Statistics and Data Science", "part of the Leadership Essentials Professional Certificate"
_PROGRAM = re.compile(
    r"\bpart of (?:the |a |an |our )?[^.;:!?]{0,90}?\b(?:program(?:me)?|micromasters|xseries|"
    r"professional certificate|specializ?s?ation|series|credential)\b[^.;:!?]{0,60}",
    re.I,
)
# another course's title, quoted where the text names its series or sequel: "one of the most
# popular courses in the series, "Agile Leadership Principles and Practices."" teaches nothing
# about leadership in this course
_OTHER_COURSE = re.compile(
    r"(\b(?:courses?|series|specializ?s?ation|program(?:me)?|sequel|prerequisite)\b"
    r"[^.;:!?\"\u201c\u201d]{0,60}?)[\"\u201c][^\"\u201c\u201d]{2,120}[\"\u201d]",
    re.I,
)
# what a course says about itself as a course, not its topic: "will teach you how to", "the
# first MOOC to teach", "training from AWS experts", "Continuing Education credit", "train these
# models" (machine learning), and "QuickBooks Training for Newbies" (the course's form: a
# "Training" after its topic); training stays a topic where it is the object of the work
# ("Employee Training and Development", "designing training programs", "Train the Trainer")
_SELF = re.compile(
    r"\b(?:will|to|we['\u2019]?ll|i['\u2019]?ll|we|i|can|helps?|that|which|it)\s+(?:also\s+|then\s+)?"
    r"teach(?:es)?\s+(?:you|learners|students|participants|everyone|anyone|people|how)\b"
    r"|\b(?:mooc|course|class|program(?:me)?|tutorial|series)s?\s+(?:that\s+|to\s+|will\s+|also\s+)?"
    r"teach(?:es)?\b"
    r"|\bcontinuing (?:medical |professional )?education\b"
    r"|\btrain(?:ing|ed|s)?[\s,]+(?:[\w'-]+[\s,]+){0,5}?"
    r"(?:models?|networks?|classifiers?|algorithms?|agents?|modules)\b"
    r"|\btraining from\b",
    re.I,
)
_FORM_TRAINING = re.compile(
    r"\b([\w+#-]+)[\s:\u2013-]+training\b(?!\s+(?:needs|design|programs?|programmes?|"
    r"development|evaluation|delivery|methods|materials|sessions|and development|of trainers))",
    re.I,
)
_TRAINING_AS_WORK = frozenset(
    [
        "employee",
        "employees",
        "staff",
        "corporate",
        "workplace",
        "effective",
        "designing",
        "deliver",
        "delivering",
        "conduct",
        "conducting",
        "evaluate",
        "evaluating",
        "trainer",
        "trainers",
        "the",
        "and",
        "of",
        "on",
        "in",
        "for",
    ]
)


# "Learning Drupal 8", "Learn Python", "Learning Path: Akka", "Learning to Teach Online": a
# title (or sentence) opening with the learning names the form; "Learning Design", "Learning
# Analytics", "Learning and Development" name a topic
_FORM_LEARNING = re.compile(
    r"(?:^|(?<=[.!?:|] ))(?:learning|learn)(?:\s+path\s*:)?\s+(?!(?:design|experience|"
    r"analytics|theor|and development|sciences?|management system|organi[sz]ation|technolog|"
    r"outcomes?|environments?|disabilit|styles?)\b)",
    re.I,
)


def _form_training(m: re.Match[str]) -> str:
    return m.group(0) if m.group(1).lower() in _TRAINING_AS_WORK else m.group(1) + " "


_WORD = re.compile(r"[a-z][a-z'-]*")


def without_audience(text: str) -> str:
    """The text without the phrases naming who the course is for ("for Managers")."""
    return _AUDIENCE.sub(" ", text)


# a negation and the (at most two) words it negates, up to punctuation: "With No Coding",
# "without any coding", "No Coding Required" ("not" and "non" are left: "not only", "non-profit")
_NEGATED = re.compile(r"\b(?:without|no|zero|never)\b(?:[ \t]+[A-Za-z][\w']*){1,2}", re.I)


def without_negated(text: str) -> str:
    """The text without what it says the course does not need or do: "Build a Website With No
    Coding" is not about coding (the tagger's own rule, ``_present``, for words it matches)."""
    return _NEGATED.sub(" ", text)


@lru_cache(maxsize=50_000)
def evidence_text(text: str) -> str:
    """The text without its audience and programme phrases, other courses' quoted titles and
    what it says about itself as a course (once per text, not per hit)."""
    text = _FORM_LEARNING.sub("", _FORM_TRAINING.sub(_form_training, _SELF.sub(" ", text)))
    return _OTHER_COURSE.sub(r"\1 ", _PROGRAM.sub(" ", without_audience(text)))


@lru_cache(maxsize=50_000)
def _forms(text: str) -> dict[str, frozenset[bool]]:
    """Stem -> whether the text uses it as an agent or instrument noun ("managers",
    "transformers", "developers") and/or otherwise ("management", "transformation")."""
    from skillpath.text._normalize import stem

    out: dict[str, set[bool]] = {}
    for w in _WORD.findall(text.lower()):
        st = stem(w)
        # the gerund names the activity of both: "computing" is work with computers
        kinds = {True, False} if w.endswith("ing") else {_agent(w, st)}
        out.setdefault(st, set()).update(kinds)
    return {k: frozenset(v) for k, v in out.items()}


def _agent(word: str, st: str) -> bool:
    base = word[:-1] if word.endswith("s") else word
    return base.endswith(("er", "or")) and not st.endswith(("er", "or")) and len(st) > 3


def _same_forms(phrase: str, text: str, words: frozenset[str]) -> bool:
    """A person or device noun of the phrase ("transformers", "generators") is in the text as
    such, not only as the activity ("transformation", "generate"), decision 0153. Words reached
    only through an abbreviation are not checked."""
    need = _forms(phrase)
    have = _forms(text)
    for st, kinds in need.items():
        if st not in words or st not in have:
            continue
        # a device or person noun of the label ("transformers", "computers") is not met by the
        # activity ("transformation", "compute"); the reverse is a goal ("Become a Graphic
        # Designer" teaches graphic design) or an audience (_AUDIENCE)
        if kinds == {True} and True not in have[st]:
            return False
    return True


def _present(hit: Any, text: str) -> bool:
    """The matched phrase is really in the text: all its words (stemmed), and not negated
    ("without any coding" does not teach coding). A partial match ("technical" for "technical
    writing", "work" for "work on your own") is a shared word, not a topic (decision 0063).
    Words that only name the course's audience ("Business Accounts for Managers" is not about
    business management) do not count (decision 0151)."""
    # "Microsoft Azure software", "SAP software": the generic word is O*NET's, not the course's
    words = (_stems(hit.matched or hit.label) - _GENERIC_WORDS) or _stems(hit.matched or hit.label)
    text = evidence_text(text)
    have = _stems(text)
    if not words or not words <= have:
        return False
    if not _same_forms(hit.matched or hit.label, text, words):
        return False
    first = min(
        (m.start() for w in words for m in [re.search(re.escape(w), text, re.I)] if m), default=0
    )
    return not _NEGATION.search(text[:first])


def _central(
    c: Any,
    sid: str,
    ev: list[tuple[float, Any, str, str]],
    vocab: _Vocabulary | None,
    body: frozenset[str] = frozenset(),
) -> tuple[bool, dict[str, float]]:
    """Whether a skill is central to the course (its title is about it, two fields teach it, or the
    course text shares the skill's own vocabulary), with the evidence measured.

    Generic skills (O*NET basic, social and systems skills: Coordination, Active Learning, Time
    Management, Writing...) count only when the title is about them and the text agrees: "Piano
    Hand Coordination" does not teach Coordination.
    """
    from skillpath.taxonomy import is_generic_skill

    fields = {f for _s, _h, f, _t in ev}
    title_toks = _stems(clean_title(c.title))
    matched: set[str] = set()
    for _s, h, _f, _t in ev:
        matched |= _stems(h.matched or h.label)
    body = body or _stems(
        " ".join(
            [
                c.title,
                c.subject,
                c.summary,
                c.description[:MAX_TEXT_CHARS],
                c.syllabus[:MAX_TEXT_CHARS],
            ]
        )
    )
    cov = len(title_toks & matched) / max(1, len(title_toks)) if "title" in fields else 0.0
    words = vocab.get(sid) if vocab is not None else None
    support = float(len((body - matched) & (words - matched))) if words is not None else 2.0
    n_fields = len(fields - {"subject"})
    feats = {"title_cov": round(cov, 3), "support": support, "fields": float(n_fields)}
    if is_generic_skill(sid):
        return cov >= 0.5 and (support >= 1 or n_fields >= 2), feats
    # a specific skill the title names (its whole phrase, not negated) is what the course is about;
    # one named only in the description or syllabus needs a second field or the skill's own words
    return "title" in fields or n_fields >= 2 or (n_fields >= 1 and support >= 2), feats


def _plausible(hit: Any, raw: str) -> bool:
    """Technology names that are also common words ("R", "Go", "SKILL", "Self") only count when
    written exactly so in the course text (case-sensitive, whole word)."""
    name = hit.matched or hit.label
    if not hit.id.startswith("onet-tech:") and len(name.strip()) > 3:
        return True
    if " " in name.strip():
        return True
    if re.search(rf"(?<![\w&]){re.escape(name)}(?![\w&])", raw) is None:
        return False
    return (
        len(name) > 2
        or re.search(r"\b(?:programming|language|coding|code)\b", raw, re.I) is not None
    )


def _quote(text: str, hit: Any, width: int = 110) -> str:
    """The course's own words around the match (for reasons that quote the evidence)."""
    t = " ".join(text.split())
    # longest first, ties by the word itself: set order follows the process's hash seed, and two
    # re-tags of one catalogue quoted different windows of 95 of 10,810 tags
    words = sorted(_stems(hit.matched or hit.label), key=lambda w: (-len(w), w))
    m = next((m for w in words for m in [re.search(re.escape(w[:5]), t, re.I)] if m), None)
    if len(t) <= width or m is None:
        return t[:width]
    start = max(0, m.start() - width // 3)
    return ("..." if start else "") + t[start : start + width].strip() + "..."


def _finish(
    c: CatCourse,
    found: dict[str, list[tuple[float, Any, str, str]]],
    prereq_hits: list[tuple[str, Any]],
    titles: dict[str, str],
    vocab: _Vocabulary | None = None,
) -> TagResult:
    raw = " ".join(
        [c.title, c.subject, c.summary, c.description[:MAX_TEXT_CHARS], c.syllabus[:MAX_TEXT_CHARS]]
    )
    scored = []
    body = _stems(raw) if found else frozenset()
    for sid, ev in found.items():
        if not _plausible(ev[0][1], raw):
            continue
        ok, _feats = _central(c, sid, ev, vocab, body)
        if not ok:
            continue  # a shared word, not what the course is about
        miss = 1.0
        for s, _h, _f, _t in ev:
            miss *= 1 - s
        conf = 1 - miss
        best = max(ev, key=lambda e: e[0])
        scored.append((conf, sid, best, {f for _, _, f, _ in ev}))
    scored.sort(key=lambda x: (-x[0], x[1]))
    skills = []
    for rank, (conf, sid, (_s, hit, fld, txt), fields) in enumerate(scored[:MAX_SKILLS]):
        if conf < MIN_CONFIDENCE:
            break
        # The course's target level for central skills; skills met only in passing, lower.
        central = "title" in fields or rank < 3
        level = c.level if central else max(1.0, c.level - 1.0)
        # the course's own words, then what they matched
        why = f'{fld}: "{_quote(txt, hit)}" ({hit.matched or hit.label})'
        if len(fields) > 1:
            why += f" (+{', '.join(sorted(fields - {fld}))})"
        skills.append(CourseSkill(sid, hit.label, round(conf, 4), round(level, 2), why))
    prereqs: dict[tuple[str, str], Prerequisite] = {}
    taught = {s.skill_id for s in skills}
    for phrase, hit in prereq_hits:
        if hit.id in taught:
            continue
        lvl = (
            2.0
            if re.search(r"\bbasic|introductory|some\b", phrase, re.I)
            else max(1.0, c.level - 1.5)
        )
        prereqs.setdefault(
            ("skill", hit.id),
            Prerequisite("skill", hit.id, round(lvl, 2), "explicit", hit.label, phrase[:160]),
        )
    for phrase, _ in prereq_hits:
        cid = _course_ref(phrase, titles)
        if cid and cid != c.id:
            prereqs.setdefault(
                ("course", cid), Prerequisite("course", cid, None, "explicit", "", phrase[:160])
            )
    for sk in skills[:5]:
        if sk.level >= 3.5:
            # A course that teaches a skill to level L assumes about L - 2.5 (decision 0034).
            key = ("skill", sk.skill_id)
            if key not in prereqs:
                prereqs[key] = Prerequisite(
                    "skill",
                    sk.skill_id,
                    round(sk.level - 2.5, 2),
                    "implied",
                    sk.label,
                    f"teaches it to level {sk.level:g}",
                )
    from skillpath.catalog._language import course_language

    lang = course_language(c.language, c.title, " ".join([c.summary, c.description[:600]]))
    return TagResult(c.id, tuple(skills), tuple(prereqs.values()), lang)


def _norm_title(t: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", t.lower()).strip()


def _course_ref(phrase: str, titles: dict[str, str]) -> str | None:
    p = _norm_title(phrase)
    if len(p) < 8:
        return None
    for t, cid in titles.items():
        if len(t) >= 12 and t in p:
            return cid
    return None


def tag_hash(course: CatCourse, signature: str) -> str:
    """What a course's tags depend on: its content, the taxonomy and the tagger version."""
    return hashlib.sha1(f"{course.content_hash}|{signature}|{TAGGER_VERSION}".encode()).hexdigest()


def taxonomy_signature(tax: Any, engine: str) -> str:
    """A short fingerprint of the taxonomy's skills (changes when a new release is imported)."""
    h = hashlib.sha1()
    for sid in sorted(tax.skills):
        h.update(sid.encode())
    return f"{engine}:{len(tax.skills)}:{h.hexdigest()[:12]}"


def tag_catalog(
    store: Store,
    *,
    tax: Any = None,
    linker: Any = None,
    engine: str = "lexical",
    force: bool = False,
    ids: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TagReport:
    """Tag stored courses whose content or taxonomy changed (all with ``force``), atomically.

    Args:
        store: the store.
        tax: the taxonomy (default ``Taxonomy.load(store)``).
        linker: a linker to use instead of the taxonomy's (tests inject a small one).
        engine: text engine (``lexical`` by default; ``semantic``/``hybrid`` need the extra).
        force: re-tag every course.
        ids: only these course ids.
        progress: called with (done, total).

    Raises:
        DataMissingError: no taxonomy imported and no linker given.
    """
    t0 = time.perf_counter()
    if linker is None:
        if tax is None:
            from skillpath.taxonomy import Taxonomy

            tax = Taxonomy.load(store)
        if not tax.skills:
            raise DataMissingError(
                "no skills imported: run `skillpath data import ../shared/data/onet ../shared/data/esco`"
            )
        signature = taxonomy_signature(tax, engine)
    else:
        signature = f"custom:{type(linker).__name__}:{getattr(linker, 'signature', '')}"
    with store.session() as s:
        q = select(CatCourse)
        if ids is not None:
            q = q.where(CatCourse.id.in_(list(ids)))
        rows = list(s.scalars(q))
        titles = {_norm_title(r.title): r.id for r in rows if r.duplicate_of is None}
        todo = [r for r in rows if force or r.tag_hash != tag_hash(r, signature)]
        total = len(todo)
        for r in todo:  # levels follow the current calibration (decision 0145), not the import's
            derived = derive_level(
                {k: getattr(r, k) for k in ("title", "summary", "description", "syllabus")}
                | {"level_label": r.level_label}
            )
            r.level, r.level_why = float(derived["level"]), str(derived["level_why"])  # type: ignore[arg-type]
        if todo and linker is None:
            linker = catalog_linker(tax, engine=engine)  # built only when something needs tagging
        results = tag_courses(
            todo,
            linker,
            titles=titles,
            progress=(lambda d: progress(d, total)) if progress else None,
        )
        if todo:
            todo_ids = [r.id for r in todo]
            for i in range(0, len(todo_ids), 500):
                part = todo_ids[i : i + 500]
                s.execute(delete(CatCourseSkill).where(CatCourseSkill.course_id.in_(part)))
                s.execute(delete(CatPrerequisite).where(CatPrerequisite.course_id.in_(part)))
        sk_rows: list[dict[str, object]] = []
        pr_rows: list[dict[str, object]] = []
        for r, res in zip(todo, results, strict=True):
            sk_rows += [
                {
                    "course_id": r.id,
                    "skill_id": sk.skill_id,
                    "label": sk.label,
                    "confidence": sk.confidence,
                    "level": sk.level,
                    "rank": rank,
                    "why": sk.why,
                }
                for rank, sk in enumerate(res.skills)
            ]
            pr_rows += [
                {
                    "course_id": r.id,
                    "kind": p.kind,
                    "ref": p.ref,
                    "level": p.level,
                    "source": p.source,
                    "label": p.label,
                    "evidence": p.evidence,
                }
                for p in res.prerequisites
            ]
            r.tag_hash = tag_hash(r, signature)
            # the language the course is taught in (stated, or detected from its text), for plans
            # in the learner's languages
            r.raw = {
                **(r.raw or {}),
                "_language": {
                    "code": res.language[0],
                    "confidence": res.language[1],
                    "source": res.language[2],
                },
            }
        if sk_rows:
            s.execute(insert(CatCourseSkill), sk_rows)
        if pr_rows:
            s.execute(insert(CatPrerequisite), pr_rows)
        n_sk = len(sk_rows)
    if progress and not todo:
        progress(0, 0)
    return TagReport(
        len(todo), len(rows) - len(todo), round(time.perf_counter() - t0, 2), n_sk, engine
    )
