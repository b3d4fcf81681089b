"""Issue 11, security: hostile URLs on every entry path, the public site's CSP and folder safety,
visibility in every exporter, and the Markdown plan escaping a CV's name."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from skillpath.cli import main
from skillpath.errors import InputError
from skillpath.links import check_url, safe_href, url_problem
from skillpath.portfolio import (
    add_evidence,
    build_site,
    export_json_resume,
    export_xapi,
    export_zip,
    import_xapi,
    import_zip,
    issue_badge,
    load_portfolio,
    share_item,
)
from skillpath.store import Store, open_store
from skillpath.store.models.portfolio import EvidenceRow

HOSTILE = [
    "javascript://x/%0Aalert(document.domain)",  # the audit's form: '://' and a comment trick
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\nscript:alert(1)",  # browsers drop newlines and tabs inside URLs
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "https:/\\evil",
    "//evil.example/x",
    "https://",
    "https://good.example@evil.example/",
    "https://exa mple.org/",
    "x" * 3000,
]
GOOD = [
    "https://example.org/work",
    "http://example.org:8080/a?b=c#d",
    "HTTPS://EXAMPLE.ORG/",
    "https://[2001:db8::1]/x",
    "https://例え.jp/パス",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_urls_are_refused_with_a_reason(url: str) -> None:
    why = url_problem(url, mailto=True)
    assert why, url
    assert safe_href(url) is None
    with pytest.raises(InputError) as exc:
        check_url(url, column="url", file="f.json", row=3)
    assert "f.json" in str(exc.value) and "row 3" in str(exc.value)


@pytest.mark.parametrize("url", GOOD)
def test_http_urls_are_links(url: str) -> None:
    assert url_problem(url) is None and safe_href(url) == url


def test_mailto_and_urn_only_where_allowed() -> None:
    assert safe_href("mailto:me@example.org") is None
    assert safe_href("mailto:me@example.org", mailto=True) == "mailto:me@example.org"
    assert url_problem("mailto:javascript:alert(1)", mailto=True)
    assert url_problem("urn:isbn:9780131103627", urn=True) is None
    assert safe_href("urn:isbn:9780131103627") is None  # an identifier, never a link
    assert url_problem("urn:isbn:9780131103627")


# --- entry path 1: portfolio add ------------------------------------------------------------


def test_add_refuses_a_javascript_url(store: Store) -> None:
    with pytest.raises(InputError, match="only http"):
        add_evidence(store, kind="artefact", title="T", url="javascript://x/%0Aalert(1)")
    assert load_portfolio(store).items == ()
    assert add_evidence(store, kind="artefact", title="T", url="urn:isbn:9780131103627").url


def test_cli_add_with_hostile_url_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SKILLPATH_DB", str(tmp_path / "cli.db"))
    args = ["portfolio", "add", "--kind", "artefact", "--title", "<b>x</b>"]
    code = main([*args, "--url", "javascript://x/%0Aalert(document.domain)"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and "javascript" in err and "option '--url'" in err


# --- entry path 2: portfolio import (zip) ---------------------------------------------------


def test_zip_import_refuses_hostile_urls_and_imports_nothing(store: Store, tmp_path: Path) -> None:
    add_evidence(store, kind="artefact", title="Good", url="https://example.org/")
    add_evidence(store, kind="artefact", title="Second")
    good = export_zip(store, tmp_path / "good.zip")
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "items.json":
                rows = json.loads(data)
                rows[1]["url"] = "javascript://x/%0Aalert(1)"
                data = json.dumps(rows).encode()
            dst.writestr(info, data)
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    with pytest.raises(InputError) as exc:
        import_zip(fresh, bad)
    assert "items.json" in str(exc.value) and "row 2" in str(exc.value)
    assert "'url'" in str(exc.value)
    assert load_portfolio(fresh).items == ()


# --- entry path 3: xAPI import --------------------------------------------------------------


def _statement(oid: str, **ext: object) -> dict[str, object]:
    return {
        "id": "7f1b1b4e-3c1e-4b7e-9d7e-0d8c3a0f5a11",
        "actor": {"mbox": "mailto:learner@example.org"},
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-US": "completed"},
        },
        "object": {"id": oid, "definition": {"name": {"en-US": "<img src=x onerror=alert(1)>"}}},
        "timestamp": "2024-03-01T10:00:00Z",
        "context": {
            "extensions": {f"https://skillpath.dev/xapi/extensions/{k}": v for k, v in ext.items()}
        },
    }


def test_xapi_import_never_links_a_script_and_never_publishes(store: Store) -> None:
    added = import_xapi(store, [_statement("javascript://x/%0Aalert(1)", visibility="public")])
    it = load_portfolio(store).items[0]
    assert added == [it.id]
    assert it.url is None and it.visibility == "private"
    assert it.meta.get("activity_id") == "javascript://x/%0Aalert(1)"  # kept as text, not a link


def test_xapi_import_keeps_http_activity_ids_as_links(store: Store) -> None:
    import_xapi(store, [_statement("https://lms.example.org/course/42")])
    assert load_portfolio(store).items[0].url == "https://lms.example.org/course/42"


# --- the site: CSP, links, active attachments -----------------------------------------------


def _legacy_hostile_row(store: Store, title: str, url: str) -> None:
    """An item stored before URLs were checked (written straight to the table)."""
    with store.session() as s:
        s.add(
            EvidenceRow(
                id=f"legacy-{abs(hash(url)) % 10**8}",
                kind="artefact",
                title=title,
                description="",
                url=url,
                visibility="public",
                shared_with=[],
                skills=[],
                attachments=[],
                occurred_at="2024-01-01T00:00:00Z",
                created_at="2024-01-01T00:00:00Z",
                meta={},
            )
        )


def test_site_has_a_csp_and_never_links_a_stored_script(store: Store, tmp_path: Path) -> None:
    _legacy_hostile_row(store, "Old hostile", "javascript://x/%0Aalert(1)")
    add_evidence(
        store, kind="artefact", title="Fine", url="https://example.org/", visibility="public"
    )
    html = build_site(store, tmp_path / "site").read_text()
    assert 'http-equiv="Content-Security-Policy"' in html
    csp = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    assert "script-src 'none'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "javascript" not in html.lower()
    assert 'href="https://example.org/"' in html
    data = json.loads((tmp_path / "site" / "portfolio.json").read_text())
    assert {i["title"]: i["url"] for i in data["items"]}["Old hostile"] is None


def test_site_does_not_publish_svg_as_a_file(store: Store, tmp_path: Path) -> None:
    svg = tmp_path / "pic.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
        "<script>alert(1)</script><rect width='4' height='4'/></svg>"
    )
    add_evidence(store, kind="artefact", title="Art", files=[svg], visibility="public")
    html = build_site(store, tmp_path / "site").read_text()
    assert list((tmp_path / "site" / "files").iterdir()) == []
    assert 'src="data:image/svg+xml;base64,' in html


# --- the site folder ------------------------------------------------------------------------


def test_site_refuses_a_folder_that_is_not_a_site(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    (out / "files").mkdir(parents=True)
    (out / "files" / "thesis.pdf").write_bytes(b"%PDF-1.4 my thesis")
    (out / "credentials").mkdir()
    (out / "credentials" / "keep.txt").write_text("mine")
    (out / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not a site Skillpath wrote"):
        build_site(store, out)
    assert (out / "files" / "thesis.pdf").read_bytes() == b"%PDF-1.4 my thesis"
    assert (out / "credentials" / "keep.txt").read_text() == "mine"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".mine")]  # no temporary folder


def test_site_rebuilds_a_previous_site_and_keeps_added_files(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    add_evidence(store, kind="artefact", title="First", visibility="public")
    build_site(store, out)
    (out / "CNAME").write_text("me.example.org")
    add_evidence(store, kind="artefact", title="Second", visibility="public")
    html = build_site(store, out).read_text()
    assert "First" in html and "Second" in html
    assert (out / "CNAME").read_text() == "me.example.org"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site")]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build_site(store, empty).is_file()


def test_site_cli_refusal_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SKILLPATH_DB", str(tmp_path / "cli.db"))
    out = tmp_path / "docs"
    (out / "files").mkdir(parents=True)
    (out / "files" / "a.txt").write_text("mine")
    assert main(["portfolio", "site", str(out)]) == 2
    assert "not a site" in capsys.readouterr().err
    assert (out / "files" / "a.txt").read_text() == "mine"


# --- visibility in every exporter -----------------------------------------------------------


def _three(store: Store) -> dict[str, str]:
    ids = {}
    for vis in ("private", "shared", "public"):
        ids[vis] = add_evidence(
            store,
            kind="artefact",
            title=f"{vis} work",
            skills=[f"{vis} skill"],
            visibility=vis,
            shared_with=["mentor"] if vis == "shared" else (),
        ).id
    return ids


def test_xapi_export_public_only(store: Store) -> None:
    ids = _three(store)
    assert {s["id"] for s in export_xapi(store)} == set(ids.values())
    assert [s["id"] for s in export_xapi(store, public_only=True)] == [ids["public"]]


def test_json_resume_export_public_only(store: Store) -> None:
    _three(store)
    text = json.dumps(export_json_resume(store, public_only=True))
    assert "public work" in text and "private" not in text and "shared" not in text


def test_zip_export_public_only(store: Store, tmp_path: Path) -> None:
    ids = _three(store)
    issue_badge(store, evidence=[ids["private"]], name="Private badge")
    z = export_zip(store, tmp_path / "p.zip", public_only=True)
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    import_zip(fresh, z)
    pf = load_portfolio(fresh)
    assert [i.id for i in pf.items] == [ids["public"]]
    assert pf.credentials == ()


@pytest.mark.parametrize("fmt", ["xapi", "json-resume", "zip"])
def test_cli_export_public_only_per_format(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLPATH_DB", str(tmp_path / "cli.db"))
    store = open_store(f"sqlite:///{tmp_path / 'cli.db'}")
    _three(store)
    out = tmp_path / f"out.{fmt}"
    assert main(["portfolio", "export", str(out), "--format", fmt, "--public-only"]) == 0
    if fmt == "zip":
        with zipfile.ZipFile(out) as z:
            text = z.read("items.json").decode()
    else:
        text = out.read_text()
    assert "public work" in text
    assert "private work" not in text and "shared work" not in text


def test_sharing_after_import_makes_public(store: Store) -> None:
    import_xapi(store, [_statement("https://lms.example.org/c/1", visibility="public")])
    it = load_portfolio(store).items[0]
    assert share_item(store, it.id, visibility="public").visibility == "public"


@pytest.mark.parametrize("fmt", ["xapi", "json-resume", "zip"])
def test_cli_full_exports_are_owner_only(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import stat

    monkeypatch.setenv("SKILLPATH_DB", str(tmp_path / "cli.db"))
    old = os.umask(0o022)
    try:
        out = tmp_path / f"all.{fmt}"
        assert main(["portfolio", "export", str(out), "--format", fmt]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
