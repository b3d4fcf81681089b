"""The one reader for delimited text files from users: sniff the delimiter once, stream, clear errors.

Release files, course catalogues, ratings, learning events and LinkedIn exports are all read
through :func:`read_csv`. It

* sniffs the delimiter once from the first lines (comma, tab, semicolon or pipe: the one that
  splits the header into the most columns that the following lines agree with), so a valid
  ``.tsv`` or a semicolon-separated export from a European spreadsheet reads like a ``.csv``;
  a file-type preference (tab for ``.tsv`` and O*NET ``.txt``) breaks ties only;
* streams the bytes line by line (a 1 GB file is never held in memory) and decodes each line
  strictly, so an encoding error names the exact row and byte;
* numbers rows like a spreadsheet: the header is row 1, a quoted field spanning several lines is
  still one row.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from skillpath.errors import InputError

__all__ = ["DELIMITERS", "CsvTable", "read_csv", "sniff_delimiter"]

csv.field_size_limit(50_000_000)

#: Delimiters the sniffer considers, in order of preference on a tie.
DELIMITERS = (",", "\t", ";", "|")
_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}
_SAMPLE_LINES = 50


def delimiter_name(d: str) -> str:
    """'comma', 'tab', ... for messages."""
    return _NAMES.get(d, repr(d))


def sniff_delimiter(lines: Iterable[str], *, prefer: str | None = None) -> str:
    """The delimiter of a delimited text whose first lines are ``lines``.

    The winner splits the header into at least two columns and has the most following lines
    with the header's column count; ties go to ``prefer``, then to more columns, then to the
    order of :data:`DELIMITERS`. With no candidate, ``prefer`` or a comma.
    """
    sample = list(lines)
    best: tuple[float, int, int, int] | None = None
    choice = prefer or ","
    for order, d in enumerate(DELIMITERS):
        try:
            rows = [r for r in csv.reader(sample, delimiter=d) if r]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        n = len(rows[0])
        body = rows[1:-1] if len(rows) > 2 else rows[1:]  # the last sampled line may be cut
        agree = sum(1 for r in body if len(r) == n) / len(body) if body else 1.0
        score = (agree, 1 if d == prefer else 0, n, -order)
        if best is None or score > best:
            best, choice = score, d
    return choice


@dataclass
class CsvTable:
    """A delimited file being read.

    Attributes:
        header: the header's column names, stripped.
        delimiter: the delimiter used (sniffed unless forced).
        rows: ``(row, fields)`` with ``row`` counting the header as row 1; blank lines skipped.
    """

    header: list[str]
    delimiter: str
    rows: Iterator[tuple[int, list[str]]]


class _Lines:
    """Decoded lines of a binary stream, decoding each strictly and knowing where it failed."""

    def __init__(self, fh: IO[bytes], file: str, encoding: str, hint: str) -> None:
        self.fh = fh
        self.file = file
        self.encoding = encoding
        self.hint = hint
        self.offset = 0
        self.row = 1  # the spreadsheet row being read, set by the caller
        self.first = True

    def __iter__(self) -> Iterator[str]:
        for raw in self.fh:
            start = self.offset
            self.offset += len(raw)
            if self.first:
                self.first = False
                if raw.startswith(codecs.BOM_UTF8) and self.encoding.replace("-", "").lower() in (
                    "utf8",
                    "utf8sig",
                ):
                    raw = raw[3:]
                    start += 3
            try:
                yield raw.decode(self.encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"not {_enc_name(self.encoding)} text (byte 0x{raw[exc.start]:02x} at offset "
                    f"{start + exc.start}); {self.hint}",
                    file=self.file,
                    row=self.row,
                ) from exc


def _enc_name(encoding: str) -> str:
    return "UTF-8" if encoding.replace("-", "").lower() in ("utf8", "utf8sig") else encoding


def _open(source: str | Path | bytes | IO[bytes]) -> IO[bytes]:
    if isinstance(source, bytes):
        return io.BytesIO(source)
    if isinstance(source, str | Path):
        try:
            return Path(source).open("rb")
        except OSError as exc:
            raise InputError(f"cannot open the file: {exc.strerror or exc}", file=source) from exc
    return source


def read_csv(
    source: str | Path | bytes | IO[bytes],
    *,
    file: str | Path | None = None,
    delimiter: str | None = None,
    prefer: str | None = None,
    encoding: str | None = None,
    hint: str = 're-save the file as UTF-8 ("CSV UTF-8" in spreadsheet programs)',
) -> CsvTable:
    """Open a delimited text file: header now, rows as a stream.

    Args:
        source: a path, bytes, or a binary stream (closed when the rows are exhausted).
        file: the name used in messages (default: the path).
        delimiter: force a delimiter instead of sniffing.
        prefer: the delimiter the file type suggests (tab for ``.tsv``); it breaks ties only.
        encoding: the text encoding (default UTF-8, with or without BOM; UTF-16 with a BOM is
            recognised).
        hint: what to tell the user to do about an encoding error.

    Raises:
        InputError: empty file, unknown or bad encoding (row and byte), malformed quoting (row).
    """
    name = str(file if file is not None else source if isinstance(source, str | Path) else "input")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:  # decoding is lazy: say it now, not as a traceback mid-file
            raise InputError(
                f"unknown text encoding {encoding!r}; use e.g. utf-8, latin-1, cp1252", file=name
            ) from None
    fh = _open(source)
    enc = encoding or "utf-8"
    if encoding is None:
        head = fh.peek(4)[:4] if hasattr(fh, "peek") else b""
        if isinstance(fh, io.BytesIO):
            head = fh.getvalue()[:4]
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            enc = "utf-16"
    if enc.replace("-", "").lower() in ("utf16", "utf32"):
        # not ASCII-compatible: lines cannot be split on b"\n"; decode as a text stream
        text = io.TextIOWrapper(fh, encoding=enc, newline="")
        lines: _Lines | io.TextIOWrapper = text
    else:
        lines = _Lines(fh, name, enc, hint)
    it = iter(lines)
    sample: list[str] = []
    try:
        for ln in it:
            sample.append(ln)
            if len(sample) >= _SAMPLE_LINES:
                break
    except (UnicodeDecodeError, InputError) as exc:
        fh.close()
        # the bad line follows the sampled ones: count the records they hold
        try:
            row = (
                len(
                    list(
                        csv.reader(
                            sample, delimiter=delimiter or sniff_delimiter(sample, prefer=prefer)
                        )
                    )
                )
                + 1
            )
        except csv.Error:
            row = len(sample) + 1
        msg = exc.message if isinstance(exc, InputError) else f"not {_enc_name(enc)} text; {hint}"
        raise InputError(msg, file=name, row=row) from exc
    except BaseException:
        fh.close()
        raise
    if not any(s.strip() for s in sample):
        fh.close()
        raise InputError("the file is empty", file=name)
    delim = delimiter or sniff_delimiter(sample, prefer=prefer)

    def chain() -> Iterator[str]:
        yield from sample
        yield from it

    reader = csv.reader(chain(), delimiter=delim)
    try:
        header = next(reader)
        while not any(c.strip() for c in header):
            header = next(reader)
    except StopIteration:
        fh.close()
        raise InputError("the file is empty", file=name) from None
    except csv.Error as exc:
        fh.close()
        raise InputError(f"malformed CSV header: {exc}", file=name, row=1) from exc
    header = [h.strip() for h in header]

    def rows() -> Iterator[tuple[int, list[str]]]:
        row = 1
        try:
            while True:
                row += 1
                if isinstance(lines, _Lines):
                    lines.row = row
                try:
                    rec = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise InputError(f"malformed CSV: {exc}", file=name, row=row) from exc
                except UnicodeDecodeError as exc:
                    raise InputError(
                        f"not {_enc_name(enc)} text; {hint}", file=name, row=row
                    ) from exc
                if not rec or not any(c.strip() for c in rec):
                    continue  # a blank row still counts, as in a spreadsheet
                yield row, rec
        finally:
            fh.close()

    return CsvTable(header, delim, rows())
