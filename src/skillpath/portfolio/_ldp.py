"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C VC Data Integrity EdDSA).

Algorithm (decision 0051)::

    proofConfig      = proof options without proofValue, with the document's @context
    hashData         = SHA-256(RDFC(proofConfig)) || SHA-256(RDFC(document without proof))
    proofValue       = multibase base58btc(Ed25519.sign(hashData))

RDFC-1.0 canonicalisation is PyLD's URDNA2015 (the same algorithm), always with the local loader.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime
from typing import Any

from pyld import jsonld

from skillpath.errors import InputError
from skillpath.portfolio._contexts import document_loader
from skillpath.portfolio._keys import KeyPair, multibase_decode, multibase_encode

__all__ = ["canonicalize", "create_proof", "hash_data", "verify_proof"]

CRYPTOSUITE = "eddsa-rdfc-2022"


def _unwrap(exc: BaseException) -> InputError | None:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, InputError):
            return cur
        details = getattr(cur, "details", None)
        if isinstance(details, dict) and isinstance(details.get("cause"), BaseException):
            cur = details["cause"]
            continue
        cur = cur.__cause__ or cur.__context__
    return None


def canonicalize(doc: dict[str, Any]) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document, contexts from the bundle only.

    Raises:
        InputError: malformed JSON-LD or a context that is not bundled (never fetched).
    """
    try:
        out = jsonld.normalize(
            doc,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": document_loader,
                "safe": True,
            },
        )
    except Exception as exc:  # PyLD raises JsonLdError (and a few plain errors) for bad input
        inner = _unwrap(exc)
        if inner is not None:
            raise InputError(inner.message, column=inner.column, value=inner.value) from exc
        msg = str(exc.args[0]) if exc.args else type(exc).__name__
        code = getattr(exc, "code", None)
        detail = f" ({code})" if code else ""
        raise InputError(f"malformed JSON-LD: {msg}{detail}") from exc
    return str(out)


def hash_data(
    document: dict[str, Any], proof_config: dict[str, Any], *, canonical_document: str | None = None
) -> bytes:
    """The eddsa-rdfc-2022 ``hashData``: hash of the canonical proof config then of the document.

    ``canonical_document`` reuses an already computed canonical form of ``document``.
    """
    doc_nquads = canonical_document if canonical_document is not None else canonicalize(document)
    return (
        hashlib.sha256(canonicalize(proof_config).encode()).digest()
        + hashlib.sha256(doc_nquads.encode()).digest()
    )


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def create_proof(
    document: dict[str, Any],
    key: KeyPair,
    *,
    created: str | None = None,
    purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """Return a copy of ``document`` secured with a ``DataIntegrityProof`` (eddsa-rdfc-2022).

    Raises:
        InputError: the document is not valid JSON-LD with bundled contexts, or the key cannot sign.
    """
    unsecured = {k: v for k, v in copy.deepcopy(document).items() if k != "proof"}
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created or _now(),
        "verificationMethod": key.method_id,
        "proofPurpose": purpose,
    }
    config = {"@context": unsecured.get("@context"), **proof}
    proof["proofValue"] = multibase_encode(key.sign(hash_data(unsecured, config)))
    return {**unsecured, "proof": proof}


def verify_proof(
    secured: dict[str, Any], key: KeyPair, *, canonical_document: str | None = None
) -> bool:
    """True when the single ``eddsa-rdfc-2022`` proof of ``secured`` verifies with ``key``.

    Raises:
        InputError: the proof is missing or malformed, or the document is not valid JSON-LD.
    """
    proof = secured.get("proof")
    if not isinstance(proof, dict):
        raise InputError("the credential has no single Data Integrity proof object", column="proof")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise InputError(
            f"unsupported proof: only DataIntegrityProof with {CRYPTOSUITE}",
            column="proof",
            value=proof.get("cryptosuite") or proof.get("type"),
        )
    value = proof.get("proofValue")
    if not isinstance(value, str):
        raise InputError("proof has no proofValue", column="proof.proofValue")
    signature = multibase_decode(value)
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    if "@context" in options and options["@context"] != unsecured.get("@context"):
        raise InputError(
            "proof @context differs from the document's @context", column="proof.@context"
        )
    config = {
        "@context": unsecured.get("@context"),
        **{k: v for k, v in options.items() if k != "@context"},
    }
    return key.verify(
        signature, hash_data(unsecured, config, canonical_document=canonical_document)
    )
