"""Issuing and verifying Open Badges 3.0 credentials (both proof forms), with an independent check."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

from skillpath.errors import InputError
from skillpath.portfolio import (
    add_evidence,
    canonicalize,
    create_proof,
    default_issuer,
    generate_key,
    issue_badge,
    revoke_credential,
    rotate_key,
    sign_jwt,
    store_status,
    verify_badge,
)
from skillpath.portfolio._contexts import BUNDLED_CONTEXTS
from skillpath.store import Store


@pytest.fixture
def item_id(store: Store) -> str:
    return add_evidence(
        store, kind="artefact", title="Sales dashboard", skills=["SQL"], visibility="public"
    ).id


# --- an independent eddsa-rdfc-2022 verifier: PyLD + cryptography, nothing from skillpath.portfolio ---


def _b58decode(s: str) -> bytes:
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    n = 0
    for ch in s:
        n = n * 58 + alphabet.index(ch)
    pad = len(s) - len(s.lstrip("1"))
    return b"\0" * pad + n.to_bytes((n.bit_length() + 7) // 8, "big")


def _independent_loader(url, options=None):  # type: ignore[no-untyped-def]
    # Reads the bundled files straight from disk: the test needs the same context documents,
    # not our loader code.
    from importlib import resources

    path = (
        resources.files("skillpath")
        .joinpath("portfolio")
        .joinpath("contexts")
        .joinpath(BUNDLED_CONTEXTS[url])
    )
    return {"contextUrl": None, "documentUrl": url, "document": json.loads(path.read_text("utf-8"))}


def _rdfc(doc: dict) -> bytes:
    nq = jsonld.normalize(
        doc,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": _independent_loader,
        },
    )
    return nq.encode("utf-8")


def independent_verify(secured: dict) -> bool:
    proof = dict(secured["proof"])
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    signature = _b58decode(proof.pop("proofValue")[1:])  # multibase 'z' = base58btc
    document = {k: v for k, v in secured.items() if k != "proof"}
    proof_config = {"@context": document["@context"], **proof}
    hash_data = (
        hashlib.sha256(_rdfc(proof_config)).digest() + hashlib.sha256(_rdfc(document)).digest()
    )
    fingerprint = proof["verificationMethod"].split("#")[0].removeprefix("did:key:")
    raw = _b58decode(fingerprint[1:])
    assert raw[:2] == b"\xed\x01"  # multicodec ed25519-pub
    try:
        Ed25519PublicKey.from_public_bytes(raw[2:]).verify(signature, hash_data)
    except Exception:
        return False
    return True


def test_ldp_sign_then_verify_and_independent_check(store: Store, item_id: str) -> None:
    ic = issue_badge(
        store, evidence=[item_id], name="SQL practitioner", recipient="did:example:learner"
    )
    cred = json.loads(ic.text)
    report = verify_badge(ic.text, status=store_status(store))
    assert report.valid, report.to_dict()
    assert report.format == "ob3-ldp" and report.status == "valid"
    assert independent_verify(cred)
    cred["name"] = "SQL wizard"
    assert not independent_verify(cred)


def test_jwt_sign_then_verify(store: Store, item_id: str) -> None:
    ic = issue_badge(store, evidence=[item_id], name="SQL practitioner", proof="jwt")
    header = json.loads(base64.urlsafe_b64decode(ic.text.split(".")[0] + "=="))
    assert header["alg"] == "Ed25519" and header["typ"] == "vc+jwt"
    report = verify_badge(ic.text)
    assert report.valid and report.format == "ob3-jwt"


def _paths(obj, prefix=()):  # type: ignore[no-untyped-def]
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))
    else:
        yield prefix


def _tamper(doc: dict, path: tuple) -> dict:
    out = copy.deepcopy(doc)
    cur = out
    for p in path[:-1]:
        cur = cur[p]
    v = cur[path[-1]]
    cur[path[-1]] = (v + "x") if isinstance(v, str) else (not v) if isinstance(v, bool) else 12345
    return out


def test_tampering_any_field_is_detected_ldp(store: Store, item_id: str) -> None:
    cred = json.loads(
        issue_badge(store, evidence=[item_id], name="Badge", recipient="a@b.example").text
    )
    paths = [p for p in _paths(cred) if p[0] not in ("@context",) and p[-1] != "cryptosuite"]
    assert len(paths) > 15
    for p in paths:
        r = verify_badge(json.dumps(_tamper(cred, p)))
        assert not r.valid, f"tampering {p} went unnoticed"


def test_tampering_any_field_is_detected_jwt(store: Store, item_id: str) -> None:
    token = issue_badge(store, evidence=[item_id], name="Badge", proof="jwt").text
    h, payload, sig = token.split(".")
    cred = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    for p in _paths(cred):
        if p[0] == "@context":
            continue
        body = base64.urlsafe_b64encode(json.dumps(_tamper(cred, p)).encode()).rstrip(b"=").decode()
        assert not verify_badge(f"{h}.{body}.{sig}").valid, p


def test_wrong_key_is_detected(store: Store, item_id: str) -> None:
    issuer = default_issuer(store)
    cred = json.loads(issue_badge(store, evidence=[item_id], name="Badge").text)
    other = generate_key()
    forged = create_proof({k: v for k, v in cred.items() if k != "proof"}, other)
    r = verify_badge(json.dumps(forged))
    assert not r.valid and any(c.name == "issuer-key" and not c.success for c in r.checks)
    # a proof that claims the issuer's key but was made with another key
    forged["proof"]["verificationMethod"] = issuer.keys[0]
    assert not verify_badge(json.dumps(forged)).valid
    token = sign_jwt({k: v for k, v in cred.items() if k != "proof"}, other)
    assert not verify_badge(token).valid


def test_expired_and_not_yet_valid(store: Store, item_id: str) -> None:
    ic = issue_badge(store, evidence=[item_id], name="Badge", valid_days=1)
    assert verify_badge(ic.text).valid
    later = datetime.now(UTC) + timedelta(days=2)
    r = verify_badge(ic.text, now=later)
    assert not r.valid and r.status == "expired"
    earlier = datetime.now(UTC) - timedelta(days=2)
    assert verify_badge(ic.text, now=earlier).status == "not-yet-valid"


def test_revoked_is_detected(store: Store, item_id: str) -> None:
    for proof in ("ldp", "jwt"):
        ic = issue_badge(store, evidence=[item_id], name="Badge", proof=proof)
        revoke_credential(store, ic.record.id, reason="issued in error")
        r = verify_badge(ic.text, status=store_status(store))
        assert not r.valid and r.status == "revoked" and r.revoked


def test_rotation_keeps_old_credentials_verifiable(store: Store, item_id: str) -> None:
    old = issue_badge(store, evidence=[item_id], name="Badge")
    before = default_issuer(store)
    after = rotate_key(store)
    assert after.did != before.did and before.keys[0] in after.keys
    new = issue_badge(store, evidence=[item_id], name="Badge")
    assert json.loads(new.text)["issuer"]["id"] == after.did
    assert verify_badge(old.text).valid and verify_badge(new.text).valid


def test_unknown_context_is_a_clear_error_without_network(store: Store, item_id: str) -> None:
    cred = json.loads(issue_badge(store, evidence=[item_id], name="Badge").text)
    cred["@context"].append("https://example.org/evil-context.jsonld")
    r = verify_badge(json.dumps(cred))
    assert not r.valid
    assert any("unknown JSON-LD context" in c.message for c in r.checks)
    with pytest.raises(InputError, match="unknown JSON-LD context"):
        canonicalize({"@context": "https://example.org/ctx", "name": "x"})


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[]",
        json.dumps({"@context": [{"name": {"@id": 5}}], "name": "x"}),
        json.dumps(
            {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiableCredential"}
        ),
    ],
)
def test_malformed_input_gives_a_report_not_a_traceback(text: str) -> None:
    r = verify_badge(text)
    assert not r.valid and r.error_count >= 1


def test_malformed_jsonld_raises_input_error() -> None:
    with pytest.raises(InputError, match="JSON-LD"):
        canonicalize({"@context": {"name": {"@id": 5}}, "name": "x"})
