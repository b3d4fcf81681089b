"""Advice use cases of the application layer: where a learner stands, the plan, next roles and
course recommendations, over the service's warm taxonomy and catalogue.

The CLI (``plan``, ``paths``, ``recommend``) and the web's re-planning call these; what the
faces add is only how a role given as text is resolved and reported (the CLI's notes on
ambiguous titles) and how the answer is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillpath.errors import DataMissingError, InputError

__all__ = ["AdviceMixin", "Recommendations", "fewer_note"]


@dataclass(frozen=True)
class Recommendations:
    """Courses recommended for one learner towards one target, with the signals used."""

    target_id: str
    target_label: str
    signals: tuple[str, ...]
    items: tuple[Any, ...] = field(default=())  # recommend.Recommendation
    #: why fewer courses than asked are shown (the catalogue holds fewer about the target's work,
    #: or the filters leave fewer), else None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The CLI's ``recommend --json`` document (schema in docs/recommend.md)."""
        doc: dict[str, Any] = {
            "target": {"id": self.target_id, "label": self.target_label},
            "signals": list(self.signals),
            "recommendations": [dict(rank=i + 1, **r.to_dict()) for i, r in enumerate(self.items)],
        }
        if self.note:
            doc["note"] = self.note
        return doc


def fewer_note(about: int, shown: int, target: str) -> str:
    """Why fewer courses than asked are shown: the catalogue or the filters, said truthfully."""
    if about == 0:
        return (
            f"no course in the catalogue is about the work of {target} (in your languages); "
            "the gap is left to practice and mentoring"
        )
    if shown < about:
        return f"{about} courses are about the work of {target}; {shown} pass your filters"
    return f"only {about} courses in the catalogue are about the work of {target}"


class AdviceMixin:
    """The advice use cases; mixed into :class:`~skillpath.service.Service`, which provides the
    warm ``taxonomy`` and ``courses``."""

    taxonomy: Any
    courses: Any

    # ---- where the learner stands ----------------------------------------------------------
    def learner_from_cv(self, cv: Path) -> Any:
        """A learner (``plan.Learner``) read from a CV file in any format the profile reads."""
        from skillpath.plan import learner_from_cv

        if not Path(cv).exists():
            raise InputError("no such file or folder", file=str(cv))
        return learner_from_cv(self.taxonomy, Path(cv))

    def learner_from_role(self, occupation_id: str) -> Any:
        """A learner described by the occupation they hold (its O*NET levels)."""
        from skillpath.plan import learner_from_role

        return learner_from_role(self.taxonomy, occupation_id)

    # ---- plan and next roles ---------------------------------------------------------------
    def plan(
        self,
        learner: Any,
        target: str,
        request: Any,
        *,
        exclude: Sequence[str] = (),
        today: Any = None,
    ) -> Any:
        """The optimal plan (``plan.Plan``) for ``learner`` towards ``target`` (an occupation id
        or code, or ``current``); courses whose ids are in ``exclude`` are left out (done)."""
        from skillpath.plan import make_plan

        courses = self._courses_without(frozenset(exclude)) if exclude else self.courses
        return make_plan(self.taxonomy, courses, learner, target, request, today=today)

    def _courses_without(self, gone: frozenset[str]) -> list[Any]:
        """The catalogue less ``gone``: the same list object for the same set (the relevance
        index is kept per catalogue object, so a re-plan with the same done courses reuses it
        instead of rebuilding it)."""
        import threading

        views = self.__dict__.setdefault("_course_views", {})
        lock = self.__dict__.setdefault("_course_views_lock", threading.Lock())
        with lock:
            got = views.pop(gone, None)
            if got is None:
                got = [c for c in self.courses if c.id not in gone]
            views[gone] = got  # newest last
            while len(views) > 3:
                views.pop(next(iter(views)))
            return got

    def next_roles(self, learner: Any, *, n: int = 10, request: Any = None) -> list[Any]:
        """The ``n`` most feasible next roles (``plan.NextRole``) from the learner's current one."""
        from skillpath.plan import next_roles

        if learner.current is None:
            raise InputError("no current role recognised in the CV; use --from ROLE")
        return next_roles(
            self.taxonomy,
            self.courses,
            learner.current,
            learner.levels,
            learner.sds,
            n=n,
            request=request,
        )

    # ---- course recommendations ------------------------------------------------------------
    def require_courses(self) -> Any:
        """The catalogue, or :class:`DataMissingError` naming the import command."""
        courses = self.courses
        if not courses:
            raise DataMissingError(
                "no courses: import a catalogue first ('skillpath catalog import ...')"
            )
        return courses

    def recommend(
        self,
        learner: Any,
        target: Any,
        *,
        n: int = 10,
        diversity: float = 0.3,
        filters: Any = None,
        events: Path | None = None,
        careers: Path | None = None,
        aliases: Sequence[str] = (),
    ) -> Recommendations:
        """Courses for ``learner`` towards the occupation ``target``, with reasons.

        Signals: quality, relevance to the target's work, the prioritised gap the plan uses
        (course-route skills only, decision 0062), and from ``events`` (learning events) the
        completion rates and, with ``careers``, the success paths into the target. ``aliases``
        are other names of the target in the career events (the text the learner typed).
        """
        from skillpath.plan import analyse_gap
        from skillpath.plan._relevance import relevance_reasons, relevant_courses, target_relevance
        from skillpath.recommend import (
            GapEntry,
            completion_rates,
            read_career_csv,
            read_events,
            recommend_courses,
            success_paths,
        )

        courses = self.require_courses()
        tax = self.taxonomy
        signals = ["quality"]
        # the same prioritised gap the plan uses (population priors for skills without evidence,
        # a few hot technologies weighted by how widely they are used), so both agree
        lg = analyse_gap(tax, target, dict(learner.levels), dict(learner.sds))
        # courses teach the course-route skills; generic skills are closed by practice (0062)
        gap = {
            g.skill_id: GapEntry(g.current, g.required, round(g.weight * g.probability, 4))
            for g in lg.skills
            if g.route == "course"
        }
        relevance = target_relevance(tax, target, courses)
        # only courses about the target's work (or naming a gap technology): none, say so
        pool = relevant_courses(tax, target, courses, lg, relevance=relevance)
        langs = tuple(getattr(learner, "languages", ()) or ())
        if langs and not getattr(filters, "language", None):
            # in the languages the learner reads (the CV's), as the plan; --language overrides
            from skillpath.catalog._language import reads_language

            pool = [c for c in pool if reads_language(c.language, langs)]

        def relevance_why(ids: Sequence[str]) -> dict[str, str]:
            # quoted only for the courses shown, against the whole catalogue's vocabulary
            return relevance_reasons(tax, target, courses, ids)

        signals += ["relevance", "gap"]
        labels = {s: getattr(tax.skills.get(s), "label", s) for s in gap}
        success = completion = None
        if events is not None:
            evs = list(read_events(events))
            completion = completion_rates(evs)
            signals.append("completion")
            if careers is not None:
                same = {a: target.id for a in aliases if a}
                same[target.label] = target.id
                success = success_paths(
                    target.id, events=evs, careers=read_career_csv(careers), same_as=same
                )
                signals.append("success")
        recs = recommend_courses(
            pool,
            gap=gap,
            skill_labels=labels,
            taken=[],
            success=success,
            target_label=target.label,
            completion=completion,
            relevance=relevance,
            relevance_why=relevance_why,
            n=n,
            diversity=diversity,
            filters=filters,
            levels=dict(learner.levels),
        )
        note = fewer_note(len(pool), len(recs), target.label) if len(recs) < n else None
        return Recommendations(target.id, target.label, tuple(signals), tuple(recs), note)
