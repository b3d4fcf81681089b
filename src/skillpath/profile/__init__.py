"""Read a CV into a :class:`Profile`, and infer occupations and skill levels from it."""

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
from skillpath.profile._read import FORMATS, read_cv

__all__ = [
    "FORMATS",
    "Certificate",
    "Course",
    "Education",
    "Endorsement",
    "OccupationMatch",
    "Position",
    "Profile",
    "SkillEstimate",
    "SkillState",
    "StatedSkill",
    "read_cv",
]
