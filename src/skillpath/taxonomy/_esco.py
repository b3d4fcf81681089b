"""Parsers for the official ESCO CSV package (and the ESCO-O*NET crosswalk).

ESCO concepts keep their concept URIs as ids. Multi-valued cells (altLabels, broader URIs)
are separated by newlines or `` | `` in the official files.
"""

from __future__ import annotations

import re
from typing import Any

from skillpath.taxonomy._batch import Batch
from skillpath.taxonomy._tables import SourceFile, text

_RELEASE = re.compile(r"v?(\d+\.\d+(?:\.\d+)?)")


def detect(src: SourceFile) -> str | None:
    """The ESCO file kind of ``src`` (by official file name, or by header for derived files)."""
    if src.suffix != ".csv":
        return None
    stem = src.stem.lower()
    if stem.startswith("esco_onet_crosswalk") or "onet_crosswalk" in stem:
        return "crosswalk"
    if stem.startswith("skills_") and stem != "skills_en_label":
        return "skills"
    if stem.startswith("occupations_"):
        return "occupations"
    if stem.startswith("skillshierarchy_"):
        return "hierarchy"
    if stem.startswith("skillgroups_"):
        return "groups"
    if stem.startswith("broaderrelationsskillpillar"):
        return "broader-skill"
    if stem.startswith("broaderrelationsoccpillar"):
        return "broader-occ"
    if stem.startswith("occupationskillrelations"):
        return "occ-skill"
    if stem.endswith("collection_en") or "collection_" in stem:
        return "collection"
    if stem.startswith("iscogroups_"):
        return "isco"
    if stem == "skills" and "derived" in src.release_hint:
        return "derived-skills"
    return None


def release_of(src: SourceFile) -> str:
    m = _RELEASE.search(src.release_hint.replace("_", "."))
    return m.group(1) if m else "latest"


def split_multi(v: object) -> list[str]:
    s = text(v)
    if not s:
        return []
    parts = re.split(r"\n|\s\|\s", s)
    return [p.strip() for p in parts if p.strip()]


def _skill_kind(skill_type: str) -> str:
    return "esco-knowledge" if skill_type.strip().lower() == "knowledge" else "esco-skill"


def parse(kind: str, src: SourceFile, batch: Batch) -> None:
    """Parse one ESCO file of the given kind into the batch."""
    source = "crosswalk" if kind == "crosswalk" else "esco"
    rel = (
        release_of(src)
        if source == "esco"
        else "nov2020"
        if "nov2020" in src.stem.lower()
        else "latest"
    )
    batch.files.setdefault((source, rel), []).append(src.display)
    if kind in ("skills", "collection", "derived-skills"):
        _skills(kind, src, batch)
    elif kind == "occupations":
        _occupations(src, batch, rel)
    elif kind == "groups":
        for _line, row in batch.read(src, ("conceptUri", "preferredLabel")):
            batch.upsert_skill(_skill_row(row, "esco-group"))
    elif kind == "hierarchy":
        _hierarchy(src, batch)
    elif kind == "broader-skill":
        batch.origins.add("esco/broader")
        for line, row in batch.read(src, ("conceptUri", "broaderUri")):
            key = (text(row["conceptUri"]), text(row["broaderUri"]))
            batch.pending.append(
                (
                    "broader",
                    {
                        "skill_id": key[0],
                        "broader_id": key[1],
                        "origin": "esco/broader",
                        "_file": src.display,
                        "_row": line,
                    },
                )
            )
    elif kind == "broader-occ":
        batch.origins.add("esco/broader-occ")
        for line, row in batch.read(src, ("conceptUri", "broaderUri")):
            batch.pending.append(
                (
                    "related",
                    {
                        "from_id": text(row["conceptUri"]),
                        "to_id": text(row["broaderUri"]),
                        "kind": "broader",
                        "rank": None,
                        "origin": "esco/broader-occ",
                        "_file": src.display,
                        "_row": line,
                        "_code": text(row["conceptUri"]),
                        "_lenient_to": True,
                    },
                )
            )
    elif kind == "occ-skill":
        batch.origins.add("esco/occupation-skill")
        for line, row in batch.read(src, ("occupationUri", "relationType", "skillUri")):
            rel_type = text(row["relationType"]).lower() or "optional"
            batch.pending.append(
                (
                    "requirement",
                    {
                        "occupation_id": text(row["occupationUri"]),
                        "skill_id": text(row["skillUri"]),
                        "relation": rel_type,
                        "origin": "esco/occupation-skill",
                        "importance": None,
                        "level": None,
                        "hot": False,
                        "not_relevant": False,
                        "suppress": False,
                        "_file": src.display,
                        "_row": line,
                        "_code": text(row["occupationUri"]),
                    },
                )
            )
    elif kind == "crosswalk":
        batch.origins.add("crosswalk")
        for line, row in batch.read(src, ("onet_code", "concept_uri")):
            conf = text(row.get("confidence"))
            batch.pending.append(
                (
                    "related",
                    {
                        "from_id": text(row["concept_uri"]),
                        "to_id": f"onet:{text(row['onet_code'])}",
                        "kind": "crosswalk",
                        "rank": float(conf) if conf else None,
                        "origin": "crosswalk",
                        "_file": src.display,
                        "_row": line,
                        "_code": text(row["concept_uri"]),
                    },
                )
            )
    elif kind == "isco":
        batch.skipped.append(
            (src.display, "ISCO groups: not needed (occupations carry their ISCO code)")
        )


_WORD = re.compile(r"[a-z0-9]+")


def _norm(s: str) -> str:
    return " ".join(_WORD.findall(s.lower()))


def check_alt_labels(batch: Batch) -> None:
    """Drop ESCO alternative labels that do not belong to their skill, and say how many.

    Some re-published ESCO files have the altLabels column shifted against the rows ("immigration
    law" carrying "data analysis"). When the v1.2 text of a skill is loaded, an alt label is kept
    only if that text contains it; otherwise a row whose alt labels share no word with its
    preferred label is treated as shifted. Nothing is dropped silently: the count is reported.
    """
    dropped_rows = dropped = moved = 0
    by_label = {
        _norm(sk.get("label", "")): uri
        for uri, sk in batch.skills.items()
        if sk.get("taxonomy") == "esco"
    }
    recovered: dict[str, list[str]] = {}
    for uri, sk in batch.skills.items():
        alts = sk.get("alt_labels") or []
        if sk.get("taxonomy") != "esco" or not alts:
            continue
        ref = batch.derived_text.get(uri)
        if ref:
            ref_n = f" {_norm(ref)} "
            keep = [a for a in alts if f" {_norm(a)} " in ref_n]
        else:
            label_words = set(_WORD.findall(sk.get("label", "").lower()))
            stems = {w[:5] for w in label_words if len(w) > 2}
            shares = any(
                stems & {w[:5] for w in _WORD.findall(a.lower()) if len(w) > 2} for a in alts
            )
            keep = alts if shares or not stems else []
        if len(keep) < len(alts):
            dropped_rows += 1
            dropped += len(alts) - len(keep)
            sk["alt_labels"] = keep
            # The labels usually belong to the skill whose preferred label is among them: move them
            # there when that skill's own v1.2 text confirms them.
            for a in alts:
                owner = by_label.get(_norm(a))
                if owner and owner != uri and batch.derived_text.get(owner):
                    own_ref = f" {_norm(batch.derived_text[owner])} "
                    ok = [x for x in alts if x not in keep and f" {_norm(x)} " in own_ref]
                    if len(ok) * 2 >= len(alts):
                        recovered.setdefault(owner, []).extend(ok)
                    break
    for owner, alts in recovered.items():
        cur = batch.skills[owner].get("alt_labels") or []
        new = [
            a
            for a in dict.fromkeys(alts)
            if a not in cur and _norm(a) != _norm(batch.skills[owner]["label"])
        ]
        batch.skills[owner]["alt_labels"] = [*cur, *new]
        moved += len(new)
    if dropped:
        batch.warnings.append(
            f"ESCO: {dropped:,} alternative labels on {dropped_rows:,} skills did not match their skill "
            f"(shifted altLabels column in the file, or not confirmed by the v1.2 text); removed, and "
            f"{moved:,} of them moved to the skill they belong to (confirmed by its v1.2 text)"
        )


def _skill_row(row: dict, kind: str) -> dict:
    alts = split_multi(row.get("altLabels"))
    return {
        "id": text(row["conceptUri"]),
        "taxonomy": "esco",
        "kind": kind,
        "label": text(row.get("preferredLabel")),
        "description": text(row.get("description")),
        "alt_labels": alts,
        "parent_id": None,
        "reuse_level": text(row.get("reuseLevel")) or None,
        "hot": False,
    }


def _skills(kind: str, src: SourceFile, batch: Batch) -> None:
    if kind == "derived-skills":
        # conceptUri, preferredLabel, text (= label + alt labels + description): fill gaps only.
        unlabelled = 0
        for _line, row in batch.read(src, ("conceptUri", "text")):
            label = text(row.get("preferredLabel"))
            uri = text(row["conceptUri"])
            batch.derived_text[uri] = text(row["text"])
            if not label:
                unlabelled += 1
            r: dict[str, Any] = {
                "id": uri,
                "taxonomy": "esco",
                "kind": "esco-skill",
                "label": label or text(row["text"])[:80],
                "description": text(row["text"]),
                "alt_labels": [],
                "parent_id": None,
                "reuse_level": None,
                "hot": False,
            }
            batch.upsert_skill(r)
        if unlabelled:
            batch.warnings.append(
                f"{src.display}: {unlabelled} skills have no preferred label; "
                "kept, labelled with the start of their text"
            )
        return
    coll = (
        src.stem.lower()
        .replace("_en", "")
        .replace("skillscollection", "")
        .replace("collection", "")
    )
    origin = "esco/broader"
    for line, row in batch.read(src, ("conceptUri", "preferredLabel"), ("altLabels",)):
        sr = _skill_row(row, _skill_kind(text(row.get("skillType"))))
        batch.upsert_skill(sr)
        if kind == "collection":
            batch.origins.add("esco/collection")
            batch.collections[(sr["id"], coll)] = {
                "skill_id": sr["id"],
                "collection": coll,
                "origin": "esco/collection",
            }
            for b in split_multi(row.get("broaderConceptUri")):
                batch.origins.add(origin)
                batch.pending.append(
                    (
                        "broader",
                        {
                            "skill_id": sr["id"],
                            "broader_id": b,
                            "origin": origin,
                            "_file": src.display,
                            "_row": line,
                        },
                    )
                )


def _occupations(src: SourceFile, batch: Batch, rel: str) -> None:
    batch.origins.add("esco/titles")
    for _line, row in batch.read(src, ("conceptUri", "preferredLabel"), ("altLabels",)):
        uri = text(row["conceptUri"])
        label = text(row["preferredLabel"])
        batch.occupations[uri] = {
            "id": uri,
            "taxonomy": "esco",
            "code": uri,
            "label": label,
            "description": text(row.get("description")) or text(row.get("definition")),
            "release": rel,
            "status": "current",
            "group_code": text(row.get("iscoGroup")) or None,
        }
        for kind, col in (
            ("esco-pref", None),
            ("esco-alt", "altLabels"),
            ("esco-hidden", "hiddenLabels"),
        ):
            titles = [label] if col is None else split_multi(row.get(col))
            for t in titles:
                batch.titles[(uri, t[:400], kind)] = {
                    "occupation_id": uri,
                    "title": t[:400],
                    "kind": kind,
                    "origin": "esco/titles",
                }


def _hierarchy(src: SourceFile, batch: Batch) -> None:
    batch.origins.add("esco/hierarchy")
    for _line, row in batch.read(
        src, ("Level 0 URI", "Level 0 preferred term"), ("Level 1 URI", "Level 1 preferred term")
    ):
        chain = []
        for lvl in range(4):
            uri = text(row.get(f"Level {lvl} URI"))
            if uri:
                chain.append(uri)
                batch.upsert_skill(
                    {
                        "id": uri,
                        "taxonomy": "esco",
                        "kind": "esco-group",
                        "label": text(row.get(f"Level {lvl} preferred term")),
                        "description": "",
                        "alt_labels": [],
                        "parent_id": None,
                        "reuse_level": None,
                        "hot": False,
                    }
                )
        if chain and text(row.get("Description")):
            batch.skills[chain[-1]]["description"] = text(row.get("Description"))
        for child, parent in zip(chain[1:], chain[:-1], strict=False):
            batch.broader[(child, parent)] = {
                "skill_id": child,
                "broader_id": parent,
                "origin": "esco/hierarchy",
            }
