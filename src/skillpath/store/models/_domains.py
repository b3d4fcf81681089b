"""Registers the tables of the domain packages that keep their models in this folder."""

import contextlib
import importlib

for _name in ("catalog", "profile", "recommend", "plan", "portfolio"):
    # A domain module may not exist yet in a given build; taxonomy always does.
    with contextlib.suppress(ModuleNotFoundError):
        importlib.import_module(f"skillpath.store.models.{_name}")
