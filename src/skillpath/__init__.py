"""Skillpath: an open, learner-owned learning mentor.

Data flows one way: taxonomy -> text -> catalog/profile -> recommend -> plan, with the store
underneath and the faces (CLI, API, web) on top. See ``docs/ARCHITECTURE.md``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
