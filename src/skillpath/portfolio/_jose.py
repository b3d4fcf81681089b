"""VC-JOSE: a credential secured as a compact JWS (``typ: vc+jwt``), Ed25519 via joserfc."""

from __future__ import annotations

import base64
import json
import warnings
from typing import Any, cast

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from skillpath.errors import InputError
from skillpath.portfolio._keys import KeyPair

__all__ = ["decode_unverified", "is_compact_jws", "sign_jwt", "verify_jwt"]

#: ``Ed25519`` is the fully specified name (RFC 9864); ``EdDSA`` is accepted when verifying.
ALGORITHMS = ["Ed25519", "EdDSA"]


def is_compact_jws(text: str) -> bool:
    """True when ``text`` looks like ``header.payload.signature`` in base64url."""
    parts = text.strip().split(".")
    ok = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    return len(parts) == 3 and all(parts[:2]) and all(set(p) <= ok for p in parts)


def _b64json(part: str, what: str) -> dict[str, Any]:
    try:
        obj = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except ValueError as exc:
        raise InputError(f"JWT {what} is not base64url JSON") from exc
    if not isinstance(obj, dict):
        raise InputError(f"JWT {what} is not a JSON object")
    return obj


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(header, payload)`` of a compact JWS without checking the signature."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise InputError("not a compact JWS (expected header.payload.signature)")
    return _b64json(parts[0], "header"), _b64json(parts[1], "payload")


def sign_jwt(credential: dict[str, Any], key: KeyPair) -> str:
    """Secure ``credential`` (without a ``proof``) as a VC-JOSE compact JWS."""
    header = {"alg": "Ed25519", "typ": "vc+jwt", "cty": "vc", "kid": key.method_id}
    payload = json.dumps(
        {k: v for k, v in credential.items() if k != "proof"},
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return jws.serialize_compact(
        header,
        payload.encode(),
        OKPKey.import_key(cast(Any, key.private_jwk())),
        algorithms=["Ed25519"],
    )


def verify_jwt(token: str, key: KeyPair | Any) -> bool:
    """True when the JWS signature verifies with ``key`` (a :class:`KeyPair` or a joserfc key)."""
    jwk = OKPKey.import_key(cast(Any, key.public_jwk())) if isinstance(key, KeyPair) else key
    try:
        with warnings.catch_warnings():
            warnings.simplefilter(
                "ignore"
            )  # joserfc warns that "EdDSA" is deprecated; we still accept it
            jws.deserialize_compact(token.strip(), jwk, algorithms=[*ALGORITHMS, "RS256", "ES256"])
    except (JoseError, ValueError):
        return False
    return True
