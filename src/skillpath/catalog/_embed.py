"""Course embeddings for relevance: MiniLM vectors of each course's title and summary."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

_EMBEDDINGS: dict[str, Any] = {}


def course_embeddings(courses: Sequence[Any]) -> Any:
    """Unit-length MiniLM embeddings of each course's title and summary, or ``None`` when the
    configured text engine is ``lexical`` or the shipped encoder is not installed.

    Cached on disk (the encoder's cache) and in the process by the texts' content, so a catalogue
    loaded again (each CLI call, each web request) is embedded once.
    """
    import numpy as np

    from skillpath.text import default_engine

    if default_engine() == "lexical":
        return None
    try:
        from skillpath.text._semantic import default_encoder

        enc = default_encoder()
    except (ImportError, OSError, RuntimeError):  # the encoder is optional at run time
        return None
    texts = [f"{c.title}. {(c.summary or '')[:300]}" for c in courses]
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8", "surrogatepass") + b"\0")
    key = h.hexdigest()
    if key not in _EMBEDDINGS:
        e = np.asarray(enc.encode_cached(texts), dtype=np.float32)
        if len(_EMBEDDINGS) > 2:  # a process sees one or two catalogues
            _EMBEDDINGS.clear()
        _EMBEDDINGS[key] = e / (np.linalg.norm(e, axis=1, keepdims=True) + 1e-9)
    return _EMBEDDINGS[key]
