"""Fixtures of the profile tests: the real taxonomy imported once per session (realdata)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def real_db(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store URL holding the O*NET + ESCO taxonomy from the shared data."""
    from skillpath.store import open_store
    from skillpath.taxonomy import import_paths

    db = tmp_path_factory.mktemp("profile-tax") / "tax.db"
    url = f"sqlite:///{db}"
    import_paths(open_store(url), [data_dir / "onet", data_dir / "esco"])
    return url


@pytest.fixture(scope="session")
def real_tax(real_db: str) -> Any:
    """The taxonomy view of :func:`real_db`."""
    from skillpath.store import open_store
    from skillpath.taxonomy import Taxonomy

    return Taxonomy.load(open_store(real_db))
