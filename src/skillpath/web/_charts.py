"""SVG charts of a plan's JSON form (the gap and the timeline), inline and offline."""

from __future__ import annotations

from html import escape as e
from typing import Any

from markupsafe import Markup

STAGE_COLOUR = {"learn": "#4c78a8", "practise": "#f58518", "apply": "#54a24b", "create": "#b279a2"}


def gap_svg(plan: dict[str, Any], mastery: dict[str, dict[str, Any]] | None = None) -> Markup:
    """Bars: where the learner is (posterior when reviewed), where the role needs them."""
    gap = plan.get("gap", {}).get("skills", [])
    bar_h, width, label_w = 22, 760, 250
    scale = (width - label_w - 70) / 7
    rows = []
    for k, g in enumerate(gap):
        y = 30 + k * bar_h
        cur = float(g["current"])
        m = (mastery or {}).get(g["skill_id"])
        if m and m["reviewed"]:
            cur = float(m["posterior"]["mean"])
        req = float(g["required"] or 0)
        rows.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{e(g["label"][:40])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{req * scale:.1f}" height="{bar_h - 6}" fill="#e8e8e8"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{cur * scale:.1f}" height="{bar_h - 6}" fill="#4c78a8"/>'
            f'<line x1="{label_w + req * scale:.1f}" x2="{label_w + req * scale:.1f}" y1="{y + 1}" '
            f'y2="{y + bar_h - 1}" stroke="#d62728" stroke-width="2"/>'
            f'<text x="{label_w + 7 * scale + 6}" y="{y + 15}">{cur:.1f}→{req:.1f}</text>'
        )
    axis = "".join(
        f'<text x="{label_w + v * scale:.1f}" y="22" text-anchor="middle" fill="#777">{v}</text>'
        for v in range(8)
    )
    return Markup(
        f'<svg role="img" aria-label="skill gap chart" width="{width}" '
        f'height="{40 + len(gap) * bar_h}" xmlns="http://www.w3.org/2000/svg">'
        f"{axis}{''.join(rows)}</svg>"
    )


def timeline_svg(plan: dict[str, Any]) -> Markup:
    """One row per item, one column per week, shaded by the hours studied that week."""
    items = sorted(plan.get("items", []), key=lambda i: (i.get("start_week") or 0, i["id"]))
    n_weeks = max(int(plan.get("totals", {}).get("weeks", 1) or 1), 1)
    hpw = float(plan.get("request", {}).get("hours_per_week", 5) or 5)
    col = max(14, min(36, 440 // n_weeks))
    hours: dict[tuple[str, int], float] = {}
    for wk in plan.get("schedule", []):
        for b in wk["blocks"]:
            hours[(b["item_id"], wk["week"])] = b["hours"]
    rows = []
    for k, it in enumerate(items):
        y = 24 + k * 22
        rows.append(f'<text x="312" y="{y + 14}" text-anchor="end">{e(it["title"][:46])}</text>')
        for (iid, w), h in hours.items():
            if iid == it["id"]:
                frac = min(1.0, h / hpw)
                rows.append(
                    f'<rect x="{320 + w * col}" y="{y + 2}" width="{col - 2}" height="18" '
                    f'fill="{STAGE_COLOUR.get(it["stage"], "#888")}" '
                    f'fill-opacity="{0.35 + 0.65 * frac:.2f}"><title>{e(it["title"])}: '
                    f"{h:g} h in week {w + 1}</title></rect>"
                )
    axis = "".join(
        f'<text x="{320 + w * col + col / 2}" y="16" text-anchor="middle" fill="#777">{w + 1}</text>'
        for w in range(n_weeks)
        if n_weeks <= 30 or w % 5 == 0
    )
    return Markup(
        f'<svg role="img" aria-label="plan timeline" width="{320 + n_weeks * col + 10}" '
        f'height="{34 + len(items) * 22}" xmlns="http://www.w3.org/2000/svg">{axis}'
        f"{''.join(rows)}</svg>"
    )
