"""Semantic and hybrid engines, with a fake encoder (the real model is an optional extra)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest

from skillpath.errors import DataMissingError
from skillpath.text import Concept, build_linker
from skillpath.text._semantic import INSTALL_HINT, HybridLinker, SemanticLinker

CONCEPTS = [
    Concept("det", "show determination"),
    Concept("py", "Python (computer programming)", ("Python",)),
    Concept("acc", "accounting"),
]


class FakeEncoder:
    """Bag of known words -> fixed directions, so that 'enthusiastic' is near 'determination'."""

    words: ClassVar[dict[str, int]] = {
        "determination": 0,
        "enthusiastic": 0,
        "python": 1,
        "accounting": 2,
    }

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.full((len(texts), 4), 0.01, dtype=np.float32)
        for i, t in enumerate(texts):
            for w, d in self.words.items():
                if w in t.lower():
                    out[i, d] += 1
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    encode_cached = encode


def test_semantic_finds_paraphrase() -> None:
    lk = SemanticLinker(CONCEPTS, encoder=FakeEncoder())
    hits = lk.link("smart and enthusiastic")
    assert hits[0].id == "det"
    assert all(0 <= h.score <= 1 for h in hits)
    assert lk.link("") == []


def test_hybrid_keeps_lexical_and_semantic_answers() -> None:
    lk = HybridLinker(CONCEPTS, encoder=FakeEncoder())
    assert lk.link("enthusiastic")[0].id == "det"
    top = lk.link("python")[0]
    assert (top.id, top.matched) == ("py", "Python")
    assert lk.link_many(["python", ""], top_k=2)[1] == []


def test_real_engine_works_or_names_the_install_command() -> None:
    try:
        lk = build_linker(CONCEPTS, engine="semantic")
    except DataMissingError as exc:
        assert INSTALL_HINT in str(exc)
        pytest.skip("semantic extra not installed")
    assert lk.link("Python developer")[0].id == "py"
