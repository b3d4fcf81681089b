"""The one reader of users' Excel workbooks: the first sheet's header and rows, clear errors.

openpyxl in read-only mode parses a sheet's XML lazily, while rows are iterated, so a corrupt
sheet raises ``xml.etree.ElementTree.ParseError`` (or zip, value, key errors) from deep inside
the caller's loop; a workbook without worksheets raises ``IndexError``. :func:`read_sheet`
translates every one of them into an :class:`~skillpath.errors.InputError` naming the file, the
sheet and the row reached, and is the only place that opens a workbook for ``data import`` and
``catalog import``. The zip expansion limits of :mod:`skillpath._archive` are checked first.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

from skillpath._archive import check_zip
from skillpath.errors import InputError

__all__ = ["read_sheet"]

_RESAVE = "open it in a spreadsheet program and save it again as .xlsx"


def read_sheet(source: Path | bytes, *, display: str | Path) -> tuple[str, list[str], _Rows]:
    """``(sheet title, header, rows)`` of a workbook's first sheet.

    ``header`` is the first row as stripped text; ``rows`` yields ``(row number, values)`` for
    every later row that has a value (row numbers count the header as row 1). The workbook is
    closed when ``rows`` is exhausted, raises, or is closed (``rows.close()``).

    Raises:
        InputError: not a readable workbook, no worksheet, an empty first sheet, or a sheet
            whose XML is corrupt (also while ``rows`` is iterated, naming the row).
    """
    import openpyxl

    check_zip(source, display=display, what="workbook")
    try:
        wb = openpyxl.load_workbook(
            io.BytesIO(source) if isinstance(source, bytes) else source,
            read_only=True,
            data_only=True,
        )
    except Exception as exc:  # openpyxl raises zip, key, XML and value errors for a broken file
        raise InputError(
            f"not a readable Excel workbook ({type(exc).__name__}: {exc}); {_RESAVE}", file=display
        ) from exc
    if not wb.worksheets:
        wb.close()
        raise InputError(f"the workbook has no worksheet; {_RESAVE}", file=display)
    ws = wb.worksheets[0]
    title = ws.title

    def corrupt(exc: Exception, row: int) -> InputError:
        return InputError(
            f"sheet {title!r} is corrupt and cannot be read ({type(exc).__name__}: {exc}); "
            + _RESAVE,
            file=display,
            row=row,
        )

    try:
        it = ws.iter_rows(values_only=True)
        first = next(it, None)
    except Exception as exc:  # the sheet's XML is parsed here, lazily
        wb.close()
        raise corrupt(exc, 1) from exc
    if first is None:
        wb.close()
        raise InputError(f"sheet {title!r} is empty", file=display)
    header = [str(h).strip() if h is not None else "" for h in first]

    def rows() -> Iterator[tuple[int, tuple[object, ...]]]:
        line = 1
        while True:
            try:
                rec = next(it, None)
            except Exception as exc:  # a corrupt row further down the sheet
                raise corrupt(exc, line + 1) from exc
            if rec is None:
                return
            line += 1
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in rec):
                continue
            yield line, tuple(rec)

    return title, header, _Rows(rows(), wb.close)


class _Rows(Iterator[tuple[int, tuple[object, ...]]]):
    """The rows of a sheet; closes the workbook when exhausted, on an error, or on close()."""

    def __init__(self, gen: Iterator[tuple[int, tuple[object, ...]]], close: Callable[[], None]):
        self._gen = gen
        self._close: Callable[[], None] | None = close

    def __next__(self) -> tuple[int, tuple[object, ...]]:
        try:
            return next(self._gen)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the workbook (idempotent)."""
        if self._close is not None:
            self._close()
            self._close = None
