"""Verification of Open Badges 3.0 (Data Integrity and VC-JOSE) and Open Badges 2.0 credentials.

Modelled on the 1EdTech validator: small checks each add a :class:`Check` to a
:class:`VerificationReport`. Nothing is fetched from the network (decision 0055): contexts are
bundled, ``did:key`` resolves offline, keys and revocation lists can be given as files, and what
would need a fetch is reported as ``unchecked``. The report's :attr:`~VerificationReport.outcome`
is one of (decision 0072, exit codes of ``badge verify``)::

    verified    0  every check passed
    invalid     1  a check failed: tampered, expired, revoked, wrong key, missing property
    unreadable  2  not a badge that can be read: empty, malformed or wrong-typed JSON, bad image
    unchecked   3  nothing failed, but something could not be checked here: a fetch would be
                   needed (hosted assertion, did:web, status list) or the proof type is unsupported
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, cast

from skillpath._safejson import loads_json
from skillpath.errors import InputError
from skillpath.portfolio._baking import is_png, is_svg, unbake_png, unbake_svg
from skillpath.portfolio._contexts import BUNDLED_CONTEXTS, CREDENTIALS_V2, OB_V3, load_context
from skillpath.portfolio._jose import ALGORITHMS, decode_unverified, is_compact_jws, verify_jwt
from skillpath.portfolio._keys import ED25519_PUB_CODEC, KeyPair, multibase_decode
from skillpath.portfolio._ldp import CRYPTOSUITE, CRYPTOSUITES, canonicalize, verify_proof
from skillpath.portfolio._revocation import RevocationList, cached_revocation_list

__all__ = [
    "EXIT_CODES",
    "LEGACY_CONTEXT_MESSAGE",
    "Check",
    "KeyResolver",
    "StatusLookup",
    "VerificationKey",
    "VerificationReport",
    "declared_status_urls",
    "load_verification_key",
    "verify_badge",
]

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"
#: A credential nested deeper than this is refused as unreadable (real badges are about 8).
MAX_DEPTH = 64
#: What ``badge verify`` / ``badge import`` exit with for each outcome.
EXIT_CODES = {"verified": 0, "invalid": 1, "unreadable": 2, "unchecked": 3}
LEGACY_CONTEXT_MESSAGE = (
    "issued with a pre-release context, re-issue with `badge reissue` "
    "(skillpath badge reissue CREDENTIAL_ID): other verifiers reject it"
)
#: OB 2.0 signed assertions: the JWS algorithms checked (with the issuer's key given).
OB2_ALGORITHMS = ("RS256", "ES256", "EdDSA", "Ed25519")

#: ``credential id -> (revoked, reason)`` or None when the lookup knows nothing about it.
StatusLookup = Callable[[str], "tuple[bool, str | None] | None"]
#: ``verification method id -> KeyPair`` or None (``did:key`` resolves without one).
KeyResolver = Callable[[str], "KeyPair | None"]

Level = Literal["error", "warning", "info", "unchecked"]


@dataclass(frozen=True)
class Check:
    """One verification check.

    Attributes:
        name: stable id of the check (``signature``, ``expiry``, ``context`` ...).
        success: whether it passed.
        level: ``error`` (a failure invalidates), ``warning``, ``info``, or ``unchecked`` (it
            could not be done here: a fetch would be needed or the form is not supported).
        message: what was found, for people.
    """

    name: str
    success: bool
    level: Level
    message: str


@dataclass(frozen=True)
class VerificationKey:
    """A public key the user gives (``--key FILE``): an issuer's published key.

    Attributes:
        source: where it came from (file name), for messages.
        key_id: the id the key document gives itself (verification method / key URL), if any.
        ed25519: the key as a :class:`KeyPair` when it is an Ed25519 key.
        jose: the key as a joserfc key (any type), for JWS.
        kty: ``OKP`` (Ed25519), ``RSA`` or ``EC``.
    """

    source: str
    key_id: str | None
    ed25519: KeyPair | None
    jose: Any
    kty: str


@dataclass(frozen=True)
class VerificationReport:
    """The result of verifying one credential.

    Attributes:
        valid: the outcome is ``verified``.
        format: ``ob3-ldp`` | ``ob3-jwt`` | ``ob2-hosted`` | ``ob2-signed`` | ``unknown``.
        container: ``json`` | ``jwt`` | ``png`` | ``svg``.
        status: ``valid`` | ``invalid`` | ``expired`` | ``revoked`` | ``not-yet-valid`` |
            ``unverified`` (could not be checked fully) | ``unreadable``.
        outcome: ``verified`` | ``invalid`` | ``unreadable`` | ``unchecked`` (see module docstring).
        legacy_context: it verified only with the pre-release OB 3.0 context (re-issue it).
        credential: the decoded credential / assertion (None if it could not be read).
    """

    valid: bool
    format: str
    container: str
    status: str
    checks: tuple[Check, ...]
    credential: dict[str, Any] | None = None
    credential_id: str | None = None
    name: str | None = None
    issuer_id: str | None = None
    issuer_name: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    revoked: bool = False
    raw: str = field(default="", repr=False)
    outcome: str = "verified"
    legacy_context: bool = False

    @property
    def error_count(self) -> int:
        """Failed checks at level error."""
        return sum(1 for c in self.checks if not c.success and c.level == "error")

    @property
    def warning_count(self) -> int:
        """Failed checks at level warning."""
        return sum(1 for c in self.checks if not c.success and c.level == "warning")

    @property
    def unchecked_count(self) -> int:
        """Checks that could not be done here (offline or unsupported)."""
        return sum(1 for c in self.checks if c.level == "unchecked")

    @property
    def exit_code(self) -> int:
        """0 verified, 1 invalid, 2 unreadable, 3 could not be checked fully (docs/portfolio.md)."""
        return EXIT_CODES[self.outcome]

    def problems(self, limit: int = 5) -> list[str]:
        """The messages of the failed checks, errors first then unchecked ones (for one-line errors)."""
        order = {"error": 0, "unchecked": 1, "warning": 2, "info": 3}
        bad = sorted(
            (c for c in self.checks if not c.success and c.level in ("error", "unchecked")),
            key=lambda c: order[c.level],
        )
        return [f"{c.name}: {c.message}" for c in bad[:limit]]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form printed by ``skillpath badge verify --json`` (schema in docs/portfolio.md)."""
        return {
            "valid": self.valid,
            "status": self.status,
            "outcome": self.outcome,
            "exitCode": self.exit_code,
            "format": self.format,
            "container": self.container,
            "errorCount": self.error_count,
            "warningCount": self.warning_count,
            "uncheckedCount": self.unchecked_count,
            "legacyContext": self.legacy_context,
            "credentialId": self.credential_id,
            "name": self.name,
            "issuer": {"id": self.issuer_id, "name": self.issuer_name},
            "validFrom": self.valid_from,
            "validUntil": self.valid_until,
            "revoked": self.revoked,
            "checks": [
                {"name": c.name, "success": c.success, "level": c.level, "message": c.message}
                for c in self.checks
            ],
        }


class _Checks:
    def __init__(self) -> None:
        self.items: list[Check] = []
        self.unreadable = False
        self.legacy = False

    def ok(self, name: str, message: str) -> None:
        self.items.append(Check(name, True, "info", message))

    def error(self, name: str, message: str) -> None:
        self.items.append(Check(name, False, "error", message))

    def malformed(self, name: str, message: str) -> None:
        """An error that makes the input unreadable as a badge (exit 2)."""
        self.unreadable = True
        self.items.append(Check(name, False, "error", message))

    def warn(self, name: str, message: str) -> None:
        self.items.append(Check(name, False, "warning", message))

    def info(self, name: str, message: str) -> None:
        self.items.append(Check(name, True, "info", message))

    def unchecked(self, name: str, message: str) -> None:
        self.items.append(Check(name, False, "unchecked", message))

    @property
    def failed(self) -> bool:
        return any(not c.success and c.level == "error" for c in self.items)

    @property
    def incomplete(self) -> bool:
        return any(c.level == "unchecked" for c in self.items)


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [] if v is None else [v]


def _obj(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def _parse_dt(v: Any) -> datetime | None:
    if not isinstance(v, str):
        return None
    try:
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _depth(root: Any) -> int:
    """Nesting depth of a JSON value, without recursion."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        v, d = stack.pop()
        if d > deepest:
            deepest = d
            if deepest > MAX_DEPTH:
                return deepest
        if isinstance(v, dict):
            stack.extend((x, d + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in v)
    return deepest


def _base_of(method: str) -> str:
    return method.split("#", 1)[0]


def _issuer_of(cred: dict[str, Any]) -> str | None:
    iss = cred.get("issuer")
    return _str(iss.get("id")) if isinstance(iss, dict) else _str(iss)


# --- keys given by the user --------------------------------------------------------------------


def _pem_key(text: str, source: str, key_id: str | None) -> VerificationKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
    from joserfc.jwk import import_key

    data = text.encode()
    try:
        pub: Any = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        try:
            pub = serialization.load_pem_private_key(data, password=None).public_key()
        except (ValueError, TypeError) as exc:
            raise InputError("not a readable PEM public key", file=source) from exc
    pem = pub.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    if isinstance(pub, Ed25519PublicKey):
        kp = KeyPair(public=pub)
        return VerificationKey(source, key_id, kp, import_key(pem, "OKP"), "OKP")
    if isinstance(pub, RSAPublicKey):
        return VerificationKey(source, key_id, None, import_key(pem, "RSA"), "RSA")
    if isinstance(pub, EllipticCurvePublicKey):
        return VerificationKey(source, key_id, None, import_key(pem, "EC"), "EC")
    raise InputError("the key is not an RSA, EC or Ed25519 public key", file=source)


def load_verification_key(data: bytes | str, *, source: str = "the key") -> VerificationKey:
    """Read an issuer's public key: PEM, a Multikey or JWK JSON, or an OB 2.0 ``CryptographicKey``.

    Raises:
        InputError: the file holds none of these (names ``source``).
    """
    from joserfc.jwk import import_key

    text = (data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data).strip()
    if text.startswith("-----BEGIN"):
        return _pem_key(text, source, None)
    try:
        obj = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(
            "not a key: expected PEM, a Multikey / JWK JSON or an OB 2.0 CryptographicKey",
            file=source,
        ) from exc
    if not isinstance(obj, dict):
        raise InputError("a key file must hold a JSON object", file=source)
    kid = _str(obj.get("id")) or _str(obj.get("kid"))
    if isinstance(obj.get("publicKeyPem"), str):
        return _pem_key(obj["publicKeyPem"], source, kid)
    if isinstance(obj.get("publicKeyMultibase"), str):
        try:
            raw = multibase_decode(obj["publicKeyMultibase"])
        except InputError as exc:
            raise InputError(exc.message, file=source) from exc
        if not raw.startswith(ED25519_PUB_CODEC) or len(raw) != 34:
            raise InputError("publicKeyMultibase is not an Ed25519 public key", file=source)
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        kp = KeyPair(public=Ed25519PublicKey.from_public_bytes(raw[2:]))
        return VerificationKey(
            source, kid, kp, import_key(cast(Any, kp.public_jwk()), "OKP"), "OKP"
        )
    if isinstance(obj.get("publicKeyJwk"), dict) or "kty" in obj:
        src: dict[str, Any] = (
            obj["publicKeyJwk"] if isinstance(obj.get("publicKeyJwk"), dict) else obj
        )
        jwk = {k: v for k, v in src.items() if k != "d"}  # only the public part is needed
        try:
            if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
                import base64

                from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

                x = str(jwk.get("x", ""))
                kp = KeyPair(
                    public=Ed25519PublicKey.from_public_bytes(
                        base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
                    )
                )
                return VerificationKey(
                    source, kid, kp, import_key(cast(Any, kp.public_jwk()), "OKP"), "OKP"
                )
            kty = str(jwk.get("kty"))
            return VerificationKey(source, kid, None, import_key(jwk, cast(Any, kty)), kty)
        except Exception as exc:  # joserfc / cryptography reject a malformed JWK in many ways
            raise InputError(f"not a usable JWK: {exc}", file=source) from exc
    raise InputError(
        "no public key found: expected publicKeyPem, publicKeyMultibase, publicKeyJwk or a JWK",
        file=source,
    )


# --- Open Badges 3.0 ---------------------------------------------------------------------------


def _resolve_key(
    c: _Checks,
    name: str,
    method: str,
    resolver: KeyResolver | None,
    given: VerificationKey | None,
) -> KeyPair | None:
    """The Ed25519 key of ``method``, or None after recording why it could not be had."""
    if resolver is not None:
        k = resolver(method)
        if k is not None:
            return k
    if method.startswith("did:key:"):
        try:
            return KeyPair.from_did(method)
        except InputError as exc:
            c.unchecked(name, f"unsupported did:key verification method {method}: {exc.message}")
            return None
    if given is not None:
        if given.key_id and given.key_id != method:
            c.error(
                name,
                f"wrong key: the key given ({given.source}) is {given.key_id}, but the credential "
                f"was signed with {method}",
            )
            return None
        if given.ed25519 is None:
            c.error(name, f"wrong key: the key given ({given.source}) is {given.kty}, not Ed25519")
            return None
        return given.ed25519
    if method.startswith("did:web:"):
        host_path = _base_of(method)[len("did:web:") :].replace(":", "/")
        c.unchecked(
            name,
            f"did:web is not supported offline: resolving {_base_of(method)} needs a fetch of "
            f"https://{host_path}/did.json; give the issuer's public key with --key FILE",
        )
    elif method.startswith("did:"):
        did_method = method.split(":", 2)[1]
        c.unchecked(
            name,
            f"did:{did_method} is not supported (only did:key resolves offline): give the "
            "issuer's public key with --key FILE",
        )
    else:
        c.unchecked(
            name,
            f"the verification method {method} is not fetched (offline): give the issuer's "
            "published key with --key FILE",
        )
    return None


def _check_controller(c: _Checks, method: str, issuer_id: str | None) -> None:
    if issuer_id and _base_of(method) != issuer_id:
        c.error(
            "issuer-key",
            f"verification method {method} is not controlled by the issuer {issuer_id}",
        )
    else:
        c.ok("issuer-key", "the signing key belongs to the issuer")


def _unknown_contexts(ctx: list[Any]) -> list[str]:
    return [u for u in ctx if isinstance(u, str) and u.rstrip("#") not in BUNDLED_CONTEXTS]


def _check_ob3_structure(c: _Checks, cred: dict[str, Any]) -> bool:
    """Check the shape; returns False when the contexts cannot be processed offline."""
    raw_ctx = cred.get("@context")
    ctx = _as_list(raw_ctx)
    contexts_ok = True
    if any(not isinstance(u, str | dict) for u in ctx):
        c.malformed("context", "@context entries must be URLs or objects")
        contexts_ok = False
    elif not ctx or ctx[0] != CREDENTIALS_V2:
        c.error("context", f"the first @context must be {CREDENTIALS_V2}")
    ob_versions = [u for u in ctx if isinstance(u, str) and "/spec/ob/v3p0/context" in u]
    if contexts_ok and not ob_versions:
        c.error("context", f"@context must include the Open Badges 3.0 context {OB_V3}")
    unknown = _unknown_contexts(ctx)
    if unknown:
        c.unchecked(
            "context",
            f"unknown JSON-LD context(s), not bundled: {', '.join(unknown)}: nothing is fetched (offline), "
            "so the document could not be processed",
        )
        contexts_ok = False
    elif contexts_ok and ctx and ctx[0] == CREDENTIALS_V2 and ob_versions:
        for url in ctx:
            if isinstance(url, str):
                load_context(url)
        c.ok("context", "contexts are VC 2.0 and Open Badges 3.0 (bundled)")
    raw_types = cred.get("type")
    types = _as_list(raw_types)
    if any(not isinstance(t, str) for t in types):
        c.malformed("type", "type must be a string or a list of strings")
    elif "VerifiableCredential" not in types or not (
        {"OpenBadgeCredential", "AchievementCredential"} & set(types)
    ):
        c.error("type", "type must include VerifiableCredential and OpenBadgeCredential")
    else:
        c.ok("type", "an OpenBadgeCredential")
    if "id" in cred and not isinstance(cred["id"], str):
        c.malformed("id", "id must be a string (a URI)")
    elif "id" not in cred:
        c.warn("id", "the credential has no id")
    issuer = cred.get("issuer")
    if issuer is not None and not isinstance(issuer, str | dict):
        c.malformed("issuer", "issuer must be a URI or a Profile object")
    elif isinstance(issuer, dict) and "id" in issuer and not isinstance(issuer["id"], str):
        c.malformed("issuer", "issuer.id must be a string (a URI)")
    elif not _issuer_of(cred):
        c.error("issuer", "issuer (with an id) is required")
    else:
        c.ok("issuer", f"issuer {_issuer_of(cred)}")
    for key in ("validFrom", "validUntil", "name", "description"):
        if key in cred and not isinstance(cred[key], str):
            c.malformed(key, f"{key} must be a string")
    subj = cred.get("credentialSubject")
    if subj is None:
        c.error("credentialSubject", "credentialSubject is required")
        return contexts_ok
    if not isinstance(subj, dict):
        c.malformed("credentialSubject", "credentialSubject must be an object")
        return contexts_ok
    if "AchievementSubject" not in _as_list(subj.get("type")):
        c.error("credentialSubject", "credentialSubject.type must include AchievementSubject")
    ach = subj.get("achievement")
    if ach is not None and not isinstance(ach, dict):
        c.malformed("achievement", "credentialSubject.achievement must be an object")
        return contexts_ok
    missing = ["achievement"] if ach is None else []
    if isinstance(ach, dict):
        missing = [k for k in ("id", "type", "name", "criteria") if k not in ach]
        if "type" in ach and "Achievement" not in _as_list(ach["type"]):
            missing.append("type Achievement")
        if "name" in ach and not isinstance(ach["name"], str):
            c.malformed("achievement", "achievement.name must be a string")
    if missing:
        c.error("achievement", "credentialSubject.achievement lacks: " + ", ".join(missing))
    elif isinstance(ach, dict):
        c.ok("achievement", f"achievement {ach['name']!r}")
    if "id" not in subj and "identifier" not in subj:
        c.warn(
            "recipient",
            "credentialSubject has neither id nor identifier: anyone holding it could claim it",
        )
    if "credentialSchema" in cred:
        c.warn(
            "schema",
            "credentialSchema not checked: the schema would need a fetch (the shape was checked "
            "by Skillpath's own rules)",
        )
    return contexts_ok


def _check_jsonld(c: _Checks, cred: dict[str, Any]) -> str | None:
    try:
        nquads = canonicalize({k: v for k, v in cred.items() if k != "proof"})
    except InputError as exc:
        if exc.column == "@context":
            c.unchecked("jsonld", f"a JSON-LD context is not bundled (not fetched): {exc}")
        else:
            c.error("jsonld", f"JSON-LD processing failed: {exc}")
        return None
    undefined = sorted(
        {
            q.split(ISSUER_DEPENDENT, 1)[1].split(">", 1)[0]
            for q in nquads.splitlines()
            if ISSUER_DEPENDENT in q
        }
    )
    if undefined:
        c.warn(
            "jsonld",
            "terms not defined by the contexts (issuer-dependent): " + ", ".join(undefined),
        )
    else:
        c.ok("jsonld", "every term is defined by the contexts")
    return nquads


def _describe_proof(p: Any) -> str:
    if not isinstance(p, dict):
        return repr(p)[:40]
    t, s = p.get("type"), p.get("cryptosuite")
    return f"{t}/{s}" if s else str(t)


def _verify_jwt_ob3(
    c: _Checks,
    cred: dict[str, Any],
    token: str,
    resolver: KeyResolver | None,
    given: VerificationKey | None,
) -> None:
    issuer_id = _issuer_of(cred)
    header, _ = decode_unverified(token)
    alg, kid = header.get("alg"), header.get("kid")
    if alg not in ALGORITHMS:
        c.unchecked(
            "signature",
            f"VC-JOSE JWT alg {alg!r} is not supported: Skillpath verifies EdDSA (Ed25519) "
            "JWTs only",
        )
        return
    if header.get("typ") not in (None, "vc+jwt", "vc+ld+jwt", "JWT"):
        c.warn("jwt", f"unexpected JWT typ {header.get('typ')!r}")
    if "proof" in cred:
        c.warn("jwt", "a VC-JOSE payload should not also carry an embedded proof")
    if isinstance(kid, str) and kid.startswith("#") and issuer_id:
        kid = issuer_id + kid
    if not isinstance(kid, str):
        kid = (
            f"{issuer_id}#{issuer_id.split(':')[-1]}"
            if isinstance(issuer_id, str) and issuer_id.startswith("did:key:")
            else None
        )
    if kid is None:
        c.unchecked(
            "signature", "the JWT has no kid and the issuer is not a did:key: key not resolvable"
        )
        return
    key = _resolve_key(c, "signature", kid, resolver, given)
    if key is None:
        return
    _check_controller(c, kid, issuer_id)
    if verify_jwt(token, key):
        c.ok("signature", f"JWS ({alg}) signature verifies with {kid}")
    else:
        c.error(
            "signature",
            "JWS signature does not verify: the credential was altered or signed with another key",
        )


def _verify_one_proof(
    c: _Checks,
    cred: dict[str, Any],
    proof: dict[str, Any],
    nquads: str | None,
    contexts_ok: bool,
    resolver: KeyResolver | None,
    given: VerificationKey | None,
    now: datetime,
) -> None:
    suite = proof.get("cryptosuite")
    if proof.get("proofPurpose") != "assertionMethod":
        c.error("proof", f"proofPurpose must be assertionMethod, not {proof.get('proofPurpose')!r}")
    method = proof.get("verificationMethod")
    if not isinstance(method, str):
        c.error("proof", "proof.verificationMethod is missing")
        return
    if not isinstance(proof.get("proofValue"), str):
        c.error("proof", "proof.proofValue is missing")
        return
    exp = _parse_dt(proof.get("expires"))
    if exp is not None and exp < now:
        c.error("proof", f"the proof expired on {proof.get('expires')}")
    key = _resolve_key(c, "signature", method, resolver, given)
    if key is None:
        return
    _check_controller(c, method, _issuer_of(cred))
    if suite == CRYPTOSUITE and (nquads is None or not contexts_ok):
        c.unchecked("signature", "not checked: the document could not be processed as JSON-LD")
        return
    single = {**cred, "proof": proof}
    try:
        good = verify_proof(
            single, key, canonical_document=nquads if suite == CRYPTOSUITE else None
        )
        if not good and suite == CRYPTOSUITE and OB_V3 in _as_list(cred.get("@context")):
            # badges signed by Skillpath before the published context was bundled (decision 0070)
            good = verify_proof(single, key, legacy=True)
            if good:
                c.legacy = True
    except InputError as exc:
        c.error("signature", f"{exc}")
        return
    if good and c.legacy:
        c.ok("signature", f"Data Integrity proof ({suite}) verifies with {method}")
        c.warn("context", LEGACY_CONTEXT_MESSAGE)
    elif good:
        c.ok("signature", f"Data Integrity proof ({suite}) verifies with {method}")
    else:
        c.error(
            "signature",
            f"Data Integrity proof ({suite}) does not verify: the credential was altered or "
            "signed with another key",
        )


def _verify_ob3(
    c: _Checks,
    cred: dict[str, Any],
    *,
    token: str | None,
    resolver: KeyResolver | None,
    given: VerificationKey | None,
    now: datetime,
) -> None:
    contexts_ok = _check_ob3_structure(c, cred)
    if c.unreadable:
        return
    nquads = _check_jsonld(c, cred) if contexts_ok else None
    if token is not None:
        _verify_jwt_ob3(c, cred, token, resolver, given)
        return
    proof = cred.get("proof")
    if proof is None:
        c.error("proof", "no proof: an unsigned credential cannot be verified")
        return
    plist = _as_list(proof)
    if not plist or any(not isinstance(p, dict) for p in plist):
        c.malformed("proof", "proof must be an object or a list of objects")
        return
    ours = [
        p
        for p in plist
        if p.get("type") == "DataIntegrityProof" and p.get("cryptosuite") in CRYPTOSUITES
    ]
    others = [p for p in plist if p not in ours]
    if not ours:
        c.unchecked(
            "proof",
            "unsupported proof "
            + ", ".join(_describe_proof(p) for p in others)
            + ": Skillpath verifies DataIntegrityProof with "
            + " or ".join(CRYPTOSUITES)
            + " (and EdDSA VC-JOSE JWTs)",
        )
        return
    if others:
        c.warn(
            "proof",
            "other proof(s) not checked (unsupported): "
            + ", ".join(_describe_proof(p) for p in others),
        )
    for p in ours:
        _verify_one_proof(c, cred, p, nquads, contexts_ok, resolver, given, now)


def _validity(
    c: _Checks, cred: dict[str, Any], now: datetime, start_key: str, end_key: str
) -> str | None:
    status = None
    vf, vu = cred.get(start_key), cred.get(end_key)
    start = _parse_dt(vf)
    if vf is None:
        c.error("validity", f"{start_key} is missing")
    elif start is None:
        c.error("validity", f"{start_key} is not an ISO 8601 date-time: {vf!r}")
    elif start > now:
        c.error("validity", f"not yet valid: {start_key} {vf} is in the future")
        status = "not-yet-valid"
    if vu is not None:
        end = _parse_dt(vu)
        if end is None:
            c.error("expiry", f"{end_key} is not an ISO 8601 date-time: {vu!r}")
        elif end < now:
            c.error("expiry", f"expired on {vu}")
            status = "expired"
        else:
            c.ok("expiry", f"valid until {vu}")
    else:
        c.ok("expiry", "no expiry date")
    return status


# --- revocation --------------------------------------------------------------------------------


def _pick_list(
    lists: Sequence[RevocationList], url: str | None, *, bitstring: bool
) -> RevocationList | None:
    kind = [lst for lst in lists if (lst.bitstring is not None) == bitstring]
    exact = [lst for lst in kind if url and lst.list_id == url]
    if exact:
        return exact[0]
    if len(kind) == 1:
        return kind[0]  # the user gave this one list for this credential
    if url:
        return cached_revocation_list(url)
    return None


def _list_note(c: _Checks, lst: RevocationList, url: str | None) -> None:
    if not lst.given:
        c.warn(
            "revocation",
            f"checked against the copy of {url} cached on {lst.saved_at}: later revocations are "
            "not seen",
        )
    elif url and lst.list_id and lst.list_id != url:
        c.warn(
            "revocation",
            f"the list given ({lst.source}) says it is {lst.list_id}, the credential names {url}",
        )
    if lst.bitstring is not None:
        c.warn("revocation", f"the status list's own proof was not checked ({lst.source})")


def _status_entry(
    c: _Checks, st: dict[str, Any], cred_id: str | None, lists: Sequence[RevocationList]
) -> bool:
    """Check one credentialStatus entry; True when it says revoked."""
    stype = st.get("type")
    types = _as_list(stype)
    purpose = _str(st.get("statusPurpose")) or "revocation"
    if {"BitstringStatusListEntry", "StatusList2021Entry"} & set(types):
        url = _str(st.get("statusListCredential"))
        try:
            index = int(st.get("statusListIndex"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            c.error("revocation", f"statusListIndex is not a number: {st.get('statusListIndex')!r}")
            return False
        lst = _pick_list(lists, url, bitstring=True)
        if lst is None:
            c.unchecked(
                "revocation",
                f"revocation not checked (offline): the status list {url} is not fetched; give a "
                "copy with --revocation-list FILE",
            )
            return False
        if lst.purpose and lst.purpose != purpose:
            c.warn("revocation", f"the status list is for {lst.purpose}, the entry for {purpose}")
        try:
            bit = lst.bit(index)
        except InputError as exc:
            c.error("revocation", str(exc))
            return False
        _list_note(c, lst, url)
        if bit:
            c.error(
                "revocation",
                f"{'suspended' if purpose == 'suspension' else 'revoked'}: bit {index} of {lst.source} is set",
            )
            return True
        c.ok(
            "revocation",
            f"not {'suspended' if purpose == 'suspension' else 'revoked'}: bit {index} of {lst.source} is 0",
        )
        return False
    if {"1EdTechRevocationList", "RevocationList"} & set(types):
        url = _str(st.get("id"))
        lst = _pick_list(lists, url, bitstring=False)
        if lst is None:
            c.unchecked(
                "revocation",
                f"revocation not checked (offline): the revocation list {url} is not fetched; give "
                "a copy with --revocation-list FILE",
            )
            return False
        return _in_list(c, lst, cred_id, url)
    c.unchecked(
        "revocation",
        f"revocation not checked: credentialStatus type {stype!r} is not supported",
    )
    return False


def _in_list(c: _Checks, lst: RevocationList, cred_id: str | None, url: str | None) -> bool:
    _list_note(c, lst, url)
    if cred_id and cred_id in lst.revoked:
        reason = lst.revoked[cred_id]
        c.error("revocation", f"revoked (in {lst.source})" + (f": {reason}" if reason else ""))
        return True
    c.ok("revocation", f"not revoked: not in the revocation list {lst.source}")
    return False


def _store_lookup(c: _Checks, cred_id: str | None, lookup: StatusLookup | None) -> bool | None:
    res = lookup(cred_id) if (lookup and cred_id) else None
    if res is None:
        return None
    if res[0]:
        c.error("revocation", "revoked" + (f": {res[1]}" if res[1] else ""))
        return True
    c.ok("revocation", "not revoked (issued here: this store)")
    return False


def _revocation_ob3(
    c: _Checks,
    cred: dict[str, Any],
    lookup: StatusLookup | None,
    lists: Sequence[RevocationList],
) -> bool:
    cred_id = _str(cred.get("id"))
    known = _store_lookup(c, cred_id, lookup)
    if known is not None:
        return known
    statuses = _as_list(cred.get("credentialStatus"))
    if not statuses:
        c.info("revocation", "no revocation information in the credential")
        return False
    revoked = False
    for st in statuses:
        if not isinstance(st, dict):
            c.malformed("revocation", "credentialStatus must be an object")
            return False
        revoked = _status_entry(c, st, cred_id, lists) or revoked
    return revoked


def declared_status_urls(cred: dict[str, Any]) -> list[str]:
    """URLs of the status / revocation lists a credential names (OB 3.0 credentialStatus, OB 2.0
    issuer revocationList): where a list given for it is cached."""
    urls: list[str] = []
    for st in _as_list(cred.get("credentialStatus")):
        if isinstance(st, dict):
            u = _str(st.get("statusListCredential")) or _str(st.get("id"))
            if u:
                urls.append(u)
    rl = _str(_obj(_obj(cred.get("badge")).get("issuer")).get("revocationList"))
    if rl:
        urls.append(rl)
    return urls


# --- Open Badges 2.0 ---------------------------------------------------------------------------


def _check_ob2(
    c: _Checks,
    a: dict[str, Any],
    *,
    token: str | None,
    given: VerificationKey | None,
    recipient: str | None,
) -> None:
    ctx = _as_list(a.get("@context"))
    if OB2_CONTEXT not in ctx:
        c.error("context", f"@context must be {OB2_CONTEXT}")
    else:
        c.ok("context", "Open Badges 2.0 context")
    if "Assertion" not in _as_list(a.get("type")):
        c.error("type", "type must be Assertion")
    else:
        c.ok("type", "an Open Badges 2.0 Assertion")
    if "id" in a and not isinstance(a["id"], str):
        c.malformed("id", "id must be a string (a URL or urn:uuid)")
    elif not isinstance(a.get("id"), str):
        c.error("id", "assertion id is required")
    rec = a.get("recipient")
    if rec is not None and not isinstance(rec, dict):
        c.malformed("recipient", "recipient must be an IdentityObject")
    elif not isinstance(rec, dict) or not isinstance(rec.get("identity"), str) or "type" not in rec:
        c.error("recipient", "recipient with type and identity is required")
    elif recipient:
        ident = rec["identity"]
        if rec.get("hashed"):
            algo, _, digest = ident.partition("$")
            if algo not in ("sha256", "md5"):
                c.error("recipient", f"unsupported recipient hash {algo!r}")
            else:
                salt = _str(rec.get("salt")) or ""
                h = hashlib.new(algo, (recipient.strip().lower() + salt).encode()).hexdigest()
                (c.ok if h == digest.lower() else c.error)(
                    "recipient",
                    f"recipient {'matches' if h == digest.lower() else 'does not match'} {recipient}",
                )
        else:
            (c.ok if ident.lower() == recipient.strip().lower() else c.error)(
                "recipient", f"recipient is {ident}"
            )
    else:
        c.ok(
            "recipient",
            f"recipient of type {rec['type']} ({'hashed' if rec.get('hashed') else 'plain'})",
        )
    badge = a.get("badge")
    if isinstance(badge, str):
        c.warn(
            "badge",
            f"BadgeClass {badge} is not embedded and is not fetched (offline): name and criteria not checked",
        )
    elif isinstance(badge, dict):
        missing = [
            k for k in ("name", "description", "image", "criteria", "issuer") if k not in badge
        ]
        if missing:
            c.error("badge", "BadgeClass lacks: " + ", ".join(missing))
        elif not isinstance(badge["name"], str):
            c.malformed("badge", "BadgeClass name must be a string")
        else:
            c.ok("badge", f"BadgeClass {badge['name']!r}")
    elif badge is None:
        c.error("badge", "badge (a BadgeClass or its URL) is required")
    else:
        c.malformed("badge", "badge must be a BadgeClass object or its URL")
    if _parse_dt(a.get("issuedOn")) is None:
        c.error("issuedOn", "issuedOn must be an ISO 8601 date-time")
    ver = _obj(a.get("verification"))
    vtype = str(ver.get("type", "")).lower()
    if token is not None:
        if vtype not in ("signed", "signedbadge"):
            c.error(
                "verification", "a JWS-signed assertion must declare verification type SignedBadge"
            )
        header, _ = decode_unverified(token)
        alg = header.get("alg")
        creator = _str(ver.get("creator"))
        if alg not in OB2_ALGORITHMS:
            c.unchecked(
                "signature",
                f"JWS alg {alg!r} is not supported for Open Badges 2.0 (supported: "
                f"{', '.join(OB2_ALGORITHMS)})",
            )
        elif given is None:
            c.unchecked(
                "signature",
                f"cannot verify the {alg} signature offline: give the issuer's public key "
                f"(--key FILE; published at {creator or 'verification.creator'})",
            )
        elif given.key_id and creator and given.key_id != creator:
            c.error(
                "signature",
                f"wrong key: the key given ({given.source}) is {given.key_id}, the assertion was "
                f"signed with {creator}",
            )
        elif verify_jwt(token, given.jose):
            c.ok("signature", f"JWS ({alg}) signature verifies with the key from {given.source}")
        else:
            c.error(
                "signature",
                "JWS signature does not verify: the assertion was altered or signed with another key",
            )
    elif vtype in ("signed", "signedbadge"):
        c.error(
            "verification", "the assertion says it is signed but came without its JWS signature"
        )
    else:
        c.unchecked(
            "hosted",
            f"hosted assertion: cannot be verified offline. It is verified by fetching {a.get('id')} "
            "from its issuer; this local copy carries no signature, so a changed copy cannot be "
            "told from the original",
        )


def _revocation_ob2(
    c: _Checks,
    a: dict[str, Any],
    lookup: StatusLookup | None,
    lists: Sequence[RevocationList],
) -> bool:
    if a.get("revoked") is True:
        reason = _str(a.get("revocationReason"))
        c.error("revocation", "revoked" + (f": {reason}" if reason else ""))
        return True
    aid = _str(a.get("id"))
    known = _store_lookup(c, aid, lookup)
    if known is not None:
        return known
    issuer = _obj(a.get("badge")).get("issuer")
    url = _str(_obj(issuer).get("revocationList"))
    idlists = [lst for lst in lists if lst.bitstring is None]
    if idlists:
        return _in_list(c, _pick_list(idlists, url, bitstring=False) or idlists[0], aid, url)
    if isinstance(issuer, dict) and url is None:
        c.info("revocation", "the issuer profile declares no revocation list")
        return False
    cached = cached_revocation_list(url) if url else None
    if cached is not None:
        return _in_list(c, cached, aid, url)
    where = (
        f"the issuer's revocationList {url} is not fetched"
        if url
        else "the issuer profile (with its revocationList) is not embedded and is not fetched"
    )
    c.unchecked(
        "revocation",
        f"revocation not checked (offline): {where}; give the list with --revocation-list FILE",
    )
    return False


# --- entry point -------------------------------------------------------------------------------


def _read_container(c: _Checks, raw: bytes) -> tuple[str, str | None]:
    """``(container, text)``; text None after recording why the input is unreadable."""
    if not raw.strip():
        c.malformed("read", "the file is empty")
        return "json", None
    container = "json"
    try:
        if is_png(raw):
            container = "png"
            kw, text = unbake_png(raw)
            c.ok("baked", f"PNG iTXt chunk {kw!r}")
        elif is_svg(raw) or raw.lstrip()[:1] == b"<":
            container = "svg"
            el, text = unbake_svg(raw)
            c.ok("baked", f"SVG openbadges:{el} element")
        else:
            text = raw.decode("utf-8-sig")
    except InputError as exc:
        c.malformed("read", f"cannot read the badge: {exc}")
        return container, None
    except UnicodeDecodeError:
        c.malformed("read", "cannot read the badge: not UTF-8 text, a PNG or an SVG image")
        return container, None
    except (ValueError, IndexError, zlib.error, struct.error, RecursionError) as exc:
        # damaged image bytes: a truncated or corrupt chunk, bad compression, deep SVG nesting
        c.malformed("read", f"cannot read the badge: damaged {container.upper()} ({exc})")
        return container, None
    return container, text


def verify_badge(
    data: bytes | str,
    *,
    now: datetime | None = None,
    status: StatusLookup | None = None,
    resolver: KeyResolver | None = None,
    public_key_pem: str | bytes | None = None,
    recipient: str | None = None,
    key: VerificationKey | None = None,
    revocation_lists: Sequence[RevocationList] = (),
) -> VerificationReport:
    """Verify a credential given as JSON, a compact JWT/JWS, or a baked PNG/SVG.

    Args:
        now: the time to check validity against (default: now, UTC).
        status: revocation lookup (e.g. this store's issued credentials); None: no such data.
        resolver: extra keys by verification method id (``did:key`` resolves without it).
        public_key_pem: an issuer's public key (any form :func:`load_verification_key` reads);
            kept for callers that pass PEM text; ``key`` is the parsed form.
        recipient: an e-mail to match an OB 2.0 hashed recipient against.
        key: the issuer's public key given by the user (OB 2.0 JWS, OB 3.0 non-did:key methods).
        revocation_lists: lists given by the user for this credential (cached ones are also used).

    Returns:
        The report; it never raises for a bad credential, only describes it.
    """
    now = now or datetime.now(UTC)
    c = _Checks()
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    if key is None and public_key_pem is not None:
        try:
            key = load_verification_key(public_key_pem)
        except InputError as exc:
            c.error("signature", f"the key given cannot be used: {exc}")
    container, text = _read_container(c, raw)
    if text is None:
        return _finish(c, "unknown", container, None, None, raw="")
    text = text.strip()
    if re.fullmatch(r"https?://\S+", text):
        c.unchecked(
            "read",
            f"the baked badge holds only a URL ({text}): it is not fetched (offline); "
            "save the hosted assertion JSON and verify that file",
        )
        return _finish(c, "ob2-hosted", container, None, None, raw=text)
    token: str | None = None
    if not text:
        c.malformed("read", f"the {container.upper()} holds an empty badge")
        return _finish(c, "unknown", container, None, None, raw=text)
    if is_compact_jws(text):
        if container == "json":
            container = "jwt"
        try:
            header, payload = decode_unverified(text)
        except (InputError, RecursionError) as exc:
            c.malformed("read", f"not a readable JWT: {exc}")
            return _finish(c, "unknown", container, None, None, raw=text)
        token, cred = text, payload
        if isinstance(cred.get("vc"), dict):  # VC-JWT 1.1 style wrapping
            cred = cred["vc"]
        c.ok("read", f"compact JWS, alg {header.get('alg')}")
    else:
        try:
            cred = loads_json(text, what="the badge", max_depth=MAX_DEPTH)
        except InputError as exc:
            looks_jwt = text.count(".") == 2 and not text.startswith(("{", "["))
            what = (
                "not a JWT (header.payload.signature in base64url) nor JSON: " if looks_jwt else ""
            )
            c.malformed("read", f"{what}{exc}")
            return _finish(c, "unknown", container, None, None, raw=text)
        if not isinstance(cred, dict):
            kind = "an array" if isinstance(cred, list) else f"a {type(cred).__name__}"
            c.malformed("read", f"the credential must be a JSON object, not {kind}")
            return _finish(c, "unknown", container, None, None, raw=text)
        c.ok("read", "JSON document")
    if _depth(cred) > MAX_DEPTH:
        c.malformed("read", f"the credential is nested too deeply (more than {MAX_DEPTH} levels)")
        return _finish(c, "unknown", container, None, None, raw=text)
    ctx = _as_list(cred.get("@context"))
    types = _as_list(cred.get("type"))
    is_ob2 = OB2_CONTEXT in ctx or ("Assertion" in types and CREDENTIALS_V2 not in ctx)
    is_vc = CREDENTIALS_V2 in ctx or VC1_CONTEXT in ctx or "VerifiableCredential" in types
    if not is_ob2 and not is_vc:
        c.malformed(
            "read",
            "not an Open Badge: no Open Badges 2.0 Assertion and no Verifiable Credential "
            "(@context / type)",
        )
        return _finish(c, "unknown", container, cred, None, raw=text)
    if is_ob2:
        fmt = "ob2-signed" if token else "ob2-hosted"
        _check_ob2(c, cred, token=token, given=key, recipient=recipient)
        vstatus = "revoked" if _revocation_ob2(c, cred, status, revocation_lists) else None
        exp = _parse_dt(cred.get("expires"))
        if cred.get("expires") is not None and exp is None:
            c.error("expiry", f"expires is not an ISO 8601 date-time: {cred.get('expires')!r}")
        elif exp is not None and exp < now:
            c.error("expiry", f"expired on {cred.get('expires')}")
            vstatus = vstatus or "expired"
        issued = _parse_dt(cred.get("issuedOn"))
        if issued is not None and issued > now:
            c.error("validity", f"issuedOn {cred.get('issuedOn')} is in the future")
            vstatus = vstatus or "not-yet-valid"
        return _finish(c, fmt, container, cred, vstatus, raw=text)
    fmt = "ob3-jwt" if token else "ob3-ldp"
    if VC1_CONTEXT in ctx:
        if token is not None:
            alg = decode_unverified(token)[0].get("alg")
            if alg not in ALGORITHMS:
                c.unchecked(
                    "signature",
                    f"VC-JOSE JWT alg {alg!r} is not supported: Skillpath verifies EdDSA (Ed25519) "
                    "JWTs only",
                )
        c.unchecked(
            "context",
            f"VC Data Model 1.1 credentials ({VC1_CONTEXT}) are not supported: Skillpath "
            "verifies Open Badges 3.0 on VC 2.0",
        )
        return _finish(c, fmt, container, cred, None, raw=text)
    _verify_ob3(c, cred, token=token, resolver=resolver, given=key, now=now)
    if c.unreadable:
        return _finish(c, fmt, container, cred, None, raw=text)
    vstatus = _validity(c, cred, now, "validFrom", "validUntil")
    if _revocation_ob3(c, cred, status, revocation_lists):
        vstatus = "revoked"
    return _finish(c, fmt, container, cred, vstatus, raw=text)


def _finish(
    c: _Checks,
    fmt: str,
    container: str,
    cred: dict[str, Any] | None,
    vstatus: str | None,
    *,
    raw: str,
) -> VerificationReport:
    if c.unreadable:
        outcome, status = "unreadable", "unreadable"
    elif c.failed:
        outcome, status = "invalid", vstatus or "invalid"
    elif c.incomplete:
        outcome, status = "unchecked", "unverified"
    else:
        outcome, status = "verified", "valid"
    issuer_id = issuer_name = name = None
    vf = vu = None
    if cred is not None:
        if fmt.startswith("ob3"):
            iss = cred.get("issuer")
            issuer_id = _issuer_of(cred)
            issuer_name = iss.get("name") if isinstance(iss, dict) else None
            name = cred.get("name")
            if not isinstance(name, str):
                name = _obj(_obj(cred.get("credentialSubject")).get("achievement")).get("name")
            vf, vu = cred.get("validFrom"), cred.get("validUntil")
        else:
            badge = cred.get("badge")
            if isinstance(badge, dict):
                name = badge.get("name")
                iss = badge.get("issuer")
                issuer_id = iss.get("id") if isinstance(iss, dict) else iss
                issuer_name = iss.get("name") if isinstance(iss, dict) else None
            vf, vu = cred.get("issuedOn"), cred.get("expires")
    return VerificationReport(
        valid=outcome == "verified",
        format=fmt,
        container=container,
        status=status,
        checks=tuple(c.items),
        credential=cred,
        credential_id=_str(cred.get("id")) if isinstance(cred, dict) else None,
        name=_str(name),
        issuer_id=_str(issuer_id),
        issuer_name=_str(issuer_name),
        valid_from=_str(vf),
        valid_until=_str(vu),
        revoked=any(
            ch.name == "revocation" and not ch.success and ch.level == "error" for ch in c.items
        ),
        raw=raw,
        outcome=outcome,
        legacy_context=c.legacy,
    )
