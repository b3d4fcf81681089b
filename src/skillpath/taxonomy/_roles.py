"""The one role resolver: a job title, a code or a loose phrase -> ranked occupations, with reasons.

Every command that takes a role (``roles``, ``gap``, ``plan``, ``recommend``, ``paths``) and the
CV reader's position titles go through :func:`resolve_roles`. Evidence, strongest first
(decision 0012):

1. an O*NET-SOC code (``15-1252``, ``15-1252.00``) or an occupation id/URI: that occupation;
2. the title itself: every known title (occupation labels, O*NET alternate, short and reported
   titles, ESCO preferred/alternative labels) is scored against the query by the lexical text
   engine (word coverage both ways, rarity-weighted, phrase bonus), times a weight for the kind of
   title; typos fall back to fuzzy string similarity;
3. tie-breakers when several occupations carry the same title ("Data Analyst" is an alternate
   title of 8+ occupations): how many of the occupation's titles say the query (its *title
   support*), how close the occupation's own label is, whether the query words occur in its
   description and tasks, and the context (CV text, the current role's SOC family);
4. titles that name no trade ("Founder", "Owner", "Consultant") and loose phrases ("something in
   cybersecurity") are resolved through the same engine over the occupations' descriptions and
   tasks, and through the context.

The answer says which occupation was chosen and why; when the best candidates are too close to
call, it is marked ``ambiguous`` and lists them (the CLI then names them and ``--target-code``
picks one).
"""

from __future__ import annotations

import contextlib
import math
import re
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from skillpath.errors import InputError, NotFoundError
from skillpath.taxonomy._model import Occupation

__all__ = [
    "ResolverConfig",
    "RoleCandidate",
    "RoleResolution",
    "occupations_like_text",
    "pick_role",
    "resolve_role",
    "resolve_roles",
]

_CODE = re.compile(r"^\s*(\d{2}-\d{4})(\.\d{2})?\s*$")

# How much a match on each kind of title is worth relative to the occupation's own label.
KIND_WEIGHT = {
    "label": 1.0,
    "esco-pref": 0.98,
    "alternate": 0.96,
    "reported": 0.96,
    "esco-alt": 0.94,
    "short": 0.9,
    "esco-hidden": 0.85,
}

# Words of a loose request that name no occupation ("something in cybersecurity", "a job as a
# nurse", "I want to work in logistics"). Removed before matching; the rest is the subject.
_FILLER = re.compile(
    r"\b(?:i|i'd|id|would|like|want|wanna|to|be|become|work|working|job|jobs|role|roles|"
    r"position|positions|career|careers|something|anything|some|kind|sort|type|of|in|as|an?|"
    r"the|field|area|sector|industry|related|around|within|with|into|for|me|my|get|getting|"
    r"move|moving|switch|switching|do|doing|maybe|perhaps|please)\b",
    re.IGNORECASE,
)

# Titles that say who someone is in an organisation, not what trade they practise. Their
# occupation comes from what the CV says they did (the context), the title only adds a little.
_NO_TRADE = re.compile(
    r"^(?:co[- ]?)?(?:founder|owner|proprietor|entrepreneur|self[- ]employed|freelancer?|"
    r"consultant|independent consultant|contractor|partner|managing partner|director|"
    r"managing director|(?:senior |executive |assistant |associate )?vice president|"
    r"[ase]?vp|supervisor|"
    r"president|ceo|chief executive officer|principal|employee|staff|"
    r"intern|trainee|volunteer|member|associate)(?:\s*(?:&|and|/|,)\s*(?:co[- ]?)?"
    r"(?:founder|owner|ceo|president|director|partner))*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ResolverConfig:
    """Weights of the resolver (chosen on O*NET Alternate Titles as queries, never on the
    reported titles or BLS titles it is evaluated on; see bench/roles.py).

    Attributes:
        support_weight: how much title support (share of the occupation's titles saying the
            query) adds, as a share of the title evidence.
        label_weight: how much similarity to the occupation's own label adds.
        desc_weight: how much the query words in the description and tasks add.
        cross_weight: how much the other taxonomy adds: the title evidence of the occupations
            it is crosswalked to (ESCO <-> O*NET), when they hold the query too.
        context_weight: share of the score the context (CV text) decides when the query is one
            of the occupation's titles.
        context_weight_weak: the same when the title matches only in part, reached at
            ``weak_title`` (between it and 0.9 the share grows linearly as the match weakens).
        title_evidence, desc_cap: when the query's best title evidence is at least
            ``title_evidence``, an occupation matched by its description alone scores at most
            ``desc_cap`` times that evidence.
        weak_title: title evidence at and below which ``context_weight_weak`` applies in full
            (0.9: a step, the rule before decision 0125; 0.5 chosen on the resume dev half).
        context_weight_no_trade: the same for titles naming no trade ("Founder", "Owner").
        family_bonus: added for an occupation in the same SOC major group as ``family``.
        min_score: below this the best candidate is not a match (``NotFoundError``).
        ambiguous_gap: top candidates closer than this are reported as ambiguous.
        fuzzy_below: fuzzy string matching is tried when the best title evidence is below this.
        near_exact: a title the lexical engine scores above this without having the query's
            words (stemming: "Production Manager" for "Product Manager"; stop words:
            "Psychologists, All Other" for "Psychologist") is capped at
            ``near_exact + (1 - near_exact) * jaccard(words)``.
        support_norm: title support is divided by (the occupation's number of titles) to this
            power, so that it is the share of its titles saying the query rather than a count
            that favours occupations with long title lists (0: off; 0.5 raised reported-title
            MRR by 0.004 but lowered BLS and alternate titles and sent "Data Analyst" to
            Financial Quantitative Analysts, decision 0123).
        residual_penalty: share of the title evidence taken from residual "..., All Other"
            occupations, so that a named occupation holding the same title ranks first.
        specialty_weight: with a context, the share of the score taken from an occupation
            whose label names a specialty the query does not ("Wind Energy Development
            Managers" for "Business Development Manager") in proportion to how much of that
            specialty (idf-weighted label words) the context never mentions; only among the
            candidates whose title evidence is within ``specialty_band`` of the best, when
            there are two or more (the title alone does not tell them apart).
    """

    support_weight: float = 0.08
    label_weight: float = 0.05
    desc_weight: float = 0.06
    cross_weight: float = 0.05
    context_weight: float = 0.2
    context_weight_weak: float = 0.6
    context_weight_no_trade: float = 0.7
    family_bonus: float = 0.03
    min_score: float = 0.45
    ambiguous_gap: float = 0.02
    fuzzy_below: float = 0.75
    near_exact: float = 0.8
    support_norm: float = 0.0
    residual_penalty: float = 0.02
    weak_title: float = 0.5
    title_evidence: float = 0.6
    desc_cap: float = 0.8
    specialty_weight: float = 0.1
    specialty_band: float = 0.05


@dataclass(frozen=True, slots=True)
class RoleCandidate:
    """One ranked occupation for a query.

    Attributes:
        occupation: the occupation.
        score: in [0, 1], higher is better; >= 0.9 the query is one of its titles.
        matched: the title (or label) that matched best; empty for context-only candidates.
        how: ``code``, ``exact`` (the query is one of its titles), ``title`` (a title matches in
            part), ``fuzzy`` (a title spelled alike), ``description`` (the query words occur in
            its description/tasks) or ``context`` (the CV text describes it).
        why: the evidence in words, for the user.
    """

    occupation: Occupation
    score: float
    matched: str
    how: str
    why: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoleResolution:
    """The resolver's answer for one query."""

    query: str
    candidates: tuple[RoleCandidate, ...] = ()
    ambiguous: bool = False
    reason: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def chosen(self) -> RoleCandidate | None:
        """The best candidate, or ``None`` when nothing matched well enough."""
        return self.candidates[0] if self.candidates else None


# --------------------------------------------------------------------------------------------
# the index, built once per taxonomy


class _Index:
    """Titles, the lexical engine over them, and per-occupation context vectors."""

    def __init__(
        self,
        occs: list[Occupation],
        titles: list[tuple[str, str, str]],
        contexts: list[str],
        links: Sequence[tuple[str, str]] = (),
    ) -> None:
        from skillpath.taxonomy._taxonomy import norm_title
        from skillpath.text import Concept
        from skillpath.text._lexical import LexicalConfig, cached_lexical_linker

        self.occs = occs
        self.pos = {o.id: i for i, o in enumerate(occs)}
        title_ids: dict[str, int] = {}
        self.titles: list[str] = []
        pairs: dict[tuple[int, int], float] = {}
        self.exact: dict[str, list[int]] = defaultdict(list)
        self.label_title = np.full(len(occs), -1, dtype=np.int64)
        for title, oid, kind in titles:
            oi = self.pos.get(oid)
            if oi is None or not title.strip():
                continue
            key = title.strip().lower()
            ti = title_ids.get(key)
            if ti is None:
                ti = title_ids[key] = len(self.titles)
                self.titles.append(title.strip())
            w = KIND_WEIGHT.get(kind, 0.9)
            if pairs.get((ti, oi), 0.0) < w:
                pairs[(ti, oi)] = w
            if kind == "label":
                # the last of an occupation's label names is its general one (see title_names)
                self.label_title[oi] = ti
        self.residual = np.array([bool(_ALL_OTHER.search(o.label)) for o in occs], dtype=bool)
        self.title_words: list[frozenset[str]] = []
        for ti, t in enumerate(self.titles):
            nt = norm_title(t)
            self.exact[nt].append(ti)
            self.title_words.append(content_words(nt))
        self.exact = dict(self.exact)
        rows, cols, vals = (
            zip(*((t, o, w) for (t, o), w in pairs.items()), strict=True) if pairs else ((), (), ())
        )
        # titles x occupations, the kind weight of each (title, occupation) pair
        self.t2o = sp.csr_matrix(
            (
                np.asarray(vals, dtype=np.float64),
                (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
            ),
            shape=(len(self.titles), len(occs)),
        )
        # titles are short: a query word the title does not explain counts more than in a
        # sentence (alpha 0.5 instead of the sentence engine's 0.75)
        self.title_linker = cached_lexical_linker(
            [Concept(str(i), t) for i, t in enumerate(self.titles)],
            LexicalConfig(alpha=TITLE_ALPHA, case_rule=False, mask=False),
        )
        self._contexts(contexts)
        # the other taxonomy's occupations each one is crosswalked to (ESCO <-> O*NET)
        linked: dict[int, set[int]] = defaultdict(set)
        for a, b in links:
            ia, ib = self.pos.get(a), self.pos.get(b)
            if ia is not None and ib is not None and ia != ib:
                linked[ia].add(ib)
                linked[ib].add(ia)
        self.links = {k: sorted(v) for k, v in linked.items()}

    def _contexts(self, contexts: list[str]) -> None:
        """TF-IDF vectors (occupations x terms) of label, description, tasks, technologies."""
        from skillpath.text import analyze

        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for oi, text in enumerate(contexts):
            for term in set(analyze(text)):
                rows.append(oi)
                cols.append(vocab.setdefault(term, len(vocab)))
                vals.append(1.0)
        m = sp.csr_matrix((vals, (rows, cols)), shape=(len(self.occs), max(len(vocab), 1)))
        df = np.diff(m.tocsc().indptr)
        self.ctx_idf = np.log((1 + len(self.occs)) / (1 + df)) + 1.0
        m = m.multiply(self.ctx_idf[None, :]).tocsr()
        # Pivoted length normalisation (|o| ** 0.5, not |o|): an occupation with a long list of
        # tasks and tools is not penalised for explaining more of a CV than a short one.
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        self.ctx = sp.csr_matrix(sp.diags(1.0 / np.maximum(norms, 1e-9) ** CTX_PIVOT) @ m)
        self.ctx_t = self.ctx.T.tocsr()
        self.ctx_vocab = vocab

    def context_vectors(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Unit TF-IDF vectors of ``texts`` in the occupation context space."""
        from skillpath.text import analyze

        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for i, t in enumerate(texts):
            counts: dict[int, int] = defaultdict(int)
            for term in analyze(t or ""):
                j = self.ctx_vocab.get(term)
                if j is not None:
                    counts[j] += 1
            for j, n in counts.items():
                rows.append(i)
                cols.append(j)
                vals.append((1.0 + math.log(n)) * float(self.ctx_idf[j]))
        m = sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), self.ctx.shape[1]))
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        return sp.csr_matrix(sp.diags(1.0 / np.maximum(norms, 1e-9)) @ m)


TITLE_ALPHA = 0.5
CTX_PIVOT = 0.5

# Bump when the index layout or its inputs change, so that stale caches are ignored.
_CACHE_VERSION = "roles-5"


# "Information Technology Manager (IT Manager)": O*NET writes a title and its other name (an
# abbreviation or the expansion) as one string; both are names of the job.
_PAIRED = re.compile(r"^\s*([^()]+?)\s*\(([^()]+)\)\s*$")
_ONET_KINDS = frozenset({"alternate", "reported", "short"})


# "Elementary School Teachers, Except Special Education": the part before ", Except" is the
# general occupation's name (the exceptions are its siblings); "..., All Other" is a residual.
_EXCEPT = re.compile(r"^\s*(.+?),\s+except\b", re.IGNORECASE)
_ALL_OTHER = re.compile(r"\ball other\b", re.IGNORECASE)
# words a title can carry without naming anything more specific
_TITLE_STOP = frozenset({"of", "and", "the", "a", "an", "for", "in", "to", "at", "on", "or", "&"})


def content_words(normed: str) -> frozenset[str]:
    """The words of a title (normalised by ``norm_title``) that say what the job is."""
    return frozenset(w for w in normed.split() if w not in _TITLE_STOP)


def title_names(title: str, kind: str) -> list[str]:
    """The names one dictionary title stands for: both halves of O*NET's ``"A (B)"`` pairs, and
    the general name of an ``"A, Except B"`` label.

    ``"Information Technology Manager (IT Manager)"`` is ``"Information Technology Manager"``
    and ``"IT Manager"``, each a title of its own, so that the abbreviation is found whichever
    half O*NET happened to write first. ESCO's parentheses qualify (``"scheduling manager
    (mine)"``) and labels are kept whole; a one-word lower-case second half is a qualifier too.
    An occupation labelled ``"Elementary School Teachers, Except Special Education"`` is *the*
    elementary school teachers (its exceptions are occupations of their own), so the label is
    also the name ``"Elementary School Teachers"``; residual ``"..., All Other"`` labels are not.
    """
    if kind == "label":
        e = _EXCEPT.match(title)
        if e is not None and not _ALL_OTHER.search(title):
            return [title, e.group(1).strip()]
        return [title]
    m = _PAIRED.match(title) if kind in _ONET_KINDS else None
    if m is None:
        return [title]
    a, b = m.group(1).strip(), m.group(2).strip()
    names = [a]
    # a second name: several words ("Information Technology Manager") or an acronym ("RN")
    if len(b.split()) >= 2 or (len(b) >= 2 and b.upper() == b and any(c.isalpha() for c in b)):
        names.append(b)
    return names


def _inputs(
    tax: Any,
) -> tuple[list[Occupation], list[tuple[str, str, str]], list[str], list[tuple[str, str]]]:
    occs = [o for o in tax.occupations.values() if o.status != "legacy"]
    titles = [(n, oid, kind) for t, oid, kind in tax.all_titles() for n in title_names(t, kind)]
    contexts = []
    for occ in occs:
        parts = [occ.label, occ.description or ""]
        with contextlib.suppress(Exception):  # a taxonomy view without tasks
            parts += [t.text for t in tax.tasks(occ.id)[:40]]
        with contextlib.suppress(Exception):  # the tools of the trade tell titles apart
            parts += [
                re.sub(r"\b(?:software|systems?)\b", " ", tax.skills[r.skill_id].label)
                for r in tax.requirements(occ.id)
                if r.relation == "technology" and r.skill_id in tax.skills
            ]
        contexts.append(" ".join(parts))
    links: list[tuple[str, str]] = []
    with contextlib.suppress(Exception):  # a taxonomy view without relations
        for occ in occs:
            links += [(occ.id, other) for other, _k, _r in tax.related(occ.id, "crosswalk")]
    return occs, titles, contexts, sorted(set(links))


def _build_cached(tax: Any) -> _Index:
    """The index, from the on-disk cache when the same taxonomy was indexed before.

    A taxonomy read from a store knows what it was read from (``content_key``, decision 0132):
    the index is then found by that key and this module's source, without hashing the inputs."""
    import hashlib
    import os
    import pickle
    from pathlib import Path

    from skillpath.text._lexical import _CACHE_VERSION as _LEXICAL_VERSION

    content = (getattr(tax, "_memo", None) or {}).get("content_key")
    if not content:
        return _build_by_inputs(tax)
    from skillpath.store._derived import cache_dir, gc_paused, source_hash

    where = cache_dir()
    if where is None:
        return _build_by_inputs(tax)
    key = hashlib.sha256(
        f"{content}|{_CACHE_VERSION}|{_LEXICAL_VERSION}|"
        f"{source_hash('skillpath.taxonomy._roles', 'skillpath.text._lexical', 'skillpath.text._normalize')}".encode()
    ).hexdigest()[:32]
    link = where / f"role-index-{key}.txt"  # -> the inputs-keyed file of the same index
    with contextlib.suppress(OSError):
        path = Path(link.read_text().strip())
        with path.open("rb") as fh, gc_paused():
            idx = pickle.load(fh)
        if isinstance(idx, _Index):
            return idx
    idx, path = _build_by_inputs(tax, with_path=True)
    if path is not None:
        with contextlib.suppress(OSError):
            tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
            tmp.write_text(str(path))
            os.replace(tmp, link)
            from skillpath.store._derived import _prune

            _prune(where, "role-index", keep=link, suffix=".txt", n=8)
    return idx


def _build_by_inputs(tax: Any, *, with_path: bool = False) -> Any:
    """The index, cached by a hash of everything it is built from."""
    import hashlib
    import os
    import pickle

    occs, titles, contexts, links = _inputs(tax)
    from skillpath.text._lexical import _CACHE_VERSION as _LEXICAL_VERSION

    # the pickled index holds a lexical engine: its layout version is part of the key
    h = hashlib.sha256(
        f"{_CACHE_VERSION}|{_LEXICAL_VERSION}|{TITLE_ALPHA}|{CTX_PIVOT}|{sorted(KIND_WEIGHT.items())}".encode()
    )
    for o, c in zip(occs, contexts, strict=True):
        h.update(
            f"{o.id}\x1f{o.label}\x1f{o.taxonomy}\x1f{o.code}\x1f{c}\x1e".encode(
                "utf-8", "surrogatepass"
            )
        )
    for t, oid, kind in titles:
        h.update(f"{t}\x1f{oid}\x1f{kind}\x1e".encode("utf-8", "surrogatepass"))
    for a, b in links:
        h.update(f"{a}\x1f{b}\x1e".encode())
    try:
        from skillpath.config import get_settings
        from skillpath.text._normalize import synonyms

        h.update(repr(sorted(synonyms().items())).encode())
        path = get_settings().cache_dir / "role-index" / f"{h.hexdigest()[:32]}.pkl"
    except Exception:  # no settings (a library user without a cache dir): build in memory
        idx = _Index(occs, titles, contexts, links)
        return (idx, None) if with_path else idx
    if path.is_file():
        try:
            with path.open("rb") as fh:
                idx = pickle.load(fh)
            if isinstance(idx, _Index):
                return (idx, path) if with_path else idx
        except Exception:  # corrupt or incompatible: rebuild
            pass
    idx = _Index(occs, titles, contexts, links)
    written = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(idx, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        written = path
    except OSError:  # a read-only cache only makes the next start slower
        pass
    return (idx, written) if with_path else idx


_LOCK = threading.Lock()


def _index(tax: Any) -> _Index:
    memo = getattr(tax, "_memo", None)
    if memo is None:  # a taxonomy-like object without a memo: cache on the object itself
        memo = tax.__dict__.setdefault("_role_memo", {})
    with _LOCK:
        idx = memo.get("role_index")
        if idx is None:
            idx = memo["role_index"] = _build_cached(tax)
        return idx


# --------------------------------------------------------------------------------------------
# resolution


def _subject(text: str) -> str:
    """The part of a loose request that names the role ("something in cybersecurity" ->
    "cybersecurity"); the text itself when nothing is filler."""
    core = re.sub(r"\s+", " ", _FILLER.sub(" ", text)).strip(" ,.;:-")
    return core or text.strip()


def _family(tax: Any, family: str | None) -> str | None:
    """The SOC major group (``15``) of a family given as a code, an id or a group."""
    if not family:
        return None
    f = family.strip()
    occ = tax.occupations.get(f) or tax.occupations.get(f"onet:{f}")
    code = occ.code if occ is not None and occ.taxonomy == "onet" else f
    m = re.match(r"^(\d{2})(?:-\d{0,4})?", code)
    return m.group(1) if m else None


def resolve_roles(
    tax: Any,
    texts: Sequence[str],
    *,
    contexts: Sequence[str] | None = None,
    families: Sequence[str | None] | None = None,
    taxonomy: str = "all",
    top: int = 10,
    config: ResolverConfig | None = None,
) -> list[RoleResolution]:
    """Resolve many role queries at once (one sparse product per batch).

    Args:
        tax: the :class:`~skillpath.taxonomy.Taxonomy`.
        texts: job titles, codes (``15-1252.00``), occupation ids or loose phrases.
        contexts: per query, text around it (the position's description, the CV) used to
            break ties and to resolve titles that name no trade; ``""`` for none.
        families: per query, the current role (code or id) or SOC major group: occupations of
            the same family get a small bonus.
        taxonomy: ``onet``, ``esco`` or ``all``.
        top: candidates kept per query.

    Returns:
        One :class:`RoleResolution` per query; no candidates when nothing matches.
    """
    if taxonomy not in ("onet", "esco", "all"):
        raise InputError("unknown taxonomy; choose onet, esco or all", value=taxonomy)
    cfg = config or ResolverConfig()
    n = len(texts)
    ctx_texts = list(contexts) if contexts is not None else [""] * n
    fams = list(families) if families is not None else [None] * n
    if len(ctx_texts) != n or len(fams) != n:
        raise ValueError("contexts and families must have one entry per text")
    out: list[RoleResolution | None] = [None] * n
    todo: list[int] = []
    for i, t in enumerate(texts):
        direct = _direct(tax, t)
        if direct is not None:
            out[i] = direct
        elif not t.strip():
            out[i] = RoleResolution(t, reason="empty title")
        else:
            todo.append(i)
    if todo:
        idx = _index(tax)
        resolved = _score(
            tax, idx, [texts[i] for i in todo], [ctx_texts[i] for i in todo],
            [_family(tax, fams[i]) for i in todo], taxonomy, top, cfg,
        )  # fmt: skip
        for i, r in zip(todo, resolved, strict=True):
            out[i] = r
    return [r for r in out if r is not None]


def occupations_like_text(
    tax: Any, texts: Sequence[str], *, taxonomy: str = "all", top: int = 20
) -> list[list[tuple[Occupation, float]]]:
    """Occupations whose description, tasks and technologies read like each text (a CV without
    job titles, a summary), best first, as ``(occupation, similarity)``.

    The similarity is the TF-IDF one the resolver breaks ties with when given a CV as context
    (occupation vectors length-pivoted, so only the order and the ratios mean something).
    """
    if taxonomy not in ("onet", "esco", "all"):
        raise InputError("unknown taxonomy; choose onet, esco or all", value=taxonomy)
    if not texts:
        return []
    idx = _index(tax)
    sims = (idx.context_vectors(list(texts)) @ idx.ctx_t).tocsr()
    keep = np.array([taxonomy == "all" or o.taxonomy == taxonomy for o in idx.occs])
    out: list[list[tuple[Occupation, float]]] = []
    for i in range(len(texts)):
        row = np.asarray(sims[i].todense()).ravel() * keep
        order = np.argsort(-row)[:top]
        out.append([(idx.occs[o], float(row[o])) for o in order if row[o] > 0])
    return out


def resolve_role(
    tax: Any,
    text: str,
    *,
    context: str = "",
    family: str | None = None,
    taxonomy: str = "all",
    top: int = 10,
    config: ResolverConfig | None = None,
) -> RoleResolution:
    """Resolve one role query; see :func:`resolve_roles`."""
    return resolve_roles(
        tax, [text], contexts=[context], families=[family], taxonomy=taxonomy, top=top,
        config=config,
    )[0]  # fmt: skip


def pick_role(
    tax: Any,
    text: str,
    *,
    code: str | None = None,
    context: str = "",
    family: str | None = None,
    taxonomy: str | None = None,
    prefer_onet: bool = True,
) -> tuple[Occupation, RoleResolution]:
    """The occupation a command should use for ``text`` (or for ``code``, which wins).

    O*NET occupations (rated levels and importance) are preferred when nearly as good as the
    best ESCO one, or when the query is one of the titles of both.

    Raises:
        NotFoundError: nothing matches well enough (the CLI exits 2).
    """
    if hasattr(tax, "require_data"):
        tax.require_data()
    query = code if code else text
    if code and _direct(tax, code) is None:
        raise NotFoundError("not an O*NET-SOC code or occupation id", value=code)
    res = resolve_role(
        tax, query, context=context, family=family, taxonomy=taxonomy or "all", top=10
    )
    cands = list(res.candidates)
    if prefer_onet and cands and cands[0].occupation.taxonomy != "onet":
        onet = next((c for c in cands if c.occupation.taxonomy == "onet"), None)
        # the query is one of its titles too, or it is nearly as good
        if onet is not None and (
            onet.score >= cands[0].score - 0.05 or (onet.how == "exact" and cands[0].how == "exact")
        ):
            cands.remove(onet)
            cands.insert(0, onet)
            res = RoleResolution(res.query, tuple(cands), res.ambiguous, res.reason, res.notes)
    if not cands:
        raise NotFoundError(
            "no occupation matches this role; try 'skillpath roles --like \"...\"' to search, "
            "or give an O*NET-SOC code",
            value=query,
        )
    return cands[0].occupation, res


def _direct(tax: Any, text: str) -> RoleResolution | None:
    """Codes and ids resolve to their occupation (or raise when unknown)."""
    t = text.strip()
    m = _CODE.match(t)
    if m:
        code = m.group(1) + (m.group(2) or ".00")
        occ = tax.occupations.get(f"onet:{code}")
        if occ is None and not m.group(2):  # 15-1299 -> the first detailed occupation
            sub = sorted(o for o in tax.occupations if o.startswith(f"onet:{m.group(1)}."))
            occ = tax.occupations[sub[0]] if sub else None
        if occ is None:
            raise NotFoundError(f"no O*NET occupation with code {code}", value=text)
        return RoleResolution(
            text,
            (RoleCandidate(occ, 1.0, occ.code, "code", ("the code",)),),
            reason=f"the code {occ.code}",
        )
    if t in tax.occupations or t.startswith(("http://", "https://", "onet:")):
        occ = tax.occupations.get(t)
        if occ is None:
            raise NotFoundError("no occupation with this id", value=text)
        return RoleResolution(
            text,
            (RoleCandidate(occ, 1.0, occ.code, "code", ("the id",)),),
            reason="the occupation id",
        )
    return None


def _score(
    tax: Any,
    idx: _Index,
    texts: list[str],
    contexts: list[str],
    families: list[str | None],
    taxonomy: str,
    top: int,
    cfg: ResolverConfig,
) -> list[RoleResolution]:
    from skillpath.taxonomy._taxonomy import norm_title

    subjects = [_subject(t) for t in texts]
    n, n_occ = len(texts), len(idx.occs)
    # title evidence: lexical score of the query against every title, per (query, title)
    tscores, _surf = idx.title_linker.score_matrix(subjects)
    tscores = sp.csr_matrix(tscores)
    tscores.data = np.minimum(tscores.data, 1.0)
    # exact titles score 1 whatever the lexical engine says (stop words, word order)
    ex_rows, ex_cols = [], []
    for i, s in enumerate(subjects):
        hits = idx.exact.get(norm_title(s), ()) or idx.exact.get(norm_title(texts[i]), ())
        if not hits:  # a query written as O*NET pairs its names: "IT Manager (Information ...)"
            names = title_names(s, "alternate")
            if len(names) > 1:
                hits = [ti for n in names for ti in idx.exact.get(norm_title(n), ())]
        for ti in dict.fromkeys(hits):
            ex_rows.append(i)
            ex_cols.append(ti)
    # A title the lexical engine scores (nearly) 1 without being the query is not the query:
    # stemming makes "Production Manager" of "Product Manager", stop words make "Psychologists,
    # All Other" of "Psychologist". Such titles are capped by how many words they share with it,
    # so that an occupation holding the query itself ranks first.
    qwords = [content_words(norm_title(s)) for s in subjects]
    for i in range(n):
        lo, hi = tscores.indptr[i], tscores.indptr[i + 1]
        row = tscores.data[lo:hi]
        for k in np.flatnonzero(row > cfg.near_exact).tolist():
            tw = idx.title_words[int(tscores.indices[lo + k])]
            q = qwords[i]
            if tw != q:
                jacc = len(tw & q) / max(len(tw | q), 1)
                row[k] = min(row[k], cfg.near_exact + (1.0 - cfg.near_exact) * jacc)
    if ex_rows:
        exact = sp.csr_matrix((np.ones(len(ex_rows)), (ex_rows, ex_cols)), shape=tscores.shape)
        tscores = tscores.maximum(exact).tocsr()
    # fuzzy titles for spelling variants, only where the engine finds nothing good
    best_t = np.zeros(n)
    if tscores.nnz:
        best_t = np.asarray(tscores.max(axis=1).todense()).ravel()
    fuzzy_rows: dict[int, dict[int, float]] = {}
    for qi in np.flatnonzero(best_t < cfg.fuzzy_below).tolist():
        fz = _fuzzy(idx, subjects[qi])
        if fz:
            fuzzy_rows[qi] = fz
    if fuzzy_rows:
        r: list[int] = []
        c: list[int] = []
        v: list[float] = []
        for qi, d in fuzzy_rows.items():
            for ti, sc in d.items():
                r.append(qi)
                c.append(ti)
                v.append(sc)
        tscores = tscores.maximum(sp.csr_matrix((v, (r, c)), shape=tscores.shape)).tocsr()

    # per (query, occupation): best weighted title and the title support
    coo = tscores.tocoo()
    t2o = idx.t2o
    counts = np.diff(t2o.indptr)[coo.col]
    q_rep = np.repeat(coo.row, counts)
    s_rep = np.repeat(coo.data, counts)
    t_rep = np.repeat(coo.col, counts)
    starts = t2o.indptr[coo.col]
    offs = (
        np.concatenate([np.arange(s, s + k) for s, k in zip(starts, counts, strict=True)])
        if len(counts)
        else np.zeros(0, dtype=np.int64)
    )
    o_rep = t2o.indices[offs] if len(offs) else np.zeros(0, dtype=np.int64)
    w_rep = t2o.data[offs] if len(offs) else np.zeros(0)
    val = s_rep * w_rep
    key = q_rep.astype(np.int64) * n_occ + o_rep
    best: list[dict[int, tuple[float, int]]] = [{} for _ in range(n)]
    support: list[dict[int, float]] = [defaultdict(float) for _ in range(n)]
    if len(key):
        order = np.lexsort((-val, key))
        ks = key[order]
        first = np.ones(len(ks), dtype=bool)
        first[1:] = ks[1:] != ks[:-1]
        sel = order[first]
        for q, o, v, t in zip(
            q_rep[sel].tolist(),
            o_rep[sel].tolist(),
            val[sel].tolist(),
            t_rep[sel].tolist(),
            strict=True,
        ):
            best[q][o] = (v, t)
        strong = s_rep >= 0.7
        for q, o, s in zip(
            q_rep[strong].tolist(), o_rep[strong].tolist(), s_rep[strong].tolist(), strict=True
        ):
            support[q][o] += s

    n_titles = np.diff(t2o.tocsc().indptr).astype(np.float64) if cfg.support_norm > 0 else None
    qctx = idx.context_vectors(subjects)
    cctx = None
    if any(c.strip() for c in contexts):
        # a CV's positions share most of their context: analyse each distinct text once
        uniq = list(dict.fromkeys(contexts))
        where = {c: k for k, c in enumerate(uniq)}
        cctx = idx.context_vectors(uniq)[[where[c] for c in contexts]]
    no_trade = [bool(_NO_TRADE.match(s.strip())) for s in subjects]
    label_terms = _label_terms(idx) if cctx is not None and cfg.specialty_weight > 0 else None
    results: list[RoleResolution] = []
    for i in range(n):
        cand_t = best[i]
        # description / context candidates: loose phrases and titles naming no trade
        desc_sim = np.asarray((qctx[i] @ idx.ctx_t).todense()).ravel()
        ctx_sim = np.asarray((cctx[i] @ idx.ctx_t).todense()).ravel() if cctx is not None else None
        top_title = max((v[0] for v in cand_t.values()), default=0.0)
        # title evidence ranks the candidates; the rest separates near-equals
        pool = sorted(cand_t, key=lambda o: -cand_t[o][0])[:45]
        if top_title < 0.9 or no_trade[i]:
            pool += [int(o) for o in np.argsort(-desc_sim)[:15] if desc_sim[o] > 0]
        # how much the context may decide: little when the title is one of the occupation's
        # own titles, much when the title is only a partial match or names no trade
        lam = 0.0
        if ctx_sim is not None:
            lam = _context_share(top_title, cfg)
            if no_trade[i]:
                lam = cfg.context_weight_no_trade
            if lam > cfg.context_weight:
                pool += [int(o) for o in np.argsort(-ctx_sim)[:15] if ctx_sim[o] > 0]
        pool = list(dict.fromkeys(pool))
        # every candidate is scored (the shares are relative to the best of all of them), and
        # only then are the other taxonomy's dropped: an O*NET-only answer ranks as in "all"
        if taxonomy != "all" and not any(idx.occs[o].taxonomy == taxonomy for o in pool):
            pool = []
        if not pool:
            results.append(RoleResolution(texts[i], reason="no occupation matches"))
            continue
        cand = pool
        sup = np.array([support[i].get(o, 0.0) for o in cand])
        if n_titles is not None:  # a share of the occupation's titles, not a count
            sup = sup / np.maximum(n_titles[cand], 1.0) ** cfg.support_norm
        sup_share = (
            np.log1p(sup) / np.log1p(np.maximum(sup.max(), 1e-9))
            if sup.max() > 0
            else np.zeros(len(cand))
        )
        dsel = desc_sim[cand]
        d_share = dsel / dsel.max() if dsel.max() > 0 else np.zeros(len(cand))
        if ctx_sim is not None:
            csel = ctx_sim[cand]
            c_share = csel / csel.max() if csel.max() > 0 else np.zeros(len(cand))
        else:
            c_share = np.zeros(len(cand))
        # corroboration by the other taxonomy: the best title evidence among the occupations
        # crosswalked to each candidate
        xsel = np.array(
            [max((cand_t[e][0] for e in idx.links.get(o, ()) if e in cand_t), default=0.0)
             for o in cand]
        )  # fmt: skip
        unsaid = np.zeros(len(cand))
        # only among the occupations the title fits about equally well: the title alone
        # cannot tell them apart ("Business Development Manager" of wind energy developers,
        # marketing and sales managers), what the CV mentions can
        tied = [
            k
            for k, o in enumerate(cand)
            if cand_t.get(o, (0.0,))[0] >= top_title - cfg.specialty_band
        ]
        if label_terms is not None and cctx is not None and top_title > 0 and len(tied) > 1:
            said = set(cctx[i].indices.tolist())
            asked = set(qctx[i].indices.tolist())
            for k in tied:
                unsaid[k] = _unsaid(label_terms[cand[k]], asked, said, idx.ctx_idf)
        fam = families[i]
        scored: list[tuple[float, int, str, str, tuple[str, ...]]] = []
        for k, o in enumerate(cand):
            occ = idx.occs[o]
            tval, ti = cand_t.get(o, (0.0, -1))
            lt = int(idx.label_title[o])
            # a residual group's label ("Psychologists, All Other") names no occupation of its
            # own: it is no closer to the query than its siblings' labels
            label_s = _entry(tscores, i, lt) if lt >= 0 and not idx.residual[o] else 0.0
            # a residual group ("Psychologists, All Other") is the answer only when no named
            # occupation holds the title as well
            residual = cfg.residual_penalty if idx.residual[o] else 0.0
            base = tval * (
                1.0
                - cfg.support_weight
                - cfg.label_weight
                - cfg.desc_weight
                - cfg.cross_weight
                - residual
                + cfg.support_weight * sup_share[k]
                + cfg.cross_weight * float(xsel[k])
                + cfg.label_weight * label_s
                + cfg.desc_weight * d_share[k]
            )
            desc_only = 0.6 * float(dsel[k]) if tval < 0.5 else 0.0
            if top_title >= cfg.title_evidence:
                # The description similarity is not bounded (occupation vectors are only
                # length-pivoted): when a title explains the query, an occupation holding no
                # such title does not outrank it on its description ("Child Family Advocate"
                # went to farm and home management educators at 0.82, above the occupations
                # holding "Family Advocate").
                desc_only = min(desc_only, cfg.desc_cap * top_title)
            score = max(base, desc_only)
            # a specialty its label names that neither the query nor the context mentions
            score *= 1.0 - cfg.specialty_weight * float(unsaid[k])
            if lam > 0:
                score = (1.0 - lam) * score + lam * float(c_share[k])
            if fam and occ.taxonomy == "onet" and occ.code.startswith(fam):
                score += cfg.family_bonus * (1 - score)
            why: list[str] = []
            matched = idx.titles[ti] if ti >= 0 else ""
            if ti >= 0 and tval > 0:
                how = (
                    "exact"
                    if _entry(tscores, i, ti) >= 0.999
                    else ("fuzzy" if i in fuzzy_rows and ti in fuzzy_rows[i] else "title")
                )
                why.append(f"{'is' if how == 'exact' else 'matches'} its title {matched!r}")
            elif dsel[k] > 0:
                how = "description"
                why.append("the words occur in its description and tasks")
            else:
                how = "context"
            if sup[k] >= 2:
                why.append(f"{round(sup[k])} of its titles say it")
            if xsel[k] >= 0.9 and how == "exact":
                other = "ESCO" if occ.taxonomy == "onet" else "O*NET"
                why.append(f"{other}'s occupation of that title is linked to it")
            if ctx_sim is not None and c_share[k] >= 0.5:
                why.append("the CV describes its work")
                if how == "description" and tval == 0:
                    how = "context"
            if fam and occ.code.startswith(fam):
                why.append("same family as the current role")
            scored.append((min(score, 1.0), o, matched, how, tuple(why)))
        scored.sort(key=lambda x: (-x[0], idx.occs[x[1]].taxonomy != "onet", idx.occs[x[1]].id))
        kept = [
            s
            for s in scored
            if s[0] >= cfg.min_score and (taxonomy == "all" or idx.occs[s[1]].taxonomy == taxonomy)
        ][:top]
        cands = tuple(RoleCandidate(idx.occs[o], round(s, 4), m, h, w) for s, o, m, h, w in kept)
        results.append(_explain(texts[i], subjects[i], cands, cfg))
    return results


# words of an occupation's label that name no specialty ("First-Line Supervisors of ...",
# "..., All Other", "... Workers")
_LABEL_GENERIC = frozenset({"first", "line", "all", "other", "except", "worker", "general"})


# a label's specialty: parts (all to be said) of alternatives (one to be said) of terms
_Specialty = list[list[list[int]]]


def _label_terms(idx: _Index) -> list[_Specialty]:
    """Per occupation, the specialties its general label (the name before ", Except ...")
    names: groups (its comma-separated parts) of alternatives (joined by "and" / "or"), each
    the context-vocabulary terms of its words that are not the words heading O*NET's labels
    ("Managers", "Technologists"), nor "First-Line", "All Other". Built once per index."""
    got: list[_Specialty] | None = idx.__dict__.get("_label_terms")
    if got is not None:
        return got
    from skillpath.text import analyze

    labels = []
    for o, occ in enumerate(idx.occs):
        lt = int(idx.label_title[o])
        labels.append(idx.titles[lt] if lt >= 0 else occ.label)

    # the words that head O*NET's labels ("Managers", "Technicians", "Technologists") say the
    # kind of job, which the query's own head says; the specialty is in the modifiers
    def words(text: str) -> list[str]:  # lower case, singular: "Technicians" -> "technician"
        return [re.sub(r"(?<=[a-z]{3})s$", "", w) for w in re.findall(r"[a-z0-9]+", text.lower())]

    heads = set(_LABEL_GENERIC)
    for label, occ in zip(labels, idx.occs, strict=True):
        first = words(label.split(",")[0]) if occ.taxonomy == "onet" else []
        if first:
            heads.add(first[-1])

    def terms(alt: str) -> list[int]:
        found = {idx.ctx_vocab.get(t) for w in words(alt) if w not in heads for t in analyze(w)}
        return sorted(j for j in found if j is not None)

    # "Architectural and Engineering Managers" manage either, and so do "Transportation,
    # Storage, and Distribution Managers" (a serial list up to its ", and"): alternatives.
    # Other comma-separated parts qualify ("Sales Representatives, Wholesale and
    # Manufacturing, Technical and Scientific Products"): each is a specialty of its own.
    out: list[_Specialty] = []
    for label in labels:
        chunks = [c.strip() for c in label.split(",") if c.strip()]
        last = max((k for k, c in enumerate(chunks) if re.match(r"(?:and|or)\s", c)), default=0)
        parts = [chunks[: last + 1], *([c] for c in chunks[last + 1 :])]
        groups: _Specialty = []
        for part in parts:
            alts = [
                terms(a) for c in part for a in re.split(r"\s+(?:and|or|&)\s+|^(?:and|or)\s+", c)
            ]
            alts = [a for a in alts if a]
            if alts:
                groups.append(alts)
        out.append(groups)
    idx.__dict__["_label_terms"] = out
    return out


def _unsaid(groups: _Specialty, asked: set[int], said: set[int], idf: np.ndarray) -> float:
    """How much of a label's specialty (``_label_terms``) neither the query (``asked``) nor the
    context (``said``) mentions, 0-1: per part, its best-said alternative's idf-weighted share
    of terms left unsaid; the mean over the parts the query does not already name."""
    shares = []
    for alts in groups:
        best = 1.0
        for terms in alts:
            left = [j for j in terms if j not in asked]
            if not left:
                best = 0.0
                break
            w = idf[left]
            best = min(best, float(w[[j not in said for j in left]].sum() / w.sum()))
        shares.append(best)
    return sum(shares) / len(shares) if shares else 0.0


def _context_share(top_title: float, cfg: ResolverConfig) -> float:
    """How much the context decides for a query whose best title evidence is ``top_title``.

    One of the occupation's own titles (>= 0.9) leaves the context ``context_weight``; a title
    matching in part leaves it more the weaker the match, up to ``context_weight_weak`` at
    ``weak_title`` and below. A step from one to the other let a CV's text overrule a title
    that says the job plainly but carries one word the dictionary lacks ("Global IT Project
    Manager", 0.73, went to web administrators on an IT support CV; decision 0125).
    """
    if top_title >= 0.9:
        return cfg.context_weight
    span = max(0.9 - cfg.weak_title, 1e-9)
    frac = min(1.0, max(0.0, (0.9 - top_title) / span))
    return cfg.context_weight + (cfg.context_weight_weak - cfg.context_weight) * frac


def _entry(m: sp.csr_matrix, i: int, j: int) -> float:
    lo, hi = m.indptr[i], m.indptr[i + 1]
    pos = np.searchsorted(m.indices[lo:hi], j)
    if pos < hi - lo and m.indices[lo + pos] == j:
        return float(m.data[lo + pos])
    return 0.0


def _fuzzy(idx: _Index, text: str) -> dict[int, float]:
    """Titles spelled like ``text`` (typos, joined words): rapidfuzz, every word required."""
    from rapidfuzz import fuzz, process, utils

    q = utils.default_process(text)
    if len(q) < 4:
        return {}
    choices = idx.__dict__.get("_fz")
    if choices is None:
        choices = idx.__dict__["_fz"] = [utils.default_process(t) for t in idx.titles]
    hits = process.extract(q, choices, scorer=fuzz.ratio, limit=10, score_cutoff=85)
    return {int(j): 0.9 * s / 100 for _c, s, j in hits}


def _explain(
    query: str, subject: str, cands: tuple[RoleCandidate, ...], cfg: ResolverConfig
) -> RoleResolution:
    if not cands:
        return RoleResolution(query, (), reason="no occupation matches well enough")
    best = cands[0]
    close = [c for c in cands[1:] if best.score - c.score <= cfg.ambiguous_gap]
    exact_many = best.how == "exact" and sum(c.how == "exact" for c in cands) > 1
    ambiguous = bool(close) or (best.how in ("description", "context") and len(cands) > 1)
    why = "; ".join(best.why) or best.how
    reason = f"{best.occupation.label}: {why}"
    if subject != query.strip():
        reason += f" (read {query.strip()!r} as {subject!r})"
    if exact_many and not close:
        others = sum(c.how == "exact" for c in cands) - 1
        reason += f"; {others} other occupation(s) share the title, ranked lower"
    return RoleResolution(query, cands, ambiguous, reason)
