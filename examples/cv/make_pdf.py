"""Write ``data-analyst.pdf`` (two pages) from ``data-analyst.txt`` with a tiny hand-made PDF writer.

No third-party library: the PDF uses the standard Helvetica font (WinAnsiEncoding), one text
line per ``'`` operator, so text extractors such as pypdf read the lines back in order.
Run: ``python examples/cv/make_pdf.py`` (re-creates the file byte for byte).
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
LINES_PER_PAGE = 30  # split so that the CV spans two pages, as a real one would


def _escape(line: str) -> bytes:
    raw = line.encode("cp1252", errors="replace")
    out = bytearray()
    for b in raw:
        if b in b"()\\":
            out += b"\\" + bytes([b])
        elif b > 126:
            out += f"\\{b:03o}".encode()
        else:
            out.append(b)
    return bytes(out)


def _page_stream(lines: list[str]) -> bytes:
    parts = [b"BT /F1 10 Tf 14 TL 56 790 Td"]
    for line in lines:
        size = b"14" if line.isupper() and line.strip() else b"10"
        parts.append(b"/F1 " + size + b" Tf (" + _escape(line) + b") '")
    parts.append(b"ET")
    return b"\n".join(parts)


def write_pdf(lines: list[str], path: Path, *, per_page: int = LINES_PER_PAGE) -> None:
    """Write ``lines`` as a text PDF to ``path``."""
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    objects: list[bytes] = []
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font, then (page, content) pairs.
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for i, page_lines in enumerate(pages):
        content = _page_stream(page_lines)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(
            b"<< /Length "
            + str(len(content)).encode()
            + b" >>\nstream\n"
            + content
            + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{num} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(bytes(out))


if __name__ == "__main__":
    text = (HERE / "data-analyst.txt").read_text(encoding="utf-8")
    write_pdf(text.splitlines(), HERE / "data-analyst.pdf")
    print(HERE / "data-analyst.pdf")
