"""The course catalogue: import courses from any provider, tag them with the skills they teach.

Import (atomic, idempotent, with a rejected-rows report), tag, then read it back::

    from skillpath.catalog import import_path, tag_catalog, load_catalog, search
    import_path(store, Path("../shared/data/catalogs"))        # edX, Udemy, Coursera + ratings
    tag_catalog(store)                                           # skills, prerequisites
    courses = load_catalog(store)                                # list[Course], immutable
    search(courses, "python data analysis", max_hours=40)

See docs/catalog.md for the mapping file, the CLI and the JSON export schema.
"""

from skillpath.catalog._catalog import (
    EXPORT_SCHEMA_VERSION,
    SearchHit,
    course_to_json,
    export_catalog,
    get_course,
    load_catalog,
    search,
)
from skillpath.catalog._coursera_api import ApiConfig, CourseraClient, import_from_api
from skillpath.catalog._effort import PriceError, duration_pattern, parse_duration, parse_price
from skillpath.catalog._importer import (
    detect_preset,
    import_file,
    import_path,
    import_ratings,
    import_rows,
)
from skillpath.catalog._level import bloom_stage, target_level
from skillpath.catalog._model import (
    BLOOM_STAGES,
    Course,
    CourseSkill,
    Effort,
    ImportReport,
    Prerequisite,
    Price,
    RejectedRow,
)
from skillpath.catalog._quality import bayesian
from skillpath.catalog._sources import FIELDS, PRESETS, Mapping, load_mapping
from skillpath.catalog._tagging import TagReport, clean_title, tag_catalog

__all__ = [
    "BLOOM_STAGES",
    "EXPORT_SCHEMA_VERSION",
    "FIELDS",
    "PRESETS",
    "ApiConfig",
    "Course",
    "CourseSkill",
    "CourseraClient",
    "Effort",
    "ImportReport",
    "Mapping",
    "Prerequisite",
    "Price",
    "PriceError",
    "RejectedRow",
    "SearchHit",
    "TagReport",
    "bayesian",
    "bloom_stage",
    "clean_title",
    "course_to_json",
    "detect_preset",
    "duration_pattern",
    "export_catalog",
    "get_course",
    "import_file",
    "import_from_api",
    "import_path",
    "import_ratings",
    "import_rows",
    "load_catalog",
    "load_mapping",
    "parse_duration",
    "parse_price",
    "search",
    "tag_catalog",
    "target_level",
]
