"""Recommendations that learn from learners: models, signals, blending, re-ranking, reasons.

Stages (data flows one way): events (:func:`read_events`) -> :class:`Interactions` ->
collaborative models (:func:`build_model`, chosen by :func:`select_model`) and signals
(:func:`gap_fit`, :func:`success_paths`, quality) -> blend (:class:`Blender`) -> re-rank
(:func:`mmr_rerank`) -> reasons (:func:`recommend_courses`). The evaluation harness
(:func:`evaluate`, :func:`tune`) drives ``bench/recommend.py``. See docs/recommend.md.
"""

from __future__ import annotations

from skillpath.recommend._data import (
    Interactions,
    Split,
    leave_last_out,
    random_holdout,
    read_sequences,
)
from skillpath.recommend._evaluate import Metrics, evaluate, top_k, top_k_all
from skillpath.recommend._events import (
    EVENT_KINDS,
    BadRow,
    CareerEvent,
    ImportReport,
    LearningEvent,
    interactions_from_events,
    load_interactions,
    read_career_csv,
    read_events,
    read_events_csv,
    read_xapi,
)
from skillpath.recommend._hybrid import Hybrid, HybridConfig, learn_blend_weights
from skillpath.recommend._learner import gap_from_requirements, recommend_history
from skillpath.recommend._models import (
    ALSConfig,
    BPRConfig,
    EASEConfig,
    ItemKNNConfig,
    Model,
    ModelConfig,
    PopularityConfig,
    RP3betaConfig,
    TransitionConfig,
    build_model,
    config_from_json,
)
from skillpath.recommend._pipeline import (
    SIGNALS,
    Blender,
    Reason,
    Recommendation,
    recommend_courses,
)
from skillpath.recommend._rerank import Filters, mmr_rerank, passes
from skillpath.recommend._signals import (
    CourseLike,
    GapEntry,
    GapFit,
    SkillTagLike,
    SuccessConfig,
    SuccessPath,
    SuccessPaths,
    bayesian_rating,
    completion_rates,
    gap_fit,
    success_paths,
)
from skillpath.recommend._tuning import (
    AUTO_GRIDS,
    DEFAULT_GRIDS,
    Candidate,
    Selection,
    Trial,
    TuneResult,
    choose_model,
    default_configs,
    select_model,
    tune,
)

__all__ = [
    "AUTO_GRIDS",
    "DEFAULT_GRIDS",
    "EVENT_KINDS",
    "SIGNALS",
    "ALSConfig",
    "BPRConfig",
    "BadRow",
    "Blender",
    "Candidate",
    "CareerEvent",
    "CourseLike",
    "EASEConfig",
    "Filters",
    "GapEntry",
    "GapFit",
    "Hybrid",
    "HybridConfig",
    "ImportReport",
    "Interactions",
    "ItemKNNConfig",
    "LearningEvent",
    "Metrics",
    "Model",
    "ModelConfig",
    "PopularityConfig",
    "RP3betaConfig",
    "Reason",
    "Recommendation",
    "Selection",
    "SkillTagLike",
    "Split",
    "SuccessConfig",
    "SuccessPath",
    "SuccessPaths",
    "TransitionConfig",
    "Trial",
    "TuneResult",
    "bayesian_rating",
    "build_model",
    "choose_model",
    "completion_rates",
    "config_from_json",
    "default_configs",
    "evaluate",
    "gap_fit",
    "gap_from_requirements",
    "interactions_from_events",
    "learn_blend_weights",
    "leave_last_out",
    "load_interactions",
    "mmr_rerank",
    "passes",
    "random_holdout",
    "read_career_csv",
    "read_events",
    "read_events_csv",
    "read_sequences",
    "read_xapi",
    "recommend_courses",
    "recommend_history",
    "select_model",
    "success_paths",
    "top_k",
    "top_k_all",
    "tune",
]
