"""``read_cv``: pick the reader by content (magic bytes) and extension, and read PDF/DOCX text."""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from skillpath.errors import InputError
from skillpath.profile._jsonresume import read_jsonresume
from skillpath.profile._linkedin import read_linkedin
from skillpath.profile._model import Profile
from skillpath.profile._text import parse_text_cv

__all__ = ["FORMATS", "read_cv"]

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
        return _checked(parse_text_cv(_pdf_text(p), source=str(p), fmt="pdf"), p)
    if fmt == "docx":
        return _checked(parse_text_cv(_docx_text(p), source=str(p), fmt="docx"), p)
    return _checked(parse_text_cv(_plain_text(p), source=str(p), fmt="text"), p)


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


def _checked(profile: Profile, p: Path) -> Profile:
    if not profile.positions and not profile.skills and not profile.education:
        raise InputError(
            "found no positions, skills or education in the text; use headings such as "
            "'Experience', 'Skills' and 'Education', or give a JSON Resume",
            file=p,
        )
    return profile


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


def _pdf_text(p: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(p)
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:
                raise InputError(
                    "the PDF is password-protected; save an unprotected copy", file=p
                ) from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(
            f"cannot read the PDF ({exc}); save it again or export the CV as text", file=p
        ) from exc
    text = "\n".join(pages)
    if not re.search(r"[A-Za-z]{2,}", text):
        raise InputError(
            "the PDF has no extractable text (a scanned or image-only PDF?); run OCR on it, "
            "or export the CV as text, DOCX or JSON Resume",
            file=p,
        )
    return text


def _docx_text(p: Path) -> str:
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
    for para in document.paragraphs:
        text = para.text.strip()
        if not text:
            lines.append("")
            continue
        style = (para.style.name if para.style is not None else "") or ""
        m = re.match(r"Heading (\d)", style)
        if style == "Title":
            lines.append(f"# {text}")
        elif m:
            lines.append("#" * (int(m.group(1)) + 1) + " " + text)
        elif style.startswith("List"):
            lines.append(f"- {text}")
        else:
            lines.append(text)
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                lines.append(" | ".join(dict.fromkeys(cells)))
    text = "\n".join(lines)
    if not re.search(r"[A-Za-z]{2,}", text):
        raise InputError("the DOCX holds no text; is the CV an image pasted into Word?", file=p)
    return text
