"""The application layer: the use cases the faces (web, CLI) call, over one store.

``Service`` keeps the taxonomy and catalogue warm for a long-lived process; account functions
(``register``, ``authenticate``, sessions, API tokens) live beside it. See docs/web.md.
"""

from skillpath.service._accounts import (
    ROLES,
    AuthError,
    User,
    api_token_user,
    authenticate,
    end_session,
    get_user,
    list_users,
    new_api_token,
    new_session,
    register,
    session_user,
)
from skillpath.service._service import Access, Limits, Service

__all__ = [
    "ROLES",
    "Access",
    "AuthError",
    "Limits",
    "Service",
    "User",
    "api_token_user",
    "authenticate",
    "end_session",
    "get_user",
    "list_users",
    "new_api_token",
    "new_session",
    "register",
    "session_user",
]
