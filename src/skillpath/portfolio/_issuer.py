"""Issuer profiles and their keys: create, pick the signing key, rotate (decision 0052)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from skillpath.errors import InputError, NotFoundError
from skillpath.portfolio._evidence import now_iso
from skillpath.portfolio._keys import KeyPair, generate_key, load_key_file
from skillpath.portfolio._sealed import current_secret, is_sealed, seal, unseal
from skillpath.store import Store
from skillpath.store.models.portfolio import IssuerRow, KeyRow

__all__ = [
    "IssuerProfile",
    "create_issuer",
    "default_issuer",
    "known_key",
    "rotate_key",
    "signing_key",
]

DEFAULT_ISSUER_NAME = "Skillpath local issuer"
log = logging.getLogger("skillpath.portfolio.keys")


@dataclass(frozen=True)
class IssuerProfile:
    """A local issuer.

    Attributes:
        id: stable local id (``urn:uuid:...``).
        did: the DID credentials are issued under now (the ``did:key`` of the active key).
        keys: verification method ids, active first, then retired ones (newest first).
    """

    id: str
    name: str
    did: str
    keys: tuple[str, ...]
    url: str | None = None
    email: str | None = None

    def profile_json(self) -> dict[str, object]:
        """The OB 3.0 ``Profile`` object embedded as a credential's ``issuer``."""
        out: dict[str, object] = {"id": self.did, "type": ["Profile"], "name": self.name}
        if self.url:
            out["url"] = self.url
        if self.email:
            out["email"] = self.email
        return out


def _profile(s, row: IssuerRow) -> IssuerProfile:
    keys = list(s.scalars(select(KeyRow).where(KeyRow.issuer_id == row.id)))
    active = [k for k in keys if k.retired_at is None]
    if not active:
        raise InputError("issuer has no active key: rotate to create one", value=row.id)
    retired = sorted(
        (k for k in keys if k.retired_at is not None),
        key=lambda k: k.retired_at or "",
        reverse=True,
    )
    return IssuerProfile(
        id=row.id,
        name=row.name,
        did=active[0].controller,
        keys=tuple(k.id for k in [active[0], *retired]),
        url=row.url,
        email=row.email,
    )


def _key_row(issuer_id: str, key: KeyPair, key_file: Path | None) -> KeyRow:
    return KeyRow(
        id=key.method_id,
        issuer_id=issuer_id,
        controller=key.did,
        public_multibase=key.public_multibase,
        private_pem=None if key_file else seal(key),  # encrypted at rest (decision 0082)
        key_file=str(key_file) if key_file else None,
        created_at=now_iso(),
        retired_at=None,
    )


def create_issuer(
    store: Store,
    *,
    name: str,
    url: str | None = None,
    email: str | None = None,
    key_file: str | Path | None = None,
    default: bool = False,
) -> IssuerProfile:
    """Create an issuer profile with a fresh key kept in the store, or with the key in ``key_file``.

    Raises:
        InputError: empty name, or an unreadable key file.
    """
    if not name.strip():
        raise InputError("issuer name cannot be empty", column="name")
    kf = Path(key_file).resolve() if key_file else None
    key = load_key_file(kf) if kf else generate_key()
    iid = f"urn:uuid:{uuid.uuid4()}"
    with store.session() as s:
        if default:
            for r in s.scalars(select(IssuerRow).where(IssuerRow.is_default == 1)):
                r.is_default = 0
        row = IssuerRow(
            id=iid,
            name=name.strip(),
            url=url,
            email=email,
            created_at=now_iso(),
            is_default=int(default),
        )
        s.add(row)
        s.flush()
        s.add(_key_row(iid, key, kf))
        s.flush()
        return _profile(s, row)


def default_issuer(store: Store, *, create: bool = True) -> IssuerProfile:
    """The default local issuer, created (with a new key in the store) on first use.

    Raises:
        NotFoundError: there is none and ``create`` is False.
    """
    with store.session() as s:
        row = s.scalars(
            select(IssuerRow).order_by(IssuerRow.is_default.desc(), IssuerRow.created_at)
        ).first()
        if row is not None:
            return _profile(s, row)
    if not create:
        raise NotFoundError(
            "no local issuer yet: issue a badge or run `skillpath badge issuer create`"
        )
    return create_issuer(store, name=DEFAULT_ISSUER_NAME, default=True)


def _load(row: KeyRow) -> KeyPair:
    """The key of ``row``; a key stored unencrypted, or sealed under a secret that is no longer
    the current one, is (re-)sealed in place, inside the caller's transaction."""
    if row.private_pem:
        key, reseal = unseal(row.private_pem, row.id)
        if reseal:
            was_plain = not is_sealed(row.private_pem)
            secret = current_secret()
            row.private_pem = seal(key, secret)
            log.warning(
                "the private key of %s was %s; it is now encrypted with %s",
                row.controller,
                "stored unencrypted (a store from before keys were encrypted)"
                if was_plain
                else "sealed under another secret",
                secret.where,
            )
        return key
    if row.key_file:
        key = load_key_file(row.key_file)
        if key.method_id != row.id:
            raise InputError("the key file no longer holds this issuer's key", file=row.key_file)
        return key
    return KeyPair.from_did(row.controller)


def signing_key(store: Store, issuer: IssuerProfile) -> KeyPair:
    """The active private key of ``issuer``.

    Raises:
        InputError: the key is verify-only (exported without ``--include-keys``) or its file is gone.
    """
    with store.session() as s:
        row = s.get(KeyRow, issuer.keys[0])
        if row is None:
            raise NotFoundError("issuer key not found", value=issuer.keys[0])
        key = _load(row)
    if key.private is None:
        raise InputError(
            "this issuer's private key is not in this store (imported without --include-keys): rotate the key "
            "or import with keys",
            value=issuer.did,
        )
    return key


def rotate_key(
    store: Store, issuer_id: str | None = None, *, key_file: str | Path | None = None
) -> IssuerProfile:
    """Retire the issuer's active key and make a new one active. Old keys stay, to verify old credentials.

    Raises:
        NotFoundError: no such issuer.
    """
    issuer = default_issuer(store) if issuer_id is None else None
    iid = issuer.id if issuer else issuer_id
    kf = Path(key_file).resolve() if key_file else None
    key = load_key_file(kf) if kf else generate_key()
    with store.session() as s:
        row = s.get(IssuerRow, iid)
        if row is None:
            raise NotFoundError("no such issuer", value=iid)
        now = now_iso()
        for k in s.scalars(
            select(KeyRow).where(KeyRow.issuer_id == iid, KeyRow.retired_at.is_(None))
        ):
            k.retired_at = now
        if s.get(KeyRow, key.method_id) is not None:
            raise InputError(
                "this key was already used by an issuer; give a new key", value=key.did
            )
        s.add(_key_row(row.id, key, kf))
        s.flush()
        return _profile(s, row)


def known_key(store: Store, method_id: str) -> tuple[str, str | None] | None:
    """``(issuer name, retired_at)`` when ``method_id`` is one of this store's issuer keys, else None."""
    with store.session() as s:
        k = s.get(KeyRow, method_id)
        if k is None:
            return None
        issuer = s.get(IssuerRow, k.issuer_id)
        return (issuer.name if issuer else "", k.retired_at)
