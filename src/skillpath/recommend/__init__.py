"""Recommendations that learn from learners: models, signals, blending, re-ranking, reasons.

Stages (data flows one way): events -> :class:`Interactions` -> collaborative models
(:func:`build_model`) and signals (gap fit, success paths, quality) -> blend -> re-rank -> reasons.
The evaluation harness (:func:`evaluate`, :func:`tune`) drives ``bench/recommend.py``.
"""

from __future__ import annotations

from skillpath.recommend._data import Interactions, Split, leave_last_out, read_sequences
from skillpath.recommend._evaluate import Metrics, evaluate, top_k, top_k_all
from skillpath.recommend._hybrid import Hybrid, HybridConfig, learn_blend_weights
from skillpath.recommend._models import (
    ALSConfig,
    BPRConfig,
    EASEConfig,
    ItemKNNConfig,
    Model,
    ModelConfig,
    PopularityConfig,
    TransitionConfig,
    build_model,
    config_from_json,
)
from skillpath.recommend._tuning import DEFAULT_GRIDS, Trial, TuneResult, select_model, tune

__all__ = [
    "DEFAULT_GRIDS",
    "ALSConfig",
    "BPRConfig",
    "EASEConfig",
    "Hybrid",
    "HybridConfig",
    "Interactions",
    "ItemKNNConfig",
    "Metrics",
    "Model",
    "ModelConfig",
    "PopularityConfig",
    "Split",
    "TransitionConfig",
    "Trial",
    "TuneResult",
    "build_model",
    "config_from_json",
    "evaluate",
    "learn_blend_weights",
    "leave_last_out",
    "read_sequences",
    "select_model",
    "top_k",
    "top_k_all",
    "tune",
]
