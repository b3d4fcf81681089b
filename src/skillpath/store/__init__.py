"""The store: SQLAlchemy 2 models and Alembic migrations; SQLite by default, PostgreSQL by URL.

Domain code receives a :class:`Store` and uses ``store.session()`` for one transaction.
"""

from skillpath.store import models  # noqa: F401  (registers every table on Base.metadata)
from skillpath.store._base import Base
from skillpath.store._db import Store, alembic_config, close_all, open_store, upgrade

__all__ = ["Base", "Store", "alembic_config", "close_all", "open_store", "upgrade"]
