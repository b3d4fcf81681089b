"""The one URL check for everything that can become a link (decision 0080).

A URL from a user, an archive, an xAPI statement or a catalogue is stored as a link only when it
is ``http``/``https`` with a host (``mailto:`` where an address makes sense). Everything else,
``javascript:``, ``data:``, ``vbscript:``, ``file:`` and URLs with spaces or control characters
(browsers drop tabs and newlines, so ``java\\nscript:`` is ``javascript:``), is refused at entry
with :func:`check_url`, and never rendered as a link by :func:`safe_href`, which the renderers call
again so that a value stored before this check existed cannot become a script either.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from skillpath.errors import InputError

__all__ = ["LINK_SCHEMES", "MAX_URL_LENGTH", "check_url", "safe_href", "url_problem"]

#: Schemes a link may have; ``mailto`` only where the caller allows it.
LINK_SCHEMES = ("http", "https")
#: Longer URLs are refused (browsers and servers differ past this; nothing legitimate needs more).
MAX_URL_LENGTH = 2048

_BAD_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029\ufeff]")
_URN = re.compile(r"^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$", re.IGNORECASE)
_MAILTO = re.compile(r"^mailto:[^@\s/?#]+@[^@\s/?#]+\.[^@\s/?#]+$", re.IGNORECASE)


def url_problem(url: object, *, mailto: bool = False, urn: bool = False) -> str | None:
    """Why ``url`` may not be stored as a link, or None when it may.

    Args:
        mailto: also accept ``mailto:name@host.tld``.
        urn: also accept a ``urn:`` identifier (kept as an identifier, never rendered as a link).
    """
    if not isinstance(url, str):
        return f"a URL must be text, not {type(url).__name__}"
    if not url:
        return "the URL is empty"
    if len(url) > MAX_URL_LENGTH:
        return f"the URL is {len(url):,} characters long; the limit is {MAX_URL_LENGTH:,}"
    if _BAD_CHARS.search(url):
        return "the URL contains a space or a control character (percent-encode it, e.g. %20)"
    if urn and _URN.match(url):
        return None
    if mailto and url[:7].lower() == "mailto:":
        return None if _MAILTO.match(url) else "not a mailto:name@host address"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError as exc:
        return f"not a valid URL: {exc}"
    allowed = [*LINK_SCHEMES, *(["mailto"] if mailto else []), *(["urn"] if urn else [])]
    if parts.scheme.lower() not in LINK_SCHEMES:
        shown = parts.scheme + ":" if parts.scheme else "no scheme"
        return f"only {', '.join(s + ':' for s in allowed)} URLs are allowed, not {shown}"
    if not host:
        return "an http(s) URL needs a host (https://host/...)"
    if "@" in parts.netloc:
        return "a URL with a user name or password before the host (user@host) is not allowed"
    return None


def check_url(
    url: str,
    *,
    column: str = "url",
    file: str | Path | None = None,
    row: int | None = None,
    mailto: bool = False,
    urn: bool = False,
) -> str:
    """``url`` unchanged when it may be stored as a link, else :class:`InputError` saying why.

    Raises:
        InputError: naming the file, row and field where the URL came from, and the value.
    """
    why = url_problem(url, mailto=mailto, urn=urn)
    if why is not None:
        raise InputError(
            f"{why}; use an https:// address", file=file, row=row, column=column, value=url
        )
    return url


def safe_href(url: object, *, mailto: bool = False) -> str | None:
    """``url`` when it is safe as an ``href`` (http(s), or mailto when allowed), else None.

    Renderers call this on every link they write, whatever the store holds.
    """
    if url_problem(url, mailto=mailto) is None:
        assert isinstance(url, str)
        return url
    return None
