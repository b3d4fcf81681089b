"""The web face of Skillpath: pages for learners and mentors, and a JSON API under /api/v1.

``create_app(service)`` builds the FastAPI application over the application layer; ``skillpath
serve`` runs it (docs/web.md).
"""

from skillpath.web._app import create_app

__all__ = ["create_app"]
