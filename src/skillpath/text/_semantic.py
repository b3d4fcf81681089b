"""Semantic and hybrid engines (work in progress: see docs/decisions/0011-semantic-engine.md)."""

from __future__ import annotations

from collections.abc import Iterable

from skillpath.errors import DataMissingError
from skillpath.text._types import Concept

__all__ = ["HybridLinker", "SemanticLinker"]


class SemanticLinker:
    """Embedding linker (not available yet)."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        raise DataMissingError("the semantic engine is not available yet; use engine='lexical'")


class HybridLinker(SemanticLinker):
    """Lexical + semantic fusion (not available yet)."""
