"""Value objects and the one protocol every linking engine implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

__all__ = ["ENGINES", "Concept", "LinkHit", "Linker", "Mention"]

#: The engines :func:`skillpath.text.build_linker` accepts.
ENGINES = ("lexical", "semantic", "hybrid")


@dataclass(frozen=True, slots=True)
class Concept:
    """A taxonomy concept that text can be linked to.

    Attributes:
        id: stable identifier (an ESCO URI, ``onet:2.A.2.b``, ``onet:15-1252.00``...).
        label: preferred label.
        alt_labels: alternative labels and titles; matched like the label.
        description: free text; matches here weigh less than label matches.
        kind: free-form kind (``skill``, ``knowledge``, ``technology``, ``occupation``...).
    """

    id: str
    label: str
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    kind: str = ""


@dataclass(frozen=True, slots=True)
class LinkHit:
    """One ranked answer of a linker.

    Attributes:
        id: the concept id.
        label: the concept's preferred label.
        score: in [0, 1], higher is better; about 0.5 and above means the concept is named.
        matched: the label or alternative label that matched best (empty for pure semantic hits).
    """

    id: str
    label: str
    score: float
    matched: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """A piece of a longer text (a sentence or bullet) and the concepts it mentions.

    ``text == source[start:end]`` for the ``source`` given to
    :func:`skillpath.text.extract_mentions`.
    """

    text: str
    start: int
    end: int
    hits: tuple[LinkHit, ...] = field(default=())


@runtime_checkable
class Linker(Protocol):
    """Text -> ranked concepts. Results are sorted by score (descending), ids never repeat."""

    def link(self, text: str, *, top_k: int = 10) -> list[LinkHit]:
        """Rank the concepts for one text; at most ``top_k`` hits, possibly none."""
        ...

    def link_many(self, texts: Sequence[str], *, top_k: int = 10) -> list[list[LinkHit]]:
        """:meth:`link` for many texts at once (much faster than a loop)."""
        ...
