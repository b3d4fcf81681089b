"""Issue 11, security: the private signing key is never readable by other users, is encrypted at
rest with a secret the user controls, and old unencrypted keys keep working (sealed on first use)."""

from __future__ import annotations

import logging
import os
import stat
import zipfile
from pathlib import Path

import pytest

from skillpath.errors import InputError
from skillpath.portfolio import (
    add_evidence,
    export_zip,
    generate_key,
    import_zip,
    issue_badge,
    load_key_file,
    save_key_file,
    verify_badge,
)
from skillpath.portfolio._sealed import PASSPHRASE_ENV, is_sealed
from skillpath.store import Store, close_all, open_store
from skillpath.store.models.portfolio import KeyRow


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.fixture
def loose_umask():  # type: ignore[no-untyped-def]
    """A umask that lets group/other read what is created without an explicit mode."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def no_chmod(monkeypatch: pytest.MonkeyPatch) -> None:
    """Permissions must be right at creation: chmod afterwards leaves a window, so it is disabled."""
    monkeypatch.setattr(Path, "chmod", lambda self, mode: None)
    monkeypatch.setattr(os, "chmod", lambda *a, **k: None)


def _keys(store: Store) -> list[KeyRow]:
    with store.session() as s:
        return list(s.query(KeyRow))


def test_default_home_and_database_are_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loose_umask: None, no_chmod: None
) -> None:
    home = tmp_path / "fresh" / "skillpath"
    monkeypatch.setenv("SKILLPATH_HOME", str(home))
    store = open_store()
    add_evidence(store, kind="completion", title="C")
    assert _mode(home) == 0o700
    db = home / "skillpath.db"
    assert _mode(db) == 0o600
    for extra in (home / "skillpath.db-wal", home / "skillpath.db-shm"):
        if extra.exists():
            assert _mode(extra) & 0o077 == 0, extra
    close_all()


def test_existing_loose_home_and_database_are_tightened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loose_umask: None
) -> None:
    home = tmp_path / "old"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    open_store(f"sqlite:///{home / 'skillpath.db'}")
    close_all()
    (home / "skillpath.db").chmod(0o644)
    monkeypatch.setenv("SKILLPATH_HOME", str(home))
    open_store()
    assert _mode(home) == 0o700 and _mode(home / "skillpath.db") == 0o600
    close_all()


def test_private_key_is_encrypted_in_the_database(store: Store, tmp_path: Path) -> None:
    it = add_evidence(store, kind="artefact", title="A")
    ic = issue_badge(store, evidence=[it.id], name="B")
    (row,) = _keys(store)
    assert row.private_pem and is_sealed(row.private_pem)
    assert "PRIVATE KEY" not in row.private_pem
    if store.url.startswith("sqlite"):
        raw = Path(store.url.split("///", 1)[1]).read_bytes()
        assert b"PRIVATE KEY" not in raw
    assert verify_badge(ic.text).valid


def test_unencrypted_key_from_an_old_store_is_sealed_on_first_use(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    it = add_evidence(store, kind="artefact", title="A")
    issue_badge(store, evidence=[it.id], name="first")
    key = generate_key()
    with store.session() as s:
        (row,) = s.query(KeyRow).all()
        row.retired_at = "2024-01-01T00:00:00Z"
        s.add(
            KeyRow(
                id=key.method_id,
                issuer_id=row.issuer_id,
                controller=key.did,
                public_multibase=key.public_multibase,
                private_pem=key.private_pem(),  # how stores before sealing held it
                key_file=None,
                created_at="2024-01-02T00:00:00Z",
                retired_at=None,
            )
        )
    with caplog.at_level(logging.WARNING, logger="skillpath.portfolio.keys"):
        ic = issue_badge(store, evidence=[it.id], name="second")
    assert key.did in ic.text and verify_badge(ic.text).valid
    with store.session() as s:
        stored = s.get(KeyRow, key.method_id)
        assert stored is not None and is_sealed(stored.private_pem)
    assert any("stored unencrypted" in r.getMessage() for r in caplog.records)


def test_passphrase_seals_and_is_needed_to_sign(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "correct horse battery staple")
    it = add_evidence(store, kind="artefact", title="A")
    issue_badge(store, evidence=[it.id], name="B")
    (row,) = _keys(store)
    assert '"scrypt"' in (row.private_pem or "")
    monkeypatch.setenv(PASSPHRASE_ENV, "wrong")
    with pytest.raises(InputError, match=PASSPHRASE_ENV):
        issue_badge(store, evidence=[it.id], name="C")
    monkeypatch.delenv(PASSPHRASE_ENV)
    with pytest.raises(InputError, match="passphrase"):
        issue_badge(store, evidence=[it.id], name="C")


def test_setting_a_passphrase_later_reseals_the_key(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    it = add_evidence(store, kind="artefact", title="A")
    issue_badge(store, evidence=[it.id], name="B")  # sealed with the generated secret file
    assert '"hkdf-sha256"' in (_keys(store)[0].private_pem or "")
    monkeypatch.setenv(PASSPHRASE_ENV, "my passphrase")
    issue_badge(store, evidence=[it.id], name="C")
    assert '"scrypt"' in (_keys(store)[0].private_pem or "")


def test_export_with_keys_is_owner_only_and_sealed(
    store: Store, tmp_path: Path, loose_umask: None, no_chmod: None
) -> None:
    it = add_evidence(store, kind="artefact", title="A")
    issue_badge(store, evidence=[it.id], name="B")
    z = export_zip(store, tmp_path / "k.zip", include_keys=True)
    assert _mode(z) == 0o600
    with zipfile.ZipFile(z) as zf:
        assert b"PRIVATE KEY" not in zf.read("keys.json")
    assert not list(tmp_path.glob("*.part"))


def test_keys_move_between_machines_with_the_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLPATH_HOME", str(tmp_path / "laptop"))
    a = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    it = add_evidence(a, kind="artefact", title="A")
    issue_badge(a, evidence=[it.id], name="B")
    monkeypatch.setenv(PASSPHRASE_ENV, "travel phrase")
    z = export_zip(a, tmp_path / "k.zip", include_keys=True)  # re-sealed under the passphrase
    monkeypatch.setenv("SKILLPATH_HOME", str(tmp_path / "desktop"))
    monkeypatch.setenv(PASSPHRASE_ENV, "not it")
    b = open_store(f"sqlite:///{tmp_path / 'b.db'}")
    with pytest.raises(InputError, match=r"keys.json.*private_pem"):
        import_zip(b, z)
    assert _keys(b) == []
    monkeypatch.setenv(PASSPHRASE_ENV, "travel phrase")
    import_zip(b, z)
    ic = issue_badge(b, evidence=[it.id], name="C")
    assert verify_badge(ic.text).valid


def test_key_file_is_created_owner_only(tmp_path: Path, loose_umask: None, no_chmod: None) -> None:
    key = generate_key()
    p = save_key_file(key, tmp_path / "keys" / "issuer.pem")
    assert _mode(p) == 0o600
    assert load_key_file(p).did == key.did
    enc = save_key_file(key, tmp_path / "enc.pem", passphrase="pw")
    assert "ENCRYPTED" in enc.read_text() and _mode(enc) == 0o600


class _MemoryKeyring:
    """Stands in for an OS keyring backend (the keyring package's get/set_password interface)."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.items.get((service, user))

    def set_password(self, service: str, user: str, value: str) -> None:
        self.items[(service, user)] = value


def test_os_keyring_holds_the_secret_when_available(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skillpath.config import get_settings
    from skillpath.portfolio import _sealed

    kr = _MemoryKeyring()
    monkeypatch.setattr(_sealed, "_keyring_backend", lambda: kr)
    it = add_evidence(store, kind="artefact", title="A")
    issue_badge(store, evidence=[it.id], name="B")
    assert list(kr.items) == [("skillpath", "signing-key-secret")]
    assert '"secret": "keyring"' in (_keys(store)[0].private_pem or "")
    assert not (get_settings().home / "secrets" / "key-secret").exists()
    monkeypatch.setattr(_sealed, "_keyring_backend", lambda: None)  # keyring gone: clear error
    with pytest.raises(InputError, match="keyring"):
        issue_badge(store, evidence=[it.id], name="C")


def test_attachments_folder_is_owner_only_even_with_a_database_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, png_file: Path, loose_umask: None
) -> None:
    home = tmp_path / "newhome"
    monkeypatch.setenv("SKILLPATH_HOME", str(home))
    store = open_store(f"sqlite:///{tmp_path / 'elsewhere.db'}")
    it = add_evidence(store, kind="artefact", title="A", files=[png_file])
    sha = it.attachments[0]
    blob = home / "attachments" / sha[:2] / sha
    assert blob.is_file() and _mode(blob) == 0o600
    for d in (home, home / "attachments", blob.parent):
        assert _mode(d) == 0o700, d
    close_all()
