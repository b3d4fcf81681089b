"""Reading tabular release files (tab-separated text, CSV, XLSX) from disk or from a zip.

Every reader yields ``(row_number, dict)`` with 1-based row numbers counting the header as row 1,
so that errors can name the exact row a user sees in a spreadsheet or editor.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from skillpath._archive import open_zip
from skillpath._csv import delimiter_name, read_csv
from skillpath._xlsx import read_sheet
from skillpath.errors import InputError


@dataclass(frozen=True)
class SourceFile:
    """A file to import: a path on disk, or a member of a zip archive.

    Attributes:
        display: the name used in messages (``data.zip!db_29_0_text/Skills.txt``).
        name: the base file name (``Skills.txt``).
        opener: returns the file's bytes (bounded: archive members passed the expansion limits).
        release_hint: the path components, used to detect the release.
        streamer: returns a binary stream of the file, so text files are read without holding
            them in memory; None means ``opener`` wrapped in a buffer.
    """

    display: str
    name: str
    opener: Callable[[], bytes]
    release_hint: str
    streamer: Callable[[], IO[bytes]] | None = None

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def stem(self) -> str:
        return Path(self.name).stem

    def open(self) -> IO[bytes]:
        """A binary stream of the file's bytes."""
        return self.streamer() if self.streamer else io.BytesIO(self.opener())


def discover(paths: list[Path]) -> list[SourceFile]:
    """Expand directories (recursively) and zip archives into the files they hold.

    Raises:
        InputError: a path does not exist, or a zip is corrupt or over the expansion limits.
    """
    out: list[SourceFile] = []
    for p in paths:
        if not p.exists():
            raise InputError("no such file or directory", file=p)
        if p.is_dir():
            for f in sorted(x for x in p.rglob("*") if x.is_file() and not x.name.startswith(".")):
                out.extend(_expand_file(f))
        else:
            out.extend(_expand_file(p))
    return out


def _expand_file(p: Path) -> list[SourceFile]:
    if p.suffix.lower() == ".zip":
        with open_zip(p, what="release archive") as zf:
            infos = [i for i in zf.files() if not Path(i.filename).name.startswith(".")]
        members = []
        for info in infos:

            def streamer(info: zipfile.ZipInfo = info, path: Path = p) -> IO[bytes]:
                # the member stream keeps the archive's file open until it is closed
                with open_zip(path, what="release archive") as z:
                    return z.open(info)

            def opener(info: zipfile.ZipInfo = info, path: Path = p) -> bytes:
                with open_zip(path, what="release archive") as z:
                    return z.read(info)

            members.append(
                SourceFile(
                    display=f"{p}!{info.filename}",
                    name=Path(info.filename).name,
                    opener=opener,
                    release_hint=f"{p.name}/{info.filename}",
                    streamer=streamer,
                )
            )
        return members
    return [
        SourceFile(
            display=str(p),
            name=p.name,
            opener=p.read_bytes,
            release_hint=str(p),
            streamer=lambda: p.open("rb"),
        )
    ]


def read_rows(
    src: SourceFile,
    required: tuple[str, ...] = (),
    *,
    delimiter: str | None = None,
    expected: tuple[str, ...] = (),
    missing: list[tuple[str, str]] | None = None,
) -> Iterator[tuple[int, dict[str, object]]]:
    """Yield ``(row_number, row)`` from a delimited text file (``.txt``, ``.tsv``, ``.csv``) or ``.xlsx``.

    Text files go through the shared reader (:func:`skillpath._csv.read_csv`): streamed, the
    delimiter sniffed (tab preferred for ``.txt``/``.tsv``, as O*NET ships them).

    Args:
        src: the file.
        required: columns that must be in the header (the rows cannot be read without them).
        delimiter: force a delimiter for text files instead of sniffing it.
        expected: columns the table needs to be complete (``Description`` of Occupation Data):
            without one, importing the file would blank that field in the store.
        missing: where to record ``(file, column)`` for each absent expected column, so the
            import can refuse the file unless the user asks to replace (see
            ``taxonomy._guard``); when None, an absent expected column raises like a required one.

    Raises:
        InputError: bad encoding, missing columns, malformed quoting, truncated or corrupt xlsx.
    """
    if src.suffix == ".xlsx":
        yield from _read_xlsx(src, required, expected, missing)
        return
    table = read_csv(
        src.open(),
        file=src.display,
        delimiter=delimiter,
        prefer="\t" if src.suffix in (".txt", ".tsv") else ",",
        hint="save the file as UTF-8 and import it again",
    )
    header = table.header
    _check_header(src, header, required, table.delimiter)
    _check_expected(src, header, expected, missing, table.delimiter)
    n = len(header)
    for line, rec in table.rows:
        if len(rec) != n:
            raise InputError(
                f"expected {n} fields but found {len(rec)} (a broken quote or a stray "
                f"{delimiter_name(table.delimiter)}?)",
                file=src.display,
                row=line,
            )
        yield line, dict(zip(header, rec, strict=True))


def _check_header(
    src: SourceFile, header: list[str], required: tuple[str, ...], delim: str
) -> None:
    missing = [c for c in required if c not in header]
    if not missing:
        return
    if len(header) == 1:
        other = "," if delim == "\t" else "\t"
        if other in header[0] or ";" in header[0]:
            expected = "tab" if delim == "\t" else "comma"
            raise InputError(
                f"wrong delimiter: expected {expected}-separated columns, "
                f"the header looks like {header[0][:60]!r}",
                file=src.display,
                row=1,
            )
    raise InputError(
        f"missing column(s) {', '.join(repr(m) for m in missing)}; found {header[:12]}",
        file=src.display,
        row=1,
        column=missing[0],
    )


def _check_expected(
    src: SourceFile,
    header: list[str],
    expected: tuple[str, ...],
    missing: list[tuple[str, str]] | None,
    delim: str,
) -> None:
    absent = [c for c in expected if c not in header]
    if not absent:
        return
    if missing is None:
        _check_header(src, header, expected, delim)
        return
    missing.extend((src.display, c) for c in absent)


def _read_xlsx(
    src: SourceFile,
    required: tuple[str, ...],
    expected: tuple[str, ...] = (),
    missing: list[tuple[str, str]] | None = None,
) -> Iterator[tuple[int, dict[str, object]]]:
    _, header, rows = read_sheet(src.opener(), display=src.display)
    try:
        _check_header(src, header, required, "\t")
        _check_expected(src, header, expected, missing, "\t")
        for line, rec in rows:
            yield line, dict(zip(header, rec, strict=False))
    finally:
        rows.close()


def text(v: object) -> str:
    """A cell as stripped text ('' for empty)."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def number(v: object, src: SourceFile, row: int, column: str) -> float | None:
    """A cell as a float (None for empty); raises InputError naming the cell when not numeric."""
    if v is None or (isinstance(v, str) and not v.strip()) or v == "n/a":
        return None
    if isinstance(v, int | float):
        return float(v)
    try:
        return float(str(v).strip())
    except ValueError:
        raise InputError(
            "not a number", file=src.display, row=row, column=column, value=v
        ) from None
