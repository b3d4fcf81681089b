"""Each public package exposes a sorted ``__all__`` whose names all exist (httpx's check)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import skillpath

PACKAGES = sorted(m.name for m in pkgutil.iter_modules(skillpath.__path__, "skillpath.")
                  if m.ispkg and m.name.split(".")[-1] not in ("cli",))


@pytest.mark.parametrize("name", PACKAGES)
def test_all_sorted_and_complete(name: str) -> None:
    mod = importlib.import_module(name)
    exported = getattr(mod, "__all__", None)
    if exported is None:
        pytest.skip(f"{name} has no public API yet")
    assert list(exported) == sorted(exported), f"{name}.__all__ is not sorted"
    for n in exported:
        assert hasattr(mod, n), f"{name}.__all__ names missing {n}"
