"""Evidence, attachments, integrity, OB 2.0 baked badges, zip/xAPI portability, the public site."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillpath.errors import InputError, IntegrityError
from skillpath.portfolio import (
    BLOOM_STAGES,
    AttachmentPolicy,
    BlobStore,
    SkillClaim,
    add_evidence,
    bake_png,
    bake_svg,
    build_site,
    evaluate_stack,
    evidence_weight,
    export_json_resume,
    export_xapi,
    export_zip,
    import_xapi,
    import_zip,
    integrity_flags,
    issue_badge,
    load_portfolio,
    share_item,
    snapshot,
    verify_badge,
)
from skillpath.portfolio._stacking import StackRule
from skillpath.store import Store, open_store

from .conftest import make_png


def test_add_with_attachment_is_content_addressed(store: Store, png_file: Path) -> None:
    a = add_evidence(store, kind="artefact", title="A", skills=["SQL"], files=[png_file])
    b = add_evidence(store, kind="artefact", title="B", files=[png_file])
    sha = hashlib.sha256(png_file.read_bytes()).hexdigest()
    assert a.attachments == b.attachments == (sha,)
    assert BlobStore().read(sha) == png_file.read_bytes()
    assert a.skills[0].label == "SQL"  # no taxonomy imported: free text kept


def test_bad_attachments_are_refused_and_nothing_is_stored(store: Store, tmp_path: Path) -> None:
    fake = tmp_path / "photo.png"
    fake.write_text("I am not a PNG")
    big = tmp_path / "big.txt"
    big.write_text("x" * 2000)
    with pytest.raises(InputError, match="name says image/png"):
        add_evidence(store, kind="artefact", title="T", files=[fake])
    with pytest.raises(InputError, match="limit"):
        add_evidence(
            store,
            kind="artefact",
            title="T",
            files=[big],
            blobs=BlobStore(policy=AttachmentPolicy(max_bytes=1000)),
        )
    assert load_portfolio(store).items == ()


def test_share_and_visibility(store: Store) -> None:
    it = add_evidence(store, kind="feedback", title="Review", skills=["Writing"])
    it = share_item(store, it.id, add=["ana@example.org"])
    assert it.visibility == "shared" and it.shared_with == ("ana@example.org",)
    it = share_item(store, it.id, remove=["ana@example.org"])
    assert it.visibility == "private"
    with pytest.raises(InputError):
        add_evidence(store, kind="artefact", title="T", visibility="shared")


def test_weights_order_and_flags(store: Store) -> None:
    comp = add_evidence(store, kind="completion", title="Course")
    assessed = add_evidence(
        store,
        kind="assessment",
        title="Exam",
        skills=[SkillClaim("SQL", bloom="apply")],
        meta={"score": 8, "max_score": 10},
    )
    created = add_evidence(
        store,
        kind="artefact",
        title="App",
        skills=[SkillClaim("SQL", bloom="create")],
        meta={"reviewed_by": "mentor"},
    )
    assert evidence_weight(comp) < evidence_weight(assessed) < evidence_weight(created)
    for n in range(15):
        add_evidence(
            store,
            kind="completion",
            title=f"Quick {n}",
            occurred_at=f"2025-01-01T0{n // 3}:{n:02d}:00Z",
        )
    add_evidence(store, kind="credential", title="Shiny badge")
    codes = {f.code for f in integrity_flags(load_portfolio(store))}
    assert {"completion_burst", "badge_without_evidence"} <= codes


def _ob2_assertion(badge_name: str = "Teamwork") -> dict:
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://example.org/a/1",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": "s1",
            "identity": "sha256$" + hashlib.sha256(b"learner@example.orgs1").hexdigest(),
        },
        "badge": {
            "type": "BadgeClass",
            "id": "https://example.org/b/1",
            "name": badge_name,
            "description": "Works in teams",
            "image": "https://example.org/b/1.png",
            "criteria": {"narrative": "Did it"},
            "issuer": {"id": "https://example.org/i", "type": "Profile", "name": "Org"},
        },
        "issuedOn": "2024-03-01T00:00:00Z",
        "verification": {"type": "hosted"},
    }


def test_ob2_baked_png_and_svg() -> None:
    a = _ob2_assertion()
    png = bake_png(make_png(), json.dumps(a))
    r = verify_badge(png, recipient="learner@example.org")
    assert r.container == "png" and r.format == "ob2-hosted" and r.name == "Teamwork"
    # a hosted assertion is verified by fetching it from its issuer: offline it is never "valid"
    assert not r.valid and r.outcome == "unchecked" and r.exit_code == 3 and r.error_count == 0
    assert any(c.name == "hosted" and c.level == "unchecked" for c in r.checks)
    svg = bake_svg(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>',
        json.dumps(a),
    )
    r = verify_badge(svg.encode())
    assert r.outcome == "unchecked" and r.container == "svg" and r.name == "Teamwork"
    assert verify_badge(png, recipient="someone@else.org").outcome == "invalid"
    expired = {**a, "expires": "2024-04-01T00:00:00Z"}
    assert verify_badge(bake_png(make_png(), json.dumps(expired))).status == "expired"
    assert verify_badge(json.dumps({**a, "revoked": True})).status == "revoked"
    assert verify_badge(make_png()).outcome == "unreadable"  # no baked badge


def test_ob2_signed_assertion_rs256() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from joserfc import jws
    from joserfc.jwk import RSAKey

    priv = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = priv.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    a = {
        **_ob2_assertion(),
        "verification": {"type": "SignedBadge", "creator": "https://example.org/key"},
    }
    key = RSAKey.import_key(
        priv.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    token = jws.serialize_compact({"alg": "RS256"}, json.dumps(a).encode(), key)
    assert verify_badge(token, public_key_pem=pem).valid
    assert not verify_badge(token).valid  # no key offline: a clear error
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    assert not verify_badge(
        token,
        public_key_pem=other.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    ).valid


def test_export_import_roundtrip_and_keys(store: Store, png_file: Path, tmp_path: Path) -> None:
    it = add_evidence(
        store, kind="artefact", title="Dash", skills=["SQL"], files=[png_file], visibility="public"
    )
    ic = issue_badge(store, evidence=[it.id], name="Badge")
    z = export_zip(store, tmp_path / "p.zip")
    other = open_store(f"sqlite:///{tmp_path / 'other.db'}")
    import_zip(other, z)
    assert snapshot(other, include_keys=False) == snapshot(store, include_keys=False)
    assert all(k["private_pem"] is None for k in snapshot(other)["keys.json"])
    assert verify_badge(ic.text).valid
    import_zip(other, z)  # idempotent
    z2 = export_zip(store, tmp_path / "k.zip", include_keys=True)
    third = open_store(f"sqlite:///{tmp_path / 'third.db'}")
    import_zip(third, z2)
    assert snapshot(third) == snapshot(store)


def test_zip_with_path_traversal_or_bad_hash_imports_nothing(store: Store, tmp_path: Path) -> None:
    add_evidence(store, kind="completion", title="C")
    good = export_zip(store, tmp_path / "good.zip")
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("../../evil.txt", "x")
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    with pytest.raises(InputError, match="unsafe path"):
        import_zip(fresh, bad)
    assert load_portfolio(fresh).items == ()
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "items.json":
                rows = json.loads(data)
                rows.append({**rows[0], "id": "x2", "kind": "nonsense"})
                data = json.dumps(rows).encode()
            dst.writestr(info, data)
    with pytest.raises(InputError, match="unknown kind"):
        import_zip(fresh, tampered)
    assert load_portfolio(fresh).items == ()
    # a change that is well-formed is caught by the manifest's per-file hashes
    edited = tmp_path / "edited.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(edited, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "items.json":
                rows = json.loads(data)
                rows[0]["title"] = "Changed"
                data = json.dumps(rows).encode()
            dst.writestr(info, data)
    with pytest.raises(IntegrityError, match=r"items\.json does not match its sha256"):
        import_zip(fresh, edited)
    assert load_portfolio(fresh).items == ()
    # an archive whose manifest has no hashes (older exports) imports, with a warning
    old = tmp_path / "old.zip"
    with zipfile.ZipFile(edited) as src, zipfile.ZipFile(old, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "manifest.json":
                m = json.loads(data)
                del m["files"]
                data = json.dumps(m).encode()
            dst.writestr(info, data)
    summary = import_zip(fresh, old)
    assert any("no per-file hashes" in w for w in summary.warnings)
    assert [i.title for i in load_portfolio(fresh).items] == ["Changed"]


def test_xapi_roundtrip_and_json_resume(store: Store, tmp_path: Path) -> None:
    add_evidence(
        store,
        kind="assessment",
        title="Exam",
        skills=[SkillClaim("SQL", level=3.5, bloom="apply")],
        meta={"score": 7, "max_score": 10, "passed": True},
        visibility="public",
    )
    add_evidence(store, kind="artefact", title="App", url="https://example.org/app")
    statements = export_xapi(store, actor_email="me@example.org")
    other = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    assert len(import_xapi(other, statements)) == 2
    mine = {i.id: i for i in load_portfolio(store).items}
    for it in load_portfolio(other).items:
        src = mine[it.id]
        assert (it.kind, it.title, it.skills, it.occurred_at, it.url) == (
            src.kind,
            src.title,
            src.skills,
            src.occurred_at,
            src.url,
        )
    resume = export_json_resume(store, name="Me")
    assert resume["skills"][0]["name"] == "SQL" and resume["projects"][0]["name"] == "App"


def test_stacking_needs_backed_credentials(store: Store) -> None:
    strong = add_evidence(
        store,
        kind="artefact",
        title="Model",
        skills=[SkillClaim("Python", bloom="create")],
        meta={"reviewed_by": "m"},
    )
    weak = add_evidence(store, kind="completion", title="Course", skills=["SQL"])
    issue_badge(store, evidence=[strong.id], name="Python I")
    issue_badge(store, evidence=[weak.id], name="SQL basics")
    rule = StackRule(
        name="Data Analyst",
        requires=({"achievement": "Python I"}, {"skill": "sql"}),
        min_evidence_weight=0.4,
    )
    res = evaluate_stack(rule, load_portfolio(store))
    assert not res.satisfied and len(res.matched) == 1 and "not backed" in res.missing[0]
    rule2 = StackRule(name="Data Analyst", requires=rule.requires, min_evidence_weight=0.2)
    assert evaluate_stack(rule2, load_portfolio(store)).satisfied


def test_site_has_only_public_items(store: Store, png_file: Path, tmp_path: Path) -> None:
    pub = add_evidence(
        store, kind="artefact", title="Public work", files=[png_file], visibility="public"
    )
    add_evidence(store, kind="artefact", title="Secret diary")
    issue_badge(store, evidence=[pub.id], name="Shown badge")
    index = build_site(store, tmp_path / "site")
    html = index.read_text()
    assert "Public work" in html and "Shown badge" in html and "Secret diary" not in html
    assert len(list((tmp_path / "site" / "files").iterdir())) == 1


_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=30,
).filter(str.strip)
_claim = st.builds(
    SkillClaim,
    label=_text.map(str.strip),
    skill_id=st.none() | st.just("onet:2.A.2.b"),
    level=st.none() | st.floats(0, 7, allow_nan=False).map(lambda x: round(x, 2)),
    bloom=st.none() | st.sampled_from(BLOOM_STAGES),
)
_item = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["completion", "assessment", "artefact", "feedback"]),
        "title": _text,
        "skills": st.lists(_claim, max_size=3),
        # no NUL: no store keeps one (PostgreSQL cannot; both refuse it, naming the field)
        "description": st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=50
        ),
        "visibility": st.sampled_from(["private", "public"]),
        "blob": st.none() | st.binary(min_size=1, max_size=64),
        "meta": st.dictionaries(
            st.sampled_from(["score", "note"]), st.integers(0, 100) | _text, max_size=2
        ),
    }
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(items=st.lists(_item, max_size=5), issue=st.booleans())
def test_export_then_import_is_lossless(
    items: list[dict], issue: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    d = tmp_path_factory.mktemp("rt")
    a = open_store(f"sqlite:///{d / 'a.db'}")
    ids = []
    for n, spec in enumerate(items):
        files = []
        if spec["blob"] is not None:
            p = d / f"f{n}.txt"
            p.write_bytes(spec["blob"].hex().encode())
            files.append(p)
        ids.append(
            add_evidence(
                a,
                kind=spec["kind"],
                title=spec["title"],
                skills=spec["skills"],
                description=spec["description"],
                visibility=spec["visibility"],
                files=files,
                meta=spec["meta"],
            ).id
        )
    if issue and ids:
        issue_badge(a, evidence=ids[:2], name="Badge")
    z = export_zip(a, d / "p.zip", include_keys=True)
    b = open_store(f"sqlite:///{d / 'b.db'}")
    import_zip(b, z)
    assert snapshot(b) == snapshot(a)
    assert load_portfolio(b) == load_portfolio(a)


def test_journal_of_a_writer_killed_before_filling_it_is_swept(store: Store) -> None:
    """A writer killed between creating its journal and writing the store URL into it leaves
    an empty ``.inflight-*`` file: it names no blob, so the next writer removes it."""
    blobs = BlobStore()
    blobs.root.mkdir(parents=True, exist_ok=True)
    empty = blobs.root / ".inflight-deadbeef"
    empty.write_text("", encoding="utf-8")
    other = blobs.root / ".inflight-otherstore"
    other.write_text("sqlite:////elsewhere.db\n", encoding="utf-8")
    add_evidence(store, kind="feedback", title="After the crash")
    assert not empty.exists()
    assert other.exists()  # another store's journal is left for that store
