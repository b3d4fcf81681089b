"""ORM models, one module per domain. Importing this package registers every table."""

from skillpath.store.models import (
    _domains,  # noqa: F401  (other domains' tables)
    taxonomy,  # noqa: F401
)
