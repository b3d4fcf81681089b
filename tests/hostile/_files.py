"""Builders of hostile files, written at test time (nothing binary is committed).

Each builder returns bytes; :func:`zip_bytes`, :func:`docx_bytes`, :func:`xlsx_bytes` and
:func:`pdf_bytes` make valid containers that the cases then break in one specific way.
"""

from __future__ import annotations

import io
import json
import random
import struct
import zipfile
import zlib

DEEP_ARRAY = b"[" * 10_000 + b"]" * 10_000
DEEP_OBJECT = b'{"a":' * 10_000 + b"1" + b"}" * 10_000
JUST_OVER = b"[" * 65 + b"]" * 65  # one level over the limit (skillpath._safejson.MAX_DEPTH)
UNCLOSED = b"[" * 100_000
HUGE_INT = b'{"n": ' + b"9" * 5_000 + b"}"
NUL = b"\x00" * 256
INVALID_UTF8 = b'{"basics": {"name": "Ren\xe9\xff\xfe"}}'


def noise(n: int = 4096, seed: int = 11) -> bytes:
    """Deterministic random bytes."""
    return random.Random(seed).randbytes(n)


def nested(depth: int, leaf: object = 1) -> object:
    """A JSON value nested ``depth`` lists deep."""
    v: object = leaf
    for _ in range(depth):
        v = [v]
    return v


def jdump(obj: object) -> bytes:
    """JSON bytes."""
    return json.dumps(obj).encode()


def zip_bytes(entries: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive holding ``entries``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def bomb_entry(mb: int = 64) -> bytes:
    """``mb`` MiB of zeros (deflates about 1000:1)."""
    return b"\x00" * (mb * 1024 * 1024)


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    """The first part of ``data``."""
    return data[: max(1, int(len(data) * keep))]


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def docx_document(paragraphs: list[str]) -> str:
    """A minimal word/document.xml with one run per paragraph."""
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'


def docx_bytes(
    document: str | bytes | None = None, *, extra: dict[str, bytes | str] | None = None
) -> bytes:
    """A minimal DOCX; ``document`` replaces word/document.xml (``None``: a small valid CV)."""
    doc = (
        document
        if document is not None
        else docx_document(
            ["Ann Smith", "Experience", "Software developer, Acme, 2019-2023", "Skills", "Python"]
        )
    )
    entries: dict[str, bytes | str] = {
        "[Content_Types].xml": _CT,
        "_rels/.rels": _RELS,
        "word/document.xml": doc,
    }
    entries.update(extra or {})
    return zip_bytes(entries)


def xlsx_bytes(rows: list[list[object]], *, title: str = "Sheet1") -> bytes:
    """An .xlsx with one sheet of ``rows`` (first row the header)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_replace(data: bytes, part: str, new: bytes | None) -> bytes:
    """``data`` (an .xlsx/zip) with ``part`` replaced by ``new`` (``None``: removed)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    entries: dict[str, bytes | str] = {n: src.read(n) for n in src.namelist()}
    if new is None:
        entries.pop(part, None)
    else:
        entries[part] = new
    return zip_bytes(entries)


def sheet_part(data: bytes) -> bytes:
    """The first worksheet's XML of an .xlsx."""
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


def pdf_bytes(text_lines: list[str] | None = None, *, content: bytes | None = None) -> bytes:
    """A minimal one-page PDF with a Helvetica text stream and a correct xref table."""
    if content is None:
        lines = text_lines or ["Ann Smith", "Experience", "Software developer, Acme, 2019-2023"]
        ops = "BT /F1 11 Tf 50 750 Td " + " ".join(f"({ln}) Tj 0 -14 Td" for ln in lines) + " ET"
        content = ops.encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def png_chunk(ctype: bytes, body: bytes) -> bytes:
    """One PNG chunk with its CRC."""
    return (
        struct.pack(">I", len(body))
        + ctype
        + body
        + struct.pack(">I", zlib.crc32(ctype + body) & 0xFFFFFFFF)
    )


def png_bytes(*extra_chunks: bytes, size: int = 4) -> bytes:
    """A valid RGB PNG, with ``extra_chunks`` (already framed) before IEND."""
    raw = b"".join(b"\x00" + b"\xc8\x50\x28" * size for _ in range(size))
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(raw))
        + b"".join(extra_chunks)
        + png_chunk(b"IEND", b"")
    )


def itxt(keyword: str, text: bytes) -> bytes:
    """A framed, uncompressed iTXt chunk."""
    return png_chunk(b"iTXt", keyword.encode() + b"\x00\x00\x00\x00\x00" + text)


def svg_bytes(inner: str = "", *, assertion: str | None = None) -> bytes:
    """An SVG, optionally with an ``openbadges:assertion`` element holding ``assertion``."""
    a = (
        f'<openbadges:assertion verify="https://example.org/a"><![CDATA[{assertion}]]>'
        "</openbadges:assertion>"
        if assertion is not None
        else ""
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://openbadges.org" '
        f'width="10" height="10">{a}{inner}</svg>'
    ).encode()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><svg xmlns="http://www.w3.org/2000/svg">&lol9;</svg>'
)

XXE = (
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://openbadges.org">'
    b"<openbadges:assertion>&x;</openbadges:assertion></svg>"
)
