"""Exit codes of the installed ``skillpath`` script for ``badge verify`` / ``badge import`` and the
portfolio zip (docs/portfolio.md): 0 verified, 1 invalid, 2 unreadable, 3 not checkable offline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import make_png

FIX = Path(__file__).parent / "fixtures" / "third_party"
SRC = Path(__file__).resolve().parents[2] / "src"


def _script() -> list[str]:
    exe = shutil.which("skillpath", path=str(Path(sys.executable).parent)) or shutil.which(
        "skillpath"
    )
    if exe is None:
        pytest.skip("the skillpath console script is not installed (pip install -e .)")
    return [exe]


class Cli:
    """Runs the console script against one store and home."""

    def __init__(self, tmp: Path) -> None:
        self.env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "SKILLPATH_DB": str(tmp / "s.db"),
            "SKILLPATH_HOME": str(tmp / "home"),
            "SKILLPATH_CACHE_DIR": str(tmp / "cache"),
        }

    def __call__(self, *args: object) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [*_script(), *map(str, args)],
            capture_output=True,
            text=True,
            timeout=300,
            env=self.env,
        )
        out = proc.stdout + proc.stderr
        assert "Traceback" not in out, out
        assert "[bold" not in out and "[/]" not in out, out  # Rich markup printed literally
        return proc


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def _deep(n: int) -> str:
    return '{"@context": "https://w3id.org/openbadges/v2", "a": ' + "[" * n + "]" * n + "}"


UNREADABLE = {
    "empty.json": b"",
    "blank.json": b"  \n",
    "malformed.json": b'{"@context": ',
    "array.json": b"[]",
    "number.json": b"42",
    "truncated.png": make_png()[:40],
    "no-badge.png": make_png(),
    "bad-base64.jwt": b"eyJhbGciOiJFZERTQSJ9.%%%notbase64%%%.c2ln",
    "bad-b64-payload.jwt": b"eyJhbGciOiJFZERTQSJ9.bm90LWpzb24.c2ln",
    "malformed.svg": b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>",
    "wrong-types.json": json.dumps(
        {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": "did:key:z6Mk",
            "validFrom": "2024-01-01T00:00:00Z",
            "credentialSubject": "not an object",
        }
    ).encode(),
    "wrong-types-ob2.json": json.dumps(
        {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "Assertion",
            "badge": 7,
            "recipient": [],
        }
    ).encode(),
    "deep.json": _deep(10_000).encode(),
    "not-a-badge.json": b'{"hello": "world"}',
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_input_exits_2(cli: Cli, tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    f.write_bytes(UNREADABLE[name])
    proc = cli("badge", "verify", f)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert str(f) in proc.stderr


@pytest.mark.parametrize("name", ["empty.json", "truncated.png", "bad-base64.jwt", "deep.json"])
def test_unreadable_input_is_not_imported_even_with_force(
    cli: Cli, tmp_path: Path, name: str
) -> None:
    f = tmp_path / name
    f.write_bytes(UNREADABLE[name])
    for extra in ([], ["--force"]):
        proc = cli("badge", "import", f, *extra)
        assert proc.returncode == 2 and str(f) in proc.stderr, proc.stderr
    assert '"kind": "credential"' not in cli("portfolio", "list", "--json").stdout


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["dcc/valid-basicOBv3.json"], 0, "VERIFIED"),
        (["dcc/invalid-expired.json"], 1, "expired"),
        (["dcc/invalid-notYetValid.json"], 1, "not yet valid"),
        (["dcc/status-revoked.json"], 3, "revocation not checked (offline)"),
        (
            [
                "dcc/status-revoked.json",
                "--revocation-list",
                "dcc/statuslist-e5WK8CbZ1GjycuPombrj.json",
            ],
            1,
            "revoked",
        ),
        (["dcc/unsupported-didweb.json"], 3, "did:web"),
        (["1edtech/ob20_simple-revoked.jwt"], 3, "http://example.org/key3.json"),
        (
            ["1edtech/ob20_simple-revoked.jwt", "--key", "1edtech/ob20_key3.json"],
            3,
            "revocation not checked (offline)",
        ),
        (
            [
                "1edtech/ob20_simple-revoked.jwt",
                "--key",
                "1edtech/ob20_key3.json",
                "--revocation-list",
                "1edtech/ob20_revocation-list.json",
            ],
            1,
            "A good reason, for sure",
        ),
        (["1edtech/ob20_simple-revoked.jwt", "--key", "1edtech/ob20_key1.json"], 1, "wrong key"),
        (["1edtech/ob20_basic-assertion.json"], 3, "hosted assertion"),
        (
            [
                "1edtech/ob30-spec-test-vector-signed.json",
                "--key",
                "1edtech/ob30-spec-test-vector-key.json",
            ],
            0,
            "VERIFIED",
        ),
    ],
)
def test_verify_exit_codes_on_third_party_credentials(
    cli: Cli, args: list[str], code: int, says: str
) -> None:
    argv = [str(FIX / a) if a.endswith((".json", ".jwt")) else a for a in args]
    proc = cli("badge", "verify", *argv)
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert says in proc.stdout + proc.stderr


def test_tampered_copies_exit_1_and_tampered_hosted_never_0(cli: Cli, tmp_path: Path) -> None:
    doc = json.loads((FIX / "dcc/valid-basicOBv3.json").read_text())
    doc["credentialSubject"]["achievement"]["name"] = "Something else"
    (tmp_path / "t.json").write_text(json.dumps(doc))
    assert cli("badge", "verify", tmp_path / "t.json").returncode == 1
    hosted = json.loads((FIX / "1edtech/ob20_basic-assertion.json").read_text())
    hosted["recipient"]["identity"] = "sha256$" + "0" * 64
    (tmp_path / "h.json").write_text(json.dumps(hosted))
    assert cli("badge", "verify", tmp_path / "h.json").returncode == 3


def test_json_report_has_outcome_and_keeps_old_fields(cli: Cli) -> None:
    proc = cli("badge", "verify", FIX / "1edtech/ob20_basic-assertion.json", "--json")
    assert proc.returncode == 3
    d = json.loads(proc.stdout)
    assert d["valid"] is False and d["outcome"] == "unchecked" and d["exitCode"] == 3
    assert {"status", "format", "container", "errorCount", "warningCount", "checks"} <= set(d)


def test_revocation_list_is_cached_for_next_time(cli: Cli) -> None:
    cred = FIX / "dcc/status-revoked.json"
    lst = FIX / "dcc/statuslist-e5WK8CbZ1GjycuPombrj.json"
    assert cli("badge", "verify", cred).returncode == 3
    assert cli("badge", "verify", cred, "--revocation-list", lst).returncode == 1
    proc = cli("badge", "verify", cred)
    assert proc.returncode == 1 and "cached" in proc.stdout


def test_import_stores_only_what_verified_and_unverified_never_counts(
    cli: Cli, tmp_path: Path
) -> None:
    hosted = FIX / "1edtech/ob20_basic-assertion.json"
    proc = cli("badge", "import", hosted)
    assert proc.returncode == 3 and "--force" in proc.stderr
    assert '"kind": "credential"' not in cli("portfolio", "list", "--json").stdout
    proc = cli("badge", "import", hosted, "--force")
    assert proc.returncode == 0 and "kept unverified" in proc.stderr
    forced_item = proc.stdout.strip()
    items = json.loads(cli("portfolio", "list", "--json").stdout)["items"]
    (it,) = [i for i in items if i["id"] == forced_item]
    assert it["meta"]["verification"] == "unchecked"
    ok = cli("badge", "import", FIX / "dcc/valid-basicOBv3.json")
    assert ok.returncode == 0
    # a stacking rule the forced credential would meet is not met: it never verified
    rule = tmp_path / "rule.json"
    rule.write_text(
        json.dumps(
            {
                "name": "Robotics+",
                "requires": [{"achievement": "https://example.org/robotics-badge.json"}],
                "min_evidence_weight": 0.0,
            }
        )
    )
    proc = cli("badge", "stack", rule)
    assert proc.returncode == 1 and "not counted" in proc.stdout
    # nor can the local issuer sign a new badge from it
    proc = cli(
        "badge",
        "issue",
        "--evidence",
        forced_item,
        "--name",
        "From hosted",
        "--out",
        tmp_path / "o.json",
    )
    assert proc.returncode == 2 and "only verified credentials back a badge" in proc.stderr
    proc = cli(
        "badge",
        "issue",
        "--evidence",
        ok.stdout.strip(),
        "--name",
        "From DCC",
        "--out",
        tmp_path / "o.json",
    )
    assert proc.returncode == 0, proc.stderr


def _rewrite(src: Path, dst: Path, name: str, edit, *, fix_hash: bool) -> None:
    import hashlib

    with zipfile.ZipFile(src) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    entries[name] = edit(entries[name])
    if fix_hash:
        m = json.loads(entries["manifest.json"])
        m["files"][name] = hashlib.sha256(entries[name]).hexdigest()
        entries["manifest.json"] = json.dumps(m).encode()
    with zipfile.ZipFile(dst, "w") as z:
        for n, b in entries.items():
            z.writestr(n, b)


def test_portfolio_zip_hashes_and_reverification(cli: Cli, tmp_path: Path) -> None:
    item = cli(
        "portfolio", "add", "--kind", "artefact", "--title", "Dash", "--skill", "SQL"
    ).stdout.strip()
    assert (
        cli(
            "badge",
            "issue",
            "--evidence",
            item,
            "--name",
            "Dash badge",
            "--out",
            tmp_path / "b.json",
        ).returncode
        == 0
    )
    assert cli("portfolio", "export", tmp_path / "p.zip").returncode == 0
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        files = json.loads(z.read("manifest.json"))["files"]
    assert {"items.json", "credentials.json"} <= set(files)

    def alter(b: bytes) -> bytes:
        rows = json.loads(b)
        rows[0]["raw"] = rows[0]["raw"].replace("Dash badge", "Dash badge (gold)")
        return json.dumps(rows).encode()

    _rewrite(tmp_path / "p.zip", tmp_path / "t1.zip", "credentials.json", alter, fix_hash=False)
    _rewrite(tmp_path / "p.zip", tmp_path / "t2.zip", "credentials.json", alter, fix_hash=True)
    fresh = Cli(tmp_path / "fresh")
    proc = fresh("portfolio", "import", tmp_path / "t1.zip")
    assert proc.returncode == 1 and "does not match its sha256" in proc.stderr
    proc = fresh(
        "portfolio", "import", tmp_path / "t2.zip"
    )  # hashes rewritten too: re-verification catches it
    assert proc.returncode == 1 and "does not verify" in proc.stderr
    assert json.loads(fresh("portfolio", "list", "--json").stdout)["items"] == []
    assert fresh("portfolio", "import", tmp_path / "p.zip").returncode == 0
    assert fresh("portfolio", "import", tmp_path / "nope.zip").returncode == 2


def test_legacy_badge_verifies_with_a_note_and_reissue_fixes_it(cli: Cli, tmp_path: Path) -> None:
    """A badge signed with the pre-release context (what Skillpath issued before) still verifies."""
    item = cli(
        "portfolio", "add", "--kind", "artefact", "--title", "Old", "--skill", "SQL"
    ).stdout.strip()
    out = tmp_path / "b.json"
    assert (
        cli("badge", "issue", "--evidence", item, "--name", "Old badge", "--out", out).returncode
        == 0
    )
    # re-sign the stored credential exactly as the old release did (legacy context), in place
    code = f"""
import json, sys
from skillpath.store import open_store
from skillpath.portfolio._issuer import default_issuer, signing_key
from skillpath.portfolio._keys import multibase_encode
from skillpath.portfolio._ldp import hash_data
from skillpath.store.models.portfolio import CredentialRow
store = open_store()
key = signing_key(store, default_issuer(store))
cred = json.loads(open({str(out)!r}).read())
proof = {{k: v for k, v in cred.pop("proof").items() if k != "proofValue"}}
proof["proofValue"] = multibase_encode(key.sign(hash_data(cred, {{"@context": cred["@context"], **proof}}, legacy=True)))
cred["proof"] = proof
text = json.dumps(cred)
open({str(out)!r}, "w").write(text)
with store.session() as s:
    s.get(CredentialRow, cred["id"]).raw = text
print(cred["id"])
"""
    cid = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=cli.env, check=True
    ).stdout.strip()
    proc = cli("badge", "verify", out, "--json")
    d = json.loads(proc.stdout)
    assert proc.returncode == 0 and d["legacyContext"] is True
    assert any(
        "issued with a pre-release context, re-issue with `badge reissue`" in c["message"]
        for c in d["checks"]
    )
    proc = cli("badge", "reissue", "--all")
    assert proc.returncode == 0 and cid in proc.stdout
    assert cli("badge", "reissue", cid, "--out", tmp_path / "new.json").returncode == 0
    proc = cli("badge", "verify", tmp_path / "new.json", "--json")
    d = json.loads(proc.stdout)
    assert proc.returncode == 0 and d["legacyContext"] is False and d["credentialId"] == cid
    assert cli("badge", "reissue", "urn:uuid:nope").returncode == 2
