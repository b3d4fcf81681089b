"""The one JSON reader for files that come from users: bounded nesting, clear errors.

Every loader that parses a user's JSON (CVs, catalogues, mappings, xAPI statements, portfolio
archives, credentials, stacking rules, JWT parts) goes through :func:`loads_json` so that

* malformed JSON, non-UTF-8 bytes and numbers Python cannot hold become one
  :class:`~skillpath.errors.InputError` naming the file, line and column;
* nesting deeper than :data:`MAX_DEPTH` is refused *before* parsing. A 10,000-level document
  otherwise raises ``RecursionError`` inside :mod:`json`, and one just under the interpreter's
  recursion limit parses and then overflows the stack later in code that walks it (the JSON
  Resume schema validator, JSON-LD expansion, our own recursive walkers).

The depth check runs on the text at C speed (byte translation, no per-character Python): escapes
and everything but quotes and brackets are dropped, the strings' contents are cut out, and
innermost ``[]``/``{}`` pairs are peeled off once per level, so a well-formed document costs a
few passes over a much shorter string and a hostile one at most :data:`MAX_DEPTH` + 1. On a 17 MB
catalogue it adds about 40% to ``json.loads``.
"""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path
from typing import Any

from skillpath.errors import InputError

__all__ = ["MAX_DEPTH", "json_depth", "loads_json", "read_json"]

#: The deepest nesting accepted. Real documents are far shallower (an Open Badges 3.0
#: credential about 8 levels, an xAPI statement about 7, a JSON Resume 4); recursive code that
#: walks the result spends several stack frames per level, so this keeps it well inside
#: Python's default recursion limit of 1000.
MAX_DEPTH = 64

_KEEP = b'"[]{}'
_DROP = bytes(b for b in range(256) if b not in _KEEP)
_PAIR = re.compile(rb"\[\]|\{\}")


def json_depth(text: str | bytes, *, limit: int = MAX_DEPTH) -> int:
    """The nesting depth of the JSON ``text`` (counting stops at ``limit + 1``).

    Unbalanced brackets stop the count where peeling gets stuck; the parser then reports the
    syntax error with its position.
    """
    b = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    # drop escapes so that every remaining quote delimits a string, keep only quotes and
    # brackets, then drop what lies between quotes (the strings' own brackets)
    b = b.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _DROP)
    if b'"' in b:
        b = b"".join(b.split(b'"')[::2])
    depth = 0
    while b and depth <= limit:
        peeled = _PAIR.sub(b"", b)
        if len(peeled) == len(b):
            break
        b = peeled
        depth += 1
    return depth


def _decode(data: bytes, file: str | Path | None, what: str, first_line: int) -> str:
    # JSON is UTF-8 (RFC 8259), but editors on Windows save UTF-16 with a BOM: read it.
    enc = "utf-8"
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            enc = name
            break
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + first_line
        raise InputError(
            f"{what} is not UTF-8 text (undecodable byte at offset {exc.start}); is it the "
            "right file? Save it as UTF-8 JSON",
            file=file,
            row=line,
        ) from exc


def loads_json(
    data: str | bytes,
    *,
    file: str | Path | None = None,
    what: str = "the file",
    max_depth: int = MAX_DEPTH,
    first_line: int | None = None,
) -> Any:
    """Parse JSON from a user's file, or raise one clear :class:`InputError`.

    Args:
        data: the text, or raw bytes (UTF-8, or UTF-16/32 with a byte-order mark).
        file: the file named in errors.
        what: how errors name the content (``"the CV"``, ``"the manifest"``).
        max_depth: the deepest nesting accepted.
        first_line: the line number of the text's first line in the file (a JSON Lines
            record); when given, every error names a row, not only syntax errors.

    Raises:
        InputError: undecodable bytes, malformed JSON (with line and column), nesting deeper
            than ``max_depth``, or a number Python cannot represent.
    """
    start = first_line or 1
    text = _decode(data, file, what, start) if isinstance(data, bytes) else data
    if text.startswith("\ufeff"):
        text = text[1:]
    if json_depth(text, limit=max_depth) > max_depth:
        raise InputError(
            f"JSON nested deeper than {max_depth} levels in {what}; no real document nests so "
            "deep, so it is refused unread",
            file=file,
            row=first_line,
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON in {what}: {exc.msg} at column {exc.colno}",
            file=file,
            row=exc.lineno + start - 1,
        ) from exc
    except RecursionError as exc:  # the depth check runs first; this is the last line of defence
        raise InputError(f"JSON nested too deeply in {what}", file=file, row=first_line) from exc
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise InputError(
            f"{what} holds a value that cannot be read: {exc}", file=file, row=first_line
        ) from exc


def read_json(path: Path, *, what: str = "the file", max_depth: int = MAX_DEPTH) -> Any:
    """Read and parse a user's JSON file (see :func:`loads_json`).

    Raises:
        InputError: the file cannot be read, or its content is not acceptable JSON.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror or exc}", file=path) from exc
    return loads_json(data, file=path, what=what, max_depth=max_depth)
