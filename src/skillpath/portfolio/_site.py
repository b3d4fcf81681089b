"""A static public portfolio site: only public items and their credentials (decision 0058)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from skillpath.portfolio._attachments import BlobStore
from skillpath.portfolio._evidence import load_portfolio
from skillpath.portfolio._integrity import evidence_weight
from skillpath.store import Store

__all__ = ["build_site"]

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


def build_site(
    store: Store, out: str | Path, *, title: str = "Portfolio", blobs: BlobStore | None = None
) -> Path:
    """Write ``index.html``, public attachments and public credentials to ``out``; returns the index path.

    Private and shared items, and credentials tied to them, are never written.
    """
    out = Path(out)
    blobs = blobs or BlobStore()
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
    if out.exists():
        for sub in ("files", "credentials"):
            shutil.rmtree(out / sub, ignore_errors=True)
    (out / "files").mkdir(parents=True, exist_ok=True)
    (out / "credentials").mkdir(parents=True, exist_ok=True)
    files: dict[str, list[dict[str, str]]] = {}
    for it in items:
        for sha in it.attachments:
            a = media.get(sha)
            if a is None:
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
    html = env.get_template("site.html").render(
        title=title,
        items=sorted(items, key=lambda i: i.occurred_at, reverse=True),
        files=files,
        creds=cred_links,
        skills=sorted(skills.items(), key=lambda kv: (-kv[1], kv[0])),
        weight=evidence_weight,
    )
    index = out / "index.html"
    index.write_text(html, "utf-8")
    (out / "portfolio.json").write_text(
        json.dumps(
            {
                "items": [
                    {
                        "id": i.id,
                        "kind": i.kind,
                        "title": i.title,
                        "description": i.description,
                        "url": i.url,
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
    return index
