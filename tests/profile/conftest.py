"""Fixtures of the profile tests: the real taxonomy imported once per session (realdata)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def real_db(real_store: Any) -> str:
    """A SQLite store URL holding the O*NET + ESCO taxonomy from the shared data (the session's
    ``real_store``: imported once, or copied from ``SKILLPATH_TEST_REAL_DB``)."""
    return str(real_store.url)


@pytest.fixture(scope="session")
def real_tax(real_store: Any) -> Any:
    """The taxonomy view of :func:`real_db`."""
    from skillpath.taxonomy import Taxonomy

    return Taxonomy.load(real_store)
