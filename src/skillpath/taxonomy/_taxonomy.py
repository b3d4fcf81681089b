"""The in-memory taxonomy view used by every domain package."""

from __future__ import annotations

import json
import re
import threading
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from rapidfuzz import fuzz, process, utils  # the rating donor's title similarity
from sqlalchemy import select

from skillpath.errors import DataMissingError, NotFoundError
from skillpath.store import Store
from skillpath.store.models import taxonomy as m
from skillpath.taxonomy._model import (
    Anchor,
    JobZone,
    Occupation,
    Preparation,
    Requirement,
    Skill,
    Task,
    TitleMatch,
)

_CODE = re.compile(r"^\s*(\d{2}-\d{4})(\.\d{2})?\s*$")
_NORM = re.compile(r"[^a-z0-9+#]+")


def _singular(w: str) -> str:
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-3] + "y" if w.endswith("ies") else w[:-1]
    return w


def norm_title(s: str) -> str:
    """Lower-case, punctuation to spaces, simple plurals to singular, collapsed whitespace."""
    return " ".join(_singular(w) for w in _NORM.sub(" ", s.lower()).split())


@dataclass
class Taxonomy:
    """Occupations, skills, requirements, titles, tasks and relations, held in memory.

    Build it with :meth:`load`; it is read-only afterwards.
    """

    occupations: Mapping[str, Occupation] = field(default_factory=dict)
    skills: Mapping[str, Skill] = field(default_factory=dict)
    _reqs: dict[str, list[Requirement]] = field(default_factory=dict, repr=False)
    _by_skill: dict[str, list[Requirement]] = field(default_factory=dict, repr=False)
    _titles: dict[str, list[tuple[str, str]]] = field(default_factory=dict, repr=False)
    _tasks: dict[str, list[Task]] = field(default_factory=dict, repr=False)
    _related: dict[str, list[tuple[str, str, float | None]]] = field(
        default_factory=dict, repr=False
    )
    _anchors: dict[tuple[str, str], list[Anchor]] = field(default_factory=dict, repr=False)
    # O*NET 29+: (element, scale) -> [(category, value)] per occupation; job zone reference; task -> DWAs
    _values: dict[str, dict[tuple[str, str], list[tuple[int, float]]]] = field(
        default_factory=dict, repr=False
    )
    _categories: dict[tuple[str, str, int], str] = field(default_factory=dict, repr=False)
    _job_zones: dict[int, JobZone] = field(default_factory=dict, repr=False)
    _task_dwas: dict[str, dict[str, list[str]]] = field(default_factory=dict, repr=False)
    _tiers: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)  # derived views, built once

    @classmethod
    def load(cls, store: Store, *, refresh: bool = False) -> Taxonomy:
        """Read the taxonomy from the store (cached per store URL unless ``refresh``)."""
        with _LOCK:
            if not refresh and store.url in _CACHE:
                return _CACHE[store.url]
            tax = _read_cached(cls, store)
            _CACHE[store.url] = tax
            return tax

    @classmethod
    def _read(cls, store: Store) -> Taxonomy:
        occs: dict[str, Occupation] = {}
        skills: dict[str, Skill] = {}
        reqs: dict[str, list[Requirement]] = defaultdict(list)
        by_skill: dict[str, list[Requirement]] = defaultdict(list)
        titles: dict[str, list[tuple[str, str]]] = defaultdict(list)
        tasks: dict[str, list[Task]] = defaultdict(list)
        related: dict[str, list[tuple[str, str, float | None]]] = defaultdict(list)
        anchors: dict[tuple[str, str], list[Anchor]] = defaultdict(list)
        values: dict[str, dict[tuple[str, str], list[tuple[int, float]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        task_dwas: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        tiers: dict[tuple[str, str], str] = {}
        with store.session() as s:
            for o in s.execute(select(m.Occupation.__table__)).mappings():
                occs[o["id"]] = Occupation(
                    id=o["id"],
                    taxonomy=o["taxonomy"],
                    code=o["code"],
                    label=o["label"],
                    description=o["description"] or "",
                    status=o["status"],
                    group_code=o["group_code"],
                )
            # O*NET descriptors carry no description in the ratings files: take the Content Model's.
            element_desc = dict(
                s.execute(select(m.ContentElement.id, m.ContentElement.description)).all()
            )
            extra_alts = _descriptor_alt_labels()
            for k in s.execute(select(m.Skill.__table__)).mappings():
                desc = k["description"] or element_desc.get(k["id"].removeprefix("onet:"), "") or ""
                skills[k["id"]] = Skill(
                    id=k["id"],
                    taxonomy=k["taxonomy"],
                    kind=k["kind"],
                    label=k["label"],
                    description=desc,
                    alt_labels=tuple(k["alt_labels"] or ()) + extra_alts.get(k["id"], ()),
                    parent_id=k["parent_id"],
                    hot=bool(k["hot"]),
                )
            for r in s.execute(select(m.Requirement.__table__)).mappings():
                req = Requirement(
                    occupation_id=r["occupation_id"],
                    skill_id=r["skill_id"],
                    relation=r["relation"],
                    importance=r["importance"],
                    level=r["level"],
                    hot=bool(r["hot"]),
                    not_relevant=bool(r["not_relevant"]),
                    in_demand=bool(r["in_demand"]),
                )
                reqs[req.occupation_id].append(req)
                by_skill[req.skill_id].append(req)
            for oid, title, kind in s.execute(
                select(m.Title.occupation_id, m.Title.title, m.Title.kind)
            ):
                titles[oid].append((title, kind))
            for tm in s.execute(select(m.Task.__table__)).mappings():
                tasks[tm["occupation_id"]].append(
                    Task(
                        id=tm["id"],
                        occupation_id=tm["occupation_id"],
                        text=tm["text"],
                        task_type=tm["task_type"],
                        emerging=bool(tm["emerging"]),
                    )
                )
            for frm, to, kind, rank, tier in s.execute(
                select(
                    m.Related.from_id,
                    m.Related.to_id,
                    m.Related.kind,
                    m.Related.rank,
                    m.Related.tier,
                )
            ):
                related[frm].append((to, kind, rank))
                if tier:
                    tiers[(frm, to)] = tier
                if kind in ("crosswalk", "soc_successor"):
                    related[to].append(
                        (frm, kind + "-of" if kind == "soc_successor" else kind, rank)
                    )
            for a in s.execute(select(m.Anchor.__table__)).mappings():
                anchors[(a["element_id"], a["scale_id"])].append(
                    Anchor(a["element_id"], a["scale_id"], a["value"], a["description"])
                )
            for oid, el, sc, cat, val in s.execute(
                select(
                    m.OccupationValue.occupation_id,
                    m.OccupationValue.element_id,
                    m.OccupationValue.scale_id,
                    m.OccupationValue.category,
                    m.OccupationValue.value,
                )
            ):
                # A suppressed category is O*NET's best estimate with a wide interval: dropping it
                # breaks the distribution (Registered Nurses lose the 56 % with a bachelor's and
                # their median education falls to a certificate), so distributions keep it.
                values[oid][(el, sc)].append((cat, val))
            categories = {
                (el, sc, cat): d
                for el, sc, cat, d in s.execute(
                    select(
                        m.Category.element_id,
                        m.Category.scale_id,
                        m.Category.category,
                        m.Category.description,
                    )
                )
            }
            job_zones = {
                r["zone"]: JobZone(
                    r["zone"],
                    r["name"],
                    r["experience"],
                    r["education"],
                    r["training"],
                    r["examples"],
                    r["svp"],
                )
                for r in s.execute(select(m.JobZoneReference.__table__)).mappings()
            }
            for oid, tid, dwa in s.execute(
                select(m.TaskActivity.occupation_id, m.TaskActivity.task_id, m.TaskActivity.dwa_id)
            ):
                task_dwas[oid][tid].append(dwa)
        for lst in reqs.values():
            lst.sort(key=lambda r: (-(r.importance or 0), r.skill_id))
        for lst2 in related.values():
            lst2.sort(key=lambda r: (r[1], r[2] if r[2] is not None else 1e9, r[0]))
        for lst3 in anchors.values():
            lst3.sort(key=lambda a: a.value)
        for dist in values.values():
            for lst4 in dist.values():
                lst4.sort()
        return cls(
            occupations=occs,
            skills=skills,
            _reqs=dict(reqs),
            _by_skill=dict(by_skill),
            _titles=dict(titles),
            _tasks=dict(tasks),
            _related=dict(related),
            _anchors=dict(anchors),
            _values={k: dict(v) for k, v in values.items()},
            _categories=categories,
            _job_zones=job_zones,
            _task_dwas={k: dict(v) for k, v in task_dwas.items()},
            _tiers=tiers,
        )

    @property
    def empty(self) -> bool:
        """True when nothing has been imported."""
        return not self.occupations

    def require_data(self) -> None:
        """Raise DataMissingError (naming the import command) when nothing is imported."""
        if self.empty:
            raise DataMissingError(
                "no taxonomy loaded: run 'skillpath data import PATH' (e.g. ../shared/data/onet "
                "../shared/data/esco) or 'skillpath data download onet'"
            )

    # -- lookups -------------------------------------------------------------------------------

    def requirements(self, occupation_id: str) -> list[Requirement]:
        """What the occupation requires, most important first.

        ESCO occupations without their own relations inherit the O*NET requirements of the
        occupation they are crosswalked to (best confidence), so that gaps work across taxonomies.
        The borrowed list is made once per occupation (the taxonomy is read-only); each call
        returns a new list.
        """
        memo = self._memo.setdefault("requirements", {})
        got = memo.get(occupation_id)
        if got is None:
            got = memo[occupation_id] = tuple(self._requirements(occupation_id))
        return list(got)

    def _requirements(self, occupation_id: str) -> list[Requirement]:
        own = self._reqs.get(occupation_id, [])
        if not occupation_id.startswith("http"):
            if any(r.relation == "rated" for r in own):
                return list(own)
            donor = self.rating_donor(occupation_id)
            if donor is None:
                return list(own)
            have = {r.skill_id for r in own}
            return list(own) + [
                Requirement(
                    occupation_id=occupation_id,
                    skill_id=r.skill_id,
                    relation=r.relation,
                    importance=r.importance,
                    level=r.level,
                    hot=r.hot,
                    not_relevant=r.not_relevant,
                )
                for r in self._reqs[donor]
                if r.relation == "rated" and r.skill_id not in have
            ]
        links = [r for r in self._related.get(occupation_id, []) if r[1] == "crosswalk"]
        links.sort(key=lambda r: -(r[2] or 0))
        for other, _k, _rank in links:
            if other in self._reqs:
                return [
                    Requirement(
                        occupation_id=occupation_id,
                        skill_id=r.skill_id,
                        relation=r.relation,
                        importance=r.importance,
                        level=r.level,
                        hot=r.hot,
                        not_relevant=r.not_relevant,
                    )
                    for r in self._reqs[other]
                ]
        return []

    def own_requirements(self, occupation_id: str) -> list[Requirement]:
        """What the occupation's own files say it requires (no borrowing across taxonomies)."""
        return list(self._reqs.get(occupation_id, []))

    def median_levels(self) -> dict[str, float]:
        """Median O*NET level of each rated skill across all occupations (computed once).

        A CV that says nothing about, say, Active Listening does not mean the person has none: the
        typical worker's level is a better prior than zero.
        """
        if "median_levels" not in self._memo:
            vals: dict[str, list[float]] = defaultdict(list)
            for lst in self._reqs.values():
                for r in lst:
                    if r.relation == "rated" and r.level is not None:
                        vals[r.skill_id].append(r.level)
            self._memo["median_levels"] = {
                k: float(sorted(v)[len(v) // 2]) for k, v in vals.items()
            }
        return dict(self._memo["median_levels"])

    def rating_donor(self, occupation_id: str) -> str | None:
        """For an O*NET occupation without rated skills, the closest occupation that has them.

        Recent O*NET-SOC codes are not all rated in every release. We borrow, in order: a sibling
        with the same base code (``15-1252.xx``), the closest career-changer occupation, the most
        related occupation of O*NET's Related Occupations, then the most similar title in the
        same SOC minor group. :meth:`requirements` uses it; the gap
        output names the donor so the borrowing is never hidden.
        """
        donors = self._memo.setdefault("donors", {})
        if occupation_id not in donors:
            donors[occupation_id] = self._find_donor(occupation_id)
        return donors[occupation_id]

    def _find_donor(self, occupation_id: str) -> str | None:
        if any(r.relation == "rated" for r in self._reqs.get(occupation_id, [])):
            return None
        occ = self.occupations.get(occupation_id)
        if occ is None or occ.taxonomy != "onet":
            return None

        def rated(oid: str) -> bool:
            return any(r.relation == "rated" for r in self._reqs.get(oid, []))

        base = occ.code[:7]
        sib = sorted(
            o
            for o in self.occupations
            if o.startswith(f"onet:{base}") and o != occupation_id and rated(o)
        )
        if sib:
            return sib[0]
        for other, _kind, _r in self.related(occupation_id, "career_changer"):
            if rated(other):
                return other
        # O*NET's Related Occupations, most related first: a better donor than a similar title
        # (Medical Records Specialists are nearest to Medical Transcriptionists, not to Hearing
        # Aid Specialists, whose title shares "Specialists")
        ranked = sorted(self.related(occupation_id, "related"), key=lambda r: r[2] or 1e9)
        for other, _kind, _r in ranked:
            if rated(other):
                return other
        minor = occ.code[:5]
        group = {
            o.id: o.label
            for o in self.occupations.values()
            if o.taxonomy == "onet" and o.code.startswith(minor) and rated(o.id)
        }
        if group:
            best = process.extractOne(
                occ.label, group, scorer=fuzz.token_set_ratio, processor=utils.default_process
            )
            if best:
                return str(best[2])
        return None

    def occupations_requiring(self, skill_id: str) -> list[Requirement]:
        """Every requirement that names the skill."""
        return list(self._by_skill.get(skill_id, []))

    def titles(self, occupation_id: str) -> list[tuple[str, str]]:
        """``(title, kind)`` pairs naming the occupation."""
        return list(self._titles.get(occupation_id, []))

    def all_titles(self) -> list[tuple[str, str, str]]:
        """``(title, occupation_id, kind)`` for every title, plus each occupation's own label."""
        out = [(o.label, o.id, "label") for o in self.occupations.values()]
        for oid, lst in self._titles.items():
            out.extend((t, oid, k) for t, k in lst)
        return out

    def tasks(self, occupation_id: str) -> list[Task]:
        """Task statements, including those filed under legacy (older O*NET-SOC) predecessor codes."""
        out = list(self._tasks.get(occupation_id, []))
        for other, kind, _r in self._related.get(occupation_id, []):
            if kind == "soc_successor-of":
                out.extend(
                    Task(
                        id=t.id,
                        occupation_id=occupation_id,
                        text=t.text,
                        task_type=t.task_type,
                        emerging=t.emerging,
                    )
                    for t in self._tasks.get(other, [])
                )
        if not out and occupation_id.startswith("http"):
            for other, kind, _r in self._related.get(occupation_id, []):
                if kind == "crosswalk":
                    return self.tasks(other)
        return out

    def related(
        self, occupation_id: str, kind: str | None = None
    ) -> list[tuple[str, str, float | None]]:
        """``(other_id, kind, rank)``: career changers, crosswalk links, SOC successors..."""
        rel = self._related.get(occupation_id, [])
        return [r for r in rel if kind is None or r[1] == kind]

    def anchors(self, element_id: str, scale_id: str = "LV") -> list[Anchor]:
        """Level scale anchors of a content model element (e.g. ``2.A.1.a``, or ``onet:2.A.1.a``)."""
        return list(self._anchors.get((element_id.removeprefix("onet:"), scale_id), []))

    def tier(self, occupation_id: str, other_id: str) -> str | None:
        """The O*NET Related Occupations tier (``Primary-Short``, ``Primary-Long``, ``Supplemental``)."""
        return self._tiers.get((occupation_id, other_id))

    def values(self, occupation_id: str, element_id: str, scale_id: str) -> list[tuple[int, float]]:
        """``(category, value)`` of a non-skill descriptor (Education, Interests...), by category."""
        return list(self._values.get(occupation_id, {}).get((element_id, scale_id), []))

    def job_zone(self, occupation_id: str) -> int | None:
        """The O*NET Job Zone (1-5) of an occupation; ESCO occupations take their crosswalk's."""
        v = self._values.get(occupation_id, {}).get(("job_zone", "JZ"))
        if v:
            return int(v[0][1])
        if occupation_id.startswith("http"):
            for other, kind, _r in self._related.get(occupation_id, []):
                if kind == "crosswalk" and other in self._values:
                    return self.job_zone(other)
        return None

    def job_zone_info(self, zone: int) -> JobZone | None:
        """What a Job Zone means (name, education, experience, training), when the reference is loaded."""
        return self._job_zones.get(zone)

    def category_label(self, element_id: str, scale_id: str, category: int) -> str:
        """The O*NET text of a category of a distribution scale (``2.D.1``/``RL``/6: Bachelor's)."""
        return self._categories.get((element_id, scale_id, category), f"category {category}")

    def preparation(self, occupation_id: str) -> Preparation:
        """Job Zone and the education, experience and on-the-job training workers report."""

        def dist(el: str, sc: str) -> tuple[tuple[int, float, str], ...]:
            return tuple(
                (c, v, self._categories.get((el, sc, c), f"category {c}"))
                for c, v in self.values(occupation_id, el, sc)
            )

        return Preparation(
            self.job_zone(occupation_id),
            dist("2.D.1", "RL"),
            dist("3.A.1", "RW"),
            dist("3.A.3", "OJ"),
        )

    def activities(self, occupation_id: str) -> list[tuple[str, list[str]]]:
        """Detailed work activities of an occupation, most tasks first: ``(dwa skill id, task ids)``."""
        by_dwa: dict[str, list[str]] = defaultdict(list)
        for tid, dwas in self._task_dwas.get(occupation_id, {}).items():
            for d in dwas:
                by_dwa[d].append(tid)
        return sorted(((d, sorted(t)) for d, t in by_dwa.items()), key=lambda x: (-len(x[1]), x[0]))

    def task_activities(self, occupation_id: str, task_id: str) -> list[str]:
        """The detailed work activities (skill ids) a task statement is an instance of."""
        return list(self._task_dwas.get(occupation_id, {}).get(task_id, []))

    # -- resolution ----------------------------------------------------------------------------

    @staticmethod
    def is_code(text: str) -> bool:
        """True for an O*NET-SOC code (``15-1252.00`` or ``15-1252``) or a concept URI."""
        return bool(_CODE.match(text)) or text.strip().startswith(("http://", "https://", "onet:"))

    def resolve(self, text: str, *, top: int = 10, taxonomy: str | None = None) -> list[TitleMatch]:
        """Ranked occupations for a title, a code or a loose phrase.

        A thin view of :func:`skillpath.taxonomy.resolve_role` (the one role resolver), kept for
        callers that want :class:`TitleMatch` objects.

        Raises:
            NotFoundError: an empty text, or a code no occupation has.
        """
        from skillpath.taxonomy._roles import resolve_role

        self.require_data()
        if not text.strip():
            raise NotFoundError("empty title: give a job title or an O*NET-SOC code")
        res = resolve_role(self, text, taxonomy=taxonomy or "all", top=top)
        return [TitleMatch(c.occupation, c.score, c.matched, c.how) for c in res.candidates]

    def get_occupation(self, text_or_code: str, *, taxonomy: str | None = None) -> Occupation:
        """The best-matching occupation for a title or code (see :func:`~skillpath.taxonomy.pick_role`).

        Raises:
            NotFoundError: nothing matches well enough.
        """
        from skillpath.taxonomy._roles import pick_role

        return pick_role(self, text_or_code, taxonomy=taxonomy)[0]


def _descriptor_alt_labels() -> dict[str, tuple[str, ...]]:
    """Curated alternative labels of O*NET descriptors (``data/onet_descriptor_alt_labels.json``)."""
    raw = json.loads(
        resources.files("skillpath.taxonomy")
        .joinpath("data/onet_descriptor_alt_labels.json")
        .read_text(encoding="utf-8")
    )
    return {f"onet:{k}": tuple(v) for k, v in raw.items() if not k.startswith("_")}


_LOCK = threading.Lock()
_CACHE: dict[str, Taxonomy] = {}


def _read_cached(cls: type[Taxonomy], store: Store) -> Taxonomy:
    """:meth:`Taxonomy._read`, or the view read before from the same store content (one
    ``pickle.load`` from the derived-data cache instead of ~1M ORM rows; decision 0132)."""
    from skillpath.store._derived import cached, fingerprint, pickle_by_init, source_hash

    pickle_by_init(Occupation, Skill, Requirement, Task, Anchor, JobZone)
    version = "taxonomy-1|" + source_hash(
        "skillpath.taxonomy._taxonomy",
        "skillpath.taxonomy._model",
        data=[("skillpath.taxonomy", "data/onet_descriptor_alt_labels.json")],
    )
    tax = cached(
        store,
        "taxonomy",
        lambda: cls._read(store),
        parts=["taxonomy"],
        version=version,
        check=lambda t: isinstance(t, cls) and not t._memo,
    )
    # what this view was read from (store content and code): indexes derived from the view are
    # cached by it without hashing the view again (the role resolver's title index)
    tax._memo["content_key"] = f"{fingerprint(store, ['taxonomy'])}|{version}"
    return tax


def clear_cache() -> None:
    """Forget loaded taxonomies (after an import)."""
    with _LOCK:
        _CACHE.clear()
