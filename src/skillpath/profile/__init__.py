"""Read a CV into a :class:`Profile`, and infer occupations and skill levels from it."""

from skillpath.profile._infer import (
    InferenceConfig,
    Observation,
    combine,
    infer_profile,
    prepare_indexes,
)
from skillpath.profile._model import (
    Certificate,
    Course,
    Education,
    Endorsement,
    OccupationMatch,
    Position,
    Profile,
    SkillEstimate,
    SkillState,
    StatedSkill,
)
from skillpath.profile._read import read_cv

__all__ = [
    "Certificate",
    "Course",
    "Education",
    "Endorsement",
    "InferenceConfig",
    "Observation",
    "OccupationMatch",
    "Position",
    "Profile",
    "SkillEstimate",
    "SkillState",
    "StatedSkill",
    "combine",
    "infer_profile",
    "prepare_indexes",
    "read_cv",
]
