"""The public site in a real browser (Debian's Chromium through Playwright): hostile items run no
script when their titles are clicked, and public images still show under the CSP."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from skillpath.portfolio import add_evidence, build_site, import_xapi, load_portfolio, share_item
from skillpath.store import Store
from skillpath.store.models.portfolio import EvidenceRow

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PAYLOAD = "javascript://x/%0Aalert(document.domain);window.__pwned=1"


def _legacy(store: Store, n: int, url: str) -> None:
    """A public item stored before URLs were checked (as an old database or a forged one holds)."""
    with store.session() as s:
        s.add(
            EvidenceRow(
                id=f"00000000-0000-4000-8000-00000000000{n}",
                kind="artefact",
                title=f"Hostile {n}",
                description="",
                url=url,
                visibility="public",
                shared_with=[],
                skills=[],
                attachments=[],
                occurred_at=f"2024-01-0{n}T00:00:00Z",
                created_at="2024-01-01T00:00:00Z",
                meta={},
            )
        )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_clicking_hostile_titles_runs_no_script(
    store: Store, tmp_path: Path, png_file: Path
) -> None:
    from playwright.sync_api import sync_playwright

    _legacy(store, 1, PAYLOAD)
    _legacy(store, 2, "JaVaScRiPt:alert(2);window.__pwned=1")
    _legacy(store, 3, "data:text/html,<script>alert(3)</script>")
    # the xAPI route: the statement asked to be public and carried a script as its activity id;
    # the learner then publishes it
    import_xapi(
        store,
        [
            {
                "actor": {"mbox": "mailto:a@example.org"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
                "object": {"id": PAYLOAD, "definition": {"name": {"en": "Hostile xAPI"}}},
                "timestamp": "2024-02-01T00:00:00Z",
                "context": {
                    "extensions": {"https://skillpath.dev/xapi/extensions/visibility": "public"}
                },
            }
        ],
    )
    (xapi_item,) = [i for i in load_portfolio(store).items if i.title == "Hostile xAPI"]
    assert xapi_item.visibility == "private"
    share_item(store, xapi_item.id, visibility="public")
    svg = tmp_path / "art.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8" onload="alert(4)">'
        "<script>alert(5)</script><rect width='8' height='8' fill='red'/></svg>"
    )
    add_evidence(store, kind="artefact", title="Vector art", files=[svg], visibility="public")
    add_evidence(
        store,
        kind="artefact",
        title="Good work",
        url="https://example.org/work",
        files=[png_file],
        visibility="public",
    )
    index = build_site(store, tmp_path / "site")
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
            ],
        )
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.route("http*://**", lambda route: route.abort())  # offline: no real navigation
        page.goto(index.as_uri())
        titles = ["Hostile 1", "Hostile 2", "Hostile 3", "Hostile xAPI", "Vector art"]
        for t in titles:
            h3 = page.locator("h3", has_text=t)
            assert h3.count() == 1, t
            assert h3.locator("a").count() == 0, f"{t} became a link"
            h3.click()
            page.wait_for_timeout(100)
        assert page.url == index.as_uri()
        assert page.evaluate("window.__pwned === undefined")
        # the public images still render under the CSP: the PNG file and the SVG as data: image
        sizes = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        assert len(sizes) == 2 and all(w > 0 for w in sizes), sizes
        # the inline stylesheet is allowed by its hash (the CSP has no 'unsafe-inline')
        bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert bg == "rgb(247, 248, 250)", bg
        good = page.locator("h3 a", has_text="Good work")
        assert good.get_attribute("href") == "https://example.org/work"
        browser.close()
    assert dialogs == []
