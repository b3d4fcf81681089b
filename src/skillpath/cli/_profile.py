"""CLI commands of the profile domain (registered on the shared app)."""

from __future__ import annotations

from skillpath.cli._app import app  # noqa: F401
