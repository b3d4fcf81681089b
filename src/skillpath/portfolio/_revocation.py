"""Revocation lists read from files, and the local cache of lists given before (decision 0072).

Nothing is fetched (decision 0055): a credential that names a status list or revocation list can
only be checked against a copy the user gives (``--revocation-list FILE``) or one cached from an
earlier ``--revocation-list`` under the URL the credential names. Formats read:

* Open Badges 2.0 ``RevocationList``: ``revokedAssertions`` (ids or ``{id, revocationReason}``);
* 1EdTech revocation lists (``revokedCredentials``) and a plain JSON list of ids;
* W3C Bitstring Status List (``BitstringStatusListCredential``) and its predecessor
  ``StatusList2021Credential``: a GZIP bitstring, bit ``statusListIndex`` set means revoked.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import json
import os
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from skillpath.errors import InputError

__all__ = [
    "RevocationList",
    "cache_revocation_list",
    "cached_revocation_list",
    "load_revocation_list",
]

#: A decompressed bitstring larger than this is refused (the spec's minimum is 16 KB; 16 MB is ample).
MAX_BITSTRING = 16 * 1024 * 1024


@dataclass(frozen=True)
class RevocationList:
    """A revocation list or status list read from a file.

    Attributes:
        source: where it was read from (a file name, or ``cache:<url>``).
        list_id: the ``id`` the list gives itself (None when it has none).
        revoked: revoked credential id -> reason (id lists).
        bitstring: the decoded status bits (status lists), else None.
        purpose: ``revocation`` or ``suspension`` for status lists.
        issuer: the issuer the list names, if any.
        given: True when the user gave this list for this verification (not found in the cache).
        saved_at: when a cached copy was saved.
    """

    source: str
    list_id: str | None
    revoked: dict[str, str | None] = field(default_factory=dict)
    bitstring: bytes | None = None
    purpose: str | None = None
    issuer: str | None = None
    given: bool = True
    saved_at: str | None = None
    raw: bytes = field(default=b"", repr=False)

    def bit(self, index: int) -> bool:
        """Status bit ``index`` (index 0 is the left-most bit of the first byte)."""
        if self.bitstring is None:
            raise InputError("this is not a status list (no encodedList)", file=self.source)
        if index < 0 or index >= len(self.bitstring) * 8:
            raise InputError(
                f"statusListIndex {index} is outside the list ({len(self.bitstring) * 8} entries)",
                file=self.source,
            )
        return bool(self.bitstring[index // 8] >> (7 - index % 8) & 1)


def _decode_bitstring(encoded: str, source: str) -> bytes:
    text = encoded[1:] if encoded.startswith("u") else encoded  # multibase base64url, or bare
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)  # gzip, with a cap on the expanded size
        bits = d.decompress(packed, MAX_BITSTRING + 1)
    except (binascii.Error, ValueError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(
            f"encodedList is not a base64url GZIP bitstring: {exc}", file=source
        ) from exc
    if len(bits) > MAX_BITSTRING:
        raise InputError("encodedList expands beyond 16 MB: refusing it", file=source)
    return bits


def _entries(items: Any, source: str) -> dict[str, str | None]:
    if not isinstance(items, list):
        raise InputError("the list of revoked credentials must be a JSON array", file=source)
    out: dict[str, str | None] = {}
    for i, it in enumerate(items, 1):
        if isinstance(it, str):
            out[it] = None
        elif isinstance(it, dict) and isinstance(it.get("id"), str):
            reason = it.get("revocationReason")
            out[it["id"]] = reason if isinstance(reason, str) else None
        else:
            raise InputError("an entry must be an id or an object with an id", file=source, row=i)
    return out


def parse_revocation_list(data: bytes | str, *, source: str, given: bool = True) -> RevocationList:
    """Read a revocation list or status list (formats in the module docstring).

    Raises:
        InputError: not JSON, or not one of the formats read.
    """
    raw = data.encode() if isinstance(data, str) else data
    try:
        obj = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"not a JSON revocation list: {exc}", file=source) from exc
    if isinstance(obj, list):
        return RevocationList(
            source=source, list_id=None, revoked=_entries(obj, source), given=given, raw=raw
        )
    if not isinstance(obj, dict):
        raise InputError("a revocation list must be a JSON object or array", file=source)
    lid = obj.get("id") if isinstance(obj.get("id"), str) else None
    iss = obj.get("issuer")
    issuer = iss.get("id") if isinstance(iss, dict) else iss if isinstance(iss, str) else None
    subj = obj.get("credentialSubject")
    if isinstance(subj, dict) and isinstance(subj.get("encodedList"), str):
        purpose = subj.get("statusPurpose")
        return RevocationList(
            source=source,
            list_id=lid,
            bitstring=_decode_bitstring(subj["encodedList"], source),
            purpose=purpose if isinstance(purpose, str) else None,
            issuer=issuer,
            given=given,
            raw=raw,
        )
    for key in ("revokedAssertions", "revokedCredentials", "revoked"):
        if key in obj:
            return RevocationList(
                source=source,
                list_id=lid,
                revoked=_entries(obj[key], source),
                issuer=issuer,
                given=given,
                raw=raw,
            )
    raise InputError(
        "not a revocation list: expected an Open Badges RevocationList (revokedAssertions), a "
        "revokedCredentials list, a JSON array of ids, or a BitstringStatusListCredential",
        file=source,
    )


def load_revocation_list(path: str | Path) -> RevocationList:
    """Read a revocation list or status list file.

    Raises:
        InputError: missing, unreadable, or not a list (names the file).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("revocation list file not found", file=p)
    return parse_revocation_list(p.read_bytes(), source=str(p))


def _cache_dir() -> Path:
    from skillpath.config import get_settings

    return get_settings().cache_dir / "revocation-lists"


def _cache_path(url: str) -> Path:
    return _cache_dir() / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".json")


def cache_revocation_list(lst: RevocationList, urls: list[str]) -> None:
    """Keep ``lst`` in the cache under each of ``urls`` (and its own id), written atomically."""
    keys = [u for u in dict.fromkeys([*urls, lst.list_id or ""]) if u]
    if not keys or not lst.raw:
        return
    d = _cache_dir()
    d.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    for url in keys:
        entry = {
            "url": url,
            "saved_at": now,
            "source": lst.source,
            "list": lst.raw.decode("utf-8-sig"),
        }
        fd, tmp = tempfile.mkstemp(dir=d, suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(entry, f)
        Path(tmp).replace(_cache_path(url))


def cached_revocation_list(url: str) -> RevocationList | None:
    """The list cached under ``url``, or None (an unreadable cache entry counts as none)."""
    p = _cache_path(url)
    if not p.is_file():
        return None
    try:
        entry = json.loads(p.read_text("utf-8"))
        lst = parse_revocation_list(entry["list"], source=f"cache:{url}", given=False)
    except (OSError, ValueError, KeyError, TypeError, InputError):
        return None
    return RevocationList(**{**lst.__dict__, "saved_at": entry.get("saved_at")})
