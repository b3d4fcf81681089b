"""The HTML plan in a real browser (Debian's Chromium through Playwright): it renders, offline."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import pytest

from skillpath.plan import PlanRequest, analyse_gap, build_plan, to_html

from ._toy import SKILLS, course, toy_taxonomy

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _png_colours(png: bytes) -> set[tuple[int, int, int]]:
    """Distinct RGB colours of a PNG screenshot (8-bit RGB/RGBA, no interlace), decoded by hand."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w, h, ctype = 8, b"", 0, 0, 0
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos : pos + 8])
        data = png[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            w, h, _depth, ctype = struct.unpack(">IIBB", data[:10])
        elif kind == b"IDAT":
            idat += data
        pos += 12 + n
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    colours: set[tuple[int, int, int]] = set()
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if y % 2 == 0:
            colours.update(tuple(line[i : i + 3]) for i in range(0, stride, bpp))
    return colours


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)")
def test_plan_page_renders_gap_chart_and_timeline(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    tax = toy_taxonomy()
    target = tax.occupations["onet:11-1021.00"]
    levels = {s: 1.5 for s in SKILLS}
    gap = analyse_gap(tax, target, levels)
    courses = [course(f"c{i}", 4 + i, {s: (4.5, 0.9)}) for i, s in enumerate(SKILLS[:4])]
    plan = build_plan(tax, courses, gap, PlanRequest(), target=target, levels=levels, learner="Ada")
    page_file = tmp_path / "plan.html"
    page_file.write_text(to_html(plan), encoding="utf-8")
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        assert page.title().startswith("Plan: Ada")
        chart = page.locator("svg[aria-label='skill gap chart']")
        timeline = page.locator("svg[aria-label='plan timeline']")
        assert chart.is_visible() and timeline.is_visible()
        assert chart.locator("rect").count() == 2 * len(gap.skills)
        assert timeline.locator("rect").count() == len(plan.blocks)
        assert page.locator("article.item").count() == len(plan.items)
        shot = chart.screenshot()
        (tmp_path / "gap.png").write_bytes(shot)
        page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
        browser.close()
    # the page is standalone: nothing but the file itself was requested
    assert all(u.startswith("file://") for u in requests), requests
    # the chart shows the learner's level (blue) and the target marker (red) bars
    colours = _png_colours(shot)
    assert any(
        abs(r - 0x4C) < 12 and abs(g - 0x78) < 12 and abs(b - 0xA8) < 12 for r, g, b in colours
    )
    assert any(r > 180 and g < 80 and b < 80 for r, g, b in colours)
