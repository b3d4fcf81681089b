"""The application layer: one typed method per use case, over the store; indexes kept warm.

The web app (and, increasingly, the CLI) call only this. A :class:`Service` lives as long as the
process: the taxonomy and catalogue are loaded once and reused by every request, and re-planning
runs off the request path, with its status in the learner's row: in a worker process forked once
the indexes are warm (a re-plan is seconds of pure Python, which on a thread would hold the GIL
against every request), or on a thread where no worker process can be had (decision 0131).

Every session that writes is a write session (``store.session(write=True)``): on SQLite it takes
the write lock at BEGIN, so a second writer waits for the first; a deferred transaction that reads
and then writes fails at once when another connection writes (decision 0130).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import logging
import multiprocessing as mp
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Iterable
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Text, case, cast, func, select, update

from skillpath.errors import InputError, NotFoundError, SkillpathError
from skillpath.mentoring import (
    MIN_PRIOR_SD,
    PASS_CONFIDENCE,
    RUBRIC_LEVELS,
    Belief,
    Observation,
    ReviewerStats,
    SeverityIndex,
    level_from_rubric,
    update_belief,
)
from skillpath.service._accounts import User, forget_user, token_hash
from skillpath.service._advice import AdviceMixin
from skillpath.store import Store
from skillpath.store.models.web import (
    WebBadge,
    WebComment,
    WebEndorsement,
    WebEvidence,
    WebLearner,
    WebLink,
    WebReview,
    WebUser,
)

__all__ = ["Access", "Limits", "Service"]

EVIDENCE_KINDS = ("text", "file", "link", "video")
log = logging.getLogger("skillpath.service")

# The service a forked re-plan worker inherits (set just before the fork; read only in the child).
_WORKER: Service | None = None


def _worker_init() -> None:
    """In the forked worker: never touch a connection of the parent's pool; yield the CPU to
    the server's requests (a re-plan may take a little longer, a page does not wait for it)."""
    assert _WORKER is not None
    _WORKER.store.engine.dispose(close=False)
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no os.nice here
        os.nice(10)


def _worker_replan(learner_id: int) -> None:
    assert _WORKER is not None
    _WORKER._replan_here(learner_id)


@dataclass(frozen=True, slots=True)
class Limits:
    """Upload limits: sizes in bytes and accepted media types (sniffed from the content)."""

    max_file: int = 10 * 1024 * 1024
    max_video: int = 50 * 1024 * 1024
    max_cv: int = 5 * 1024 * 1024
    file_types: frozenset[str] = frozenset(
        {
            "application/pdf",
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "text/plain",
            "application/zip",
        }
    )
    video_types: frozenset[str] = frozenset({"video/mp4", "video/webm"})


@dataclass(frozen=True, slots=True)
class _MasteryInputs:
    """What a learner's mastery is computed from (one read: :meth:`Service._mastery_inputs`)."""

    priors: dict[str, Belief]
    obs: dict[str, list[tuple[int, Observation]]]  # skill -> (review id, observation), in order
    ev_of: dict[str, list[tuple[int, int]]]  # skill -> (review id, evidence id), mentor/peer
    labels: dict[str, str]
    required: dict[str, float]
    stats: dict[str, ReviewerStats]

    def beliefs(
        self, *, without: int | None = None, skills: Iterable[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        """Per skill (every one, or only ``skills``): prior, posterior, checkpoint.

        ``without`` leaves one review out (by id): the belief as it was before that review, with
        the same reviewer statistics.
        """
        obs = {sid: [o for rid, o in xs if rid != without] for sid, xs in self.obs.items()}
        sids = set(self.priors) | {sid for sid, xs in obs.items() if xs}
        if skills is not None:
            sids &= set(skills)
        out: dict[str, dict[str, Any]] = {}
        for sid in sids:
            prior = self.priors.get(sid, Belief(mean=0.0, sd=1.5))
            post = update_belief(prior, obs.get(sid, []), self.stats)
            req = self.required.get(sid)
            out[sid] = {
                "skill_id": sid,
                "label": self.labels.get(sid, sid),
                "prior": {"mean": prior.mean, "sd": prior.sd},
                "posterior": {"mean": post.mean, "sd": post.sd},
                "observations": post.observations,
                "reviewed": post.reviewed,
                "required": req,
                "p_meets": None if req is None else round(post.p_at_least(req), 3),
                "passes": bool(req is not None and post.passes(req)),
                "evidence_ids": sorted(
                    {eid for rid, eid in self.ev_of.get(sid, []) if rid != without}
                ),
            }
        return out


class Access(InputError):
    """The user may not see or change this object (the web answers 403, or 404 to hide it)."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _safe_url(url: str) -> str:
    """Only http(s) links become links (no javascript:, data: ...): the one check, decision 0080."""
    from skillpath.links import url_problem

    u = url.strip()
    why = url_problem(u)
    if why is not None:
        raise InputError(
            f"a link must start with http:// or https://: {why}", column="url", value=url[:200]
        )
    return u


def _sniff(data: bytes) -> str:
    from skillpath.portfolio import sniff_media_type

    return sniff_media_type(data)


class Service(AdviceMixin):
    """Use cases of Skillpath over one store, with warm indexes.

    The advice use cases (where a learner stands, plan, next roles, recommendations) are in
    :class:`~skillpath.service._advice.AdviceMixin`; the CLI calls the same methods.

    Args:
        store: the open store.
        blob_dir: where uploaded files live, addressed by SHA-256 (default ``<home>/web-files``).
        limits: upload limits.
        public_url: the base URL used in invitation links.
        replan_process: re-plan in a worker process forked by :meth:`warm` (where the platform
            can fork); False, or before :meth:`warm`, re-plans run on a thread.
    """

    def __init__(
        self,
        store: Store,
        *,
        blob_dir: Path | None = None,
        limits: Limits | None = None,
        public_url: str = "http://127.0.0.1:8000",
        replan_process: bool = True,
    ) -> None:
        self.store = store
        if blob_dir is None:
            from skillpath.config import get_settings

            blob_dir = get_settings().home / "web-files"
        self.blob_dir = blob_dir
        self.limits = limits or Limits()
        self.public_url = public_url.rstrip("/")
        self._tax: Any = None
        self._courses: Any = None
        self._lock = threading.Lock()
        # one dispatcher thread: it runs a re-plan, or waits (GIL released) for the worker's
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="replan")
        self._procs: ProcessPoolExecutor | None = None
        self.replan_process = replan_process
        self.jobs: dict[int, Future[None]] = {}
        self._sev = SeverityIndex()
        self._sev_upto = 0  # the highest review id counted in _sev
        self._sev_lock = threading.Lock()
        self._sign_lock = threading.Lock()
        self._frozen = False  # warm() took the loaded indexes out of the garbage collector
        self._key: tuple[str, Any] | None = None  # (key id, KeyPair) of the default issuer

    # ---- warm indexes ---------------------------------------------------------------------
    @property
    def taxonomy(self) -> Any:
        """The taxonomy, loaded once per process."""
        with self._lock:
            if self._tax is None:
                from skillpath.taxonomy import Taxonomy

                tax = Taxonomy.load(self.store)
                tax.require_data()
                self._tax = tax
            return self._tax

    @property
    def courses(self) -> Any:
        """The tagged catalogue, loaded once per process."""
        with self._lock:
            if self._courses is None:
                from skillpath.catalog import load_catalog

                self._courses = load_catalog(self.store)
            return self._courses

    def warm(self, *, start_worker: bool = True) -> None:
        """Load the taxonomy, catalogue and text indexes now (at server start), not on a request.

        The skill linker of the default engine embeds the taxonomy once per store (then cached on
        disk); doing it here keeps the first CV upload (and role search) as fast as the next.
        Then (unless ``start_worker`` is False: call :meth:`start_worker` and
        :meth:`resume_replans` later) the re-plan worker process is forked, sharing the loaded
        indexes, and re-plans a previous run left unfinished are queued; call this before the
        server starts its threads.
        """
        from skillpath.text import skill_linker

        _ = self.taxonomy, self.courses
        skill_linker(self.taxonomy)
        # the role resolver builds its title index on first use: not inside a request
        with contextlib.suppress(SkillpathError):
            self.taxonomy.resolve("software developer", top=1)
        # and the profile's occupation votes and title matching on their first CV: read a short
        # one now (not in the first upload's request), before the freeze below keeps them out
        # of the collector like the other indexes
        self._warm_profile()
        self._warm_badges()
        # The loaded indexes are ~750k long-lived objects: a full collection walked them all in
        # about a second, holding the GIL, and stalled every request (the load test's p99). Kept
        # out of the collector from now on (gc.freeze); close() hands them back.
        gc.collect()
        gc.freeze()
        self._frozen = True
        if start_worker:
            self.start_worker()
            self.resume_replans()

    def _warm_profile(self) -> None:
        """Infer the profile of a short CV (a title, two jobs, skills) and drop it."""
        from skillpath.profile import infer_profile, read_cv

        text = (
            "Alex Example\nSoftware Developer\n\nExperience\n"
            "Software Developer, Example Ltd, 2019 - present\n"
            "Built web services in Python and SQL; led code reviews.\n"
            "Data Analyst, Sample plc, 2016 - 2019\nReports in Excel and Tableau.\n\n"
            "Skills\nPython, SQL, project management, communication\n"
        )
        with tempfile.TemporaryDirectory() as tmp, contextlib.suppress(SkillpathError):
            path = Path(tmp) / "warm.txt"
            path.write_text(text, encoding="utf-8")
            infer_profile(read_cv(path), self.taxonomy)

    @staticmethod
    def _warm_badges() -> None:
        """Build and sign a throwaway badge with a throwaway key (nothing stored): the first
        badge a server issued imported the portfolio and JSON-LD modules and processed the
        bundled contexts inside that review's request, ~0.3 s holding the GIL."""
        from skillpath.portfolio import (
            EvidenceItem,
            IssuerProfile,
            SkillClaim,
            build_credential,
            create_proof,
            generate_key,
        )

        key = generate_key()
        issuer = IssuerProfile(id="urn:uuid:warm", name="warm", did=key.did, keys=(key.method_id,))
        item = EvidenceItem(
            id="evidence-0",
            kind="assessment",
            title="warm",
            occurred_at=_now(),
            created_at=_now(),
            skills=(SkillClaim(label="warm", skill_id="warm", level=1.0),),
        )
        with contextlib.suppress(SkillpathError):
            create_proof(build_credential(name="warm", issuer=issuer, items=[item]), key)

    def resume_replans(self) -> int:
        """Queue again the re-plans a previous run left unfinished (status "running" in the
        store: cancelled at shutdown, or the process was killed). Returns how many."""
        with self.store.session() as s:
            ids = list(
                s.scalars(select(WebLearner.user_id).where(WebLearner.plan_status == "running"))
            )
        for uid in ids:
            self.replan(uid)
        return len(ids)

    def start_worker(self) -> bool:
        """Fork the re-plan worker process now (once; after the indexes are loaded).

        Returns:
            True when re-plans now run in the worker process; False when they stay on a thread
            (``replan_process`` is off, or the platform cannot fork).
        """
        global _WORKER
        if self._procs is not None:
            return True
        if not self.replan_process or "fork" not in mp.get_all_start_methods():
            return False
        _ = self.taxonomy, self.courses  # the child inherits them loaded
        self.store.engine.dispose()  # no open connection crosses the fork
        _WORKER = self
        procs = ProcessPoolExecutor(
            max_workers=1, mp_context=mp.get_context("fork"), initializer=_worker_init
        )
        procs.submit(int).result()  # fork now, not at the first re-plan inside a request
        self._procs = procs
        return True

    def stop_worker(self) -> None:
        """Stop the re-plan worker process (a running re-plan finishes); re-plans then run on
        the dispatcher thread."""
        procs, self._procs = self._procs, None
        if procs is not None:
            procs.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Stop the re-planning worker (queued re-plans are cancelled, a running one finishes)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.stop_worker()
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    # ---- access ---------------------------------------------------------------------------
    def relation(self, viewer: User, learner_id: int) -> str | None:
        """How ``viewer`` relates to a learner's data: owner, mentor, peer, or None (no access).

        Admins manage accounts but see a learner's data only when invited, like anyone else.
        """
        if viewer.id == learner_id:
            return "owner"
        with self.store.session() as s:
            return self._relation(s, viewer, learner_id)

    @staticmethod
    def _relation(s, viewer: User, learner_id: int) -> str | None:
        if viewer.id == learner_id:
            return "owner"
        rel = s.scalars(
            select(WebLink.relation).where(
                WebLink.learner_id == learner_id,
                WebLink.reviewer_id == viewer.id,
                WebLink.revoked_at.is_(None),
            )
        ).first()
        return rel

    def require(self, viewer: User, learner_id: int, *, owner: bool = False) -> str:
        """The relation, or :class:`Access` when the viewer may not see (or, ``owner``, change) it."""
        rel = self.relation(viewer, learner_id)
        if rel is None or (owner and rel != "owner"):
            raise Access("not yours: ask the learner to invite you", value=learner_id)
        return rel

    # ---- profile --------------------------------------------------------------------------
    def _learner_row(self, s, user_id: int) -> WebLearner:
        """The learner's row for a write session, created when missing (locked on PostgreSQL)."""
        row = s.get(WebLearner, user_id, with_for_update=True)
        if row is None:
            row = WebLearner(
                user_id=user_id,
                profile={},
                corrections={},
                request={},
                plan={},
                done=[],
                hours_logged={},
                updated_at=_now(),
            )
            s.add(row)
            s.flush()
        return row

    def learner_state(self, viewer: User, learner_id: int) -> dict[str, Any]:
        """Everything the learner's pages show (for the owner or an invited reviewer)."""
        self.require(viewer, learner_id)
        with self.store.session() as s:  # reads only: a learner without a row has no state yet
            row = s.get(WebLearner, learner_id)
            user = s.get(WebUser, learner_id)
            return {
                "user_id": learner_id,
                "name": user.name if user else "",
                "email": user.email if user else "",
                "cv_filename": row.cv_filename if row else "",
                "profile": dict(row.profile or {}) if row else {},
                "corrections": dict(row.corrections or {}) if row else {},
                "target": row.target if row else "",
                "request": dict(row.request or {}) if row else {},
                "plan": dict(row.plan or {}) if row else {},
                "done": list(row.done or []) if row else [],
                "hours_logged": dict(row.hours_logged or {}) if row else {},
                "plan_status": row.plan_status if row else "none",
                "plan_error": row.plan_error if row else "",
            }

    def plan_json(self, viewer: User, learner_id: int) -> str:
        """The plan API's body, ``{"status", "plan", "done"}``, as JSON text.

        The plan (tens of kB) is spliced in as stored: no parse and re-serialisation per read.
        """
        self.require(viewer, learner_id)
        with self.store.session() as s:
            row = s.execute(
                select(
                    WebLearner.plan_status, cast(WebLearner.plan, Text), cast(WebLearner.done, Text)
                ).where(WebLearner.user_id == learner_id)
            ).first()
        if row is None:
            return json.dumps({"status": "none", "plan": {}, "done": []})
        status, plan, done = row
        plan = plan if plan and plan != "null" else "{}"
        done = done if done and done != "null" else "[]"
        return f'{{"status": {json.dumps(status)}, "plan": {plan}, "done": {done}}}'

    def read_cv(self, user: User, *, filename: str, data: bytes) -> dict[str, Any]:
        """Read a CV (any format the profile reads) into the learner's profile.

        Raises:
            InputError: too large, or unreadable (the reader's message names what is wrong).
        """
        from skillpath.profile import infer_profile, read_cv

        if len(data) > self.limits.max_cv:
            raise InputError(
                f"the CV is larger than {self.limits.max_cv // (1024 * 1024)} MB", file=filename
            )
        if not data:
            raise InputError("the file is empty", file=filename)
        suffix = Path(filename).suffix.lower()[:10] or ".txt"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"cv{suffix}"
            path.write_bytes(data)
            try:
                profile = read_cv(path)
            except SkillpathError as exc:
                raise InputError(str(exc).replace(str(path), filename), file=None) from exc
            state = infer_profile(profile, self.taxonomy)
        cur = state.current_occupation
        doc = {
            "name": profile.name or "",
            "headline": profile.headline,
            "language": getattr(profile, "language", None),
            "current": None if cur is None else {"id": cur.occupation_id, "label": cur.label},
            "occupations": [
                {
                    "id": o.occupation_id,
                    "label": o.label,
                    "score": round(o.score, 3),
                    "years": o.years,
                    "current": o.current,
                    "evidence": list(o.evidence)[:3],
                }
                for o in state.occupations[:8]
            ],
            "skills": [
                {
                    "skill_id": e.skill_id,
                    "label": e.label,
                    "level": round(e.level, 2),
                    "sd": round(e.sd, 2),
                    "kind": e.kind,
                    "evidence": list(e.evidence)[:3],
                }
                for e in state.estimates
            ],
            "warnings": list(profile.warnings),
        }
        with self.store.session(write=True) as s:
            row = self._learner_row(s, user.id)
            row.cv_filename = Path(filename).name[:200]
            row.profile = doc
            row.corrections = {}
            row.updated_at = _now()
            u = s.get(WebUser, user.id)
            if u is not None and not u.name and doc["name"]:
                u.name = str(doc["name"])[:200]
        return doc

    def correct_skill(
        self, user: User, skill_id: str, *, action: str, level: float | None = None, label: str = ""
    ) -> None:
        """Confirm, reject, add or re-level a skill in the learner's own profile."""
        if action not in ("confirm", "reject", "level", "add"):
            raise InputError("action must be confirm, reject, level or add", value=action)
        if action in ("level", "add") and (level is None or not 0 <= level <= 7):
            raise InputError("level must be between 0 and 7", column="level", value=level)
        with self.store.session(write=True) as s:
            row = self._learner_row(s, user.id)
            corr = dict(row.corrections or {})
            prof = dict(row.profile or {})
            if action == "add":
                tax = self.taxonomy
                if skill_id not in tax.skills:
                    raise NotFoundError("no such skill in the taxonomy", value=skill_id)
                skills = list(prof.get("skills", []))
                if not any(k["skill_id"] == skill_id for k in skills):
                    skills.append(
                        {
                            "skill_id": skill_id,
                            "label": label or tax.skills[skill_id].label,
                            "level": level,
                            "sd": 1.0,
                            "kind": "",
                            "evidence": ["added by you"],
                        }
                    )
                prof["skills"] = skills
                row.profile = prof
            corr[skill_id] = {"action": action, "level": level}
            row.corrections = corr
            row.updated_at = _now()

    def search_skills(self, query: str, top: int = 8) -> list[dict[str, str]]:
        """Taxonomy skills whose label contains the query words (for 'add a skill')."""
        q = [w for w in query.lower().split() if w]
        if not q:
            return []
        out = []
        for sid, sk in self.taxonomy.skills.items():
            lab = sk.label.lower()
            if all(w in lab for w in q):
                out.append({"skill_id": sid, "label": sk.label})
        out.sort(key=lambda d: (len(d["label"]), d["label"]))
        return out[:top]

    def search_roles(self, query: str, top: int = 8) -> list[dict[str, Any]]:
        """Occupations for a title or loose phrase, best first (the project's one resolver)."""
        if not query.strip():
            return []
        tax = self.taxonomy
        try:
            hits = tax.resolve(query, top=top)
        except SkillpathError:
            return []
        return [
            {
                "id": m.occupation.id,
                "code": m.occupation.code,
                "label": m.occupation.label,
                "score": round(float(m.score), 3),
            }
            for m in hits
        ]

    # ---- mastery --------------------------------------------------------------------------
    @staticmethod
    def _target(skills: list[dict[str, Any]]) -> float:
        return max((float(k.get("target", 3.0)) for k in skills), default=3.0)

    def _severity(self, s) -> dict[str, ReviewerStats]:
        """Reviewer severity/consistency from every piece of evidence a mentor also scored.

        Kept incrementally (:class:`SeverityIndex`): a call reads only the reviews added since
        the last one; when reviews were removed (an erased account) or appeared out of id order,
        it counts everything again.
        """
        n, top = s.execute(select(func.count(WebReview.id), func.max(WebReview.id))).one()
        n, top = int(n or 0), int(top or 0)
        with self._sev_lock:
            idx = self._sev
            if n == idx.reviews and top == self._sev_upto:
                return idx.stats()
            new = s.execute(
                select(
                    WebReview.id,
                    WebReview.evidence_id,
                    WebReview.reviewer_id,
                    WebReview.source,
                    WebReview.rubric,
                )
                .where(WebReview.id > self._sev_upto)
                .order_by(WebReview.id)
            ).all()
            if idx.reviews + len(new) != n:  # something was deleted, or committed out of order
                idx, self._sev_upto = SeverityIndex(), 0
                new = s.execute(
                    select(
                        WebReview.id,
                        WebReview.evidence_id,
                        WebReview.reviewer_id,
                        WebReview.source,
                        WebReview.rubric,
                    ).order_by(WebReview.id)
                ).all()
            need = sorted({r.evidence_id for r in new} - set(idx.works()))
            targets: dict[int, float] = {}
            for k in range(0, len(need), 500):
                for eid, skills in s.execute(
                    select(WebEvidence.id, WebEvidence.skills).where(
                        WebEvidence.id.in_(need[k : k + 500])
                    )
                ):
                    targets[eid] = self._target(list(skills or []))
            for r in new:
                idx.add(
                    r.evidence_id,
                    targets.get(r.evidence_id, 3.0),
                    str(r.reviewer_id),
                    r.source,
                    r.rubric,
                )
                self._sev_upto = max(self._sev_upto, r.id)
            self._sev = idx
            return idx.stats()

    def mastery(self, viewer: User, learner_id: int) -> dict[str, dict[str, Any]]:
        """Per skill: the CV prior, the posterior after reviews, and whether a checkpoint passes."""
        self.require(viewer, learner_id)
        return self._mastery_inputs(learner_id).beliefs()

    def _mastery_inputs(self, learner_id: int) -> _MasteryInputs:
        """What a learner's mastery is computed from, read in one short read transaction: the
        priors (CV levels, corrections, the plan's gap), every review of their evidence as an
        observation per skill, and the reviewers' severity. The one read of a mastery: a review
        computes the belief before and after itself from one of these (decision 0146)."""
        with self.store.session() as s:  # reads only: a learner without a row has no state yet
            row = s.execute(
                select(WebLearner.profile, WebLearner.corrections, WebLearner.plan["gap"]).where(
                    WebLearner.user_id == learner_id
                )
            ).first()
            stats = self._severity(s)
            skills_of: dict[int, list[dict[str, Any]]] = dict(
                s.execute(
                    select(WebEvidence.id, WebEvidence.skills).where(
                        WebEvidence.learner_id == learner_id
                    )
                ).all()
            )
            reviews = s.execute(
                select(
                    WebReview.id,
                    WebReview.evidence_id,
                    WebReview.reviewer_id,
                    WebReview.source,
                    WebReview.rubric,
                )
                .join(WebEvidence, WebReview.evidence_id == WebEvidence.id)
                .where(WebEvidence.learner_id == learner_id)
                .order_by(WebReview.id)
            ).all()
        prof, corr, gap = (row[0] or {}, row[1] or {}, row[2] or {}) if row else ({}, {}, {})
        gap_skills = gap.get("skills", []) if isinstance(gap, dict) else []
        required = {g["skill_id"]: g["required"] for g in gap_skills}
        labels = {g["skill_id"]: g["label"] for g in gap_skills}
        priors: dict[str, Belief] = {}
        for k in prof.get("skills", []):
            labels.setdefault(k["skill_id"], k["label"])
            c = corr.get(k["skill_id"])
            if c and c["action"] == "reject":
                priors[k["skill_id"]] = Belief(mean=0.0, sd=1.0)
            elif c and c["action"] in ("level", "add"):
                priors[k["skill_id"]] = Belief(mean=float(c["level"]), sd=1.2)  # self-stated
            else:
                priors[k["skill_id"]] = Belief(
                    mean=float(k["level"]), sd=max(float(k["sd"]), MIN_PRIOR_SD)
                )
        for g in gap_skills:
            priors.setdefault(
                g["skill_id"],
                Belief(mean=float(g["current"]), sd=max(float(g["sd"]), MIN_PRIOR_SD)),
            )
        obs: dict[str, list[tuple[int, Observation]]] = {}
        ev_of: dict[str, list[tuple[int, int]]] = {}
        for rid, eid, reviewer_id, source, rubric in reviews:
            for k in skills_of.get(eid) or []:
                lvl = level_from_rubric(rubric, float(k.get("target", 3.0)))
                obs.setdefault(k["skill_id"], []).append(
                    (rid, Observation(level=lvl, source=source, reviewer=str(reviewer_id)))
                )
                labels.setdefault(k["skill_id"], k.get("label", k["skill_id"]))
                # the level the task asked for: once met, the skill leaves the re-planned
                # gap, but its checkpoint is still judged against what the role requires
                required.setdefault(k["skill_id"], float(k.get("target", 3.0)))
                if source in ("mentor", "peer"):
                    ev_of.setdefault(k["skill_id"], []).append((rid, eid))
        return _MasteryInputs(priors, obs, ev_of, labels, required, stats)

    # ---- planning -------------------------------------------------------------------------
    def set_target(
        self,
        user: User,
        *,
        target: str,
        hours_per_week: float = 5.0,
        weeks: int | None = None,
        budget: float | None = None,
        languages: tuple[str, ...] = (),
        free: bool = False,
    ) -> None:
        """Choose a target role and constraints; re-planning starts off the request path."""
        from skillpath.plan import PlanRequest, check_request

        if not target.strip():
            raise InputError("choose a target role", column="target")
        req = PlanRequest(
            hours_per_week=hours_per_week,
            weeks=weeks,
            budget=budget,
            languages=tuple(languages),
            free_only=free,
        )
        check_request(req)
        self.taxonomy.get_occupation(target)  # fails now (InputError) rather than in the worker
        with self.store.session(write=True) as s:
            row = self._learner_row(s, user.id)
            if not row.profile:
                raise InputError("upload your CV first")
            row.target = target.strip()
            row.request = req.to_dict()
            row.done = []
            row.hours_logged = {}
            row.updated_at = _now()
        self.replan(user.id)

    def replan(self, learner_id: int, *, wait: bool = False) -> None:
        """Re-plan from the current mastery (posteriors replace CV levels); done items are kept."""
        with self.store.session(write=True) as s:
            if not self._mark_replanning(s, learner_id):
                return
        fut = self._queue_replan(learner_id)
        if wait:
            fut.result()

    @staticmethod
    def _mark_replanning(s, learner_id: int) -> bool:
        """In a write session: the learner's plan status becomes "running" (the page shows it
        and polls) and a new plan generation is requested (``plan_gen`` + 1); False when they
        have no target to plan for. One UPDATE: the row (its plan is tens of kB of JSON) is not
        loaded inside the write transaction, and the request commits with what caused it (the
        review), so a re-plan that reads the generation first then reads that review too."""
        done = s.execute(
            update(WebLearner)
            .where(WebLearner.user_id == learner_id, WebLearner.target != "")
            .values(plan_status="running", plan_error="", plan_gen=WebLearner.plan_gen + 1)
        )
        return bool(done.rowcount)

    def _queue_replan(self, learner_id: int) -> Future[None]:
        """Queue the learner's re-plan off the request path (after :meth:`_mark_replanning`
        committed): one queued re-plan per learner at most, as it reads the newest state."""
        with self._lock:
            prev = self.jobs.get(learner_id)
            if prev is not None and not prev.running() and not prev.done():
                return prev  # one queued re-plan already reads the newest state: don't pile up
            fut = self._pool.submit(self._replan_job, learner_id)
            self.jobs[learner_id] = fut
            return fut

    def _replan_job(self, learner_id: int) -> None:
        """On the dispatcher thread: re-plan in the worker process, or here if there is none."""
        procs = self._procs
        if procs is not None:
            try:
                procs.submit(_worker_replan, learner_id).result()
                return
            except BrokenProcessPool:  # the worker died (killed, out of memory): carry on here
                log.warning("the re-plan worker process stopped; re-planning on a thread now")
                self._procs = None
            except (RuntimeError, CancelledError):  # stopped meanwhile (stop_worker, close)
                pass
        self._replan_here(learner_id)

    def _replan_here(self, learner_id: int) -> None:
        """Re-plan one learner in this process and store the plan (or the error) in their row.

        The requested generation is read first, then the state it plans from (so that state
        holds at least every request up to that generation); the outcome is stored for that
        generation and is "ready" only if no newer one was requested meanwhile (decision 0150).
        """
        gen: int | None = None
        try:
            with self.store.session() as s:
                gens = s.execute(
                    select(WebLearner.plan_gen, WebLearner.plan_gen_done).where(
                        WebLearner.user_id == learner_id
                    )
                ).first()
            if gens is None:
                return  # no such learner (any more)
            gen, stored = gens
            if stored >= gen:
                return  # another job already planned from this generation (or a newer one)
            owner = User(learner_id, "", "", "learner")
            state = self.learner_state(owner, learner_id)
            m = self.mastery(owner, learner_id)
            doc = self._plan_doc(state, m)
            # done items stay: those of the previous plan's items, and those it already kept
            # (a done course is left out of the next plan, so it is only in its done_items)
            old = state["plan"]
            old_items = {i["id"]: i for i in old.get("done_items", [])}
            old_items.update({i["id"]: i for i in old.get("items", [])})
            doc["done_items"] = [old_items[i] for i in state["done"] if i in old_items]
            doc = json.loads(json.dumps(doc, default=str))  # before the write lock, not in it
            self._store_outcome(learner_id, gen, "ready", plan=doc, updated_at=_now())
        except Exception as exc:  # a worker must record, not lose, what went wrong
            error = (
                str(exc)[:500]
                if isinstance(exc, SkillpathError)
                else (f"re-planning failed: {type(exc).__name__}")
            )
            if gen is None:
                self._set_plan(learner_id, plan_status="error", plan_error=error)
            else:
                self._store_outcome(learner_id, gen, "error", plan_error=error)

    def _plan_doc(self, state: dict[str, Any], m: dict[str, dict[str, Any]]) -> dict[str, Any]:
        """The plan (as its JSON document) for a learner's state and mastery; pure computation."""
        from skillpath.plan import Learner, PlanRequest, to_dict

        levels = {sid: v["posterior"]["mean"] for sid, v in m.items()}
        sds = {sid: v["posterior"]["sd"] for sid, v in m.items()}
        tax = self.taxonomy
        cur = state["profile"].get("current")
        occ = tax.occupations.get(cur["id"]) if cur else None
        learner = Learner(
            label=state["name"] or "you", levels=levels, sds=sds, current=occ, evidence={}
        )
        rq = dict(state["request"])
        req = PlanRequest(
            hours_per_week=float(rq.get("hours_per_week", 5.0)),
            weeks=rq.get("weeks"),
            budget=rq.get("budget"),
            free_only=bool(rq.get("free_only")),
            languages=tuple(rq.get("languages") or ()),
        )
        done = set(state["done"])
        gone = [i.removeprefix("course:") for i in done if i.startswith("course:")]
        plan = self.plan(learner, state["target"], req, exclude=gone)
        return dict(to_dict(plan))

    def _store_outcome(self, learner_id: int, gen: int, status: str, **values: Any) -> None:
        """Store a re-plan's outcome (``status`` "ready" or "error") computed from generation
        ``gen``: one compare-and-set UPDATE. Nothing is stored if an outcome of this generation
        or a newer one already is (another process's job); the status becomes ``status`` only
        if no newer generation was requested meanwhile, else it stays "running" (that request's
        job, queued behind this one, stores the final plan) and the page keeps polling."""
        newest = WebLearner.plan_gen <= gen
        values["plan_status"] = case((newest, status), else_="running")
        if status != "ready":
            values["plan_error"] = case((newest, values.get("plan_error", "")), else_="")
        with self.store.session(write=True) as s:
            s.execute(
                update(WebLearner)
                .where(WebLearner.user_id == learner_id, WebLearner.plan_gen_done < gen)
                .values(plan_gen_done=gen, **values)
            )

    def _set_plan(self, learner_id: int, **values: Any) -> None:
        """Store a re-plan's outcome in the learner's row: one UPDATE in its own write
        transaction, nothing read or computed while it holds the write lock (the worker runs at a
        lower priority: a lock it held while waiting for a CPU would hold up every review)."""
        with self.store.session(write=True) as s:
            s.execute(update(WebLearner).where(WebLearner.user_id == learner_id).values(**values))

    def mark_done(self, user: User, item_id: str, *, hours: float | None = None) -> None:
        """Mark a plan item done and log hours."""
        with self.store.session(write=True) as s:
            row = self._learner_row(s, user.id)
            ids = {i["id"] for i in (row.plan or {}).get("items", [])}
            if item_id not in ids:
                raise NotFoundError("no such item in your plan", value=item_id)
            if hours is not None and not 0 <= hours <= 1000:
                raise InputError("hours must be between 0 and 1000", column="hours", value=hours)
            done = list(row.done or [])
            if item_id not in done:
                done.append(item_id)
            row.done = done
            logged = dict(row.hours_logged or {})
            if hours is not None:
                logged[item_id] = hours
            row.hours_logged = logged

    # ---- evidence -------------------------------------------------------------------------
    def _blob_path(self, sha: str) -> Path:
        return self.blob_dir / sha[:2] / sha

    def submit_evidence(
        self,
        user: User,
        item_id: str,
        *,
        kind: str,
        text: str = "",
        url: str = "",
        data: bytes | None = None,
        filename: str = "",
        title: str = "",
    ) -> int:
        """Submit evidence on a plan task (text, a file, a link, or a video), stored by content."""
        if kind not in EVIDENCE_KINDS:
            raise InputError(f"kind must be one of {', '.join(EVIDENCE_KINDS)}", value=kind)
        state = self.learner_state(user, user.id)
        item = next((i for i in state["plan"].get("items", []) if i["id"] == item_id), None)
        if item is None:
            raise NotFoundError("no such item in your plan", value=item_id)
        sha = media = ""
        size = 0
        if kind == "text":
            if not text.strip():
                raise InputError("write something", column="text")
            if len(text) > 100_000:
                raise InputError("text is longer than 100,000 characters", column="text")
        elif kind == "link":
            url = _safe_url(url)
        else:
            if not data:
                raise InputError("choose a file", column="file")
            limit = self.limits.max_video if kind == "video" else self.limits.max_file
            if len(data) > limit:
                raise InputError(
                    f"the file is larger than {limit // (1024 * 1024)} MB",
                    file=filename,
                    column="file",
                )
            media = _sniff(data)
            allowed = self.limits.video_types if kind == "video" else self.limits.file_types
            if media not in allowed:
                raise InputError(
                    f"files of type {media} are not accepted here "
                    f"(accepted: {', '.join(sorted(allowed))})",
                    file=filename,
                )
            sha = hashlib.sha256(data).hexdigest()
            size = len(data)
            p = self._blob_path(sha)
            if not p.exists():
                p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                tmp = p.with_suffix(".part")
                tmp.write_bytes(data)
                tmp.replace(p)
        target = {c["skill_id"]: c.get("level_after") for c in item.get("covers", [])}
        req = {g["skill_id"]: g["required"] for g in state["plan"].get("gap", {}).get("skills", [])}
        skills = [
            {
                "skill_id": c["skill_id"],
                "label": c["label"],
                "target": float(req.get(c["skill_id"]) or target.get(c["skill_id"]) or 3.0),
            }
            for c in item.get("covers", [])
        ]
        with self.store.session(write=True) as s:
            ev = WebEvidence(
                learner_id=user.id,
                item_id=item_id,
                title=(title or item["title"])[:300],
                skills=skills,
                kind=kind,
                text=text,
                url=url,
                sha256=sha,
                media_type=media,
                filename=Path(filename).name[:200],
                size=size,
                feedback_requested=0,
                created_at=_now(),
            )
            s.add(ev)
            s.flush()
            return ev.id

    def evidence(self, viewer: User, evidence_id: int) -> dict[str, Any]:
        """One piece of evidence with its reviews and comments (owner or invited reviewer)."""
        with self.store.session() as s:
            e = s.get(WebEvidence, evidence_id)
            if e is None:
                raise NotFoundError("no such evidence", value=evidence_id)
            learner_id = e.learner_id
        rel = self.require(viewer, learner_id)
        with self.store.session() as s:
            e = s.get(WebEvidence, evidence_id)
            assert e is not None  # checked above, in this request
            revs = list(
                s.scalars(
                    select(WebReview).where(WebReview.evidence_id == e.id).order_by(WebReview.id)
                )
            )
            coms = list(
                s.scalars(
                    select(WebComment)
                    .where(WebComment.evidence_id == e.id)
                    .order_by(WebComment.at_seconds.is_(None), WebComment.at_seconds, WebComment.id)
                )
            )
            names = self._names(s, {r.reviewer_id for r in revs} | {c.author_id for c in coms})
            return {
                "id": e.id,
                "learner_id": e.learner_id,
                "item_id": e.item_id,
                "title": e.title,
                "skills": list(e.skills),
                "kind": e.kind,
                "text": e.text,
                "url": e.url,
                "sha256": e.sha256,
                "media_type": e.media_type,
                "filename": e.filename,
                "size": e.size,
                "feedback_requested": bool(e.feedback_requested),
                "created_at": e.created_at,
                "relation": rel,
                "reviews": [
                    {
                        "id": r.id,
                        "reviewer": names.get(r.reviewer_id, "?"),
                        "source": r.source,
                        "rubric": r.rubric,
                        "rubric_text": RUBRIC_LEVELS[r.rubric][0],
                        "feedback": r.feedback,
                        "created_at": r.created_at,
                    }
                    for r in revs
                ],
                "comments": [
                    {
                        "id": c.id,
                        "author": names.get(c.author_id, "?"),
                        "at": c.at_seconds,
                        "text": c.text,
                        "created_at": c.created_at,
                    }
                    for c in coms
                ],
            }

    @staticmethod
    def _names(s, ids: set[int]) -> dict[int, str]:
        """Display names of these users (only these: never a read of every account)."""
        out: dict[int, str] = {}
        wanted = sorted(i for i in ids if i is not None)
        for k in range(0, len(wanted), 500):
            for uid, name, email in s.execute(
                select(WebUser.id, WebUser.name, WebUser.email).where(
                    WebUser.id.in_(wanted[k : k + 500])
                )
            ):
                out[uid] = name or email
        return out

    def evidence_list(self, viewer: User, learner_id: int) -> list[dict[str, Any]]:
        """A learner's evidence, newest first."""
        self.require(viewer, learner_id)
        with self.store.session() as s:
            rows = s.execute(
                select(
                    WebEvidence.id,
                    WebEvidence.item_id,
                    WebEvidence.title,
                    WebEvidence.kind,
                    WebEvidence.feedback_requested,
                    WebEvidence.created_at,
                )
                .where(WebEvidence.learner_id == learner_id)
                .order_by(WebEvidence.id.desc())
            ).all()
            counts = dict(
                s.execute(
                    select(WebReview.evidence_id, func.count(WebReview.id))
                    .join(WebEvidence, WebReview.evidence_id == WebEvidence.id)
                    .where(WebEvidence.learner_id == learner_id)
                    .group_by(WebReview.evidence_id)
                ).all()
            )
            return [
                {
                    "id": e.id,
                    "item_id": e.item_id,
                    "title": e.title,
                    "kind": e.kind,
                    "feedback_requested": bool(e.feedback_requested),
                    "created_at": e.created_at,
                    "reviews": int(counts.get(e.id, 0)),
                }
                for e in rows
            ]

    def blob(self, viewer: User, evidence_id: int) -> tuple[Path, str, str]:
        """The file of a piece of evidence (path, media type, file name), for allowed viewers."""
        ev = self.evidence(viewer, evidence_id)
        if not ev["sha256"]:
            raise NotFoundError("this evidence has no file", value=evidence_id)
        return self._blob_path(ev["sha256"]), ev["media_type"], ev["filename"]

    def request_feedback(self, user: User, evidence_id: int) -> None:
        """Ask the people you invited to review this evidence."""
        with self.store.session(write=True) as s:
            e = s.get(WebEvidence, evidence_id)
            if e is None or e.learner_id != user.id:
                raise Access("not your evidence", value=evidence_id)
            e.feedback_requested = 1

    def comment(self, viewer: User, evidence_id: int, *, text: str, at: float | None = None) -> int:
        """A comment on evidence, optionally at a moment (seconds) of its video."""
        ev = self.evidence(viewer, evidence_id)
        if not text.strip():
            raise InputError("write a comment", column="text")
        if at is not None and not 0 <= at <= 24 * 3600:
            raise InputError("the moment must be within the video", column="at", value=at)
        with self.store.session(write=True) as s:
            c = WebComment(
                evidence_id=ev["id"],
                author_id=viewer.id,
                at_seconds=at,
                text=text.strip()[:5000],
                created_at=_now(),
            )
            s.add(c)
            s.flush()
            return c.id

    def review(
        self, viewer: User, evidence_id: int, *, rubric: int, feedback: str = ""
    ) -> dict[str, Any]:
        """Score evidence against the task's rubric; mastery and the plan update, badges follow.

        The learner may self-assess (source "self", weak); invited mentors and peers review with
        their relation as the source. Returns the mastery change for the evidence's skills.

        On the request path: one write transaction (the review, and the plan marked as
        re-planning; the re-plan itself runs in the worker), then one read of the mastery inputs,
        from which the belief before the review (the same inputs without it) and after it are
        both computed (decision 0146).
        """
        with self.store.session() as s:
            found = s.execute(
                select(WebEvidence.learner_id, WebEvidence.skills).where(
                    WebEvidence.id == evidence_id
                )
            ).first()
        if found is None:
            raise NotFoundError("no such evidence", value=evidence_id)
        learner_id, skills = found[0], list(found[1] or [])
        rel = self.require(viewer, learner_id)
        source = "self" if rel == "owner" else rel
        if not 0 <= rubric < len(RUBRIC_LEVELS):
            raise InputError(
                f"rubric score must be 0..{len(RUBRIC_LEVELS) - 1}", column="rubric", value=rubric
            )
        # one short write transaction: the review, and the plan marked as re-planning
        with self.store.session(write=True) as s:
            rev = WebReview(
                evidence_id=evidence_id,
                reviewer_id=viewer.id,
                source=source,
                rubric=rubric,
                feedback=feedback.strip()[:10000],
                created_at=_now(),
            )
            s.add(rev)
            s.flush()
            review_id = rev.id
            replanning = self._mark_replanning(s, learner_id)
        if replanning:
            self._queue_replan(learner_id)
        # mastery once, read after the commit (so of two concurrent reviews the later sees
        # both); "before" is the same belief without this review (decision 0146)
        inputs = self._mastery_inputs(learner_id)
        mine = [k["skill_id"] for k in skills]
        # the reviewed skills, and those a badge can follow (a mentor's or peer's evidence): a
        # skill without either cannot pass a checkpoint, so the others are not computed here
        after = inputs.beliefs(skills={*mine, *inputs.ev_of})
        before = inputs.beliefs(without=review_id, skills=mine)
        try:
            badges = self._award(learner_id, after)
        except SkillpathError as exc:  # the review is stored: a badge that cannot be signed must
            # not turn it into an error for the reviewer (the operator's log says why)
            log.warning("no badge issued for learner %s: %s", learner_id, exc)
            badges = []
        change = {
            k["skill_id"]: {
                "label": k["label"],
                "before": before.get(k["skill_id"], {}).get("posterior"),
                "after": after.get(k["skill_id"], {}).get("posterior"),
                "passes": after.get(k["skill_id"], {}).get("passes", False),
            }
            for k in skills
        }
        return {"source": source, "change": change, "badges": badges}

    def endorse(self, viewer: User, learner_id: int, skill_id: str, label: str = "") -> None:
        """An invited reviewer endorses a skill of the learner."""
        rel = self.require(viewer, learner_id)
        if rel == "owner":
            raise Access("you cannot endorse yourself")
        with self.store.session(write=True) as s:
            s.add(
                WebEndorsement(
                    learner_id=learner_id,
                    reviewer_id=viewer.id,
                    skill_id=skill_id,
                    label=label[:200],
                    created_at=_now(),
                )
            )

    # ---- sharing --------------------------------------------------------------------------
    def invite(self, user: User, relation: str) -> str:
        """An invitation link for a mentor or a peer (shown to the learner; mail is optional)."""
        if relation not in ("mentor", "peer"):
            raise InputError("invite a mentor or a peer", column="relation", value=relation)
        token = secrets.token_urlsafe(24)
        with self.store.session(write=True) as s:
            s.add(
                WebLink(
                    token_hash=token_hash(token),
                    learner_id=user.id,
                    relation=relation,
                    created_at=_now(),
                )
            )
        return f"{self.public_url}/invite/{token}"

    def invitation(self, token: str) -> dict[str, Any]:
        """What an invitation offers (for the accept page)."""
        with self.store.session() as s:
            link = s.get(WebLink, token_hash(token))
            if link is None or link.revoked_at:
                raise NotFoundError("this invitation does not exist or was withdrawn")
            learner = s.get(WebUser, link.learner_id)
            return {
                "learner": (learner.name or learner.email) if learner else "?",
                "relation": link.relation,
                "accepted": link.accepted_at is not None,
            }

    def accept(self, viewer: User, token: str) -> int:
        """Accept an invitation; returns the learner's id."""
        with self.store.session(write=True) as s:
            link = s.get(WebLink, token_hash(token))
            if link is None or link.revoked_at:
                raise NotFoundError("this invitation does not exist or was withdrawn")
            if link.learner_id == viewer.id:
                raise InputError("this is your own invitation: send it to your mentor or peer")
            if link.reviewer_id is not None and link.reviewer_id != viewer.id:
                raise Access("this invitation was accepted by someone else")
            link.reviewer_id = viewer.id
            link.accepted_at = link.accepted_at or _now()
            return link.learner_id

    def links(self, user: User) -> list[dict[str, Any]]:
        """The learner's invitations and who holds them."""
        with self.store.session() as s:
            rows = list(
                s.scalars(
                    select(WebLink)
                    .where(WebLink.learner_id == user.id)
                    .order_by(WebLink.created_at)
                )
            )
            names = self._names(s, {lk.reviewer_id for lk in rows if lk.reviewer_id})
            return [
                {
                    "id": lk.token_hash[:16],
                    "relation": lk.relation,
                    "reviewer": names.get(lk.reviewer_id) if lk.reviewer_id else None,
                    "created_at": lk.created_at,
                    "revoked": lk.revoked_at is not None,
                }
                for lk in rows
            ]

    def revoke(self, user: User, link_id: str) -> None:
        """Withdraw an invitation or a reviewer's access."""
        with self.store.session(write=True) as s:
            for lk in s.scalars(select(WebLink).where(WebLink.learner_id == user.id)):
                if lk.token_hash.startswith(link_id) and len(link_id) >= 8:
                    lk.revoked_at = _now()
                    return
        raise NotFoundError("no such invitation", value=link_id)

    def reviewing(self, viewer: User) -> list[dict[str, Any]]:
        """Learners who invited ``viewer``, with their evidence waiting for review."""
        with self.store.session() as s:
            out = []
            for lk in s.scalars(
                select(WebLink).where(
                    WebLink.reviewer_id == viewer.id, WebLink.revoked_at.is_(None)
                )
            ):
                learner = s.get(WebUser, lk.learner_id)
                queue = []
                for e in s.scalars(
                    select(WebEvidence)
                    .where(
                        WebEvidence.learner_id == lk.learner_id, WebEvidence.feedback_requested == 1
                    )
                    .order_by(WebEvidence.id)
                ):
                    mine = s.scalars(
                        select(WebReview.id).where(
                            WebReview.evidence_id == e.id, WebReview.reviewer_id == viewer.id
                        )
                    ).first()
                    if mine is None:
                        queue.append(
                            {
                                "id": e.id,
                                "title": e.title,
                                "kind": e.kind,
                                "created_at": e.created_at,
                            }
                        )
                out.append(
                    {
                        "learner_id": lk.learner_id,
                        "name": (learner.name or learner.email) if learner else "?",
                        "relation": lk.relation,
                        "queue": queue,
                    }
                )
            return out

    # ---- badges ---------------------------------------------------------------------------
    def _signer(self) -> tuple[Any, Any]:
        """The default issuer and its active private key (created on first use), the key kept
        for as long as it stays the active one.

        The portfolio's issuer functions read and then write in one deferred transaction, which
        SQLite refuses at once while another connection (a request, the re-plan worker) writes;
        nothing of it was written then, so the step is tried again a few times (decision 0130).
        """
        from skillpath.errors import BusyError
        from skillpath.portfolio import default_issuer, signing_key

        with self._sign_lock:
            for attempt in range(8):
                try:
                    issuer = default_issuer(self.store)
                    kid = issuer.keys[0]
                    if self._key is None or self._key[0] != kid:
                        self._key = (kid, signing_key(self.store, issuer))
                    return issuer, self._key[1]
                except BusyError:
                    if attempt == 7:
                        raise
                    time.sleep(0.02 * 2**attempt)
        raise AssertionError("unreachable")

    def _award(self, learner_id: int, mastery: dict[str, dict[str, Any]]) -> list[str]:
        """Issue an Open Badge for every skill whose checkpoint now passes on reviewed evidence."""
        from skillpath.portfolio import (
            EvidenceItem,
            SkillClaim,
            build_credential,
            create_proof,
        )

        issued: list[str] = []
        if not any(m["passes"] and m["evidence_ids"] for m in mastery.values()):
            return issued  # most reviews: nothing to issue, nothing more to read
        with self.store.session() as s:
            have = {
                b.skill_id
                for b in s.scalars(select(WebBadge).where(WebBadge.learner_id == learner_id))
            }
            user = s.get(WebUser, learner_id)
            email = user.email if user else None
        for sid, m in mastery.items():
            if not m["passes"] or sid in have or not m["evidence_ids"]:
                continue
            issuer, key = self._signer()
            items = []
            with self.store.session() as s:
                for eid in m["evidence_ids"]:
                    e = s.get(WebEvidence, eid)
                    if e is None:
                        continue
                    revs = list(
                        s.scalars(
                            select(WebReview).where(
                                WebReview.evidence_id == eid, WebReview.source != "self"
                            )
                        )
                    )
                    reviewers = ", ".join(sorted({r.source for r in revs}))
                    items.append(
                        EvidenceItem(
                            id=f"evidence-{eid}",
                            kind="assessment",
                            title=e.title,
                            occurred_at=e.created_at,
                            created_at=e.created_at,
                            description=f"Reviewed by {len(revs)} {reviewers} reviewer(s) against the "
                            f"task rubric",
                            skills=(
                                SkillClaim(
                                    label=m["label"], skill_id=sid, level=m["posterior"]["mean"]
                                ),
                            ),
                        )
                    )
            post = m["posterior"]
            cred = build_credential(
                name=f"{m['label']}: level {m['required']:.1f}",
                issuer=issuer,
                items=items,
                recipient=email,
                description=(
                    f"Reviewed evidence shows {m['label']} at level {post['mean']:.1f} "
                    f"+- {post['sd']:.1f} (O*NET 0-7); required {m['required']:.1f}, "
                    f"P(meets) = {m['p_meets']:.2f}."
                ),
                criteria=(
                    f"Posterior probability of at least level {m['required']:.1f} is at least "
                    f"{PASS_CONFIDENCE:.0%}, from evidence reviewed by a mentor or peer; "
                    f"self-assessment alone never issues a badge."
                ),
            )
            signed = create_proof(cred, key)
            with self.store.session(write=True) as s:
                # two reviews that pass the checkpoint at once both got here: the first to
                # write issues the badge (SQLite: the write lock; PostgreSQL: the learner's row)
                s.execute(
                    select(WebLearner.user_id)
                    .where(WebLearner.user_id == learner_id)
                    .with_for_update()
                ).first()
                if s.scalars(
                    select(WebBadge.id).where(
                        WebBadge.learner_id == learner_id, WebBadge.skill_id == sid
                    )
                ).first():
                    continue
                s.add(
                    WebBadge(
                        id=signed["id"],
                        learner_id=learner_id,
                        skill_id=sid,
                        label=m["label"],
                        evidence_ids=m["evidence_ids"],
                        credential=json.dumps(signed),
                        public=0,
                        created_at=_now(),
                    )
                )
            issued.append(signed["id"])
        return issued

    def badges(
        self, viewer: User, learner_id: int, *, public_only: bool = False
    ) -> list[dict[str, Any]]:
        """A learner's badges (all for the owner and invited reviewers; public ones otherwise)."""
        if not public_only:
            self.require(viewer, learner_id)
        with self.store.session() as s:
            q = select(WebBadge).where(WebBadge.learner_id == learner_id)
            if public_only:
                q = q.where(WebBadge.public == 1)
            return [
                {
                    "id": b.id,
                    "skill_id": b.skill_id,
                    "label": b.label,
                    "public": bool(b.public),
                    "created_at": b.created_at,
                    "credential": b.credential,
                }
                for b in s.scalars(q.order_by(WebBadge.created_at))
            ]

    def publish_badge(self, user: User, badge_id: str, public: bool) -> None:
        """Show or hide a badge on the public portfolio page."""
        with self.store.session(write=True) as s:
            b = s.get(WebBadge, badge_id)
            if b is None or b.learner_id != user.id:
                raise Access("not your badge", value=badge_id)
            b.public = 1 if public else 0

    def verify(self, data: bytes | str) -> dict[str, Any]:
        """Verify any badge (JSON, JWT, baked PNG/SVG), offline; revocation from this store."""
        from skillpath.portfolio import verify_badge

        rep = verify_badge(data)
        d = (
            rep.to_dict()
            if hasattr(rep, "to_dict")
            else {"valid": bool(getattr(rep, "valid", False))}
        )
        return d

    # ---- ownership ------------------------------------------------------------------------
    def export(self, user: User) -> dict[str, Any]:
        """Everything Skillpath holds about the user, as JSON (files by digest)."""
        state = self.learner_state(user, user.id)
        return {
            "schema": "skillpath.web-export/1",
            "account": {"email": user.email, "name": user.name},
            "learner": state,
            "evidence": [self.evidence(user, e["id"]) for e in self.evidence_list(user, user.id)],
            "badges": self.badges(user, user.id),
            "links": self.links(user),
        }

    def erase(self, user: User) -> None:
        """Delete the account and everything it owns (files no other evidence uses, too)."""
        forget_user(self.store, user.id)
        with self.store.session(write=True) as s:
            shas = {
                e.sha256
                for e in s.scalars(select(WebEvidence).where(WebEvidence.learner_id == user.id))
                if e.sha256
            }
            row = s.get(WebUser, user.id)
            if row is not None:
                for model in (WebBadge, WebEndorsement, WebLink):
                    for r in s.scalars(select(model).where(model.learner_id == user.id)):
                        s.delete(r)
                for e in s.scalars(select(WebEvidence).where(WebEvidence.learner_id == user.id)):
                    for r in s.scalars(select(WebReview).where(WebReview.evidence_id == e.id)):
                        s.delete(r)
                    for c in s.scalars(select(WebComment).where(WebComment.evidence_id == e.id)):
                        s.delete(c)
                    s.delete(e)
                lr = s.get(WebLearner, user.id)
                if lr is not None:
                    s.delete(lr)
                s.delete(row)
        forget_user(self.store, user.id)  # again: a request may have looked it up meanwhile
        with self.store.session() as s:
            still = {
                e.sha256 for e in s.scalars(select(WebEvidence).where(WebEvidence.sha256.in_(shas)))
            }
        for sha in shas - still:
            self._blob_path(sha).unlink(missing_ok=True)
