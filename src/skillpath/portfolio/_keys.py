"""Ed25519 keys, multibase/multicodec encoding and ``did:key`` identifiers.

A ``did:key`` DID is self-certifying: the public key is the identifier, so a verifier resolves it
offline (decision 0052). Rotation creates a new key (and so a new DID); old keys stay stored,
marked retired, so that credentials signed with them still verify.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from skillpath._safejson import loads_json
from skillpath.errors import InputError

__all__ = [
    "KeyPair",
    "b58decode",
    "b58encode",
    "did_key_from_public",
    "generate_key",
    "load_key_file",
    "multibase_decode",
    "multibase_encode",
    "public_from_did_key",
    "save_key_file",
]

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}
ED25519_PUB_CODEC = b"\xed\x01"  # multicodec varint of 0xed (ed25519-pub)
ED25519_PRIV_CODEC = b"\x80\x26"  # multicodec varint of 0x1300 (ed25519-priv)


def b58encode(data: bytes) -> str:
    """Base58 (Bitcoin alphabet) encoding."""
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(_B58[r])
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    """Base58 (Bitcoin alphabet) decoding; raises :class:`InputError` on bad characters."""
    n = 0
    for c in text:
        if c not in _B58_INDEX:
            raise InputError("not base58btc text", value=text)
        n = n * 58 + _B58_INDEX[c]
    pad = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * pad + body


def multibase_encode(data: bytes) -> str:
    """Multibase base58btc (prefix ``z``)."""
    return "z" + b58encode(data)


def multibase_decode(text: str) -> bytes:
    """Decode a multibase base58btc string (prefix ``z``)."""
    if not text.startswith("z"):
        raise InputError(
            "only multibase base58btc values (prefix 'z') are supported", value=text[:20]
        )
    return b58decode(text[1:])


def _raw_public(pub: Ed25519PublicKey) -> bytes:
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def did_key_from_public(pub: Ed25519PublicKey) -> str:
    """The ``did:key`` DID of an Ed25519 public key."""
    return "did:key:" + multibase_encode(ED25519_PUB_CODEC + _raw_public(pub))


def public_from_did_key(did_or_method: str) -> Ed25519PublicKey:
    """Resolve a ``did:key`` DID or verification method id to the Ed25519 public key (offline).

    Raises:
        InputError: not a ``did:key`` for an Ed25519 key, or the fragment does not match.
    """
    if not did_or_method.startswith("did:key:"):
        raise InputError("only did:key verification methods resolve offline", value=did_or_method)
    did, _, frag = did_or_method.partition("#")
    fp = did[len("did:key:") :]
    if frag and frag != fp:
        raise InputError("did:key fragment does not match the key", value=did_or_method)
    raw = multibase_decode(fp)
    if not raw.startswith(ED25519_PUB_CODEC) or len(raw) != 34:
        raise InputError("did:key is not an Ed25519 public key", value=did_or_method)
    return Ed25519PublicKey.from_public_bytes(raw[2:])


@dataclass(frozen=True)
class KeyPair:
    """An Ed25519 key identified by its ``did:key`` verification method.

    Attributes:
        private: the private key, or None for a verify-only (public) key.
        public: the public key.
    """

    public: Ed25519PublicKey
    private: Ed25519PrivateKey | None = None

    @property
    def did(self) -> str:
        """The controller DID (``did:key:z6Mk...``)."""
        return did_key_from_public(self.public)

    @property
    def method_id(self) -> str:
        """The verification method id (``did:key:z6Mk...#z6Mk...``)."""
        did = self.did
        return f"{did}#{did[len('did:key:') :]}"

    @property
    def public_multibase(self) -> str:
        """The Multikey ``publicKeyMultibase`` value."""
        return multibase_encode(ED25519_PUB_CODEC + _raw_public(self.public))

    def sign(self, data: bytes) -> bytes:
        """Sign ``data``; raises :class:`InputError` for a public-only key."""
        if self.private is None:
            raise InputError(
                "this key has no private part: it can verify but not sign", value=self.did
            )
        return self.private.sign(data)

    def verify(self, signature: bytes, data: bytes) -> bool:
        """True when ``signature`` is a valid Ed25519 signature of ``data``."""
        try:
            self.public.verify(signature, data)
        except InvalidSignature:
            return False
        return True

    def private_pem(self) -> str:
        """PKCS#8 PEM of the private key (unencrypted)."""
        if self.private is None:
            raise InputError("this key has no private part", value=self.did)
        return self.private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    def private_jwk(self) -> dict[str, str]:
        """The private key as an OKP JWK (for joserfc)."""
        if self.private is None:
            raise InputError("this key has no private part", value=self.did)
        d = self.private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return {**self.public_jwk(), "d": _b64u(d)}

    def public_jwk(self) -> dict[str, str]:
        """The public key as an OKP JWK."""
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": _b64u(_raw_public(self.public)),
            "kid": self.method_id,
        }

    @classmethod
    def from_private_pem(cls, pem: str) -> KeyPair:
        """Load from a PKCS#8 PEM; raises :class:`InputError` when it is not an Ed25519 key."""
        try:
            key = serialization.load_pem_private_key(pem.encode(), password=None)
        except (ValueError, TypeError) as exc:
            raise InputError(f"not a readable private key PEM: {exc}") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise InputError("only Ed25519 keys are supported for signing")
        return cls(public=key.public_key(), private=key)

    @classmethod
    def from_did(cls, did: str) -> KeyPair:
        """A public-only key from a ``did:key`` DID or verification method id."""
        return cls(public=public_from_did_key(did))


def _b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def generate_key() -> KeyPair:
    """A fresh Ed25519 key pair."""
    priv = Ed25519PrivateKey.generate()
    return KeyPair(public=priv.public_key(), private=priv)


def load_key_file(path: str | Path) -> KeyPair:
    """Load a signing key from a PEM (PKCS#8) or a JSON file with an OKP ``d`` or ``secretKeyMultibase``.

    Raises:
        InputError: the file is missing, unreadable or not an Ed25519 private key.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("key file not found", file=p)
    text = p.read_text("utf-8", errors="replace").strip()
    if text.startswith("-----BEGIN ENCRYPTED"):
        pw = os.environ.get("SKILLPATH_KEY_PASSPHRASE")
        if not pw:
            raise InputError(
                "the key file is encrypted: set SKILLPATH_KEY_PASSPHRASE to its passphrase", file=p
            )
        try:
            priv = serialization.load_pem_private_key(text.encode(), password=pw.encode())
        except (ValueError, TypeError) as exc:
            raise InputError(
                f"cannot decrypt the key file with SKILLPATH_KEY_PASSPHRASE: {exc}", file=p
            ) from exc
        if not isinstance(priv, Ed25519PrivateKey):
            raise InputError("only Ed25519 keys are supported for signing", file=p)
        return KeyPair(public=priv.public_key(), private=priv)
    if text.startswith("-----BEGIN"):
        try:
            return KeyPair.from_private_pem(text)
        except InputError as exc:
            raise InputError(exc.message, file=p) from exc
    try:
        obj = loads_json(text, file=p, what="the key file")
        if "d" in obj:
            raw = base64.urlsafe_b64decode(obj["d"] + "=" * (-len(obj["d"]) % 4))
        else:
            raw = multibase_decode(obj["secretKeyMultibase"])
            raw = raw[2:] if raw.startswith(ED25519_PRIV_CODEC) else raw
        priv = Ed25519PrivateKey.from_private_bytes(raw)
    except (ValueError, KeyError, TypeError, InputError) as exc:
        raise InputError("not an Ed25519 private key (PEM, JWK or Multikey JSON)", file=p) from exc
    return KeyPair(public=priv.public_key(), private=priv)


def save_key_file(key: KeyPair, path: str | Path, *, passphrase: str | None = None) -> Path:
    """Write the private key as PKCS#8 PEM, created ``0600`` and renamed into place atomically
    (never readable by others, not even for a moment); encrypted when ``passphrase`` is given."""
    from skillpath._private_files import write_private

    if passphrase:
        if key.private is None:
            raise InputError("this key has no private part", value=key.did)
        pem = key.private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase.encode()),
        ).decode()
    else:
        pem = key.private_pem()
    return write_private(path, pem)
