"""ORM models, one module per domain. Importing this package registers every table."""

from skillpath.store.models import catalog, portfolio, taxonomy, web  # noqa: F401
