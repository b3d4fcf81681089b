"""Portability: lossless zip export/import, JSON Resume, xAPI statements (decision 0056).

Zip layout (``format: skillpath-portfolio``, ``version: 1``)::

    manifest.json        format, version, exported_at, counts, include_keys,
                         files: {entry name: sha256 hex} of every other entry (decision 0074)
    items.json           pf_item rows          credentials.json   pf_credential rows
    blobs.json           pf_blob rows          issuers.json       pf_issuer rows
    keys.json            pf_key rows (private_pem only with include_keys, always sealed: 0082)
    attachments/<sha256> attachment bytes (name = content hash, checked on import)
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import select

from skillpath._archive import SafeZip, open_zip
from skillpath._private_files import private_file
from skillpath._safejson import loads_json
from skillpath._xapi import StatementSet, describe, parse_statements
from skillpath.errors import InputError, IntegrityError
from skillpath.links import check_url, safe_href
from skillpath.portfolio._attachments import BlobStore
from skillpath.portfolio._evidence import blob_digests, load_portfolio, now_iso
from skillpath.portfolio._integrity import evidence_weight
from skillpath.portfolio._model import BLOOM_STAGES, EVIDENCE_KINDS, VISIBILITIES, EvidenceItem
from skillpath.portfolio._sealed import PASSPHRASE_ENV, current_secret, seal, unseal
from skillpath.store import Store
from skillpath.store.models.portfolio import BlobRow, CredentialRow, EvidenceRow, IssuerRow, KeyRow

__all__ = [
    "ImportSummary",
    "export_json_resume",
    "export_xapi",
    "export_zip",
    "import_xapi",
    "import_zip",
    "snapshot",
]

log = logging.getLogger("skillpath.portfolio.keys")
FORMAT = "skillpath-portfolio"
VERSION = 1
MAX_ENTRY = 256 * 1024 * 1024
TABLES: dict[str, Any] = {
    "items.json": EvidenceRow,
    "credentials.json": CredentialRow,
    "blobs.json": BlobRow,
    "issuers.json": IssuerRow,
    "keys.json": KeyRow,
}


@dataclass(frozen=True)
class ImportSummary:
    """What an import added (``added``) and found already present and identical (``unchanged``).

    ``warnings`` says what could not be checked (an archive without per-file hashes) and which
    credentials were imported without verifying (their stored state says so).
    """

    added: dict[str, int]
    unchanged: dict[str, int]
    warnings: tuple[str, ...] = ()


def _cols(model: Any) -> list[str]:
    return [c.name for c in model.__table__.columns]


def _pk(model: Any) -> str:
    return next(c.name for c in model.__table__.columns if c.primary_key)


def snapshot(store: Store, *, include_keys: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Every portfolio row as plain JSON data, sorted by primary key (used to compare stores)."""
    out: dict[str, list[dict[str, Any]]] = {}
    with store.session() as s:
        for name, model in TABLES.items():
            rows = [{c: getattr(r, c) for c in _cols(model)} for r in s.scalars(select(model))]
            if model is KeyRow and not include_keys:
                for r in rows:
                    r["private_pem"] = None
            out[name] = sorted(rows, key=lambda r, k=_pk(model): str(r[k]))  # type: ignore[misc]
    return out


def _public_rows(data: dict[str, list[dict[str, Any]]]) -> None:
    """Keep only public items, the credentials shown on the public site and their attachments."""
    items = [r for r in data["items.json"] if r["visibility"] == "public"]
    public = {r["id"] for r in items}
    data["items.json"] = items
    data["credentials.json"] = [
        c
        for c in data["credentials.json"]
        if c["visibility"] == "public"
        and (c["item_id"] is None or c["item_id"] in public)
        and set(c["evidence_ids"] or ()) <= public
    ]
    used = {sha for r in items for sha in r["attachments"] or ()}
    data["blobs.json"] = [b for b in data["blobs.json"] if b["sha256"] in used]


def export_zip(
    store: Store,
    path: str | Path,
    *,
    include_keys: bool = False,
    public_only: bool = False,
    blobs: BlobStore | None = None,
) -> Path:
    """Write the whole portfolio to a zip (keys' private parts only with ``include_keys``).

    With ``public_only`` the archive holds only public items, public credentials backed only by
    public items, and those items' attachments (issuers and public keys stay, to verify them).
    """
    blobs = blobs or BlobStore()
    data = snapshot(store, include_keys=include_keys)
    if public_only:
        _public_rows(data)
    secret = current_secret() if include_keys and data["keys.json"] else None
    for k in data["keys.json"]:
        if not include_keys:
            k["key_file"] = None
        elif k["key_file"] and not k["private_pem"]:
            # carry the private key itself (sealed), not a path that means nothing elsewhere
            from skillpath.portfolio._keys import load_key_file

            k["private_pem"], k["key_file"] = seal(load_key_file(k["key_file"]), secret), None
        elif k["private_pem"]:
            key, reseal = unseal(k["private_pem"], k["id"])
            if reseal:  # unencrypted in an old store, or under another secret: never export so
                k["private_pem"] = seal(key, secret)
    if secret is not None and secret.source != "passphrase":
        log.warning(
            "the private keys in %s are encrypted with %s: to import them on another machine, "
            "copy that secret too, or export again with %s set",
            path,
            secret.where,
            PASSPHRASE_ENV,
        )
    p = Path(path)
    entries = {
        name: json.dumps(rows, indent=1, ensure_ascii=False).encode() for name, rows in data.items()
    }
    files = {name: hashlib.sha256(body).hexdigest() for name, body in entries.items()}
    # attachments are named by their sha256 already; the manifest lists them too
    files.update({f"attachments/{b['sha256']}": b["sha256"] for b in data["blobs.json"]})
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now_iso(),
        "include_keys": include_keys,
        "public_only": public_only,
        "counts": {k.removesuffix(".json"): len(v) for k, v in data.items()},
        "files": files,
    }
    # 0600 from the first byte and renamed into place: it holds private items (and maybe keys)
    with private_file(p) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, indent=2))
        for name, body in entries.items():
            z.writestr(name, body)
        for b in data["blobs.json"]:
            z.writestr(f"attachments/{b['sha256']}", blobs.read(b["sha256"]))
    return p


def _check_hashes(z: SafeZip, manifest: dict[str, Any], zpath: Path) -> list[str]:
    """Every entry must match the manifest's sha256 (archives from before hashes: a warning)."""
    files = manifest.get("files")
    if files is None:
        return [
            f"{zpath}: the manifest has no per-file hashes (exported by an older Skillpath): "
            "the files could not be checked for changes; credentials were re-verified"
        ]
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        raise InputError(
            "manifest.json 'files' must map entry names to sha256 hex digests", file=zpath
        )
    names = {i.filename for i in z.infolist() if i.filename != "manifest.json"}
    for name in sorted(names - set(files)):
        raise IntegrityError(
            f"{zpath}: {name} is not listed in the manifest: the archive was changed after "
            "export; nothing was imported"
        )
    for name in sorted(set(files) - names):
        raise IntegrityError(
            f"{zpath}: {name} is listed in the manifest but missing from the archive; nothing "
            "was imported"
        )
    for name in sorted(names):
        h = hashlib.sha256()
        with z.open(name) as f:
            for block in iter(lambda f=f: f.read(1 << 20), b""):  # type: ignore[misc]
                h.update(block)
        if h.hexdigest() != files[name].lower():
            raise IntegrityError(
                f"{zpath}: {name} does not match its sha256 in the manifest: the archive was "
                "altered or damaged; nothing was imported"
            )
    return []


#: Checks whose failure means a credential's bytes were changed (not merely expired or revoked).
_TAMPER_CHECKS = frozenset({"signature", "issuer-key", "proof", "jsonld", "read"})


def _reverify_credentials(tables: dict[str, list[dict[str, Any]]], zpath: Path) -> list[str]:
    """Verify every credential in the archive again and set its stored state from the result.

    A credential that was recorded as verified (or issued here) but no longer verifies because
    its content changed stops the whole import: the archive was altered.
    """
    from skillpath.portfolio._verify import verify_badge

    revoked = {
        r["id"]: r["revocation_reason"] for r in tables["credentials.json"] if r["revoked_at"]
    }

    def status(cid: str) -> tuple[bool, str | None] | None:
        return (True, revoked[cid]) if cid in revoked else None

    warnings = []
    for i, r in enumerate(tables["credentials.json"]):
        if not isinstance(r.get("raw"), str):
            raise InputError(
                "raw must be the credential text", file=f"{zpath}:credentials.json", row=i + 1
            )
        rep = verify_badge(r["raw"], status=status)
        claimed = r.get("verification")
        tampered = rep.outcome == "unreadable" or any(
            c.level == "error" and not c.success and c.name in _TAMPER_CHECKS for c in rep.checks
        )
        if tampered and (claimed in (None, "verified") or r["direction"] == "issued"):
            raise IntegrityError(
                f"{zpath}: credential {r['id']} (credentials.json row {i + 1}) does not verify: "
                + "; ".join(rep.problems(2))
                + ". The archive was altered; nothing was imported"
            )
        r["verification"] = rep.outcome
        if rep.outcome != "verified":
            warnings.append(
                f"credential {r['name']!r} ({r['id']}) kept as {rep.outcome}: "
                + "; ".join(rep.problems(1))
            )
    return warnings


def _safe_name(name: str, zpath: Path) -> None:
    pp = PurePosixPath(name.replace("\\", "/"))
    if (
        name.startswith(("/", "\\"))
        or pp.is_absolute()
        or ".." in pp.parts
        or ":" in name
        or "\\" in name
    ):
        raise InputError(
            "zip entry has an unsafe path (absolute or '..'): refusing the whole archive",
            file=zpath,
            value=name,
        )


def _validate_row(name: str, model: Any, row: Any, zpath: Path, i: int) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise InputError("rows must be JSON objects", file=f"{zpath}:{name}", row=i + 1)
    cols = _cols(model)
    unknown = set(row) - set(cols)
    if unknown:
        raise InputError(f"unknown fields {sorted(unknown)}", file=f"{zpath}:{name}", row=i + 1)
    for c in model.__table__.columns:
        if c.name not in row:
            if c.nullable:
                row[c.name] = None
                continue
            raise InputError("missing field", file=f"{zpath}:{name}", row=i + 1, column=c.name)
    if model is EvidenceRow:
        if row["kind"] not in EVIDENCE_KINDS:
            raise InputError(
                "unknown kind", file=f"{zpath}:{name}", row=i + 1, column="kind", value=row["kind"]
            )
        if row["visibility"] not in VISIBILITIES:
            raise InputError(
                "unknown visibility",
                file=f"{zpath}:{name}",
                row=i + 1,
                column="visibility",
                value=row["visibility"],
            )
        for sk in row["skills"] or []:
            if (
                not isinstance(sk, dict)
                or "label" not in sk
                or sk.get("bloom") not in (None, *BLOOM_STAGES)
            ):
                raise InputError(
                    "bad skill claim", file=f"{zpath}:{name}", row=i + 1, column="skills", value=sk
                )
        if row["url"] is not None:
            check_url(row["url"], column="url", file=f"{zpath}:{name}", row=i + 1, urn=True)
    if model is KeyRow and row["private_pem"] is not None:
        where = f"{zpath}:{name}"
        if not isinstance(row["private_pem"], str):
            raise InputError(
                "private key must be text", file=where, row=i + 1, column="private_pem"
            )
        try:
            key, reseal = unseal(row["private_pem"], str(row["id"]))
        except InputError as exc:
            raise InputError(exc.message, file=where, row=i + 1, column="private_pem") from exc
        if reseal:  # an archive from before keys were sealed, or sealed under another secret
            row["private_pem"] = seal(key)
    return row


def import_zip(store: Store, path: str | Path, *, blobs: BlobStore | None = None) -> ImportSummary:
    """Import a portfolio zip: everything is validated first, then written in one transaction.

    Rows already present and identical are skipped; a row with the same id but different content
    is an error (nothing is imported). Attachment bytes are checked against their SHA-256, every
    entry against the manifest's per-file hashes, and every credential is verified again: its
    stored verification state is the result (an archive cannot vouch for its own credentials).

    Raises:
        InputError: not a portfolio zip, unsafe entry names, malformed rows, hash mismatches, conflicts.
        IntegrityError: an entry differs from its manifest hash, or a credential recorded as
            verified no longer verifies (the archive was altered); nothing is imported.
    """
    zpath = Path(path)
    blobs = blobs or BlobStore()
    if not zpath.is_file():
        raise InputError("file not found", file=zpath)
    # expansion limits checked before anything is decompressed (skillpath._archive)
    z = open_zip(zpath, what="portfolio archive")
    with z:
        infos = z.infolist()
        for info in infos:
            _safe_name(info.filename, zpath)
            if info.file_size > MAX_ENTRY:
                raise InputError("zip entry too large", file=zpath, value=info.filename)
        names = {i.filename for i in infos}
        if "manifest.json" not in names:
            raise InputError("not a Skillpath portfolio export (no manifest.json)", file=zpath)
        manifest = loads_json(z.read("manifest.json"), file=f"{zpath}:manifest.json")
        tables = {
            n: loads_json(z.read(n), file=f"{zpath}:{n}") if n in names else [] for n in TABLES
        }
        if (
            not isinstance(manifest, dict)
            or manifest.get("format") != FORMAT
            or manifest.get("version") != VERSION
        ):
            raise InputError(
                f"not a {FORMAT} version {VERSION} archive", file=zpath, column="manifest.json"
            )
        for n, rows in tables.items():
            if not isinstance(rows, list):
                raise InputError("expected a JSON list of rows", file=f"{zpath}:{n}")
            tables[n] = [_validate_row(n, TABLES[n], r, zpath, i) for i, r in enumerate(rows)]
        # rows first (a bad value is named with its row, exit 2), then any other change (exit 1)
        warnings = _check_hashes(z, manifest, zpath)
        warnings += _reverify_credentials(tables, zpath)
        payloads: dict[str, bytes] = {}
        for b in tables["blobs.json"]:
            entry = f"attachments/{b['sha256']}"
            if entry not in names:
                raise InputError(
                    "attachment listed in blobs.json is missing", file=zpath, value=entry
                )
            data = z.read(entry)
            if hashlib.sha256(data).hexdigest() != b["sha256"] or len(data) != b["size"]:
                raise InputError(
                    "attachment content does not match its hash/size", file=zpath, value=entry
                )
            blobs.check(data, b["filename"] or "", source=f"{zpath}:{entry}")
            payloads[b["sha256"]] = data
        blob_ids = set(payloads)
        for i, r in enumerate(tables["items.json"]):
            for sha in r["attachments"] or []:
                if sha not in blob_ids:
                    raise InputError(
                        "item refers to an attachment not in the archive",
                        file=f"{zpath}:items.json",
                        row=i + 1,
                        value=sha,
                    )
    added = dict.fromkeys((n.removesuffix(".json") for n in TABLES), 0)
    same = dict(added)
    written: list[str] = []
    with blobs.writing(store.url, lambda: blob_digests(store)):
        try:
            with store.session(write=True) as s:
                # issuers before keys (foreign key)
                for n in (
                    "issuers.json",
                    "keys.json",
                    "blobs.json",
                    "items.json",
                    "credentials.json",
                ):
                    model = TABLES[n]
                    for i, r in enumerate(tables[n]):
                        existing = s.get(model, r[_pk(model)])
                        if existing is not None:
                            cur = {c: getattr(existing, c) for c in _cols(model)}
                            if model is KeyRow:
                                # the id is the public key and a sealed key opens only under its
                                # own id, so the same id is the same key, however it is sealed
                                cur["private_pem"], cur["key_file"] = (
                                    r["private_pem"],
                                    r["key_file"],
                                )
                            if model is CredentialRow:  # derived state, not content
                                cur["verification"] = r["verification"]
                            if cur != r:
                                raise InputError(
                                    "a different record with this id already exists: nothing was imported",
                                    file=f"{zpath}:{n}",
                                    row=i + 1,
                                    value=r[_pk(model)],
                                )
                            same[n.removesuffix(".json")] += 1
                            continue
                        s.add(model(**r))
                        added[n.removesuffix(".json")] += 1
                    s.flush()
                for sha, data in payloads.items():
                    if not blobs.path(sha).exists():
                        blobs.put(data, blobs.check(data, ""))
                        written.append(sha)
        except Exception:
            for sha in written:
                blobs.remove(sha)
            raise
    return ImportSummary(added=added, unchanged=same, warnings=tuple(warnings))


# --- JSON Resume -------------------------------------------------------------------------------


def export_json_resume(
    store: Store, *, name: str = "", public_only: bool = False
) -> dict[str, Any]:
    """A JSON Resume (https://jsonresume.org/schema) with ``skills``, ``certificates`` and ``projects``.

    Skill keywords list the evidence; ``level`` is the highest level shown (O*NET 0-7 mapped to
    Beginner/Intermediate/Advanced/Expert).
    """
    pf = load_portfolio(store)
    items = [i for i in pf.items if not public_only or i.visibility == "public"]
    skills: dict[str, dict[str, Any]] = {}
    for it in items:
        for c in it.skills:
            s = skills.setdefault(
                c.skill_id or c.label.lower(), {"name": c.label, "level": None, "keywords": []}
            )
            if c.level is not None and (s["level"] is None or c.level > s["level"]):
                s["level"] = c.level
            s["keywords"].append(it.title)

    def level_name(v: float | None) -> str:
        if v is None:
            return ""
        return (
            "Beginner"
            if v < 2.5
            else "Intermediate"
            if v < 4
            else "Advanced"
            if v < 5.5
            else "Expert"
        )

    visible = {i.id for i in items}
    certs = [
        {
            "name": c.name,
            "date": c.issued_at[:10],
            "issuer": c.issuer_name or c.issuer_id,
            **({"url": c.achievement_id} if safe_href(c.achievement_id) else {}),
        }
        for c in pf.credentials
        if c.revoked_at is None
        and (
            not public_only
            or (
                c.visibility == "public"
                and (c.item_id is None or c.item_id in visible)
                and set(c.evidence_ids) <= visible
            )
        )
    ]
    projects = [
        {
            "name": i.title,
            "description": i.description,
            "startDate": i.occurred_at[:10],
            "keywords": [c.label for c in i.skills],
            **({"url": i.url} if safe_href(i.url) else {}),
        }
        for i in items
        if i.kind == "artefact"
    ]
    return {
        "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
        "basics": {"name": name},
        "skills": [
            {
                "name": s["name"],
                "level": level_name(s["level"]),
                "keywords": list(dict.fromkeys(s["keywords"])),
            }
            for s in skills.values()
        ],
        "certificates": certs,
        "projects": projects,
        "meta": {"canonical": "", "version": "v1.0.0", "lastModified": now_iso()},
    }


# --- xAPI --------------------------------------------------------------------------------------

VERBS = {
    "completion": ("http://adlnet.gov/expapi/verbs/completed", "completed"),
    "assessment": ("http://adlnet.gov/expapi/verbs/passed", "passed"),
    "artefact": ("http://activitystrea.ms/schema/1.0/create", "created"),
    "feedback": ("http://adlnet.gov/expapi/verbs/commented", "received feedback on"),
    "credential": ("http://id.tincanapi.com/verb/earned", "earned"),
}
EXT = "https://skillpath.dev/xapi/extensions/"
_VERB_KIND = {v[0]: k for k, v in VERBS.items()}
_VERB_KIND["http://adlnet.gov/expapi/verbs/failed"] = "assessment"
_VERB_KIND["http://adlnet.gov/expapi/verbs/scored"] = "assessment"


def _statement(it: EvidenceItem, actor: dict[str, Any]) -> dict[str, Any]:
    verb_id, verb_name = VERBS[it.kind]
    if it.kind == "assessment" and it.meta.get("passed") is False:
        verb_id, verb_name = "http://adlnet.gov/expapi/verbs/failed", "failed"
    definition: dict[str, Any] = {
        "name": {"en": it.title},
        "type": "http://adlnet.gov/expapi/activities/"
        + (
            "assessment"
            if it.kind == "assessment"
            else "course"
            if it.kind == "completion"
            else "media"
        ),
    }
    if it.description:
        definition["description"] = {"en": it.description}
    st: dict[str, Any] = {
        "id": it.id,
        "actor": actor,
        "verb": {"id": verb_id, "display": {"en": verb_name}},
        "object": {
            "objectType": "Activity",
            "id": it.url or f"urn:skillpath:item:{it.id}",
            "definition": definition,
        },
        "timestamp": it.occurred_at,
        "context": {
            "extensions": {
                EXT + "skills": [c.to_dict() for c in it.skills],
                EXT + "kind": it.kind,
                EXT + "visibility": it.visibility,
                EXT + "weight": evidence_weight(it),
            }
        },
    }
    result: dict[str, Any] = {}
    if it.kind in ("completion", "artefact", "credential"):
        result["completion"] = True
    if "score" in it.meta and isinstance(it.meta["score"], int | float):
        score: dict[str, Any] = {"raw": it.meta["score"]}
        if isinstance(it.meta.get("max_score"), int | float):
            score["max"] = it.meta["max_score"]
            score["min"] = 0
            if it.meta["max_score"]:
                score["scaled"] = max(-1.0, min(1.0, it.meta["score"] / it.meta["max_score"]))
        result["score"] = score
    if "passed" in it.meta:
        result["success"] = bool(it.meta["passed"])
    if result:
        st["result"] = result
    return st


def export_xapi(
    store: Store, *, actor_email: str | None = None, actor_name: str = "", public_only: bool = False
) -> list[dict[str, Any]]:
    """xAPI 1.0.3 statements, one per evidence item (statement id = item id).

    With ``public_only``, only public items (private and shared ones are left out).
    """
    actor: dict[str, Any] = {"objectType": "Agent"}
    if actor_name:
        actor["name"] = actor_name
    if actor_email:
        actor["mbox"] = f"mailto:{actor_email}"
    else:
        actor["account"] = {"homePage": "https://skillpath.dev", "name": "learner"}
    return [
        _statement(i, actor)
        for i in load_portfolio(store).items
        if not public_only or i.visibility == "public"
    ]


def import_xapi(
    store: Store,
    statements: Sequence[dict[str, Any]] | dict[str, Any] | StatementSet,
    *,
    source: str | Path = "xapi",
    notes: list[str] | None = None,
) -> list[str]:
    """Turn xAPI statements into evidence items (validated first, written in one transaction).

    Statements are read by the shared xAPI reader (:mod:`skillpath._xapi`): any malformed
    statement refuses the whole import with its row and reason. Valid statements that are not
    evidence are skipped and said so in ``notes``: voiding statements and what they void, objects
    that are not activities, and verbs that do not show finished work (attempted, experienced,
    launched, ... unless ``result.completion`` is true). Items are always private (a statement
    cannot publish itself); ``timestamp`` is optional (``stored``, else the import time, noted).
    Statements whose id already exists as an item are skipped.

    Raises:
        InputError: a malformed statement, or a bad Skillpath kind/skills extension.
    """
    from skillpath.portfolio._evidence import _item_row
    from skillpath.portfolio._model import SkillClaim

    got = (
        statements
        if isinstance(statements, StatementSet)
        else parse_statements(statements, source=source)
    )
    if got.rejected:
        row = got.rejected[0][0]
        raise InputError(
            f"{len(got.rejected)} of {got.rows} statement(s) are not valid xAPI 1.0.3, nothing was "
            f"imported: {describe(got.rejected)}",
            file=source,
            row=row,
        )
    said = notes if notes is not None else []
    said.extend(got.notes)
    for row, target in got.voiding:
        said.append(f"row {row}: a voiding statement (voids {target}), not evidence")
    for row, sid in got.voided:
        said.append(f"row {row}: statement {sid} is voided: skipped")
    items: list[EvidenceItem] = []
    now = now_iso()
    no_time = 0
    for st in got.statements:
        n = st.row
        raw = st.raw
        if st.object_type != "Activity" or not st.object_id:
            said.append(f"row {n}: the object is a {st.object_type}, not an activity: skipped")
            continue
        ext = (raw.get("context") or {}).get("extensions") or {}
        if not isinstance(ext, dict):
            raise InputError("context.extensions must be an object", file=source, row=n)
        res = raw.get("result") or {}
        kind = ext.get(EXT + "kind") or _VERB_KIND.get(st.verb_id)
        if kind is None:
            if not st.is_completion_verb and res.get("completion") is not True:
                said.append(
                    f"row {n}: verb {st.verb!r} does not show finished work (not a completion): skipped"
                )
                continue
            if res.get("completion") is not True:
                said.append(
                    f"row {n}: verb {st.verb_id!r} is not one Skillpath maps to evidence and "
                    "result.completion is not true: skipped"
                )
                continue
            kind = "completion"
        if kind not in EVIDENCE_KINDS:
            raise InputError(
                "unknown kind in the Skillpath extension", file=source, row=n, value=kind
            )
        obj = raw["object"]
        definition = obj.get("definition") or {}
        names = definition.get("name") or {}
        title = (
            names.get("en")
            or names.get("en-US")
            or next(iter(names.values()), None)
            or st.object_id
        )
        desc = definition.get("description") or {}
        try:
            skills = tuple(SkillClaim.from_dict(d) for d in ext.get(EXT + "skills", []))
        except (KeyError, TypeError, AttributeError) as exc:
            raise InputError("malformed skills extension", file=source, row=n) from exc
        meta: dict[str, Any] = {"source": "xapi"}
        if isinstance(res.get("score"), dict) and "raw" in res["score"]:
            meta["score"] = res["score"]["raw"]
            if "max" in res["score"]:
                meta["max_score"] = res["score"]["max"]
        if "success" in res:
            meta["passed"] = bool(res["success"])
        oid = st.object_id
        if not safe_href(oid) and not oid.startswith("urn:skillpath:item:"):
            meta["activity_id"] = oid  # an IRI that is not a web link stays text
        if st.time is None:
            no_time += 1
            meta["time_source"] = "import"
        elif st.time_source == "stored":
            meta["time_source"] = "stored"
        occurred = (
            st.time.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
            if st.time is not None
            else now
        )
        items.append(
            EvidenceItem(
                id=st.id or str(uuid.uuid4()),
                kind=kind,
                title=str(title),
                description=(desc.get("en") or desc.get("en-US") or next(iter(desc.values()), ""))
                if isinstance(desc, dict)
                else "",
                url=safe_href(oid),
                # a statement cannot publish itself: imported items are private until the learner
                # shares them (the exporter's visibility extension is informative only)
                visibility="private",
                skills=skills,
                occurred_at=occurred,
                created_at=now,
                meta=meta,
            )
        )
    if no_time:
        said.append(
            f"{no_time} statement(s) have no timestamp or stored time: the import time is used"
        )
    added: list[str] = []
    with store.session() as s:
        for it in items:
            if s.get(EvidenceRow, it.id) is None:
                s.add(_item_row(it))
                added.append(it.id)
    return added
