"""Credentials written by other projects (tests/portfolio/fixtures/third_party/README.md).

Valid ones verify, a tampered copy of each (made here) fails, unsupported forms fail naming what
is unsupported, and nothing touches the network.
"""

from __future__ import annotations

import base64
import copy
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from skillpath.portfolio import create_proof, generate_key, load_verification_key, verify_badge
from skillpath.portfolio._keys import KeyPair
from skillpath.portfolio._ldp import hash_data, jcs, verify_proof
from skillpath.portfolio._revocation import load_revocation_list
from skillpath.portfolio._verify import VerificationReport

FIX = Path(__file__).parent / "fixtures" / "third_party"

#: DCC Open Badges 3.0, eddsa-rdfc-2022, did:key, expected to verify.
DCC_VALID = sorted(p.name for p in (FIX / "dcc").glob("valid-*.json"))


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("verification tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


def _verify(
    name: str, *, key: str | None = None, lists: tuple[str, ...] = (), data: bytes | None = None
) -> VerificationReport:
    vkey = load_verification_key((FIX / key).read_bytes(), source=key) if key else None
    return verify_badge(
        data if data is not None else (FIX / name).read_bytes(),
        key=vkey,
        revocation_lists=[load_revocation_list(FIX / lst) for lst in lists],
    )


def _tamper_json(doc: dict) -> dict:
    out = copy.deepcopy(doc)
    ach = out.get("credentialSubject", {}).get("achievement")
    if isinstance(ach, dict) and "name" in ach:
        ach["name"] += " (altered)"
    else:
        out["name"] = str(out.get("name", "")) + " (altered)"
    return out


def _tamper_jwt(token: str) -> str:
    h, p, s = token.strip().split(".")
    payload = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
    payload["issuedOn"] = "2017-01-01T00:00:00Z"
    p2 = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return f"{h}.{p2}.{s}"


@pytest.mark.parametrize("name", DCC_VALID)
def test_dcc_ob3_fixture_verifies_and_a_tampered_copy_fails(name: str) -> None:
    r = _verify(f"dcc/{name}")
    assert r.outcome == "verified", r.problems()
    assert r.exit_code == 0 and r.valid and not r.legacy_context
    doc = json.loads((FIX / "dcc" / name).read_text())
    bad = _verify("", data=json.dumps(_tamper_json(doc)).encode())
    assert bad.outcome == "invalid" and bad.exit_code == 1
    assert any(c.name == "signature" and c.level == "error" for c in bad.checks)


def test_dcc_has_the_expected_count() -> None:
    assert len(DCC_VALID) == 9


def test_1edtech_spec_test_vector_with_its_published_key() -> None:
    name = "1edtech/ob30-spec-test-vector-signed.json"
    # its verification method is an https URL: without the key it cannot be checked offline
    r = _verify(name)
    assert r.outcome == "unchecked" and r.exit_code == 3
    assert any("--key" in m for m in r.problems())
    r = _verify(name, key="1edtech/ob30-spec-test-vector-key.json")
    assert r.outcome == "verified", r.problems()
    doc = json.loads((FIX / name).read_text())
    bad = _verify(
        "",
        key="1edtech/ob30-spec-test-vector-key.json",
        data=json.dumps(_tamper_json(doc)).encode(),
    )
    assert bad.outcome == "invalid"
    # a different key (same id claimed) is a wrong key, not a pass
    other = generate_key()
    kfile = {
        "id": json.loads((FIX / "1edtech/ob30-spec-test-vector-key.json").read_text())["id"],
        "publicKeyMultibase": other.public_multibase,
    }
    vkey = load_verification_key(json.dumps(kfile), source="other.json")
    assert verify_badge((FIX / name).read_bytes(), key=vkey).outcome == "invalid"


def test_1edtech_spec_test_vector_intermediates() -> None:
    """Our canonical forms and hashes equal the spec's published intermediate values."""
    doc = json.loads((FIX / "1edtech/ob30-spec-test-vector-signed.json").read_text())
    proof = {k: v for k, v in doc.pop("proof").items() if k != "proofValue"}
    data = hash_data(doc, {"@context": doc["@context"], **proof})
    assert data.hex() == (
        "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19"
        "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773"
    )


@pytest.mark.parametrize(
    ("token", "key", "revocation_list"),
    [
        ("ob20_simple.jwt", "ob20_key1.json", "ob20_empty-revocation-list.json"),
        ("ob20_simple-not-revoked.jwt", "ob20_key2.json", "ob20_empty-revocation-list.json"),
    ],
)
def test_1edtech_ob2_signed_assertions_verify_and_tampered_fail(
    token: str, key: str, revocation_list: str
) -> None:
    r = _verify(f"1edtech/{token}", key=f"1edtech/{key}", lists=(f"1edtech/{revocation_list}",))
    assert r.outcome == "verified", r.problems()
    # without the revocation list the issuer's list is not fetched: not 0
    r = _verify(f"1edtech/{token}", key=f"1edtech/{key}")
    assert r.outcome == "unchecked"
    assert any("revocation not checked (offline)" in m for m in r.problems())
    bad = _tamper_jwt((FIX / "1edtech" / token).read_text())
    t = _verify("", key=f"1edtech/{key}", lists=(f"1edtech/{revocation_list}",), data=bad.encode())
    assert t.outcome == "invalid"


def test_1edtech_revoked_ob2_assertion_never_exits_0() -> None:
    name = "1edtech/ob20_simple-revoked.jwt"
    r = _verify(name, key="1edtech/ob20_key3.json")
    assert r.exit_code == 3 and any("revocation not checked (offline)" in m for m in r.problems())
    r = _verify(name, key="1edtech/ob20_key3.json", lists=("1edtech/ob20_revocation-list.json",))
    assert r.outcome == "invalid" and r.status == "revoked" and r.revoked
    assert any("A good reason, for sure" in m for m in r.problems())
    # the wrong issuer key is an invalid result
    r = _verify(name, key="1edtech/ob20_key1.json", lists=("1edtech/ob20_revocation-list.json",))
    assert r.outcome == "invalid" and any("wrong key" in m for m in r.problems())
    # no key at all: cannot be checked offline, and it says which key is needed
    r = _verify(name)
    assert r.exit_code == 3 and any("http://example.org/key3.json" in m for m in r.problems())


def test_hosted_ob2_assertion_and_tampered_copy_are_not_verified() -> None:
    name = "1edtech/ob20_basic-assertion.json"
    r = _verify(name)
    assert r.outcome == "unchecked" and any("hosted assertion" in m for m in r.problems())
    doc = json.loads((FIX / name).read_text())
    doc["issuedOn"] = "2020-01-01T00:00:00Z"
    assert _verify("", data=json.dumps(doc).encode()).exit_code != 0


def test_dcc_validity_and_status_fixtures() -> None:
    assert _verify("dcc/invalid-notYetValid.json").status == "not-yet-valid"
    assert _verify("dcc/invalid-expired.json").status == "expired"
    r = _verify("dcc/status-revoked.json")
    assert r.outcome == "unchecked"
    assert any("revocation not checked (offline)" in m for m in r.problems())
    r = _verify("dcc/status-revoked.json", lists=("dcc/statuslist-e5WK8CbZ1GjycuPombrj.json",))
    assert r.outcome == "invalid" and r.status == "revoked"
    # bit 7 of the same list is 0 (invalid-expired.json points there): only bit 8 is revoked
    lst = load_revocation_list(FIX / "dcc/statuslist-e5WK8CbZ1GjycuPombrj.json")
    assert lst.bit(8) and not lst.bit(7)


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("dcc/unsupported-didweb.json", "did:web"),
        ("dcc/unsupported-ed25519signature2020.json", "Ed25519Signature2020"),
        ("w3c/ecdsa-rdfc-2019-p256-signed.json", "ecdsa-rdfc-2019"),
        ("1edtech/ob30_simple.jwt", "RS256"),
    ],
)
def test_unsupported_forms_fail_naming_what_is_unsupported(name: str, named: str) -> None:
    r = _verify(name)
    assert r.exit_code != 0
    assert any(named in c.message and not c.success for c in r.checks), r.problems()


def test_es384_jwt_is_unsupported_and_named() -> None:
    from joserfc import jws
    from joserfc.jwk import ECKey

    cred = json.loads((FIX / "dcc/valid-basicOBv3.json").read_text())
    cred.pop("proof")
    token = jws.serialize_compact(
        {"alg": "ES384", "typ": "vc+jwt"},
        json.dumps(cred).encode(),
        ECKey.generate_key("P-384"),
        algorithms=["ES384"],
    )
    r = verify_badge(token)
    assert r.exit_code == 3 and any("ES384" in m for m in r.problems())


def test_baked_1edtech_svg_reads_and_is_not_passed_without_its_key() -> None:
    r = _verify("1edtech/ob30_simple-json.svg")
    assert r.container == "svg" and r.format == "ob3-ldp" and r.outcome == "unchecked"


def test_eddsa_jcs_2022_w3c_vector_and_tampered() -> None:
    doc = json.loads((FIX / "w3c/eddsa-jcs-2022-signed.json").read_text())
    key = KeyPair.from_did(doc["proof"]["verificationMethod"])
    assert verify_proof(doc, key)
    bad = copy.deepcopy(doc)
    bad["credentialSubject"]["alumniOf"] = "Another School"
    assert not verify_proof(bad, key)
    # through the badge verifier: the signature check passes (it is not an Open Badge, though)
    r = verify_badge(json.dumps(doc))
    assert any(c.name == "signature" and c.success for c in r.checks)
    assert r.outcome == "invalid" and any("OpenBadgeCredential" in m for m in r.problems())


def test_eddsa_jcs_2022_open_badge_roundtrip() -> None:
    cred = json.loads((FIX / "dcc/valid-basicOBv3.json").read_text())
    cred.pop("proof")
    key = generate_key()
    cred["issuer"]["id"] = key.did
    signed = create_proof(cred, key, cryptosuite="eddsa-jcs-2022")
    assert verify_badge(json.dumps(signed)).outcome == "verified"
    assert verify_badge(json.dumps(_tamper_json(signed))).outcome == "invalid"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            {"b": 1, "a": [True, None, 1e21, 1e-7, 0.5, -0.0]},
            '{"a":[true,null,1e+21,1e-7,0.5,0],"b":1}',
        ),
        ({"€": 1, "\r": 2, "ö": 3}, '{"\\r":2,"ö":3,"€":1}'),
        ([333333333.3333333, 1e20, 4.5], "[333333333.3333333,100000000000000000000,4.5]"),
    ],
)
def test_jcs_follows_rfc_8785(value: object, expected: str) -> None:
    assert jcs(value) == expected
