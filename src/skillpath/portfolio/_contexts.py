"""A JSON-LD document loader that serves only the contexts bundled with Skillpath.

Signing and verifying must never touch the network (decision 0051): PyLD fetches remote contexts
by default, so every call in this package passes :func:`document_loader` explicitly.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from skillpath.errors import InputError

__all__ = ["BUNDLED_CONTEXTS", "CREDENTIALS_V2", "OB_V3", "document_loader", "load_context"]

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"

#: Context URL -> bundled file name (under ``skillpath/portfolio/contexts``).
BUNDLED_CONTEXTS: dict[str, str] = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    OB_V3: "ob-context-3.0.3.jsonld",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
}


@cache
def _read(name: str) -> dict[str, Any]:
    text = (
        resources.files("skillpath.portfolio")
        .joinpath("contexts")
        .joinpath(name)
        .read_text("utf-8")
    )
    return json.loads(text)


def load_context(url: str) -> dict[str, Any]:
    """The bundled context document for ``url`` (a fresh copy).

    Raises:
        InputError: ``url`` is not one of :data:`BUNDLED_CONTEXTS` (nothing is fetched).
    """
    name = BUNDLED_CONTEXTS.get(url.rstrip("#"))
    if name is None:
        known = ", ".join(sorted(BUNDLED_CONTEXTS))
        raise InputError(
            "unknown JSON-LD context: Skillpath never fetches contexts from the network; "
            f"only these bundled contexts are available: {known}",
            column="@context",
            value=url,
        )
    return copy.deepcopy(_read(name))


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """PyLD document loader: the bundled context for ``url`` or :class:`InputError`."""
    return {"contextUrl": None, "documentUrl": url, "document": load_context(url)}
