"""Verification of Open Badges 3.0 (Data Integrity and VC-JOSE) and Open Badges 2.0 credentials.

Modelled on the 1EdTech validator: small checks each add a :class:`Check` (error, warning or
info) to a :class:`VerificationReport`; the credential is valid when no check failed with an
error. Nothing is fetched from the network (decision 0055): contexts are bundled, ``did:key``
resolves offline, and what would need a fetch (hosted assertions, status lists) becomes a warning.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from skillpath.errors import InputError
from skillpath.portfolio._baking import is_png, is_svg, unbake_png, unbake_svg
from skillpath.portfolio._contexts import CREDENTIALS_V2, OB_V3, load_context
from skillpath.portfolio._jose import ALGORITHMS, decode_unverified, is_compact_jws, verify_jwt
from skillpath.portfolio._keys import KeyPair
from skillpath.portfolio._ldp import CRYPTOSUITE, canonicalize, verify_proof

__all__ = ["Check", "KeyResolver", "StatusLookup", "VerificationReport", "verify_badge"]

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"

#: ``credential id -> (revoked, reason)`` or None when the lookup knows nothing about it.
StatusLookup = Callable[[str], "tuple[bool, str | None] | None"]
#: ``verification method id -> KeyPair`` or None (``did:key`` resolves without one).
KeyResolver = Callable[[str], "KeyPair | None"]


@dataclass(frozen=True)
class Check:
    """One verification check.

    Attributes:
        name: stable id of the check (``signature``, ``expiry``, ``context`` ...).
        success: whether it passed.
        level: ``error`` (a failure invalidates), ``warning`` or ``info``.
        message: what was found, for people.
    """

    name: str
    success: bool
    level: Literal["error", "warning", "info"]
    message: str


@dataclass(frozen=True)
class VerificationReport:
    """The result of verifying one credential.

    Attributes:
        valid: no check failed with level ``error``.
        format: ``ob3-ldp`` | ``ob3-jwt`` | ``ob2-hosted`` | ``ob2-signed`` | ``unknown``.
        container: ``json`` | ``jwt`` | ``png`` | ``svg``.
        status: ``valid`` | ``invalid`` | ``expired`` | ``revoked`` | ``not-yet-valid``.
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

    @property
    def error_count(self) -> int:
        """Failed checks at level error."""
        return sum(1 for c in self.checks if not c.success and c.level == "error")

    @property
    def warning_count(self) -> int:
        """Failed checks at level warning."""
        return sum(1 for c in self.checks if not c.success and c.level == "warning")

    def to_dict(self) -> dict[str, Any]:
        """The JSON form printed by ``skillpath badge verify --json`` (schema in docs/portfolio.md)."""
        return {
            "valid": self.valid,
            "status": self.status,
            "format": self.format,
            "container": self.container,
            "errorCount": self.error_count,
            "warningCount": self.warning_count,
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

    def ok(self, name: str, message: str) -> None:
        self.items.append(Check(name, True, "info", message))

    def error(self, name: str, message: str) -> None:
        self.items.append(Check(name, False, "error", message))

    def warn(self, name: str, message: str) -> None:
        self.items.append(Check(name, False, "warning", message))

    def info(self, name: str, message: str) -> None:
        self.items.append(Check(name, True, "info", message))

    @property
    def failed(self) -> bool:
        return any(not c.success and c.level == "error" for c in self.items)


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [] if v is None else [v]


def _parse_dt(v: Any) -> datetime | None:
    if not isinstance(v, str):
        return None
    try:
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _did_of(method: str) -> str:
    return method.split("#", 1)[0]


def _resolve(method: str, resolver: KeyResolver | None) -> KeyPair:
    if resolver is not None:
        k = resolver(method)
        if k is not None:
            return k
    return KeyPair.from_did(method)


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


def _revocation(
    c: _Checks, cred_id: str | None, lookup: StatusLookup | None, has_status: bool
) -> bool:
    res = lookup(cred_id) if (lookup and cred_id) else None
    if res is not None and res[0]:
        c.error("revocation", "revoked" + (f": {res[1]}" if res[1] else ""))
        return True
    if res is not None:
        c.ok("revocation", "not revoked (known to this store)")
    elif has_status:
        c.warn(
            "revocation",
            "credentialStatus / revocationList not checked: it needs a network fetch (offline)",
        )
    else:
        c.info("revocation", "no revocation information in the credential")
    return False


def _check_ob3_structure(c: _Checks, cred: dict[str, Any]) -> None:
    ctx = _as_list(cred.get("@context"))
    if not ctx or ctx[0] != CREDENTIALS_V2:
        c.error("context", f"the first @context must be {CREDENTIALS_V2}")
    elif OB_V3 not in ctx:
        c.error("context", f"@context must include the Open Badges 3.0 context {OB_V3}")
    else:
        bad = []
        for url in ctx:
            if isinstance(url, str):
                try:
                    load_context(url)
                except InputError:
                    bad.append(url)
        if bad:
            c.error(
                "context",
                f"unknown JSON-LD context(s) {', '.join(bad)}: only bundled contexts are used, nothing is fetched",
            )
        else:
            c.ok("context", "contexts are VC 2.0 and Open Badges 3.0 (bundled)")
    types = _as_list(cred.get("type"))
    if "VerifiableCredential" not in types or not (
        {"OpenBadgeCredential", "AchievementCredential"} & set(types)
    ):
        c.error("type", "type must include VerifiableCredential and OpenBadgeCredential")
    else:
        c.ok("type", "an OpenBadgeCredential")
    if not isinstance(cred.get("id"), str):
        c.warn("id", "the credential has no id")
    issuer = cred.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or not issuer_id:
        c.error("issuer", "issuer (with an id) is required")
    else:
        c.ok("issuer", f"issuer {issuer_id}")
    subj = cred.get("credentialSubject")
    if not isinstance(subj, dict):
        c.error("credentialSubject", "credentialSubject must be an object")
        return
    if "AchievementSubject" not in _as_list(subj.get("type")):
        c.error("credentialSubject", "credentialSubject.type must include AchievementSubject")
    ach = subj.get("achievement")
    missing = [] if isinstance(ach, dict) else ["achievement"]
    if isinstance(ach, dict):
        missing = [k for k in ("id", "type", "name", "criteria") if k not in ach]
        if "type" in ach and "Achievement" not in _as_list(ach["type"]):
            missing.append("type Achievement")
    if missing:
        c.error("achievement", "credentialSubject.achievement lacks: " + ", ".join(missing))
    else:
        c.ok("achievement", f"achievement {ach['name']!r}")  # type: ignore[index]
    if "id" not in subj and "identifier" not in subj:
        c.warn(
            "recipient",
            "credentialSubject has neither id nor identifier: anyone holding it could claim it",
        )


def _check_jsonld(c: _Checks, cred: dict[str, Any]) -> str | None:
    try:
        nquads = canonicalize({k: v for k, v in cred.items() if k != "proof"})
    except InputError as exc:
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


def _check_controller(c: _Checks, method: str, issuer_id: str | None) -> None:
    if issuer_id and _did_of(method) != issuer_id:
        c.error(
            "issuer-key",
            f"verification method {method} is not controlled by the issuer {issuer_id}",
        )
    else:
        c.ok("issuer-key", "the signing key belongs to the issuer")


def _verify_ob3(
    c: _Checks, cred: dict[str, Any], *, token: str | None, resolver: KeyResolver | None
) -> None:
    _check_ob3_structure(c, cred)
    issuer = cred.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    nquads = _check_jsonld(c, cred)
    if token is not None:
        header, _ = decode_unverified(token)
        alg, kid = header.get("alg"), header.get("kid")
        if alg not in ALGORITHMS:
            c.error("signature", f"JWT alg {alg!r} is not supported (Ed25519/EdDSA)")
            return
        if header.get("typ") not in (None, "vc+jwt", "vc+ld+jwt", "JWT"):
            c.warn("jwt", f"unexpected JWT typ {header.get('typ')!r}")
        if "proof" in cred:
            c.warn("jwt", "a VC-JOSE payload should not also carry an embedded proof")
        if not isinstance(kid, str):
            kid = (
                f"{issuer_id}#{issuer_id.split(':')[-1]}"
                if isinstance(issuer_id, str) and issuer_id.startswith("did:key:")
                else None
            )
        if kid is None:
            c.error("signature", "the JWT has no kid and the issuer is not a did:key")
            return
        try:
            key = _resolve(kid, resolver)
        except InputError as exc:
            c.error("signature", f"cannot resolve the signing key offline: {exc}")
            return
        _check_controller(c, kid, issuer_id)
        if verify_jwt(token, key):
            c.ok("signature", f"JWS ({alg}) signature verifies with {kid}")
        else:
            c.error(
                "signature",
                "JWS signature does not verify: the credential was altered or signed with another key",
            )
        return
    proof = cred.get("proof")
    if isinstance(proof, list):
        proofs = [p for p in proof if isinstance(p, dict) and p.get("cryptosuite") == CRYPTOSUITE]
        if len(proofs) != 1:
            c.error("proof", f"expected one {CRYPTOSUITE} proof")
            return
        cred = {**cred, "proof": proofs[0]}
        proof = proofs[0]
    if not isinstance(proof, dict):
        c.error("proof", "no proof: an unsigned credential cannot be verified")
        return
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        c.error(
            "proof",
            f"unsupported proof {proof.get('type')}/{proof.get('cryptosuite')}: only DataIntegrityProof {CRYPTOSUITE}",
        )
        return
    if proof.get("proofPurpose") != "assertionMethod":
        c.error("proof", f"proofPurpose must be assertionMethod, not {proof.get('proofPurpose')!r}")
    method = proof.get("verificationMethod")
    if not isinstance(method, str):
        c.error("proof", "proof.verificationMethod is missing")
        return
    exp = _parse_dt(proof.get("expires"))
    if exp is not None and exp < datetime.now(UTC):
        c.error("proof", f"the proof expired on {proof.get('expires')}")
    try:
        key = _resolve(method, resolver)
    except InputError as exc:
        c.error("signature", f"cannot resolve the verification method offline: {exc}")
        return
    _check_controller(c, method, issuer_id)
    if nquads is None:
        c.error("signature", "not checked: the document is not valid JSON-LD")
        return
    try:
        good = verify_proof(cred, key, canonical_document=nquads)
    except InputError as exc:
        c.error("signature", str(exc))
        return
    if good:
        c.ok("signature", f"Data Integrity proof ({CRYPTOSUITE}) verifies with {method}")
    else:
        c.error(
            "signature",
            "Data Integrity proof does not verify: the credential was altered or signed with another key",
        )


def _check_ob2(
    c: _Checks,
    a: dict[str, Any],
    *,
    signed: bool,
    token: str | None,
    ob2_key: Any,
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
    if not isinstance(a.get("id"), str):
        c.error("id", "assertion id is required")
    rec = a.get("recipient")
    if not isinstance(rec, dict) or not isinstance(rec.get("identity"), str) or "type" not in rec:
        c.error("recipient", "recipient with type and identity is required")
    elif recipient:
        ident = rec["identity"]
        if rec.get("hashed"):
            algo, _, digest = ident.partition("$")
            if algo not in ("sha256", "md5"):
                c.error("recipient", f"unsupported recipient hash {algo!r}")
            else:
                h = hashlib.new(
                    algo, (recipient.strip().lower() + rec.get("salt", "")).encode()
                ).hexdigest()
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
        else:
            c.ok("badge", f"BadgeClass {badge['name']!r}")
    else:
        c.error("badge", "badge (a BadgeClass or its URL) is required")
    if _parse_dt(a.get("issuedOn")) is None:
        c.error("issuedOn", "issuedOn must be an ISO 8601 date-time")
    raw_ver = a.get("verification")
    ver: dict[str, Any] = raw_ver if isinstance(raw_ver, dict) else {}
    vtype = str(ver.get("type", "")).lower()
    if signed:
        if vtype not in ("signed", "signedbadge"):
            c.error(
                "verification", "a JWS-signed assertion must declare verification type SignedBadge"
            )
        assert token is not None
        header, _ = decode_unverified(token)
        if ob2_key is None:
            c.error(
                "signature",
                f"cannot verify the {header.get('alg')} signature offline: give the issuer's public key "
                f"(--key FILE.pem; published at {ver.get('creator', 'verification.creator')})",
            )
        elif verify_jwt(token, ob2_key):
            c.ok("signature", f"JWS ({header.get('alg')}) signature verifies")
        else:
            c.error("signature", "JWS signature does not verify")
    elif vtype in ("signed", "signedbadge"):
        c.error(
            "verification", "the assertion says it is signed but came without its JWS signature"
        )
    else:
        c.warn(
            "hosted",
            f"hosted assertion: not re-fetched from {a.get('id')} (offline); the local copy was checked",
        )


def _load_ob2_key(pem: str | bytes | None) -> Any:
    if pem is None:
        return None
    from joserfc.jwk import import_key

    text = pem.decode() if isinstance(pem, bytes) else pem
    for kty in ("RSA", "OKP", "EC"):
        try:
            return import_key(text, kty)
        except Exception:  # try the next key type
            continue
    raise InputError("the public key is not a PEM RSA, Ed25519 or EC key")


def verify_badge(
    data: bytes | str,
    *,
    now: datetime | None = None,
    status: StatusLookup | None = None,
    resolver: KeyResolver | None = None,
    public_key_pem: str | bytes | None = None,
    recipient: str | None = None,
) -> VerificationReport:
    """Verify a credential given as JSON, a compact JWT/JWS, or a baked PNG/SVG.

    Args:
        now: the time to check validity against (default: now, UTC).
        status: revocation lookup (e.g. this store's issued credentials); None: no revocation data.
        resolver: extra keys by verification method id (``did:key`` resolves without it).
        public_key_pem: an OB 2.0 issuer's public key, to check signed assertions offline.
        recipient: an e-mail to match an OB 2.0 hashed recipient against.

    Returns:
        The report; it never raises for a bad credential, only describes it.
    """
    now = now or datetime.now(UTC)
    c = _Checks()
    container = "json"
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    text: str
    try:
        if is_png(raw):
            container = "png"
            kw, text = unbake_png(raw)
            c.ok("baked", f"PNG iTXt chunk {kw!r}")
        elif is_svg(raw):
            container = "svg"
            el, text = unbake_svg(raw)
            c.ok("baked", f"SVG openbadges:{el} element")
        else:
            text = raw.decode("utf-8-sig")
    except (InputError, UnicodeDecodeError) as exc:
        c.error("read", f"cannot read the badge: {exc}")
        return _finish(c, "unknown", container, None, None, now, raw=raw.decode("latin-1")[:0])
    text = text.strip()
    if text.startswith(("http://", "https://")) and " " not in text:
        c.error(
            "read",
            f"the baked badge holds only a URL ({text}): it is not fetched (offline); "
            "save the hosted assertion JSON and verify that file",
        )
        return _finish(c, "ob2-hosted", container, None, None, now, raw=text)
    token: str | None = None
    if is_compact_jws(text):
        if container == "json":
            container = "jwt"
        try:
            header, payload = decode_unverified(text)
        except InputError as exc:
            c.error("read", str(exc))
            return _finish(c, "unknown", container, None, None, now, raw=text)
        token, cred = text, payload
        if isinstance(cred.get("vc"), dict):  # VC-JWT 1.1 style wrapping
            cred = cred["vc"]
        c.ok("read", f"compact JWS, alg {header.get('alg')}")
    else:
        try:
            cred = json.loads(text)
        except json.JSONDecodeError as exc:
            c.error("read", f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
            return _finish(c, "unknown", container, None, None, now, raw=text)
        if not isinstance(cred, dict):
            c.error("read", "the credential must be a JSON object")
            return _finish(c, "unknown", container, None, None, now, raw=text)
        c.ok("read", "JSON document")
    ctx = _as_list(cred.get("@context"))
    if OB2_CONTEXT in ctx or (
        "Assertion" in _as_list(cred.get("type")) and CREDENTIALS_V2 not in ctx
    ):
        fmt = "ob2-signed" if token else "ob2-hosted"
        try:
            key = _load_ob2_key(public_key_pem)
        except InputError as exc:
            c.error("signature", str(exc))
            key = None
        _check_ob2(c, cred, signed=token is not None, token=token, ob2_key=key, recipient=recipient)
        vstatus = None
        if cred.get("revoked") is True:
            c.error(
                "revocation",
                "revoked"
                + (f": {cred.get('revocationReason')}" if cred.get("revocationReason") else ""),
            )
            vstatus = "revoked"
        elif _revocation(c, cred.get("id"), status, has_status=False):
            vstatus = "revoked"
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
        return _finish(c, fmt, container, cred, vstatus, now, raw=text)
    fmt = "ob3-jwt" if token else "ob3-ldp"
    _verify_ob3(c, cred, token=token, resolver=resolver)
    vstatus = _validity(c, cred, now, "validFrom", "validUntil")
    if _revocation(c, cred.get("id"), status, has_status="credentialStatus" in cred):
        vstatus = "revoked"
    return _finish(c, fmt, container, cred, vstatus, now, raw=text)


def _finish(
    c: _Checks,
    fmt: str,
    container: str,
    cred: dict[str, Any] | None,
    vstatus: str | None,
    now: datetime,
    *,
    raw: str,
) -> VerificationReport:
    valid = not c.failed
    status = "valid" if valid else (vstatus or "invalid")
    issuer_id = issuer_name = name = None
    vf = vu = None
    if cred is not None:
        if fmt.startswith("ob3"):
            iss = cred.get("issuer")
            issuer_id = iss.get("id") if isinstance(iss, dict) else iss
            issuer_name = iss.get("name") if isinstance(iss, dict) else None
            name = cred.get("name") or (
                (cred.get("credentialSubject") or {}).get("achievement") or {}
            ).get("name")
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
        valid=valid,
        format=fmt,
        container=container,
        status=status,
        checks=tuple(c.items),
        credential=cred,
        credential_id=cred.get("id")
        if isinstance(cred, dict) and isinstance(cred.get("id"), str)
        else None,
        name=name if isinstance(name, str) else None,
        issuer_id=issuer_id if isinstance(issuer_id, str) else None,
        issuer_name=issuer_name if isinstance(issuer_name, str) else None,
        valid_from=vf if isinstance(vf, str) else None,
        valid_until=vu if isinstance(vu, str) else None,
        revoked=any(
            ch.name == "revocation" and not ch.success and ch.level == "error" for ch in c.items
        ),
        raw=raw,
    )
