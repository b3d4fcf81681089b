"""Plan outputs: terminal text, Markdown, standalone HTML (no network), JSON, iCalendar."""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

from skillpath.links import safe_href
from skillpath.plan._model import Plan, PlanItem

JSON_SCHEMA_VERSION = "1.0"


def _week_start(plan: Plan, week: int) -> dt.date:
    return plan.start + dt.timedelta(weeks=week)


def to_dict(plan: Plan) -> dict[str, Any]:
    """The documented JSON form (docs/plan.md)."""
    finish = plan.extra.get("finish_week", {})
    weeks: dict[int, list[str]] = {}
    for b in plan.blocks:
        weeks.setdefault(b.week, []).append(b.item_id)

    def item(i: PlanItem) -> dict[str, Any]:
        my_weeks = sorted({b.week for b in plan.blocks if b.item_id == i.id})
        return {
            "id": i.id,
            "kind": i.kind,
            "stage": i.stage,
            "bloom": i.bloom,
            "title": i.title,
            "hours": i.hours,
            "cost": i.cost,
            "currency": i.currency,
            "provider": i.provider,
            "url": i.url,
            "rating": None if i.rating is None else round(i.rating, 3),
            "covers": [
                {
                    "skill_id": c.skill_id,
                    "label": c.label,
                    "gain": round(c.gain, 3),
                    "level_after": c.level,
                }
                for c in i.covers
            ],
            "prerequisites": list(i.prerequisites),
            "deliverable": i.deliverable or None,
            "checkpoint": None
            if i.checkpoint is None
            else {"reviewer": i.checkpoint.reviewer, "rubric": list(i.checkpoint.rubric)},
            "source_task": i.source_task or None,
            "reasons": list(i.reasons),
            "weeks": my_weeks,
            "start_week": my_weeks[0] if my_weeks else None,
            "end_week": finish.get(i.id),
        }

    return {
        "schema": f"skillpath.plan/{JSON_SCHEMA_VERSION}",
        "learner": plan.learner,
        "target": {
            "id": plan.gap.target_id,
            "code": plan.gap.target_code,
            "label": plan.gap.target_label,
        },
        "request": plan.request.to_dict(),
        "start": plan.start.isoformat(),
        "gap": {
            "total": plan.gap.total,
            "skills": [
                {
                    "skill_id": g.skill_id,
                    "label": g.label,
                    "kind": g.kind,
                    "relation": g.relation,
                    "current": g.current,
                    "sd": g.sd,
                    "required": g.required,
                    "importance": g.importance,
                    "weight": g.weight,
                    "need": g.need,
                    "probability": g.probability,
                    "priority": g.priority,
                    "hot": g.hot,
                    "in_demand": g.in_demand,
                    "route": g.route,
                    "reasons": list(g.reasons),
                }
                for g in plan.gap.skills
            ],
            "met": list(plan.gap.met),
            "notes": list(plan.gap.notes),
        },
        "solver": {
            "status": plan.solver.status,
            "mode": plan.solver.mode,
            "objective": plan.solver.objective,
            "objective_value": plan.solver.objective_value,
            "mip_gap": plan.solver.mip_gap,
            "seconds": plan.solver.seconds,
            "candidates": plan.solver.candidates,
        },
        "totals": {
            "hours": plan.total_hours,
            "cost": plan.total_cost,
            "weeks": plan.weeks,
            "items": len(plan.items),
        },
        "items": [item(i) for i in plan.items],
        "schedule": [
            {
                "week": w,
                "starts": _week_start(plan, w).isoformat(),
                "blocks": [
                    {"item_id": b.item_id, "hours": round(b.hours, 4)}
                    for b in plan.blocks
                    if b.week == w
                ],
            }
            for w in sorted(weeks)
        ],
        "milestones": [{"week": w, "text": t} for w, t in plan.milestones],
        "not_covered": [
            {"skill_id": s, "label": lab, "reason": why} for s, lab, why in plan.uncovered
        ],
        "warnings": list(plan.warnings),
    }


def to_json(plan: Plan) -> str:
    """JSON text of :func:`to_dict`."""
    return json.dumps(to_dict(plan), indent=2, ensure_ascii=False)


def items_in_order(plan: Plan) -> list[PlanItem]:
    """The plan's items in the order they start (then finish) in the schedule."""
    finish = plan.extra.get("finish_week", {})
    first: dict[str, int] = {}
    for b in plan.blocks:
        first.setdefault(b.item_id, b.week)
    return sorted(plan.items, key=lambda i: (first.get(i.id, 0), finish.get(i.id, 0), i.id))


_MD_SPECIAL = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
        "\r": " ",
        "\n": " ",
    }
)


def _md(text: object) -> str:
    """Text made inert in Markdown: no raw HTML, no links, emphasis, code or table cells, one line.

    Names and titles come from CVs and catalogues that anyone can write; a Markdown renderer
    passes raw HTML through, so ``<img onerror=...>`` in a CV's name would otherwise run.
    """
    return str(text).translate(_MD_SPECIAL)


def to_markdown(plan: Plan) -> str:
    """A Markdown document: summary, gap table, weekly schedule, items with reasons and rubrics.

    Every name, title and reason is escaped with :func:`_md`; links are written only for http(s).
    """
    d = to_dict(plan)
    out = [f"# Development plan: {_md(plan.learner)} -> {_md(plan.gap.target_label)}", ""]
    out.append(
        f"{d['totals']['items']} items, {plan.total_hours:g} hours, {plan.total_cost:,.2f} in course fees, "
        f"{plan.weeks} weeks at {plan.request.hours_per_week:g} h/week from {plan.start.isoformat()}.  "
    )
    out.append(
        f"Solver: {plan.solver.status} ({plan.solver.mode} mode, objective {plan.solver.objective} = "
        f"{plan.solver.objective_value:g}, optimality gap {plan.solver.mip_gap:.2%})."
    )
    out += [
        "",
        "## The gap",
        "",
        "| skill | now | needed | importance | priority |",
        "|---|---|---|---|---|",
    ]
    for g in plan.gap.skills:
        imp = f"{g.importance:.1f}" if g.importance is not None else g.relation
        out.append(
            f"| {_md(g.label)} | {g.current:.1f} ± {g.sd:.1f} | {g.required:.1f} | {_md(imp)} | {g.priority:.2f} |"
        )
    for n in plan.gap.notes:
        out.append(f"\n_Note: {_md(n)}_")
    out += ["", "## Week by week", ""]
    by_week: dict[int, list[str]] = {}
    titles = {i.id: i.title for i in plan.items}
    for b in plan.blocks:
        by_week.setdefault(b.week, []).append(f"{_md(titles[b.item_id])} ({b.hours:.3g} h)")
    ms = dict[int, list[str]]()
    for w, t in plan.milestones:
        ms.setdefault(w, []).append(t)
    for w in sorted(by_week):
        out.append(
            f"- **Week {w + 1}** ({_week_start(plan, w).isoformat()}): " + "; ".join(by_week[w])
        )
        for t in ms.get(w, []):
            out.append(f"  - milestone: {_md(t)}")
    out += ["", "## Items", ""]
    for i in items_in_order(plan):
        out.append(f"### {_md(i.title)}")
        meta = f"{i.stage} (Bloom: {i.bloom}), {i.hours:g} h"
        if i.kind == "course":
            meta += f", {_md(i.provider)}" + (
                f", {i.cost:,.2f} {_md(i.currency)}" if i.cost else ", free"
            )
        href = safe_href(i.url)
        out.append(meta + ("  " if href else ""))
        if href:
            # an autolink cannot hold <, > or spaces; safe_href allows none of them
            out.append(f"<{href}>")
        out.append("")
        for r in i.reasons:
            out.append(f"- {_md(r)}")
        if i.deliverable:
            out.append(f"- deliverable: {_md(i.deliverable)}")
        if i.checkpoint:
            out.append(f"- feedback checkpoint ({_md(i.checkpoint.reviewer)} review), rubric:")
            out.extend(f"  - {_md(c)}" for c in i.checkpoint.rubric)
        out.append("")
    if plan.uncovered:
        out += ["## Not covered", ""]
        out += [f"- {_md(lab)}: {_md(why)}" for _s, lab, why in plan.uncovered]
    if plan.warnings:
        out += ["", "## Warnings", ""] + [f"- {_md(w)}" for w in plan.warnings]
    return "\n".join(out) + "\n"


def to_ics(plan: Plan, *, evening: dt.time = dt.time(18, 0), max_session: float = 2.0) -> str:
    """An iCalendar file: one event per study block (an item's hours in a week, split into sessions
    of at most ``max_session`` hours on consecutive weekdays at ``evening``)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Skillpath//development plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Skillpath: {plan.gap.target_label}")
    titles = {i.id: i for i in plan.items}
    for w in sorted({b.week for b in plan.blocks}):
        day = 0
        for b in [b for b in plan.blocks if b.week == w]:
            left = b.hours
            part = 0
            while left > 1e-9:
                h = min(max_session, left)
                start = dt.datetime.combine(
                    _week_start(plan, w) + dt.timedelta(days=day % 7), evening
                )
                ev = Event()
                item = titles[b.item_id]
                ev.add("uid", f"{plan.gap.target_code}-{b.item_id}-w{w}-{part}@skillpath")
                ev.add("summary", f"[{item.stage}] {item.title}")
                ev.add("dtstart", start)
                ev.add("dtend", start + dt.timedelta(hours=h))
                ev.add("dtstamp", dt.datetime.combine(plan.start, dt.time(0, 0)))
                desc = "\n".join(item.reasons)
                if item.deliverable:
                    desc += f"\nDeliverable: {item.deliverable}"
                if item.url:
                    desc += f"\n{item.url}"
                ev.add("description", desc)
                cal.add_component(ev)
                left -= h
                part += 1
                day += 1
    return cal.to_ical().decode("utf-8")


def to_text(plan: Plan) -> str:
    """Plain text for a terminal (the CLI uses rich for colour; this is its content)."""
    return to_markdown(plan).replace("**", "")


_STAGE_COLOUR = {"learn": "#4c78a8", "practise": "#f58518", "apply": "#54a24b", "create": "#b279a2"}


def _fit(text: str, n: int) -> str:
    """``text`` cut at a word to fit ``n`` characters (the chart's label column), with an ellipsis."""
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def to_html(plan: Plan) -> str:
    """One standalone HTML page (inline CSS and SVG, no network): gap chart, timeline, reasons."""
    e = html.escape
    gap = plan.gap.skills
    bar_h, width, label_w = 22, 820, 260
    scale = (width - label_w - 60) / 7
    rows = []
    for k, g in enumerate(gap):
        y = 30 + k * bar_h
        rows.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">'
            f"<title>{e(g.label)}</title>{e(_fit(g.label, 36))}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{g.required * scale:.1f}" height="{bar_h - 6}" fill="#e8e8e8"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{g.current * scale:.1f}" height="{bar_h - 6}" fill="#4c78a8"/>'
            f'<line x1="{label_w + g.required * scale:.1f}" x2="{label_w + g.required * scale:.1f}" y1="{y + 1}" '
            f'y2="{y + bar_h - 1}" stroke="#d62728" stroke-width="2"/>'
            f'<text x="{label_w + 7 * scale + 6}" y="{y + 15}">{g.current:.1f}→{g.required:.1f}</text>'
        )
    axis = "".join(
        f'<text x="{label_w + v * scale:.1f}" y="22" text-anchor="middle" class="ax">{v}</text>'
        for v in range(8)
    )
    gap_svg = (
        f'<svg role="img" aria-label="skill gap chart" width="{width}" height="{40 + len(gap) * bar_h}" '
        f'xmlns="http://www.w3.org/2000/svg">{axis}{"".join(rows)}</svg>'
    )
    # timeline: one row per item, one column per week
    items = items_in_order(plan)
    n_weeks = max(plan.weeks, 1)
    col = max(18, min(40, (width - 320) // n_weeks))
    tl_rows = []
    for k, it in enumerate(items):
        y = 24 + k * 22
        tl_rows.append(f'<text x="312" y="{y + 14}" text-anchor="end">{e(it.title[:46])}</text>')
        for b in plan.blocks:
            if b.item_id == it.id:
                frac = min(1.0, b.hours / plan.request.hours_per_week)
                tl_rows.append(
                    f'<rect x="{320 + b.week * col}" y="{y + 2}" width="{col - 2}" height="18" '
                    f'fill="{_STAGE_COLOUR[it.stage]}" fill-opacity="{0.35 + 0.65 * frac:.2f}">'
                    f"<title>{e(it.title)}: {b.hours:g} h in week {b.week + 1}</title></rect>"
                )
    weeks_axis = "".join(
        f'<text x="{320 + w * col + col / 2}" y="16" text-anchor="middle" class="ax">{w + 1}</text>'
        for w in range(n_weeks)
        if n_weeks <= 30 or w % 5 == 0
    )
    tl_svg = (
        f'<svg role="img" aria-label="plan timeline" width="{320 + n_weeks * col + 10}" '
        f'height="{34 + len(items) * 22}" xmlns="http://www.w3.org/2000/svg">{weeks_axis}{"".join(tl_rows)}</svg>'
    )
    cards = []
    for it in items:
        covers = ", ".join(f"{e(c.label)} +{c.gain:.2f} (→ {c.level:.1f})" for c in it.covers)
        rubric = ""
        if it.checkpoint:
            rubric = (
                f'<p class="cp">Feedback checkpoint: <b>{e(it.checkpoint.reviewer)} review</b></p><ul class="rubric">'
                + "".join(f"<li>{e(r)}</li>" for r in it.checkpoint.rubric)
                + "</ul>"
            )
        href = safe_href(it.url)
        link = (
            f' <a href="{e(href)}" rel="noopener noreferrer">{e(it.provider or "link")}</a>'
            if href
            else ""
        )
        cards.append(
            f'<article class="item {it.stage}"><h3><span class="stage" style="background:{_STAGE_COLOUR[it.stage]}">'
            f'{e(it.stage)}</span> {e(it.title)}</h3><p class="meta">{it.hours:g} h · Bloom: {e(it.bloom)} · '
            f"{'free' if not it.cost else f'{it.cost:,.2f} {e(it.currency)}'}{link}</p>"
            f"<p>Covers: {covers or 'prerequisite'}</p><ul>"
            + "".join(f"<li>{e(r)}</li>" for r in it.reasons)
            + "</ul>"
            + (f"<p>Deliverable: {e(it.deliverable)}</p>" if it.deliverable else "")
            + rubric
            + "</article>"
        )
    missing = "".join(f"<li><b>{e(lab)}</b>: {e(why)}</li>" for _s, lab, why in plan.uncovered)
    milestones = "".join(f"<li>Week {w + 1}: {e(t)}</li>" for w, t in plan.milestones)
    legend = " ".join(
        f'<span class="stage" style="background:{c}">{s}</span>' for s, c in _STAGE_COLOUR.items()
    )
    notes = "".join(f"<p class='note'>{e(n)}</p>" for n in plan.gap.notes)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Plan: {e(plan.learner)} → {e(plan.gap.target_label)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1000px;color:#222;padding:0 1rem}}
h1{{font-size:1.6rem;margin-bottom:.2rem}} .sub{{color:#555;margin-top:0}}
.kpis{{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}} .kpi{{background:#f4f6f8;border-radius:8px;padding:.6rem 1rem}}
.kpi b{{display:block;font-size:1.3rem}} svg text{{font-size:12px}} svg .ax{{fill:#777}}
.stage{{color:#fff;border-radius:4px;padding:1px 6px;font-size:.8rem;text-transform:uppercase}}
article.item{{border:1px solid #ddd;border-radius:8px;padding:.6rem 1rem;margin:.6rem 0}} article h3{{font-size:1.05rem;margin:.3rem 0}}
.meta{{color:#555;margin:.2rem 0}} .cp{{margin-bottom:.2rem}} .rubric{{color:#333;font-size:.92rem}} .note{{color:#555;font-style:italic}}
.scroll{{overflow-x:auto}}
</style></head><body>
<h1>{e(plan.learner)} → {e(plan.gap.target_label)} <small>({e(plan.gap.target_code)})</small></h1>
<p class="sub">A development plan from Skillpath, starting {plan.start.isoformat()}.</p>
<div class="kpis"><div class="kpi"><b>{plan.total_hours:g} h</b>total effort</div>
<div class="kpi"><b>{plan.weeks}</b>weeks at {plan.request.hours_per_week:g} h/week</div>
<div class="kpi"><b>{plan.total_cost:,.2f}</b>course fees</div>
<div class="kpi"><b>{len(plan.items)}</b>items</div>
<div class="kpi"><b>{e(plan.solver.status)}</b>{e(plan.solver.mode)} · gap {plan.solver.mip_gap:.2%}</div></div>
<h2>Your skill gap</h2><p>Blue: where you are; red line: what the role needs (O*NET level 0-7).</p>{notes}
<div class="scroll">{gap_svg}</div>
<h2>Timeline</h2><p>{legend}</p><div class="scroll">{tl_svg}</div>
<h2>Milestones</h2><ul>{milestones}</ul>
<h2>The plan, item by item</h2>{"".join(cards)}
{"<h2>Not covered</h2><ul>" + missing + "</ul>" if missing else ""}
<footer><p class="sub">Data: O*NET (CC BY 4.0, U.S. DOL/ETA), ESCO (European Commission). Generated offline by Skillpath.</p></footer>
</body></html>
"""
