"""Linkers over the imported taxonomy, built once per taxonomy object."""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Sequence
from typing import Any

from skillpath.errors import DataMissingError, InputError
from skillpath.text._build import build_linker
from skillpath.text._types import Concept, Linker

__all__ = ["occupation_concepts", "skill_concepts", "skill_linker"]

#: Skill kinds linked by default: concrete, nameable skills (ESCO hierarchy groups and O*NET
#: technology classes are categories, not skills a text names).
DEFAULT_SKILL_KINDS = frozenset(
    {"skill", "knowledge", "ability", "technology", "esco-skill", "esco-knowledge"}
)
_IMPORT_HINT = "run `skillpath data import ../shared/data/onet ../shared/data/esco` first"

_lock = threading.Lock()
_cache: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], Linker]] = weakref.WeakKeyDictionary()
_cache_by_id: dict[int, tuple[Any, dict[tuple[Any, ...], Linker]]] = {}


def _slot(tax: Any) -> dict[tuple[Any, ...], Linker]:
    try:
        return _cache.setdefault(tax, {})
    except TypeError:  # not weak-referenceable or not hashable: keep it alive with its cache
        held = _cache_by_id.get(id(tax))
        if held is None or held[0] is not tax:
            held = (tax, {})
            _cache_by_id[id(tax)] = held
        return held[1]


def skill_concepts(tax: Any, *, kinds: frozenset[str] | None = None) -> list[Concept]:
    """Concepts for the skills of ``tax`` whose kind is in ``kinds`` (default: nameable skills).

    Built once per taxonomy content (kept on disk beside the taxonomy, decision 0132)."""
    from skillpath.store._derived import pickle_by_init, source_hash, taxonomy_memo

    wanted = DEFAULT_SKILL_KINDS if kinds is None else kinds
    pickle_by_init(Concept)
    version = "skill-concepts-1|" + source_hash(
        "skillpath.text._taxonomy",
        "skillpath.text._precision",
        "skillpath.text._normalize",
        data=[("skillpath.text", "data/stop_phrases.txt"), ("skillpath.text", "data/synonyms.tsv")],
    )
    return list(
        taxonomy_memo(
            tax,
            "skill-concepts-" + ",".join(sorted(wanted)),
            lambda: _skill_concepts(tax, wanted),
            version=version,
        )
    )


_LOWER_WORD = re.compile(r"(?<![\w.])[a-z][a-z]+(?![\w.])")


def vendor_aliases(
    skills: Sequence[Any], *, products_only: bool = False
) -> dict[str, tuple[str, ...]]:
    """Label -> product-name aliases of the technologies among ``skills`` (the one place the
    linker's and the tagger's concepts get them): vendor-prefixed technology names also answer
    to their product name ("SOLIDWORKS", "Azure"); a lone product word that is common in
    lower-case skill labels ("Project") is left out."""
    from skillpath.text._normalize import stem
    from skillpath.text._precision import technology_aliases

    common = {stem(w) for s in skills if s.label.islower() for w in s.label.split()}
    if products_only:  # nor a word the taxonomy's prose writes in lower case ("pro", "analyst")
        prose = {w for s in skills for w in _LOWER_WORD.findall(f"{s.label} {s.description or ''}")}
        common |= {stem(w) for w in prose if len(w) >= 2}
    return technology_aliases(
        [s.label for s in skills if s.kind == "technology"],
        common=common,
        products_only=products_only,
    )


def _skill_concepts(tax: Any, wanted: frozenset[str]) -> list[Concept]:
    skills = [s for s in tax.skills.values() if s.kind in wanted]
    aliases = vendor_aliases(skills)
    return [
        Concept(
            s.id,
            s.label,
            tuple(dict.fromkeys((*s.alt_labels, *aliases.get(s.label, ())))),
            s.description or "",
            s.kind,
        )
        for s in skills
    ]


def occupation_concepts(tax: Any, *, taxonomy: str = "all") -> list[Concept]:
    """Concepts for the occupations of ``tax``; every known title is an alternative label.

    Args:
        taxonomy: ``onet``, ``esco`` or ``all``.
    """
    if taxonomy not in ("onet", "esco", "all"):
        raise InputError("unknown taxonomy; choose onet, esco or all", value=taxonomy)
    titles: dict[str, list[str]] = {}
    for title, occ_id, _kind in tax.all_titles():
        titles.setdefault(occ_id, []).append(title)
    out = []
    for occ in tax.occupations.values():
        if taxonomy != "all" and occ.taxonomy != taxonomy:
            continue
        alts = tuple(dict.fromkeys(t for t in titles.get(occ.id, ()) if t != occ.label))
        out.append(Concept(occ.id, occ.label, alts, occ.description or "", "occupation"))
    return out


def skill_linker(
    tax: Any, *, engine: str | None = None, kinds: frozenset[str] | None = None
) -> Linker:
    """A linker over the skills of a :class:`~skillpath.taxonomy.Taxonomy`, cached per object.

    Args:
        tax: the taxonomy view (``Taxonomy.load(store)``).
        engine: ``lexical``, ``semantic`` or ``hybrid``; default
            :func:`~skillpath.text.default_engine` (the best installed).
        kinds: skill kinds to include (default :data:`DEFAULT_SKILL_KINDS`).

    Raises:
        DataMissingError: no skills of those kinds have been imported.
    """
    if engine is None:
        from skillpath.text._build import default_engine

        engine = default_engine()
    key = ("skills", engine, kinds)
    with _lock:
        slot = _slot(tax)
        if key not in slot:
            concepts = skill_concepts(tax, kinds=kinds)
            if not concepts:
                raise DataMissingError(f"no skills imported: {_IMPORT_HINT}")
            slot[key] = build_linker(concepts, engine=engine)
        return slot[key]
