"""A static public portfolio site: only public items and their credentials (decisions 0058, 0081).

The site is built in a fresh folder beside ``OUT`` and swapped in, so a failed build leaves the
previous site; ``OUT`` must be new, empty, or a site this function wrote (it holds
:data:`MARKER`). Every page carries a Content-Security-Policy that allows no script at all, and
links are written only for http(s) URLs (:func:`skillpath.links.safe_href`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from skillpath.errors import InputError
from skillpath.links import safe_href, url_problem
from skillpath.portfolio._attachments import BlobStore
from skillpath.portfolio._evidence import load_portfolio, now_iso
from skillpath.portfolio._integrity import evidence_weight
from skillpath.store import Store

__all__ = ["MARKER", "build_site"]

#: The file that marks a folder as a Skillpath site (so a rebuild may replace it).
MARKER = ".skillpath-site.json"
#: What a site written before the marker existed holds; such a folder is also replaced.
_LEGACY_ENTRIES = {"index.html", "portfolio.json", "files", "credentials"}
#: Attachment types that can run script when opened directly: shown inline as data: images
#: (an <img> never runs script, a data: URL has no origin), never written as files.
_ACTIVE_TYPES = {"image/svg+xml"}

_EXT = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
    "application/pdf": ".pdf",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/json": ".json",
    "text/csv": ".csv",
}


def _csp(html: str) -> str:
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(st.encode()).digest()).decode() + "'"
        for st in styles
    )
    return (
        "default-src 'none'; script-src 'none'; object-src 'none'; base-uri 'none'; "
        f"form-action 'none'; style-src {hashes or chr(39) + 'none' + chr(39)}; "
        "img-src 'self' data:; media-src 'self'"
    )


def _is_previous_site(out: Path) -> bool:
    if (out / MARKER).is_file():
        return True
    names = {p.name for p in out.iterdir()}
    if names and names <= _LEGACY_ENTRIES and "index.html" in names:
        try:
            doc = json.loads((out / "portfolio.json").read_text("utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(doc, dict) and "items" in doc and "credentials" in doc
    return False


def _check_target(out: Path) -> list[str]:
    """The entries of ``out`` to carry over into the new site; refuses a folder that is not ours."""
    if not out.exists():
        return []
    if not out.is_dir():
        raise InputError("the site folder is a file: choose a folder", file=out)
    entries = sorted(p.name for p in out.iterdir())
    if not entries:
        return []
    if not _is_previous_site(out):
        shown = ", ".join(entries[:5]) + (", ..." if len(entries) > 5 else "")
        raise InputError(
            f"the folder is not empty ({shown}) and is not a site Skillpath wrote (no {MARKER}): "
            "nothing was changed; choose a new or empty folder",
            file=out,
        )
    ours: set[str] = set(_LEGACY_ENTRIES) | {MARKER}
    try:
        marker = json.loads((out / MARKER).read_text("utf-8"))
        ours |= set(marker.get("written", []))
    except (OSError, ValueError, AttributeError, TypeError):
        pass
    return [e for e in entries if e not in ours]


def build_site(
    store: Store, out: str | Path, *, title: str = "Portfolio", blobs: BlobStore | None = None
) -> Path:
    """Write ``index.html``, public attachments and public credentials to ``out``; returns the index path.

    Private and shared items, and credentials tied to them, are never written. ``out`` must be a
    new or empty folder or a site written before; files you added to a previous site are kept.

    Raises:
        InputError: ``out`` is a file, or a non-empty folder that is not a previous site.
    """
    out = Path(out)
    keep = _check_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".new", dir=out.parent))
    try:
        _write_site(store, tmp, title=title, blobs=blobs or BlobStore())
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700; a site is meant to be served
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not out.exists():
        os.replace(tmp, out)
        return out / "index.html"
    # swap: the previous site moves aside, the new one takes its name, then the files the
    # learner added to the previous site move across; the previous site is deleted last
    old = out.with_name(f".{out.name}.{os.getpid()}.old")
    os.replace(out, old)
    try:
        os.replace(tmp, out)
    except BaseException:
        os.replace(old, out)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for name in keep:
        os.replace(old / name, out / name)
    shutil.rmtree(old, ignore_errors=True)
    return out / "index.html"


def _write_site(store: Store, out: Path, *, title: str, blobs: BlobStore) -> None:
    """Render the site into the empty folder ``out``."""
    pf = load_portfolio(store)
    items = [i for i in pf.items if i.visibility == "public"]
    public_ids = {i.id for i in items}
    creds = [
        c
        for c in pf.credentials
        if c.revoked_at is None
        and c.visibility == "public"
        and (not c.evidence_ids or set(c.evidence_ids) <= public_ids)
    ]
    media = {a.sha256: a for a in pf.attachments}
    (out / "files").mkdir()
    (out / "credentials").mkdir()
    files: dict[str, list[dict[str, str]]] = {}
    for it in items:
        for sha in it.attachments:
            a = media.get(sha)
            if a is None:
                continue
            if a.media_type in _ACTIVE_TYPES:
                data = base64.b64encode(blobs.read(sha)).decode()
                files.setdefault(it.id, []).append(
                    {
                        "href": f"data:{a.media_type};base64,{data}",
                        "type": a.media_type,
                        "name": a.filename or sha[:16],
                    }
                )
                continue
            name = sha[:16] + _EXT.get(a.media_type, ".bin")
            (out / "files" / name).write_bytes(blobs.read(sha))
            files.setdefault(it.id, []).append(
                {"href": f"files/{name}", "type": a.media_type, "name": a.filename or name}
            )
    cred_links: list[dict[str, Any]] = []
    for c in creds:
        ext = ".jwt" if c.format.endswith("jwt") else ".json"
        fname = c.id.replace(":", "_").replace("/", "_") + ext
        (out / "credentials" / fname).write_text(c.raw, "utf-8")
        cred_links.append({"c": c, "href": f"credentials/{fname}"})
    skills: dict[str, int] = {}
    for it in items:
        for s in it.skills:
            skills[s.label] = skills.get(s.label, 0) + 1
    env = Environment(
        loader=PackageLoader("skillpath.portfolio", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    env.filters["safe_href"] = safe_href
    html = env.get_template("site.html").render(
        csp="__CSP__",
        title=title,
        items=sorted(items, key=lambda i: i.occurred_at, reverse=True),
        files=files,
        creds=cred_links,
        skills=sorted(skills.items(), key=lambda kv: (-kv[1], kv[0])),
        weight=evidence_weight,
    )
    (out / "index.html").write_text(html.replace("__CSP__", _csp(html), 1), "utf-8")
    (out / "portfolio.json").write_text(
        json.dumps(
            {
                "items": [
                    {
                        "id": i.id,
                        "kind": i.kind,
                        "title": i.title,
                        "description": i.description,
                        "url": i.url if url_problem(i.url, urn=True) is None else None,
                        "occurred_at": i.occurred_at,
                        "skills": [s.to_dict() for s in i.skills],
                    }
                    for i in items
                ],
                "credentials": [
                    {
                        "id": c["c"].id,
                        "name": c["c"].name,
                        "issuer": c["c"].issuer_name,
                        "href": c["href"],
                    }
                    for c in cred_links
                ],
            },
            indent=2,
            ensure_ascii=False,
        ),
        "utf-8",
    )
    marker = {
        "format": "skillpath-site",
        "version": 1,
        "generated_at": now_iso(),
        "written": ["index.html", "portfolio.json", "files", "credentials", MARKER],
    }
    (out / MARKER).write_text(json.dumps(marker, indent=2), "utf-8")
