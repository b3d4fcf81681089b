"""Occupational taxonomies: O*NET and ESCO occupations, skills, requirements, titles, tasks.

Load official release files with :func:`import_paths`, read them back as a :class:`Taxonomy`.
"""

from skillpath.taxonomy._download import download
from skillpath.taxonomy._gap import Gap, GapItem, occupation_gap
from skillpath.taxonomy._importer import default_paths, import_paths, status
from skillpath.taxonomy._model import (
    Anchor,
    ImportReport,
    JobZone,
    Occupation,
    Preparation,
    Requirement,
    Skill,
    Task,
    TitleMatch,
    is_generic_skill,
)
from skillpath.taxonomy._roles import (
    ResolverConfig,
    RoleCandidate,
    RoleResolution,
    occupations_like_text,
    pick_role,
    resolve_role,
    resolve_roles,
)
from skillpath.taxonomy._taxonomy import Taxonomy, clear_cache, norm_title

__all__ = [
    "Anchor",
    "Gap",
    "GapItem",
    "ImportReport",
    "JobZone",
    "Occupation",
    "Preparation",
    "Requirement",
    "ResolverConfig",
    "RoleCandidate",
    "RoleResolution",
    "Skill",
    "Task",
    "Taxonomy",
    "TitleMatch",
    "clear_cache",
    "default_paths",
    "download",
    "import_paths",
    "is_generic_skill",
    "norm_title",
    "occupation_gap",
    "occupations_like_text",
    "pick_role",
    "resolve_role",
    "resolve_roles",
    "status",
]
