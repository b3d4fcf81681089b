"""Data Integrity proofs with the EdDSA cryptosuites (W3C VC Data Integrity EdDSA).

Algorithm (decision 0051)::

    proofConfig      = proof options without proofValue, with the document's @context
    hashData         = SHA-256(C(proofConfig)) || SHA-256(C(document without proof))
    proofValue       = multibase base58btc(Ed25519.sign(hashData))

where the canonicalisation ``C`` is RDFC-1.0 for ``eddsa-rdfc-2022`` (PyLD's URDNA2015, the same
algorithm, always with the local loader) and the JSON Canonicalization Scheme (RFC 8785) for
``eddsa-jcs-2022`` (decision 0071).
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
from datetime import UTC, datetime
from typing import Any

from pyld import jsonld

from skillpath.errors import InputError
from skillpath.portfolio._contexts import document_loader, legacy_document_loader
from skillpath.portfolio._keys import KeyPair, multibase_decode, multibase_encode

__all__ = ["canonicalize", "create_proof", "hash_data", "jcs", "verify_proof"]

CRYPTOSUITE = "eddsa-rdfc-2022"
JCS_CRYPTOSUITE = "eddsa-jcs-2022"
#: The cryptosuites this module signs and verifies.
CRYPTOSUITES = (CRYPTOSUITE, JCS_CRYPTOSUITE)


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


def canonicalize(doc: dict[str, Any], *, legacy: bool = False) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document, contexts from the bundle only.

    Args:
        legacy: use the pre-release copies of contexts where they exist (old Skillpath badges).

    Raises:
        InputError: malformed JSON-LD or a context that is not bundled (never fetched).
    """
    try:
        out = jsonld.normalize(
            doc,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": legacy_document_loader if legacy else document_loader,
                "safe": True,
            },
        )
    except RecursionError as exc:
        raise InputError("the JSON-LD document is nested too deeply to process") from exc
    except Exception as exc:  # PyLD raises JsonLdError (and a few plain errors) for bad input
        inner = _unwrap(exc)
        if inner is not None:
            raise InputError(inner.message, column=inner.column, value=inner.value) from exc
        msg = str(exc.args[0]) if exc.args else type(exc).__name__
        code = getattr(exc, "code", None)
        detail = f" ({code})" if code else ""
        raise InputError(f"malformed JSON-LD: {msg}{detail}") from exc
    return str(out)


# --- RFC 8785 JSON Canonicalization Scheme ------------------------------------------------------


def _jcs_number(x: int | float) -> str:
    # ECMAScript Number.prototype.toString, which RFC 8785 prescribes (section 3.2.2.3)
    if isinstance(x, int) and abs(x) < 2**53:
        return str(x)
    f = float(x)
    if not math.isfinite(f):
        raise InputError("JSON numbers must be finite (JCS)", value=x)
    if f == 0:
        return "0"
    sign = "-" if f < 0 else ""
    mant, _, exp = repr(abs(f)).partition("e")
    whole, _, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0")
    # value = 0.<digits> x 10^n
    n = len(whole.lstrip("0")) if whole.strip("0") else -(len(frac) - len(frac.lstrip("0")))
    n += int(exp or 0)
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    tail = f"e{'+' if e > 0 else '-'}{abs(e)}"
    return sign + digits[0] + ("." + digits[1:] if k > 1 else "") + tail


def _jcs(v: Any, out: list[str], depth: int) -> None:
    if depth > 200:
        raise InputError("the document is nested too deeply to canonicalise")
    if v is None or isinstance(v, bool):
        out.append("null" if v is None else "true" if v else "false")
    elif isinstance(v, int | float):
        out.append(_jcs_number(v))
    elif isinstance(v, str):
        out.append(json.dumps(v, ensure_ascii=False))
    elif isinstance(v, list | tuple):
        out.append("[")
        for i, item in enumerate(v):
            if i:
                out.append(",")
            _jcs(item, out, depth + 1)
        out.append("]")
    elif isinstance(v, dict):
        out.append("{")
        # keys sorted by their UTF-16 code units (RFC 8785 section 3.2.3)
        for i, k in enumerate(sorted(v, key=lambda s: str(s).encode("utf-16-be"))):
            if i:
                out.append(",")
            out.append(json.dumps(str(k), ensure_ascii=False))
            out.append(":")
            _jcs(v[k], out, depth + 1)
        out.append("}")
    else:
        raise InputError(f"not a JSON value: {type(v).__name__}")


def jcs(value: Any) -> str:
    """The RFC 8785 canonical JSON text of ``value``.

    Raises:
        InputError: a non-finite number or a value that is not JSON.
    """
    out: list[str] = []
    _jcs(value, out, 0)
    return "".join(out)


# --- proofs ----------------------------------------------------------------------------------


def hash_data(
    document: dict[str, Any],
    proof_config: dict[str, Any],
    *,
    canonical_document: str | None = None,
    cryptosuite: str = CRYPTOSUITE,
    legacy: bool = False,
) -> bytes:
    """The cryptosuite's ``hashData``: hash of the canonical proof config then of the document.

    ``canonical_document`` reuses an already computed canonical form of ``document``.
    """
    if cryptosuite == JCS_CRYPTOSUITE:
        doc_c = canonical_document if canonical_document is not None else jcs(document)
        conf_c = jcs(proof_config)
    else:
        doc_c = (
            canonical_document
            if canonical_document is not None
            else canonicalize(document, legacy=legacy)
        )
        conf_c = canonicalize(proof_config, legacy=legacy)
    return hashlib.sha256(conf_c.encode()).digest() + hashlib.sha256(doc_c.encode()).digest()


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def create_proof(
    document: dict[str, Any],
    key: KeyPair,
    *,
    created: str | None = None,
    purpose: str = "assertionMethod",
    cryptosuite: str = CRYPTOSUITE,
) -> dict[str, Any]:
    """Return a copy of ``document`` secured with a ``DataIntegrityProof`` (eddsa-rdfc-2022 by default).

    Raises:
        InputError: the document is not valid JSON-LD with bundled contexts, or the key cannot sign.
    """
    if cryptosuite not in CRYPTOSUITES:
        raise InputError("unsupported cryptosuite", column="cryptosuite", value=cryptosuite)
    unsecured = {k: v for k, v in copy.deepcopy(document).items() if k != "proof"}
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": cryptosuite,
        "created": created or _now(),
        "verificationMethod": key.method_id,
        "proofPurpose": purpose,
    }
    config = {"@context": unsecured.get("@context"), **proof}
    if "@context" not in unsecured:
        config.pop("@context")
    proof["proofValue"] = multibase_encode(
        key.sign(hash_data(unsecured, config, cryptosuite=cryptosuite))
    )
    return {**unsecured, "proof": proof}


def verify_proof(
    secured: dict[str, Any],
    key: KeyPair,
    *,
    canonical_document: str | None = None,
    legacy: bool = False,
) -> bool:
    """True when the single EdDSA Data Integrity proof of ``secured`` verifies with ``key``.

    Args:
        canonical_document: the already computed canonical form of the unsecured document.
        legacy: canonicalise with the pre-release context copies (eddsa-rdfc-2022 only).

    Raises:
        InputError: the proof is missing or malformed, or the document is not valid JSON-LD.
    """
    proof = secured.get("proof")
    if not isinstance(proof, dict):
        raise InputError("the credential has no single Data Integrity proof object", column="proof")
    suite = proof.get("cryptosuite")
    if proof.get("type") != "DataIntegrityProof" or suite not in CRYPTOSUITES:
        raise InputError(
            f"unsupported proof: only DataIntegrityProof with {' or '.join(CRYPTOSUITES)}",
            column="proof",
            value=suite or proof.get("type"),
        )
    value = proof.get("proofValue")
    if not isinstance(value, str):
        raise InputError("proof has no proofValue", column="proof.proofValue")
    signature = multibase_decode(value)
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    ctx = unsecured.get("@context")
    if "@context" in options:
        pctx = options["@context"]
        doc_ctx = ctx if isinstance(ctx, list) else [ctx]
        want = pctx if isinstance(pctx, list) else [pctx]
        # the document's contexts must start with the proof's (VC Data Integrity, verify step)
        if doc_ctx[: len(want)] != want:
            raise InputError(
                "proof @context differs from the document's @context", column="proof.@context"
            )
    config = {k: v for k, v in options.items() if k != "@context"}
    if ctx is not None:
        config = {"@context": ctx, **config}
    if len(signature) != 64:
        return False
    return key.verify(
        signature,
        hash_data(
            unsecured,
            config,
            canonical_document=canonical_document,
            cryptosuite=str(suite),
            legacy=legacy,
        ),
    )
