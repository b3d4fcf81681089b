"""A JSON-LD document loader that serves only the contexts bundled with Skillpath.

Signing and verifying must never touch the network (decision 0051): PyLD fetches remote contexts
by default, so every call in this package passes :func:`document_loader` explicitly.

The Open Badges 3.0 context is the one 1EdTech publishes (decision 0070). Skillpath releases
before it bundled a pre-release copy under the same URL; credentials signed with that copy only
verify when canonicalised with it, so it is kept as :data:`LEGACY_CONTEXTS` and served by
:func:`legacy_document_loader`. Where every bundled file comes from is in ``contexts/README.md``.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from skillpath.errors import InputError

__all__ = [
    "BUNDLED_CONTEXTS",
    "CREDENTIALS_V2",
    "LEGACY_CONTEXTS",
    "OB_V3",
    "document_loader",
    "legacy_document_loader",
    "load_context",
]

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_V3_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
ED25519_2020_V1 = "https://w3id.org/security/suites/ed25519-2020/v1"

#: Context URL -> bundled file name (under ``skillpath/portfolio/contexts``).
BUNDLED_CONTEXTS: dict[str, str] = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    OB_V3: "ob-context-3.0.3.jsonld",
    OB_V3_EXTENSIONS: "ob-v3p0-extensions.jsonld",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    ED25519_2020_V1: "security-suites-ed25519-2020-v1.jsonld",
}

#: Contexts that differ from the published ones under the same URL (pre-release copies).
LEGACY_CONTEXTS: dict[str, str] = {OB_V3: "ob-context-3.0.3-prerelease.jsonld"}


@cache
def _read(name: str) -> dict[str, Any]:
    text = (
        resources.files("skillpath.portfolio")
        .joinpath("contexts")
        .joinpath(name)
        .read_text("utf-8")
    )
    return json.loads(text)


def load_context(url: str, *, legacy: bool = False) -> dict[str, Any]:
    """The bundled context document for ``url`` (a fresh copy).

    Args:
        legacy: serve the pre-release copy where one exists (:data:`LEGACY_CONTEXTS`).

    Raises:
        InputError: ``url`` is not one of :data:`BUNDLED_CONTEXTS` (nothing is fetched).
    """
    key = url.rstrip("#")
    name = (LEGACY_CONTEXTS.get(key) if legacy else None) or BUNDLED_CONTEXTS.get(key)
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
    """PyLD document loader: the bundled (published) context for ``url`` or :class:`InputError`."""
    return {"contextUrl": None, "documentUrl": url, "document": load_context(url)}


def legacy_document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """PyLD document loader serving the pre-release copies where they exist (verifying old badges)."""
    return {"contextUrl": None, "documentUrl": url, "document": load_context(url, legacy=True)}
