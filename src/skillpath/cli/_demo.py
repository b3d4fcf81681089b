"""CLI: ``skillpath data download|import|status``."""

from __future__ import annotations

from skillpath.cli._app import app  # noqa: F401
