"""How much a course is about a target occupation's work: the one relevance the plan's credit, its
candidate pool and the recommender share (decisions 0141, 0142).

A course is compared with every occupation of the target's taxonomy, not with the target alone:
words (TF-IDF over the occupations' titles, alternate and reported titles and descriptions, so a
word many occupations use, such as "managers", carries little) and meaning (the shipped MiniLM
encoder). A course that is as much about another occupation as about the target (a "Human Rights"
course for a human resources role, "Business Accounts for Managers" for every manager) is less
likely to be about the target's work than one that is about the target above all others. A small
logistic model turns these features into the probability that the course is about the work; the
plan credits, and the recommender shows, only courses at or above :data:`ABOUT`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from skillpath.taxonomy import Occupation, Taxonomy

#: P(about the target's work) from which a course counts as about it: the plan credits it, the
#: recommender may show it (below it, only a course whose title names a gap technology)
ABOUT = 0.5
#: a course about exactly one of the gap's skills (its title names it, the tag is sure) needs less:
#: a "Workday" course for an HR role, "Financial Acumen for Non-Financial Managers" (0.18) for an
#: IT manager's Management of Financial Resources, a skill every manager shares; but not nothing:
#: "The Complete Canva Course" (0.00) is not about market research, nor a piano course about
#: logistics. The recommender's pool takes only technologies and tools named this way.
NAMED_ABOUT = 0.15

# Logistic coefficients (intercept, then one per feature of :func:`relevance_features`), fitted by
# ``python bench/relevance_fit.py`` on its calibration moves (not the advice benchmark's moves),
# 2026-12-02; a refit on tagger 10's tags (2026-12-03) did worse on the advice benchmark and was
# not kept (decision 0155). See docs/benchmarks.md. With meaning: raw word cosine, raw meaning
# cosine, words scaled by the best course, meaning scaled by the catalogue mean and best course,
# specificity, profile (decision 0148). Refitted 2026-12-04 with the words weighted by their sense
# (decision 0164).
COEF_MEANING: tuple[float, ...] = (-6.173, 1.673, 7.25, 3.127, -0.696, 4.73, 2.147)
# Without the encoder (the lexical engine): raw word cosine, scaled words, specificity, profile.
COEF_LEXICAL: tuple[float, ...] = (-4.792, 5.184, 3.27, 4.649, 3.621)

#: how far (between the catalogue's mean and its best course, in meaning) the courses using a word
#: of the target must be about the target for the word to count fully (decision 0164)
SENSE_SCALE = 0.3

# title kinds that name the occupation (O*NET alternate/reported/short titles, ESCO labels)
_TITLE_KINDS = frozenset(["alternate", "reported", "short", "esco-alt", "esco-pref"])


def occupation_text(tax: Any, occ: Occupation) -> str:
    """The words an occupation is known by: its title (three times), description and the titles
    people use for it."""
    titles = getattr(tax, "titles", None)
    alts = [t for t, k in titles(occ.id) if k in _TITLE_KINDS] if callable(titles) else []
    return " . ".join([occ.label] * 3 + [occ.description or "", *alts])


@dataclass
class _Index:
    courses: Sequence[Any]  # held so the id() key stays valid
    taxonomy: str
    col: dict[str, int]  # occupation id -> column
    vec: Any  # TfidfVectorizer fitted on the occupations' texts
    C: Any  # courses x vocabulary (sparse, rows unit length)
    occ_matrix: Any  # occupations x vocabulary
    emb: Any  # courses x d unit embeddings, or None (lexical engine, tiny catalogue)
    OE: Any  # occupations x d, or None
    wmax: Any  # per occupation: best course's word cosine
    smean: Any  # per occupation: mean and best course's meaning cosine
    smax: Any
    rmax: Any  # per course: its highest combined relevance to any occupation
    cdf: Any  # per vocabulary term: share of courses using it


_INDEX: dict[tuple[int, int, str], _Index] = {}


def _index(tax: Taxonomy, courses: Sequence[Any], taxonomy: str) -> _Index:
    key = (id(courses), id(tax), taxonomy)
    if key in _INDEX:
        return _INDEX[key]
    content = (getattr(tax, "_memo", None) or {}).get("content_key")
    if content:  # on disk by what it is made of: a new process does not rebuild it (0132)
        idx = _index_on_disk(tax, courses, taxonomy, content)
        if len(_INDEX) > 2:
            _INDEX.clear()
        _INDEX[key] = idx
        return idx
    return _build_index(tax, courses, taxonomy, key)


def _index_on_disk(tax: Taxonomy, courses: Sequence[Any], taxonomy: str, content: str) -> _Index:
    import dataclasses
    import hashlib

    from skillpath.store._derived import cached_by_key, source_hash
    from skillpath.text import default_engine

    h = hashlib.sha256(f"{content}|{taxonomy}|{default_engine()}".encode())
    for c in courses:  # the course texts the index reads, in order
        h.update(f"{c.id}\x1f{c.title}\x1f{c.subject}\x1f{c.summary}\x1e".encode())
    version = source_hash(
        "skillpath.plan._relevance",
        "skillpath.catalog._tagging",  # without_audience reads the course texts
        "skillpath.text._tfidf",
        "skillpath.catalog._embed",
        "skillpath.text._semantic",
    )

    def build() -> _Index:  # stored without the courses (the caller has them)
        idx = _build_index(tax, courses, taxonomy, None)
        return dataclasses.replace(idx, courses=())

    got = cached_by_key("relevance-index", f"{h.hexdigest()}|{version}", build)
    return dataclasses.replace(got, courses=courses)


def _build_index(tax: Taxonomy, courses: Sequence[Any], taxonomy: str, key: Any) -> _Index:
    import numpy as np

    from skillpath.text._tfidf import TfidfVectorizer  # (scikit-learn's, without its import)

    occs = [
        o
        for o in tax.occupations.values()
        if o.taxonomy == taxonomy and getattr(o, "status", "current") == "current"
    ]
    docs = [occupation_text(tax, o) for o in occs]
    few = len(docs) < 50  # a toy taxonomy: every word counts
    vec = TfidfVectorizer(
        stop_words="english",
        sublinear_tf=True,
        ngram_range=(1, 2),
        max_df=1.0 if few else 0.1,
    ).fit(docs)
    from skillpath.catalog._tagging import without_audience, without_negated

    # who a course is for is not what it is about: "Business Accounts For Managers" is not about
    # the work of every manager (decision 0157); nor is what it says it does without ("Build a
    # Website With No Coding" is not about a medical coder's work)
    cmat = vec.transform(
        [
            without_negated(without_audience(f"{c.title} . {c.title} . {c.subject} . {c.summary}"))
            for c in courses
        ]
    )
    omat = vec.transform(docs)
    emb = oe = None
    if len(courses) >= 50:
        from skillpath.catalog._embed import course_embeddings

        emb = course_embeddings(courses)
        if emb is not None:
            from skillpath.text._semantic import default_encoder

            raw = np.asarray(
                default_encoder().encode_cached([f"{o.label}. {o.description}" for o in occs]),
                dtype=np.float32,
            )
            oe = raw / (np.linalg.norm(raw, axis=1, keepdims=True) + 1e-9)
    n_c, n_o = len(courses), len(occs)
    wmax = np.zeros(n_o, dtype=np.float32)
    smean = np.zeros(n_o, dtype=np.float32)
    smax = np.ones(n_o, dtype=np.float32)
    rmax = np.zeros(n_c, dtype=np.float32)
    step = 256  # occupations at a time: an ESCO-sized taxonomy never holds the whole matrix
    for a in range(0, n_o, step):
        w = (cmat @ omat[a : a + step].T).toarray().astype(np.float32)
        wmax[a : a + step] = w.max(axis=0) if n_c else 0.0
        r = w / (wmax[a : a + step] + 1e-9)
        if emb is not None and oe is not None:
            s = emb @ oe[a : a + step].T
            smean[a : a + step] = s.mean(axis=0)
            smax[a : a + step] = s.max(axis=0)
            sn = np.clip(
                (s - smean[a : a + step]) / (smax[a : a + step] - smean[a : a + step] + 1e-9), 0, 1
            )
            r = 0.5 * r + 0.5 * sn
        if n_c:
            rmax = np.maximum(rmax, r.max(axis=1))
    cdf = np.asarray((cmat > 0).sum(axis=0)).ravel() / max(1, n_c)
    if len(_INDEX) > 2:  # a process sees one or two catalogues
        _INDEX.clear()
    idx = _Index(
        courses, taxonomy, {o.id: j for j, o in enumerate(occs)}, vec, cmat, omat, emb, oe,
        wmax, smean, smax, rmax, cdf,
    )  # fmt: skip
    if key is not None:
        _INDEX[key] = idx
    return idx


def _in_its_sense(idx: _Index, q: Any, s: Any) -> tuple[Any, Any]:
    """The target's word vector with each word weighted by how much the courses that use it are,
    in meaning, about the target, and the courses' word cosines with it (decision 0164).

    A word the target shares with many courses may mean something else there: "coding" is in
    the medical coders' titles and in every programming course. The courses using a word have a
    mean meaning cosine to the target; scaled between the catalogue's mean (0) and its best
    course (1), and divided by :data:`SENSE_SCALE`, that is the word's weight (at most 1).
    """
    import numpy as np

    qc = q.tocsr()
    qd = qc.copy()
    if len(qc.indices):
        used = idx.C[:, qc.indices] != 0  # courses x the target's words
        n = np.asarray(used.sum(axis=0)).ravel()
        mean = np.asarray(used.T @ np.asarray(s, dtype=np.float64)).ravel() / np.maximum(n, 1)
        base, top = float(s.mean()), float(s.max())
        z = (mean - base) / max(top - base, 1e-9)
        # a word no course uses keeps its weight (it adds nothing to any cosine)
        qd.data = qd.data * np.where(n > 0, np.clip(z / SENSE_SCALE, 0.0, 1.0), 1.0)
    return qd, (idx.C @ qd.T).toarray().ravel().astype(np.float32)


def _target_columns(idx: _Index, tax: Taxonomy, target: Occupation) -> tuple[Any, Any, Any]:
    """(target query vector, word cosines, meaning cosines or None) of every course; with
    meaning, the query's words are weighted by :func:`_in_its_sense`."""
    import numpy as np

    j = idx.col.get(target.id)
    q = idx.occ_matrix[j] if j is not None else idx.vec.transform([occupation_text(tax, target)])
    if idx.emb is None:  # the lexical engine: the words as they are
        return q, (idx.C @ q.T).toarray().ravel().astype(np.float32), None
    if j is not None:
        v = idx.OE[j]
    else:
        from skillpath.text._semantic import default_encoder

        raw = np.asarray(default_encoder().encode([f"{target.label}. {target.description}"])[0])
        v = raw / (np.linalg.norm(raw) + 1e-9)
    s = idx.emb @ v
    q, w = _in_its_sense(idx, q, s)
    return q, w, s


def _profile_stats(
    tax: Taxonomy,
) -> tuple[dict[str, dict[str, int]], dict[str, int], dict[str, float]]:
    """Per taxonomy: in how many occupations each unrated requirement (technology, tool, ESCO
    skill) appears, and the number of occupations; the median importance of each rated skill."""
    memo = getattr(tax, "_memo", None)
    got = memo.get("relevance_profile") if memo is not None else None
    if got is not None:
        return got
    from collections import Counter, defaultdict

    df: dict[str, Counter[str]] = defaultdict(Counter)
    n: Counter[str] = Counter()
    imps: dict[str, list[float]] = defaultdict(list)
    for oid, o in tax.occupations.items():
        n[o.taxonomy] += 1
        for r in tax.own_requirements(oid):
            if r.relation == "rated":
                if r.importance is not None:
                    imps[r.skill_id].append(r.importance)
            else:
                df[o.taxonomy][r.skill_id] += 1
    med = {k: sorted(v)[len(v) // 2] for k, v in imps.items()}
    out = ({k: dict(v) for k, v in df.items()}, dict(n), med)
    if memo is not None:
        memo["relevance_profile"] = out
    return out


_RATED_KINDS = frozenset(["knowledge"])  # see profile_weights


def profile_weights(tax: Taxonomy, target: Occupation) -> dict[str, float]:
    """How much each of the target's requirements sets its work apart (0-1): a Knowledge area
    by how far the target's importance stands above the median occupation's; a technology, tool
    or ESCO skill by how few occupations of the taxonomy list it (IDF, scaled to 1 for one
    occupation). O*NET Skills ("Speaking", "Coordination", "Management of Financial Resources")
    and abilities count nothing: measured with Skills weighed like Knowledge areas, the advice
    benchmark's plans fell from 75.9 % to 64.5 % on topic (decision 0148)."""
    import math

    df, n, med = _profile_stats(tax)
    skills = getattr(tax, "skills", {})
    total = max(2, n.get(target.taxonomy, 2))
    counts = df.get(target.taxonomy, {})
    out: dict[str, float] = {}
    for r in tax.requirements(target.id):
        if r.relation == "rated":
            if (
                r.importance is None
                or r.not_relevant
                or getattr(skills.get(r.skill_id), "kind", "") not in _RATED_KINDS
            ):
                continue
            m = med.get(r.skill_id, 3.0)
            w = max(0.0, (r.importance - m) / max(0.5, 5.0 - m))
        else:
            w = math.log(total / max(1, counts.get(r.skill_id, 1))) / math.log(total)
        out[r.skill_id] = max(out.get(r.skill_id, 0.0), min(1.0, max(0.0, w)))
    return out


def relevance_features(tax: Taxonomy, target: Occupation, courses: Sequence[Any]) -> Any:
    """The features the relevance model reads, one row per course (see the module docstring):
    with meaning, [word cosine, meaning cosine, scaled words, scaled meaning, specificity,
    profile]; without, [word cosine, scaled words, specificity, profile]. ``profile`` is the
    course's surest tag weighted by how much that skill sets the target's work apart
    (:func:`profile_weights`, decision 0148)."""
    import numpy as np

    idx = _index(tax, courses, target.taxonomy)
    _q, w, s = _target_columns(idx, tax, target)
    pw = profile_weights(tax, target)
    prof = np.array(
        [
            max(
                (t.confidence * pw.get(t.skill_id, 0.0) for t in getattr(c, "skills", ())),
                default=0.0,
            )
            for c in courses
        ],
        dtype=np.float32,
    )
    wn = w / ((w.max() if len(w) else 0.0) + 1e-9)
    if s is None:
        r = wn
        spec = r / (np.maximum(idx.rmax, r) + 1e-9)
        return np.column_stack([w, wn, spec, prof])
    sn = np.clip((s - s.mean()) / (s.max() - s.mean() + 1e-9), 0, 1)
    r = 0.5 * wn + 0.5 * sn
    spec = r / (np.maximum(idx.rmax, r) + 1e-9)
    return np.column_stack([w, s, wn, sn, spec, prof])


def target_relevance(tax: Taxonomy, target: Occupation, courses: Sequence[Any]) -> dict[str, float]:
    """The probability that each course is about the target's work (decision 0142): a logistic
    model over :func:`relevance_features`, calibrated on labelled moves; a course counts as about
    the work from :data:`ABOUT`."""
    import numpy as np

    if not courses:
        return {}
    x = relevance_features(tax, target, courses)
    coef = np.asarray(
        COEF_MEANING if x.shape[1] == len(COEF_MEANING) - 1 else COEF_LEXICAL, dtype=np.float64
    )
    z = coef[0] + x @ coef[1:]
    p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
    return {c.id: round(float(v), 4) for c, v in zip(courses, p, strict=True)}


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


def _has(term: str, low: str) -> bool:
    """``term`` (a word or a two-word phrase of the vectoriser) at a word start in ``low``; the
    words of a phrase may be apart by punctuation ("food & beverage")."""
    pat = r"\W+".join(re.escape(w) for w in term.split())
    return re.search(rf"\b{pat}", low) is not None


def _clip(text: str, n: int = 160) -> str:
    text = text.strip()
    return text if len(text) <= n else text[: n - 3].rsplit(" ", 1)[0] + "..."


_WORDS = re.compile(r"[A-Za-z]{3,}")


def _first_said(c: Any) -> str:
    """The course's first sentence about itself: not one that only names its programme or
    audience ("This course is part of a MicroMasters® Program"), else its title."""
    from skillpath.catalog._tagging import evidence_text

    for sent in _SENTENCE.split((c.summary or "").strip()):
        if len(_WORDS.findall(evidence_text(sent))) >= 4:
            return sent.strip()
    return str(c.title)


def relevance_reasons(
    tax: Taxonomy, target: Occupation, courses: Sequence[Any], ids: Sequence[str]
) -> dict[str, str]:
    """Why each course in ``ids`` is about the target's work, quoting the course's own sentence
    that carries most of the words it shares with the role's titles and description."""
    import numpy as np

    from skillpath.catalog._tagging import evidence_text

    if not courses or not ids:
        return {}
    idx = _index(tax, courses, target.taxonomy)
    q, _w, _s = _target_columns(idx, tax, target)
    vocab = idx.vec.get_feature_names_out()
    qd = np.asarray(q.toarray()).ravel()
    # a term in more than a tenth of the catalogue carries no topic to quote, nor does course-speak
    keep = (idx.cdf <= 0.1) if len(courses) >= 50 else np.ones_like(idx.cdf, dtype=bool)
    row_of = {c.id: i for i, c in enumerate(courses)}
    out: dict[str, str] = {}
    for cid in ids:
        i = row_of.get(cid)
        if i is None:
            continue
        c = courses[i]
        prod = idx.C[i].multiply(qd).multiply(keep).tocoo()
        pairs = sorted(
            ((v, j) for v, j in zip(prod.data, prod.col, strict=True) if v > 0), reverse=True
        )
        terms: list[str] = []
        for _v, j in pairs:
            t = str(vocab[j])
            if t in _COURSE_SPEAK or any(t in u.split() for u in terms):
                continue  # a word already inside a chosen phrase says nothing more
            terms = [u for u in terms if u not in t.split()] + [t]
            if len(terms) == 4:
                break
        if not terms:  # related in meaning, not in words: quote the course's first sentence
            first = _first_said(c)
            out[cid] = (
                f"close in meaning to the work of {target.label}: the course says '{_clip(first)}'"
            )
            continue
        best, hits = "", 0
        for k, sent in enumerate([c.title, *_SENTENCE.split(c.summary or "")]):
            # a programme's name or another course's title in the summary is not this course's
            low = (sent if k == 0 else evidence_text(sent)).lower()
            n = sum(1 for t in terms if _has(t, low))
            if n > hits:
                best, hits = sent.strip(), n
        if not best:  # the shared words are in no one sentence: say what it is, quoting it
            first = _first_said(c)
            out[cid] = f"about the work of {target.label}: the course says '{_clip(first)}'"
            continue
        shared = ", ".join(t for t in terms if _has(t, best.lower()))
        out[cid] = f"about the work of {target.label} ({shared}): the course says '{_clip(best)}'"
    return out


RELEVANT_POOL = 300  # the most a plan or a recommendation draws from


def relevant_courses(
    tax: Taxonomy,
    target: Occupation,
    courses: Sequence[Any],
    gap: Any,
    n: int = RELEVANT_POOL,
    relevance: dict[str, float] | None = None,
) -> list[Any]:
    """The courses a plan or a recommendation for ``target`` draws from: those about the
    target's work (relevance at least :data:`ABOUT`, the ``n`` most relevant), plus any whose
    title names a technology or tool of the gap (a "Workday" course for an HR role) and whose
    relevance is at least :data:`NAMED_ABOUT`. Empty when
    the catalogue holds nothing about the target's work: say so rather than pad the list.
    ``relevance``: :func:`target_relevance` of ``courses`` when the caller already has it."""
    if not courses:
        return []
    rel = relevance if relevance is not None else target_relevance(tax, target, courses)
    ranked = sorted(courses, key=lambda c: -rel.get(c.id, 0.0))
    keep = {c.id for c in ranked[:n] if rel.get(c.id, 0.0) >= ABOUT}
    techs = {g.skill_id for g in gap.skills if g.relation in ("technology", "tool")}
    for c in courses:
        if rel.get(c.id, 0.0) >= NAMED_ABOUT and any(
            t.skill_id in techs and str(t.why).startswith("title") for t in c.skills
        ):
            keep.add(c.id)
    return [c for c in courses if c.id in keep]


#: A course teaches a detailed work activity of the gap (decision 0158) when it is about the
#: target's work (relevance at least :data:`ABOUT`), close in meaning to the activity and to the
#: target's task statements it groups (mean of the two cosines at least this), and its title or
#: summary names the activity's own subject: a word of the activity rare among all activities
#: (IDF at least :data:`ACTIVITY_WORD_IDF`: "security", "consumer", "healthcare", not "develop",
#: "information", "operations"). Words and meaning must agree: meaning alone takes computing
#: courses for "Determine production equipment settings" (cosines about 0.2 there, 0.55-0.6 for
#: information security courses and security activities).
ACTIVITY_MIN_SIMILARITY = 0.45
ACTIVITY_WORD_IDF = 4.0
ACTIVITY_COURSES = 10  # the closest courses per activity (the plan chooses among them)
#: the course's meaning cosine to the target, over its best cosine to any occupation: on the
#: calibration moves of ``bench/relevance_fit.py``, courses about the work below 0.6 of their best
#: are on topic 47 % of the time, from 0.6 about 75 % (a neighbour's course, "Recruiting, Hiring,
#: and Onboarding Employees" for an HR specialist at 0.79 of its HR managers' cosine, is fine)
ACTIVITY_NEAREST = 0.6


def _activity_idf(tax: Taxonomy) -> dict[str, float]:
    import math
    from collections import Counter

    from skillpath.text import analyze

    memo = getattr(tax, "_memo", None)
    got = memo.get("activity_idf") if memo is not None else None
    if got is not None:
        return got
    labels = [s.label for s in tax.skills.values() if s.kind == "activity"]
    df = Counter(w for lab in labels for w in set(analyze(lab)))
    out = {w: math.log(len(labels) / c) for w, c in df.items()}
    if memo is not None:
        memo["activity_idf"] = out
    return out


def activity_tags(
    tax: Taxonomy,
    target: Occupation,
    gap: Sequence[Any],
    courses: Sequence[Any],
    relevance: dict[str, float],
) -> dict[str, tuple[Any, ...]]:
    """Course id -> tags for the gap's detailed work activities the course teaches (see
    :data:`ACTIVITY_MIN_SIMILARITY`): "Information Security: Context and Introduction" for
    "Implement security measures for computer or information systems". The catalogue tagger
    links no activity (they are the target's work, not a course's topic), so the plan asks
    here, for the few activities of one gap. Empty without the meaning encoder."""
    import numpy as np

    from skillpath.catalog._model import CourseSkill
    from skillpath.catalog._tagging import evidence_text
    from skillpath.text import analyze

    acts = [g for g in gap if g.relation == "activity"]
    if not acts or not courses:
        return {}
    pool = [i for i, c in enumerate(courses) if relevance.get(c.id, 0.0) >= ABOUT]
    if not pool:
        return {}
    idx = _index(tax, courses, target.taxonomy)
    j = idx.col.get(target.id)
    if idx.emb is None or idx.OE is None or j is None:
        return {}
    # and not much closer in meaning to another occupation than to the target
    near = idx.emb[pool] @ idx.OE.T
    pool = [i for i, r in zip(pool, near, strict=True) if r[j] >= ACTIVITY_NEAREST * r.max()]
    if not pool:
        return {}
    from skillpath.text._semantic import default_encoder

    enc = default_encoder()
    idf = _activity_idf(tax)
    texts = {t.id: t.text for t in tax.tasks(target.id)}
    grouped = dict(tax.activities(target.id))
    pe = idx.emb[pool]
    out: dict[str, list[Any]] = {}
    for g in acts:
        tasks = [texts[t] for t in grouped.get(g.skill_id, ()) if t in texts]
        v = np.asarray(enc.encode_cached([g.label, *tasks]), dtype=np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True) + 1e-9
        sims = pe @ v.T
        sim = 0.5 * sims[:, 0] + 0.5 * sims[:, 1:].max(axis=1) if len(tasks) else sims[:, 0]
        subject = {w for w in analyze(g.label) if idf.get(w, 0.0) >= ACTIVITY_WORD_IDF}
        kept = 0
        for k in np.argsort(-sim):
            if sim[k] < ACTIVITY_MIN_SIMILARITY or kept >= ACTIVITY_COURSES:
                break
            c = courses[pool[k]]
            # what the course is about, not what it is ("Futures/Commodity Training" is a training
            # course, not one about developing training materials): the tagger's evidence filter
            field, said = next(
                (
                    (f, text)
                    for f, text in (("title", c.title), ("summary", c.summary or ""))
                    if subject & set(analyze(evidence_text(text)))
                ),
                ("", ""),
            )
            if not field:
                continue  # close in meaning, but it does not name what the activity is about
            kept += 1
            # no labelled data for activities: the closest match counts like a 0.9 tag
            conf = round(min(0.9, 0.6 + 2.0 * (float(sim[k]) - ACTIVITY_MIN_SIMILARITY)), 4)
            named = dict.fromkeys(
                w.lower() for w in _WORDS.findall(said) if subject & set(analyze(w))
            )
            why = f'{field}: "{_clip(said, 110)}" ({", ".join(named)})'
            out.setdefault(c.id, []).append(CourseSkill(g.skill_id, g.label, conf, c.level, why))
    return {cid: tuple(tags) for cid, tags in out.items()}


def about_share(p: float) -> float:
    """The share of a course's credit that counts for the target: none below :data:`ABOUT`, full
    from 0.8 (a course surely about the work), linear between."""
    if p < ABOUT:
        return 0.0
    return min(1.0, p / 0.8)


__all__ = [
    "ABOUT",
    "ACTIVITY_MIN_SIMILARITY",
    "NAMED_ABOUT",
    "about_share",
    "activity_tags",
    "occupation_text",
    "profile_weights",
    "relevance_features",
    "relevance_reasons",
    "relevant_courses",
    "target_relevance",
]
