"""Badges baked into images: PNG ``iTXt`` chunks and SVG ``openbadges:*`` elements.

Open Badges 2.0 bakes the assertion (JSON, a signed JWS, or a hosted URL) under the PNG keyword
``openbadges`` / the SVG element ``openbadges:assertion``; Open Badges 3.0 uses the keyword
``openbadgecredential`` / element ``openbadges:credential``.
"""

from __future__ import annotations

import struct
import zlib
from xml.etree import ElementTree as ET

from skillpath.errors import InputError

__all__ = ["bake_png", "bake_svg", "is_png", "is_svg", "unbake_png", "unbake_svg"]

PNG_SIG = b"\x89PNG\r\n\x1a\n"
OB2_NS = "http://openbadges.org"
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"
KEYWORDS = ("openbadgecredential", "openbadges")


def is_png(data: bytes) -> bool:
    """True for PNG bytes."""
    return data.startswith(PNG_SIG)


def is_svg(data: bytes) -> bool:
    """True for (UTF-8) SVG text."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head)


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not is_png(data):
        raise InputError("not a PNG image")
    out, pos = [], len(PNG_SIG)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        ctype = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length:
            raise InputError("truncated PNG chunk")
        out.append((ctype, body))
        pos += 12 + length
        if ctype == b"IEND":
            return out
    # without IEND a baked chunk would never be written (it goes before IEND): say so
    raise InputError("truncated PNG: it ends before its IEND chunk")


def _chunk(ctype: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body))
        + ctype
        + body
        + struct.pack(">I", zlib.crc32(ctype + body) & 0xFFFFFFFF)
    )


def bake_png(image: bytes, payload: str, *, keyword: str = "openbadges") -> bytes:
    """Return ``image`` with ``payload`` in an ``iTXt`` chunk (replacing an earlier baked one)."""
    chunks = [
        (t, b)
        for t, b in _chunks(image)
        if not (t == b"iTXt" and b.split(b"\0", 1)[0].decode("latin-1") in KEYWORDS)
    ]
    itxt = keyword.encode("latin-1") + b"\0\0\0" + b"\0" + b"\0" + payload.encode("utf-8")
    out = bytearray(PNG_SIG)
    for t, b in chunks:
        if t == b"IEND":
            out += _chunk(b"iTXt", itxt)
        out += _chunk(t, b)
    return bytes(out)


def unbake_png(image: bytes) -> tuple[str, str]:
    """``(keyword, payload)`` of the baked badge in a PNG.

    Raises:
        InputError: not a PNG, or no ``openbadges``/``openbadgecredential`` chunk.
    """
    for ctype, body in _chunks(image):
        if ctype not in (b"iTXt", b"tEXt"):
            continue
        keyword, _, rest = body.partition(b"\0")
        kw = keyword.decode("latin-1")
        if kw not in KEYWORDS:
            continue
        if ctype == b"tEXt":
            return kw, rest.decode("latin-1")
        compressed, _method = rest[0], rest[1]
        _lang, _, rest = rest[2:].partition(b"\0")
        _translated, _, text = rest.partition(b"\0")
        if compressed:
            text = zlib.decompress(text)
        return kw, text.decode("utf-8")
    raise InputError(
        "this PNG has no baked badge (no iTXt chunk 'openbadges' or 'openbadgecredential')"
    )


def bake_svg(svg: str, payload: str, *, ob3: bool = False, verify: str | None = None) -> str:
    """Insert the badge into an SVG document as ``openbadges:assertion`` (OB 2.0) or ``openbadges:credential``."""
    ns = OB3_NS if ob3 else OB2_NS
    tag = "credential" if ob3 else "assertion"
    start = svg.find("<svg")
    end = svg.find(">", start)
    if start < 0 or end < 0:
        raise InputError("not an SVG document")
    open_tag = svg[start:end]
    if "xmlns:openbadges" not in open_tag:
        open_tag += f' xmlns:openbadges="{ns}"'
    attr = f' verify="{verify}"' if verify else ""
    element = f"<openbadges:{tag}{attr}><![CDATA[{payload}]]></openbadges:{tag}>"
    baked = svg[:start] + open_tag + ">" + element + svg[end + 1 :]
    try:  # a malformed image would carry a badge no verifier can read back
        ET.fromstring(baked)
    except ET.ParseError as exc:
        raise InputError(f"malformed SVG: {exc}") from exc
    return baked


def unbake_svg(svg: bytes | str) -> tuple[str, str]:
    """``(element name, payload)`` of the baked badge in an SVG (payload may be a URL from ``verify``).

    Raises:
        InputError: malformed SVG, or no ``openbadges:assertion``/``openbadges:credential`` element.
    """
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise InputError(f"malformed SVG: {exc}") from exc
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        for ns in (OB2_NS, OB3_NS):
            for name in ("assertion", "credential"):
                if tag == f"{{{ns}}}{name}":
                    text = (el.text or "").strip()
                    return name, text or el.attrib.get("verify", "")
    raise InputError(
        "this SVG has no baked badge (no openbadges:assertion or openbadges:credential element)"
    )
