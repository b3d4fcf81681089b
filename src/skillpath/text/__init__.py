"""Text to taxonomy: normalisation, a lexical (BM25-style) engine, an optional semantic engine,
their hybrid, and skill-mention extraction from long text.

Example::

    from skillpath.text import Concept, build_linker
    linker = build_linker([Concept("k", "Kubernetes"), Concept("p", "Python (computer programming)")])
    linker.link("5 years of k8s and python")   # -> [LinkHit(id="k", ...), LinkHit(id="p", ...)]

See docs/text.md for the API and the scores' meaning.
"""

from skillpath.text._build import build_linker, default_engine
from skillpath.text._mentions import extract_mentions, split_segments
from skillpath.text._normalize import analyze, normalize, stem, tokenize
from skillpath.text._taxonomy import (
    occupation_concepts,
    skill_concepts,
    skill_linker,
)
from skillpath.text._types import ENGINES, Concept, Linker, LinkHit, Mention

__all__ = [
    "ENGINES",
    "Concept",
    "LinkHit",
    "Linker",
    "Mention",
    "analyze",
    "build_linker",
    "default_engine",
    "extract_mentions",
    "normalize",
    "occupation_concepts",
    "skill_concepts",
    "skill_linker",
    "split_segments",
    "stem",
    "tokenize",
]
