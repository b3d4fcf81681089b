"""CLI of the portfolio domain: ``skillpath portfolio ...`` and ``skillpath badge ...``.

Script contract (keep exactly): ``portfolio add`` prints only the new id; ``badge verify`` and
``badge import`` exit 0 verified, 1 invalid, 2 unreadable, 3 could not be checked fully offline.
JSON schemas of ``--json`` outputs are in docs/portfolio.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from skillpath.cli._app import app, console, err_console, get_store
from skillpath.errors import InputError, IntegrityError

portfolio_app = typer.Typer(
    help="Your portfolio: evidence, sharing, export/import, public site.", no_args_is_help=True
)
badge_app = typer.Typer(
    help="Open Badges: issue, verify, import, stack; issuer keys.", no_args_is_help=True
)
app.add_typer(portfolio_app, name="portfolio")
app.add_typer(badge_app, name="badge")


def _item_json(it) -> dict:
    from skillpath.portfolio import evidence_weight

    return {
        "id": it.id,
        "kind": it.kind,
        "title": it.title,
        "description": it.description,
        "url": it.url,
        "visibility": it.visibility,
        "shared_with": list(it.shared_with),
        "occurred_at": it.occurred_at,
        "skills": [s.to_dict() for s in it.skills],
        "attachments": list(it.attachments),
        "meta": dict(it.meta),
        "weight": evidence_weight(it),
    }


@portfolio_app.command("add")
def add(
    kind: Annotated[
        str, typer.Option("--kind", help="completion|assessment|artefact|feedback|credential")
    ],
    title: Annotated[str, typer.Option("--title")],
    skill: Annotated[
        list[str],
        typer.Option(
            "--skill", help="Skill name (repeatable); linked to the taxonomy when imported."
        ),
    ] = [],  # noqa: B006
    file: Annotated[list[Path], typer.Option("--file", help="Attachment (repeatable).")] = [],  # noqa: B006
    url: Annotated[str | None, typer.Option("--url")] = None,
    visibility: Annotated[
        str, typer.Option("--visibility", help="private|shared|public")
    ] = "private",
    share_with: Annotated[
        list[str], typer.Option("--with", help="Person to share with (repeatable).")
    ] = [],  # noqa: B006
    description: Annotated[str, typer.Option("--description")] = "",
    level: Annotated[float | None, typer.Option("--level", help="Level shown, 0-7.")] = None,
    bloom: Annotated[
        str | None,
        typer.Option("--bloom", help="remember|understand|apply|analyze|evaluate|create"),
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="When it happened (ISO 8601).")] = None,
    score: Annotated[float | None, typer.Option("--score")] = None,
    max_score: Annotated[float | None, typer.Option("--max-score")] = None,
    reviewed_by: Annotated[
        str | None, typer.Option("--reviewed-by", help="Mentor who reviewed it.")
    ] = None,
) -> None:
    """Add evidence; prints the new item's id (only the id)."""
    from skillpath.portfolio import add_evidence, resolve_skill

    if url is not None:
        from skillpath.links import check_url

        check_url(url, column="--url", urn=True)  # reported as "option '--url'"
    store = get_store()
    claims = [resolve_skill(store, s, level=level, bloom=bloom) for s in skill]
    meta: dict[str, object] = {}
    if score is not None:
        meta["score"] = score
    if max_score is not None:
        meta["max_score"] = max_score
    if reviewed_by:
        meta["reviewed_by"] = reviewed_by
    item = add_evidence(
        store,
        kind=kind,
        title=title,
        skills=claims,
        description=description,
        url=url,
        files=file,
        visibility=visibility,
        shared_with=share_with,
        occurred_at=date,
        meta=meta,
    )
    typer.echo(item.id)


@portfolio_app.command("list")
def list_cmd(
    kind: Annotated[str | None, typer.Option("--kind")] = None,
    visibility: Annotated[str | None, typer.Option("--visibility")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List evidence items (with their integrity weight) and integrity flags."""
    from skillpath.portfolio import integrity_flags, list_items, load_portfolio

    store = get_store()
    items = list_items(store, kind=kind, visibility=visibility)
    flags = integrity_flags(load_portfolio(store))
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "items": [_item_json(i) for i in items],
                    "flags": [
                        {
                            "code": f.code,
                            "severity": f.severity,
                            "items": list(f.item_ids),
                            "message": f.message,
                        }
                        for f in flags
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    t = Table("id", "kind", "title", "skills", "visibility", "date", "weight")
    for i in items:
        t.add_row(
            i.id[:8],
            i.kind,
            Text(i.title),
            Text(", ".join(s.label for s in i.skills)),
            i.visibility,
            i.occurred_at[:10],
            f"{_item_json(i)['weight']:.2f}",
        )
    console.print(t)
    for f in flags:
        console.print(Text(f"{f.severity} {f.code}: {f.message}", style="yellow"))


@portfolio_app.command("show")
def show(
    item_id: Annotated[str, typer.Argument(help="Item id or a unique prefix of it.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one item (id or unique prefix), with its credentials."""
    from skillpath.portfolio import get_item, load_portfolio

    store = get_store()
    it = get_item(store, item_id)
    creds = [
        c
        for c in load_portfolio(store).credentials
        if c.item_id == it.id or it.id in c.evidence_ids
    ]
    data = _item_json(it) | {
        "credentials": [
            {"id": c.id, "name": c.name, "format": c.format, "revoked": c.revoked_at is not None}
            for c in creds
        ]
    }
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for k, v in data.items():
        for line in _readable(k, v):
            console.print(Text(line))


def _readable(key: str, value: object, indent: str = "") -> list[str]:
    """Lines for a terminal: lists and mappings spelled out, never as Python reprs."""
    if value is None or value == "" or value == [] or value == {}:
        return [f"{indent}{key}: -"]
    if isinstance(value, dict):
        lines = [f"{indent}{key}:"]
        for k, v in value.items():
            lines += _readable(str(k), v, indent + "  ")
        return lines
    if isinstance(value, list | tuple):
        if all(not isinstance(v, dict | list | tuple) for v in value):
            return [f"{indent}{key}: {', '.join(str(v) for v in value)}"]
        lines = [f"{indent}{key}:"]
        for i, v in enumerate(value, 1):
            lines += _readable(f"{i}", v, indent + "  ")
        return lines
    if isinstance(value, bool):
        return [f"{indent}{key}: {'yes' if value else 'no'}"]
    return [f"{indent}{key}: {value}"]


@portfolio_app.command("share")
def share(
    item_id: str,
    with_: Annotated[
        list[str], typer.Option("--with", help="Person to share with (repeatable).")
    ] = [],  # noqa: B006
    remove: Annotated[
        list[str], typer.Option("--remove", help="Stop sharing with this person.")
    ] = [],  # noqa: B006
    visibility: Annotated[
        str | None, typer.Option("--visibility", help="private|shared|public")
    ] = None,
) -> None:
    """Share an item with named people, or make it public/private."""
    from skillpath.portfolio import share_item

    it = share_item(get_store(), item_id, visibility=visibility, add=with_, remove=remove)
    console.print(
        f"{it.id}: {it.visibility}" + (f" ({', '.join(it.shared_with)})" if it.shared_with else "")
    )


@portfolio_app.command("export")
def export(
    file: Path,
    include_keys: Annotated[
        bool, typer.Option("--include-keys", help="Also export issuers' private keys.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="zip | json-resume | xapi")] = "zip",
    actor: Annotated[
        str | None, typer.Option("--actor", help="E-mail of the learner (xAPI actor).")
    ] = None,
    name: Annotated[str, typer.Option("--name", help="Learner name (JSON Resume basics).")] = "",
    public_only: Annotated[
        bool,
        typer.Option("--public-only", help="Only public items (and credentials backed by them)."),
    ] = False,
) -> None:
    """Export everything to a zip (lossless), or to JSON Resume / xAPI statements."""
    from skillpath.portfolio import export_json_resume, export_xapi, export_zip

    store = get_store()
    if fmt == "zip":
        export_zip(store, file, include_keys=include_keys, public_only=public_only)
    elif fmt in ("json-resume", "xapi"):
        doc = (
            export_json_resume(store, name=name, public_only=public_only)
            if fmt == "json-resume"
            else export_xapi(store, actor_email=actor, actor_name=name, public_only=public_only)
        )
        text = json.dumps(doc, indent=2, ensure_ascii=False)
        if public_only:
            file.write_text(text, "utf-8")  # meant to be shared
        else:
            from skillpath._private_files import write_private

            write_private(file, text)  # holds private items: owner-only, like the zip
    else:
        raise InputError("--format must be zip, json-resume or xapi", value=fmt)
    console.print(f"wrote {file}")


@portfolio_app.command("import")
def import_cmd(
    file: Path,
    fmt: Annotated[str, typer.Option("--format", help="zip | xapi")] = "zip",
) -> None:
    """Import a portfolio zip (all or nothing) or xAPI statements (JSON list)."""
    from skillpath.portfolio import import_xapi, import_zip

    store = get_store()
    if fmt == "xapi":
        from skillpath._xapi import read_statements

        got = read_statements(file)  # the reader `recommend batch` uses too (decision 0083)
        notes: list[str] = []
        added = import_xapi(store, got, source=str(file), notes=notes)
        for n in notes:
            err_console.print(Text(f"note: {n}"), highlight=False)
        console.print(f"imported {len(added)} statement(s)")
        return
    summary = import_zip(store, file)
    console.print(
        "imported "
        + ", ".join(f"{k}: {v}" for k, v in summary.added.items())
        + " (unchanged: "
        + ", ".join(f"{k}: {v}" for k, v in summary.unchanged.items())
        + ")"
    )
    for w in summary.warnings:
        err_console.print(Text(f"warning: {w}", style="yellow"))


@portfolio_app.command("site")
def site(out: Path, title: Annotated[str, typer.Option("--title")] = "Portfolio") -> None:
    """Write a static site with only the public items to OUT/."""
    from skillpath.portfolio import build_site

    console.print(f"wrote {build_site(get_store(), out, title=title)}")


@badge_app.command("issue")
def issue(
    evidence: Annotated[
        list[str], typer.Option("--evidence", help="Evidence item id (repeatable).")
    ],
    name: Annotated[str, typer.Option("--name")],
    out: Annotated[Path, typer.Option("--out")],
    proof: Annotated[
        str, typer.Option("--proof", help="ldp (Data Integrity) | jwt (VC-JOSE)")
    ] = "ldp",
    recipient: Annotated[
        str | None, typer.Option("--recipient", help="DID/URI or e-mail of the earner.")
    ] = None,
    description: Annotated[str, typer.Option("--description")] = "",
    valid_days: Annotated[float | None, typer.Option("--valid-days")] = None,
    bake: Annotated[
        Path | None,
        typer.Option(
            "--bake", help="Also bake into this PNG/SVG image (writes OUT with its suffix)."
        ),
    ] = None,
) -> None:
    """Issue an Open Badges 3.0 credential for evidence, signed by the local issuer."""
    from skillpath.portfolio import bake_png, bake_svg, issue_badge

    img = _bakeable_image(bake) if bake is not None else None  # before anything is stored
    ic = issue_badge(
        get_store(),
        evidence=evidence,
        name=name,
        proof=proof,
        recipient=recipient,
        description=description,
        valid_days=valid_days,
    )
    if bake is not None and img is not None:
        if bake.suffix.lower() == ".svg":
            out.write_text(bake_svg(img.decode("utf-8"), ic.text, ob3=True), "utf-8")
        else:
            out.write_bytes(bake_png(img, ic.text, keyword="openbadgecredential"))
    else:
        out.write_text(ic.text + ("\n" if not ic.text.endswith("\n") else ""), "utf-8")
    console.print(f"issued {ic.record.id} -> {out}")


def _bakeable_image(path: Path) -> bytes:
    """The image's bytes, after a trial bake: a bad image is refused before a badge is issued."""
    from skillpath.portfolio import bake_png, bake_svg

    if not path.is_file():
        raise InputError("image to bake into not found", file=path)
    img = path.read_bytes()
    try:
        if path.suffix.lower() == ".svg":
            bake_svg(img.decode("utf-8"), "{}", ob3=True)
        else:
            bake_png(img, "{}", keyword="openbadgecredential")
    except UnicodeDecodeError as exc:
        raise InputError("cannot bake into this SVG: it is not UTF-8 text", file=path) from exc
    except InputError as exc:
        raise InputError(f"cannot bake into this image: {exc.message}", file=path) from exc
    return img


_OUTCOME_LABEL = {
    "verified": ("VERIFIED", "bold green"),
    "invalid": ("NOT VALID", "bold red"),
    "unreadable": ("UNREADABLE", "bold red"),
    "unchecked": ("NOT VERIFIED (could not be checked fully)", "bold yellow"),
}


def _print_report(r) -> None:
    label, style = _OUTCOME_LABEL[r.outcome]
    # Text objects, not markup: names and messages come from the credential and may hold brackets.
    console.print(
        Text.assemble(
            (label, style),
            f" ({r.status}) {r.format} in {r.container}: "
            f"{r.name or '?'} from {r.issuer_name or r.issuer_id or '?'}",
        ),
        highlight=False,
    )
    t = Table("check", "result", "message")
    for c in r.checks:
        res = "ok" if c.success else ("not checked" if c.level == "unchecked" else c.level)
        style = "" if c.success else ("red" if c.level == "error" else "yellow")
        t.add_row(c.name, Text(res, style=style), Text(c.message))
    console.print(t)
    console.print(
        Text(
            f"{r.error_count} error(s), {r.warning_count} warning(s), "
            f"{r.unchecked_count} not checked (exit {r.exit_code})"
        )
    )


def _read_badge(file: Path) -> bytes:
    if not file.is_file():
        raise InputError("file not found", file=file)
    return file.read_bytes()


_KEY_HELP = (
    "The issuer's public key: PEM, Multikey/JWK JSON or an OB 2.0 CryptographicKey "
    "(OB 2.0 signed assertions; OB 3.0 keys that are not did:key)."
)
_LIST_HELP = (
    "A revocation list or status list for the credential (OB 2.0 RevocationList, "
    "BitstringStatusListCredential, or a JSON list of ids); kept in the cache for next time. "
    "Repeatable."
)


def _verify_file(file: Path, *, key: Path | None, lists: list[Path], recipient: str | None = None):
    """Verify ``file`` with the key and revocation lists given; cache the lists under their URLs."""
    from skillpath.portfolio import load_verification_key, store_status, verify_badge
    from skillpath.portfolio._revocation import cache_revocation_list, load_revocation_list
    from skillpath.portfolio._verify import declared_status_urls

    data = _read_badge(file)
    vkey = load_verification_key(_read_badge(key), source=str(key)) if key else None
    revocation_lists = [load_revocation_list(p) for p in lists]
    r = verify_badge(
        data,
        status=store_status(get_store()),
        key=vkey,
        recipient=recipient,
        revocation_lists=revocation_lists,
    )
    urls = declared_status_urls(r.credential) if r.credential else []
    for lst in revocation_lists:
        cache_revocation_list(lst, urls if len(revocation_lists) == 1 else [])
    return r


@badge_app.command("verify")
def verify(
    file: Annotated[Path, typer.Argument(help="The badge: JSON, JWT, or a baked PNG/SVG.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    key: Annotated[Path | None, typer.Option("--key", help=_KEY_HELP)] = None,
    recipient: Annotated[
        str | None, typer.Option("--recipient", help="E-mail to match the recipient against.")
    ] = None,
    revocation_list: Annotated[list[Path], typer.Option("--revocation-list", help=_LIST_HELP)] = [],  # noqa: B006
) -> None:
    """Verify a credential (OB 3.0 JSON/JWT, OB 2.0 JSON/JWS, baked PNG/SVG).

    Exit 0 verified, 1 invalid (tampered, expired, revoked, wrong key), 2 unreadable input,
    3 could not be checked fully offline (see docs/portfolio.md).
    """
    from skillpath.portfolio._received import not_verified_error

    r = _verify_file(file, key=key, lists=revocation_list, recipient=recipient)
    if as_json:
        typer.echo(json.dumps(r.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_report(r)
    if r.outcome != "verified":
        raise not_verified_error(r, str(file))


@badge_app.command("import")
def import_badge_cmd(
    file: Annotated[Path, typer.Argument(help="The badge: JSON, JWT, or a baked PNG/SVG.")],
    visibility: Annotated[
        str, typer.Option("--visibility", help="private|shared|public")
    ] = "private",
    key: Annotated[Path | None, typer.Option("--key", help=_KEY_HELP)] = None,
    revocation_list: Annotated[list[Path], typer.Option("--revocation-list", help=_LIST_HELP)] = [],  # noqa: B006
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Keep it even if it does not verify, marked unverified (it never stacks or "
            "backs a badge).",
        ),
    ] = False,
) -> None:
    """Verify a credential from elsewhere and keep it in the portfolio (prints the evidence item id).

    Exit codes as for `badge verify`; nothing is stored unless it verified (or --force).
    """
    from skillpath.portfolio import import_badge

    r = _verify_file(file, key=key, lists=revocation_list)
    rec = import_badge(get_store(), r, visibility=visibility, force=force, source=str(file))
    if r.outcome != "verified":
        err_console.print(
            Text(
                f"warning: kept unverified ({r.outcome}): " + "; ".join(r.problems(3)),
                style="yellow",
            )
        )
    typer.echo(rec.item_id)


@badge_app.command("reissue")
def reissue(
    credential_id: Annotated[
        str | None, typer.Argument(help="Id of a credential issued here (omit with --all).")
    ] = None,
    all_: Annotated[
        bool,
        typer.Option(
            "--all", help="Re-issue every credential issued here that has a pre-release context."
        ),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the re-issued credential to this file.")
    ] = None,
    proof: Annotated[
        str | None, typer.Option("--proof", help="ldp | jwt (default: as before)")
    ] = None,
) -> None:
    """Sign a credential issued here again with the published Open Badges 3.0 context."""
    from skillpath.portfolio import load_portfolio, reissue_credential, verify_badge

    store = get_store()
    if all_ == (credential_id is not None):
        raise InputError("give a CREDENTIAL_ID or --all (not both)", column="credential_id")
    if credential_id is not None:
        ids = [credential_id]
    else:
        ids = [
            c.id
            for c in load_portfolio(store).credentials
            if c.direction == "issued"
            and c.revoked_at is None
            and verify_badge(c.raw).legacy_context
        ]
    if out is not None and len(ids) != 1:
        raise InputError("--out needs exactly one credential", column="--out")
    for cid in ids:
        ic = reissue_credential(store, cid, proof=proof)
        if out is not None:
            out.write_text(ic.text + ("\n" if not ic.text.endswith("\n") else ""), "utf-8")
        console.print(Text(f"re-issued {cid}" + (f" -> {out}" if out else "")))
    if not ids:
        console.print("nothing to re-issue: no credential issued here has a pre-release context")


@badge_app.command("revoke")
def revoke(credential_id: str, reason: Annotated[str, typer.Option("--reason")] = "") -> None:
    """Revoke a credential issued here."""
    from skillpath.portfolio import revoke_credential

    rec = revoke_credential(get_store(), credential_id, reason=reason)
    console.print(f"revoked {rec.id}")


@badge_app.command("stack")
def stack(
    rule: Path,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Issue the stacked credential to this file when met."),
    ] = None,
    proof: Annotated[str, typer.Option("--proof")] = "ldp",
) -> None:
    """Check a stacking rule (JSON) against your credentials; issue the larger credential when met."""
    from skillpath.portfolio import evaluate_stack, issue_badge, load_portfolio, load_stack_rule
    from skillpath.portfolio._received import counts_as_verified, verification_states

    store = get_store()
    r = load_stack_rule(rule)
    pf = load_portfolio(store)
    states = verification_states(store)
    valid = []
    for c in pf.credentials:
        if c.revoked_at is not None:
            continue
        ok, why = counts_as_verified(store, c, stored=states.get(c.id))
        if ok:
            valid.append(c.id)
        else:
            console.print(Text(f"not counted: {c.name} ({c.id}): {why}", style="yellow"))
    res = evaluate_stack(r, pf, valid_ids=valid)
    for i, cid in sorted(res.matched.items()):
        console.print(f"[green]met[/] requirement {i + 1} by {cid}")
    for m in res.missing:
        console.print(f"[red]missing[/] {m}")
    if not res.satisfied:
        raise IntegrityError(f"the stacking rule {r.name!r} is not met")
    if out is not None:
        creds = {c.id: c for c in pf.credentials}
        ev = sorted(
            {
                e
                for cid in res.matched.values()
                for e in (creds[cid].evidence_ids or (creds[cid].item_id,))
                if e
            }
        )
        ic = issue_badge(
            store,
            evidence=ev,
            name=r.name,
            proof=proof,
            description=r.description,
            achievement_type=r.achievement_type,
            extra_achievement={
                "related": [{"id": cid, "type": ["Related"]} for cid in res.matched.values()]
            },
        )
        out.write_text(ic.text, "utf-8")
        console.print(f"issued {ic.record.id} -> {out}")


@badge_app.command("rotate-key")
def rotate(
    key_file: Annotated[
        Path | None,
        typer.Option("--key-file", help="Use this private key (PEM) instead of a new one."),
    ] = None,
) -> None:
    """Retire the default issuer's key and start signing with a new one (old credentials still verify)."""
    from skillpath.portfolio import rotate_key

    p = rotate_key(get_store(), key_file=key_file)
    console.print(f"issuer {p.name} now signs as {p.did} ({len(p.keys) - 1} retired key(s) kept)")
