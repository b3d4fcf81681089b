"""Course embeddings for relevance: MiniLM vectors of each course's title and summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def course_embeddings(courses: Sequence[Any]) -> Any:
    """Unit-length MiniLM embeddings of each course's title and summary (cached on disk; ``None``
    when the shipped encoder is not installed)."""
    import numpy as np

    try:
        from skillpath.text._semantic import default_encoder

        enc = default_encoder()
    except (ImportError, OSError, RuntimeError):  # the encoder is optional at run time
        return None
    key = ("emb", id(courses))
    if key not in _EMBEDDINGS:
        texts = [f"{c.title}. {(c.summary or '')[:300]}" for c in courses]
        e = np.asarray(enc.encode_cached(texts), dtype=np.float32)
        _EMBEDDINGS.clear()
        _EMBEDDINGS[key] = e / (np.linalg.norm(e, axis=1, keepdims=True) + 1e-9)
    return _EMBEDDINGS[key]


_EMBEDDINGS: dict[tuple[str, int], Any] = {}
