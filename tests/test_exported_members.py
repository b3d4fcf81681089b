"""Each public package exposes an ``__all__`` whose names all exist and are unique (httpx's check).

Its order is checked by ruff (RUF022, isort-style sorting), not here, so the two never disagree.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import skillpath

PACKAGES = sorted(
    m.name
    for m in pkgutil.iter_modules(skillpath.__path__, "skillpath.")
    if m.ispkg and m.name.split(".")[-1] not in ("cli",)
)


@pytest.mark.parametrize("name", PACKAGES)
def test_all_sorted_and_complete(name: str) -> None:
    mod = importlib.import_module(name)
    exported = getattr(mod, "__all__", None)
    if exported is None:
        pytest.skip(f"{name} has no public API yet")
    assert len(set(exported)) == len(exported), f"{name}.__all__ has duplicates"
    for n in exported:
        assert hasattr(mod, n), f"{name}.__all__ names missing {n}"
