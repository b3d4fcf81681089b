"""Signing and verification speed of Open Badges 3.0 credentials (credentials per second).

Usage: python bench/credentials.py [--n 200]
Measures eddsa-rdfc-2022 (JSON-LD canonicalisation + Ed25519) and VC-JOSE (JWS Ed25519),
signing and full verification (``verify_badge``: structure, JSON-LD, signature, validity).
"""

from __future__ import annotations

import argparse
import time
import uuid

from skillpath.portfolio import (
    EvidenceItem,
    IssuerProfile,
    SkillClaim,
    build_credential,
    create_proof,
    generate_key,
    sign_jwt,
    verify_badge,
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    n = ap.parse_args().n
    key = generate_key()
    issuer = IssuerProfile(
        id="urn:uuid:bench", name="Bench issuer", did=key.did, keys=(key.method_id,)
    )
    item = EvidenceItem(
        id=str(uuid.uuid4()),
        kind="artefact",
        title="Dashboard",
        occurred_at="2025-01-01T00:00:00Z",
        created_at="2025-01-01T00:00:00Z",
        skills=(SkillClaim("SQL", bloom="create"), SkillClaim("Python")),
    )
    creds = [
        build_credential(name=f"Badge {i}", issuer=issuer, items=[item], recipient="did:example:x")
        for i in range(n)
    ]
    rows = []
    for form in ("ldp", "jwt"):
        t = time.perf_counter()
        signed = [create_proof(c, key) if form == "ldp" else sign_jwt(c, key) for c in creds]
        sign_s = time.perf_counter() - t
        import json

        texts = [json.dumps(s) if form == "ldp" else s for s in signed]
        t = time.perf_counter()
        ok = sum(verify_badge(x).valid for x in texts)
        ver_s = time.perf_counter() - t
        assert ok == n
        rows.append((form, n / sign_s, n / ver_s))
    print(f"| proof | sign (credentials/s) | verify (credentials/s) |  n={n}")
    print("|---|---:|---:|")
    for form, s, v in rows:
        print(
            f"| {'Data Integrity eddsa-rdfc-2022' if form == 'ldp' else 'VC-JOSE JWT (Ed25519)'} | {s:,.0f} | {v:,.0f} |"
        )


if __name__ == "__main__":
    main()
