"""Private signing keys encrypted at rest with a secret the user controls (decision 0082).

A stored private key is *sealed*: its PKCS#8 bytes encrypted with AES-256-GCM, the key's
verification method id as associated data (a sealed key cannot be moved to another key's row),
under a key derived from the first secret available, in this order:

1. ``SKILLPATH_KEY_PASSPHRASE`` (a passphrase; stretched with scrypt, N=2^15, r=8, p=1);
2. the OS keyring (the ``keyring`` package with a working backend): a random secret Skillpath
   creates there on first use;
3. a random secret in ``<SKILLPATH_HOME>/secrets/key-secret``, created ``0600`` in a ``0700``
   folder, kept apart from the database so that a copy of the database (a backup, a PostgreSQL
   dump, an export with ``--include-keys``) does not carry what opens its keys.

Random secrets are 256 bits and are expanded with HKDF-SHA256 (stretching adds nothing to them).
A key sealed under another secret that is still available is opened and re-sealed under the
current one; an unencrypted key (stores before this existed) is sealed on first use. Both are
logged as warnings (the CLI prints them on standard error).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from skillpath.config import get_settings
from skillpath.errors import InputError
from skillpath.portfolio._keys import KeyPair

__all__ = [
    "PASSPHRASE_ENV",
    "KeySecret",
    "current_secret",
    "is_sealed",
    "seal",
    "unseal",
]

log = logging.getLogger("skillpath.portfolio.keys")

#: The environment variable holding the passphrase that protects private keys.
PASSPHRASE_ENV = "SKILLPATH_KEY_PASSPHRASE"
FORMAT = "skillpath-sealed-key"
_KEYRING_SERVICE = "skillpath"
_KEYRING_USER = "signing-key-secret"
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}
RECOVERY = "see 'Signing keys: encryption and recovery' in docs/portfolio.md"


@dataclass(frozen=True)
class KeySecret:
    """A secret that seals keys: where it comes from (``passphrase``/``keyring``/``file``)."""

    source: str
    value: bytes
    where: str = ""

    @property
    def stretch(self) -> bool:
        """A human passphrase needs a slow KDF; a random 256-bit secret does not."""
        return self.source == "passphrase"


def _secret_file() -> Path:
    return get_settings().home / "secrets" / "key-secret"


@functools.cache
def _keyring_backend() -> Any:
    """The OS keyring when the optional ``keyring`` package has a working backend, else None.

    Looked up once per process: finding the backend took 0.76 s here (keyring 25.7, no backend on a
    headless Linux machine, so ``fail.Keyring``)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        kr = keyring.get_keyring()
        if isinstance(kr, fail.Keyring) or getattr(kr, "priority", 0) <= 0:
            return None
    except Exception:  # a broken backend configuration is "no keyring", not an error
        return None
    return kr


def _from_keyring(create: bool) -> KeySecret | None:
    kr = _keyring_backend()
    if kr is None:
        return None
    try:
        value = kr.get_password(_KEYRING_SERVICE, _KEYRING_USER)
        if value is None and create:
            value = secrets.token_urlsafe(32)
            kr.set_password(_KEYRING_SERVICE, _KEYRING_USER, value)
            log.warning(
                "private signing keys are now encrypted with a secret kept in the OS keyring "
                "(%s, service %r); %s",
                type(kr).__name__,
                _KEYRING_SERVICE,
                RECOVERY,
            )
    except Exception:  # locked or unavailable keyring: fall through to the next source
        return None
    if value is None:
        return None
    return KeySecret("keyring", value.encode(), f"the OS keyring (service {_KEYRING_SERVICE!r})")


def _from_file(create: bool) -> KeySecret | None:
    from skillpath._private_files import private_dir, tighten, write_private

    p = _secret_file()
    if p.is_file():
        tighten(p, 0o600)
        value = p.read_bytes().strip()
        if value:
            return KeySecret("file", value, str(p))
    if not create:
        return None
    private_dir(p.parent)
    write_private(p, secrets.token_urlsafe(32) + "\n")
    log.warning(
        "private signing keys are encrypted with a generated secret in %s (no %s set, no OS "
        "keyring): back it up with your data, or set %s to a passphrase only you know; %s",
        p,
        PASSPHRASE_ENV,
        PASSPHRASE_ENV,
        RECOVERY,
    )
    return KeySecret("file", p.read_bytes().strip(), str(p))


def current_secret(*, create: bool = True) -> KeySecret:
    """The secret new seals use: the passphrase, else the keyring's, else the secret file's.

    Raises:
        InputError: none is available and ``create`` is False.
    """
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return KeySecret("passphrase", env.encode(), f"${PASSPHRASE_ENV}")
    found = _from_keyring(create) or _from_file(create)
    if found is None:
        raise InputError(
            f"no secret to open the signing keys with: set {PASSPHRASE_ENV}; {RECOVERY}"
        )
    return found


def _available_secrets() -> list[KeySecret]:
    out: list[KeySecret] = []
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        out.append(KeySecret("passphrase", env.encode(), f"${PASSPHRASE_ENV}"))
    for s in (_from_keyring(False), _from_file(False)):
        if s is not None:
            out.append(s)
    return out


@functools.lru_cache(maxsize=64)
def _derive(value: bytes, salt: bytes, kdf: str, n: int, r: int, p: int) -> bytes:
    if kdf == "scrypt":
        return hashlib.scrypt(value, salt=salt, n=n, r=r, p=p, maxmem=128 * 1024 * 1024, dklen=32)
    return HKDF(hashes.SHA256(), 32, salt, b"skillpath sealed key v1").derive(value)


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def is_sealed(text: str | None) -> bool:
    """True when ``text`` is a sealed key (not a plain PEM, not empty)."""
    return text is not None and text.lstrip().startswith("{") and FORMAT in text


def seal(key: KeyPair, secret: KeySecret | None = None) -> str:
    """The sealed form of ``key``'s private part (JSON text), under ``secret`` (default: current)."""
    secret = secret or current_secret()
    if key.private is None:
        raise InputError("this key has no private part to protect", value=key.did)
    der = key.private.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    salt, nonce = os.urandom(16), os.urandom(12)
    kdf = (
        {"name": "scrypt", "salt": _b64(salt), **_SCRYPT}
        if secret.stretch
        else {"name": "hkdf-sha256", "salt": _b64(salt)}
    )
    k = _derive(secret.value, salt, kdf["name"], _SCRYPT["n"], _SCRYPT["r"], _SCRYPT["p"])
    ct = AESGCM(k).encrypt(nonce, der, key.method_id.encode())
    return json.dumps(
        {
            "format": FORMAT,
            "version": 1,
            "secret": secret.source,
            "kdf": kdf,
            "cipher": "AES-256-GCM",
            "nonce": _b64(nonce),
            "ciphertext": _b64(ct),
        },
        sort_keys=True,
    )


def _open_with(doc: dict, secret: KeySecret, method_id: str) -> KeyPair | None:
    kdf = doc["kdf"]
    salt = base64.b64decode(kdf["salt"])
    name = kdf["name"]
    if (name == "scrypt") != secret.stretch:
        return None  # sealed with the other kind of secret
    k = _derive(
        secret.value, salt, name, int(kdf.get("n", 0)), int(kdf.get("r", 0)), int(kdf.get("p", 0))
    )
    try:
        der = AESGCM(k).decrypt(
            base64.b64decode(doc["nonce"]), base64.b64decode(doc["ciphertext"]), method_id.encode()
        )
    except InvalidTag:
        return None
    priv = serialization.load_der_private_key(der, password=None)
    pem = priv.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return KeyPair.from_private_pem(pem)


def unseal(text: str, method_id: str) -> tuple[KeyPair, bool]:
    """Open a stored private key: ``(key, needs_reseal)``.

    ``needs_reseal`` is True when the text was a plain PEM (a store from before sealing) or was
    sealed under a secret other than the current one; the caller stores ``seal(key)`` then.

    Raises:
        InputError: no available secret opens it (with what to do), or the text is malformed.
    """
    if not is_sealed(text):
        key = KeyPair.from_private_pem(text)
        if key.method_id != method_id:
            raise InputError("the stored private key does not match its key id", value=method_id)
        return key, True
    try:
        doc = json.loads(text)
        sealed_with = str(doc.get("secret", "?"))
        # the first available secret is the current one (same order as current_secret)
        for i, secret in enumerate(_available_secrets()):
            opened = _open_with(doc, secret, method_id)
            if opened is not None:
                return opened, i > 0
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"the sealed private key is malformed: {exc}", value=method_id) from exc
    hint = {
        "passphrase": f"set {PASSPHRASE_ENV} to the passphrase it was sealed with",
        "keyring": "unlock the OS keyring it was sealed with (or set the passphrase it was re-sealed with)",
        "file": f"restore the secret file it was sealed with ({_secret_file()})",
    }.get(sealed_with, f"set {PASSPHRASE_ENV}")
    raise InputError(
        f"cannot decrypt the private signing key {method_id.split('#')[0]}: it was sealed with a "
        f"{sealed_with} secret that is not available here; {hint}; {RECOVERY}"
    )
