"""``read_cv``: pick the reader by content (magic bytes) and extension, and read PDF/DOCX text."""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path
from typing import Any

from skillpath.errors import InputError
from skillpath.profile._jsonresume import read_jsonresume
from skillpath.profile._linkedin import read_linkedin
from skillpath.profile._model import Profile
from skillpath.profile._text import parse_text_cv

__all__ = ["FORMATS", "PDF_ENGINES", "pdf_text", "read_cv"]

FORMATS = ("jsonresume", "linkedin", "pdf", "docx", "text")
_TEXT_EXT = {".txt", ".md", ".markdown", ".text", ".rst", ""}
_SUPPORTED = (
    "a JSON Resume (.json), a LinkedIn export (zip or folder of CSVs), PDF, DOCX, "
    "or plain text/Markdown"
)


def read_cv(path: str | Path, *, format: str | None = None) -> Profile:
    """Read a CV into a :class:`Profile`, choosing the reader from the file's content.

    Args:
        path: a file (JSON Resume, LinkedIn zip, PDF, DOCX, text/Markdown) or a folder of
            LinkedIn export CSVs.
        format: force one of :data:`FORMATS` instead of detecting it.

    Raises:
        InputError: the file is missing, empty, of an unsupported type, malformed, or holds no
            text (an image-only PDF); the message names the file and what to do.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("no such file or folder", file=p)
    fmt = format or _detect(p)
    if fmt not in FORMATS:
        raise InputError(f"unknown CV format {fmt!r}; use one of {', '.join(FORMATS)}", file=p)
    if fmt == "linkedin":
        return _checked_linkedin(read_linkedin(p), p)
    if fmt == "jsonresume":
        return read_jsonresume(p)
    if fmt == "pdf":
        return parse_text_cv(pdf_text(p), source=str(p), fmt="pdf")
    if fmt == "docx":
        return parse_text_cv(_docx_text(p), source=str(p), fmt="docx")
    return parse_text_cv(_checked_text(_plain_text(p), p), source=str(p), fmt="text")


def _detect(p: Path) -> str:
    if p.is_dir():
        return "linkedin"
    head = p.read_bytes()[:4096]
    if not head.strip():
        raise InputError(f"the file is empty; give {_SUPPORTED}", file=p)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(p) as zf:
                names = zf.namelist()
        except zipfile.BadZipFile as exc:
            raise InputError(
                "looks like a zip but cannot be opened; is it complete?", file=p
            ) from exc
        if "word/document.xml" in names or p.suffix.lower() == ".docx":
            return "docx"  # a .docx without its document part gets the DOCX reader's message
        if "[Content_Types].xml" in names or "mimetype" in names:
            raise InputError(
                f"an office document that is not DOCX ({p.suffix or 'no extension'}); save the "
                "CV as DOCX or PDF",
                file=p,
            )
        return "linkedin"
    ext = p.suffix.lower()
    enc = _text_encoding(head)
    start = head.decode(enc, "ignore")[:64] if enc else head.decode("latin-1")[:64]
    if start.lstrip("\ufeff \t\r\n").startswith("{\\rtf"):
        raise InputError(f"unsupported file type: an RTF document; give {_SUPPORTED}", file=p)
    if ext == ".json" or start.lstrip("\ufeff \t\r\n").startswith("{"):
        return "jsonresume"
    if ext in {".pdf", ".docx"}:
        raise InputError(f"the file is not a valid {ext[1:].upper()} document", file=p)
    if ext in _TEXT_EXT or ext not in _BINARY_EXT:
        if b"\x00" in head and enc is None:
            raise InputError(f"binary file of an unsupported type; give {_SUPPORTED}", file=p)
        return "text"
    raise InputError(f"unsupported file type {ext!r}; give {_SUPPORTED}", file=p)


_BINARY_EXT = {
    ".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp", ".heic", ".doc", ".odt",
    ".rtf", ".pages", ".xls", ".xlsx", ".ppt", ".pptx", ".exe", ".bin", ".gz", ".tar", ".7z",
}  # fmt: skip


def _checked_text(text: str, p: Path) -> str:
    """Refuse only a text file with no words at all; any CV with text is read."""
    if not re.search(r"[^\W\d_]{2,}", text):
        raise InputError(
            "the file holds no words; give the CV as text, PDF, DOCX, a LinkedIn export or a "
            "JSON Resume",
            file=p,
        )
    return text


def _text_encoding(head: bytes) -> str | None:
    """The UTF-16/32 codec of text that starts with a byte-order mark or looks like BOM-less
    UTF-16 (every other byte NUL, as Windows "Unicode" text of a Latin-script CV is); ``None``
    for anything else (UTF-8, legacy 8-bit, binary)."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[: len(head) // 2 * 2][:512]
    if len(sample) >= 8:
        even, odd = sample[0::2], sample[1::2]
        for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
            other = even if zeros is odd else odd
            if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) == 0:
                try:
                    sample.decode(codec)
                except UnicodeDecodeError:
                    return None
                return codec
    return None


def _checked_linkedin(profile: Profile, p: Path) -> Profile:
    # An export whose files hold nothing usable (binary, wrong columns, every row skipped) is
    # an error, as for a text CV, not an empty profile that infers nothing.
    if profile.positions or profile.skills or profile.education or profile.headline:
        return profile
    why = "; ".join(profile.warnings[:3])
    more = f" (+{len(profile.warnings) - 3} more)" if len(profile.warnings) > 3 else ""
    raise InputError(
        "the LinkedIn export holds no positions, skills, education or headline"
        + (f" ({why}{more})" if why else "")
        + "; is it the complete export, with Positions.csv and Skills.csv?",
        file=p,
    )


def _plain_text(p: Path) -> str:
    data = p.read_bytes()
    enc = _text_encoding(data[:4096])
    if enc is not None:
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"looks like {enc.upper()} text but byte {exc.start} cannot be decoded; save the "
                "CV as UTF-8",
                file=p,
            ) from exc
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


PDF_ENGINES = ("pdfplumber", "pypdf")
"""Text extractors for PDFs; the first is the default (measured in ``bench/resumes.py``)."""


def pdf_text(p: Path, *, engine: str = PDF_ENGINES[0]) -> str:
    """The text of a PDF, page by page, with lines kept in reading order.

    ``pdfplumber`` (the default) groups characters into lines by their position, so a title
    and its dates printed on one line stay on one line, and table rows come out as rows;
    ``pypdf`` follows the content stream, which splits such lines apart.

    Raises:
        InputError: the PDF is broken, password-protected or holds no text (a scan).
    """
    if engine not in PDF_ENGINES:
        raise InputError(f"unknown PDF engine {engine!r}; use one of {', '.join(PDF_ENGINES)}")
    try:
        pages = _pdfplumber_pages(p) if engine == "pdfplumber" else _pypdf_pages(p)
    except InputError:
        raise
    except Exception as exc:  # both libraries raise many types on broken files
        raise InputError(
            f"cannot read the PDF ({type(exc).__name__}: {exc}); save it again or export the "
            "CV as text",
            file=p,
        ) from exc
    text = "\n".join(pages)
    if not re.search(r"[^\W\d_]{2,}", text):
        raise InputError(
            "the PDF has no extractable text (a scanned or image-only PDF?); run OCR on it, "
            "or export the CV as text, DOCX or JSON Resume",
            file=p,
        )
    return text


def _pdfplumber_pages(p: Path) -> list[str]:
    import logging

    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings on real PDFs
    try:
        with pdfplumber.open(p) as pdf:
            return [_pdfplumber_page(page) for page in pdf.pages]
    except PDFPasswordIncorrect as exc:
        raise InputError("the PDF is password-protected; save an unprotected copy", file=p) from exc


def _pdfplumber_page(page: Any) -> str:
    """A page's lines top to bottom; a ruled table's rows as "cell | cell" lines (a cell holding
    several lines, such as a role and its description, is read as its own lines)."""
    tables = page.find_tables() if page.rects or page.lines else []
    if not tables:
        return str(page.extract_text() or "")
    rest = page
    for t in tables:
        rest = rest.outside_bbox(t.bbox)
    items: list[tuple[float, int, str]] = [
        (float(line["top"]), 0, str(line["text"])) for line in rest.extract_text_lines()
    ]
    for t in tables:
        for k, (row, cells) in enumerate(zip(t.rows, t.extract(), strict=False)):
            texts = [c.strip() for c in cells if c and c.strip()]
            if all("\n" not in c for c in texts):
                block = " | ".join(texts)
            else:
                block = "\n".join(texts) + "\n"
            items.append((float(row.bbox[1]), k, block))
    items.sort(key=lambda it: (it[0], it[1]))
    return "\n".join(text for _, _, text in items)


def _pypdf_pages(p: Path) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(p)
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception as exc:
            raise InputError(
                "the PDF is password-protected; save an unprotected copy", file=p
            ) from exc
    return [page.extract_text() or "" for page in reader.pages]


def _docx_text(p: Path) -> str:
    """Paragraphs and tables in document order (a CV laid out as a table reads row by row)."""
    try:
        with zipfile.ZipFile(p) as zf:
            has_text = "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile as exc:
        raise InputError(
            "not a DOCX (not a zip archive); save it again from your editor", file=p
        ) from exc
    if not has_text:
        raise InputError(
            "the DOCX has no word/document.xml, the part that holds the text: it is incomplete "
            "or not a Word document; save it again from your editor",
            file=p,
        )
    try:
        return _docx_lines(p)
    except InputError:
        raise
    except Exception as exc:  # python-docx and lxml raise many error types on a broken part
        why = str(exc.args[0] if isinstance(exc, KeyError) and exc.args else exc)
        raise InputError(
            f"cannot read the DOCX ({type(exc).__name__}: {why}); save it again from your editor",
            file=p,
        ) from exc


def _docx_lines(p: Path) -> str:
    import docx  # python-docx

    document = docx.Document(str(p))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            _docx_table(block, lines)
        else:
            lines.append(_docx_paragraph(block))
    text = "\n".join(lines)
    if not re.search(r"[^\W\d_]{2,}", text):
        raise InputError("the DOCX holds no text; is the CV an image pasted into Word?", file=p)
    return text


def _docx_paragraph(para: Any) -> str:
    text = para.text.strip()
    if not text:
        return ""
    style = (para.style.name if para.style is not None else "") or ""
    m = re.match(r"Heading (\d)", style)
    if style == "Title":
        return f"# {text}"
    if m:
        return "#" * (int(m.group(1)) + 1) + " " + text
    if style.startswith("List"):
        return f"- {text}"
    return text


def _docx_table(table: Any, lines: list[str]) -> None:
    """A table's rows: cells with one line each joined by " | "; a cell holding several
    paragraphs (a sidebar, an entry laid out in a cell) is read as its own lines."""
    for row in table.rows:
        cells: list[Any] = list(dict.fromkeys(row.cells))  # merged cells repeat
        texts = [c.text.strip() for c in cells]
        if all("\n" not in t for t in texts):
            joined = " | ".join(t for t in texts if t)
            if joined:
                lines.append(joined)
            continue
        for cell in cells:
            for block in cell.iter_inner_content():
                if hasattr(block, "rows"):
                    _docx_table(block, lines)
                else:
                    lines.append(_docx_paragraph(block))
            lines.append("")
