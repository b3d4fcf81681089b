"""The application layer's sharing, review, mastery and badge rules on SQLite and PostgreSQL.

No taxonomy is needed here: the learner's plan is written as the plan JSON the planner produces,
so the same rules run quickly on both databases (the real-data flow is in test_browser_flow.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skillpath.service import Access, Service, register
from skillpath.store import open_store
from skillpath.store.models.web import WebLearner

PLAN = {
    "target": {
        "id": "onet:11-3021.00",
        "code": "11-3021.00",
        "label": "Computer and Information Systems Managers",
    },
    "gap": {
        "skills": [
            {
                "skill_id": "onet:2.B.5.b",
                "label": "Management of Financial Resources",
                "current": 2.0,
                "sd": 0.8,
                "required": 3.4,
            }
        ]
    },
    "items": [
        {
            "id": "task:apply:onet:2.B.5.b",
            "kind": "task",
            "stage": "apply",
            "title": "Build a budget",
            "hours": 4,
            "covers": [
                {
                    "skill_id": "onet:2.B.5.b",
                    "label": "Management of Financial Resources",
                    "gain": 1.0,
                    "level_after": 3.4,
                }
            ],
        }
    ],
}


def _world(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    store = open_store(db_url)
    svc = Service(store, blob_dir=tmp_path / "blobs")
    learner = register(store, email="l@example.org", password="x" * 10, name="L")
    mentor = register(store, email="m@example.org", password="x" * 10, role="mentor")
    peer = register(store, email="p@example.org", password="x" * 10)
    stranger = register(store, email="s@example.org", password="x" * 10, role="mentor")
    admin = register(store, email="a@example.org", password="x" * 10, role="admin")
    with store.session() as s:
        s.add(
            WebLearner(
                user_id=learner.id,
                profile={
                    "skills": [
                        {
                            "skill_id": "onet:2.B.5.b",
                            "label": "Management of Financial Resources",
                            "level": 2.0,
                            "sd": 0.8,
                        }
                    ]
                },
                corrections={},
                target="",
                request={},
                plan=PLAN,
                done=[],
                hours_logged={},
                plan_status="ready",
                updated_at="2026-12-01T00:00:00+00:00",
            )
        )
    return svc, learner, mentor, peer, stranger, admin


def test_sharing_review_mastery_badge(db_url: str, tmp_path: Path) -> None:
    svc, learner, mentor, peer, stranger, admin = _world(db_url, tmp_path)
    try:
        eid = svc.submit_evidence(learner, "task:apply:onet:2.B.5.b", kind="text", text="my budget")
        for who in (mentor, peer, stranger, admin):
            with pytest.raises(Access):
                svc.evidence(who, eid)
        for rel, who in (("mentor", mentor), ("peer", peer)):
            svc.accept(who, svc.invite(learner, rel).rsplit("/", 1)[1])
        assert svc.evidence(mentor, eid)["relation"] == "mentor"
        with pytest.raises(Access):
            svc.evidence(stranger, eid)
        # self-assessment moves the belief a little and never issues a badge
        svc.review(learner, eid, rubric=3)
        assert not svc.badges(learner, learner.id)
        before = svc.mastery(learner, learner.id)["onet:2.B.5.b"]["posterior"]["mean"]
        out = svc.review(mentor, eid, rubric=3, feedback="clear")
        after = svc.mastery(learner, learner.id)["onet:2.B.5.b"]
        assert after["posterior"]["mean"] > before
        assert (
            out["change"]["onet:2.B.5.b"]["after"]["mean"]
            > out["change"]["onet:2.B.5.b"]["before"]["mean"]
        )
        svc.review(peer, eid, rubric=3)
        m = svc.mastery(learner, learner.id)["onet:2.B.5.b"]
        assert m["passes"] and m["reviewed"] == 2
        badges = svc.badges(learner, learner.id)
        assert len(badges) == 1 and badges[0]["label"] == "Management of Financial Resources"
        rep = svc.verify(badges[0]["credential"])
        assert rep["valid"], rep
        # withdrawing the peer's link ends their access at once; the mentor keeps theirs
        peer_link = next(lk["id"] for lk in svc.links(learner) if lk["reviewer"] == peer.email)
        svc.revoke(learner, peer_link)
        with pytest.raises(Access):
            svc.evidence(peer, eid)
        assert svc.evidence(mentor, eid)
        svc.erase(learner)
        with pytest.raises(Exception):  # noqa: B017 - the evidence is gone for everyone
            svc.evidence(mentor, eid)
    finally:
        svc.close()


def test_concurrent_writers_wait_for_each_other_and_lose_nothing(
    db_url: str, tmp_path: Path
) -> None:
    """Read-then-write use cases from many threads at once: none fails, no update is lost.

    On SQLite a deferred transaction that read and then writes fails at once ("database is
    locked") when another connection is writing; write sessions take the lock at BEGIN and wait
    (decision 0130). On PostgreSQL the learner's row is locked for the read-modify-write.
    """
    from concurrent.futures import ThreadPoolExecutor

    svc, learner, mentor, _peer, _stranger, _admin = _world(db_url, tmp_path)
    try:
        svc.accept(mentor, svc.invite(learner, "mentor").rsplit("/", 1)[1])
        eid = svc.submit_evidence(learner, "task:apply:onet:2.B.5.b", kind="text", text="budget")

        def work(k: int) -> None:
            for i in range(15):
                svc.correct_skill(learner, f"onet:t{k}-{i}", action="confirm")
                svc.comment(mentor, eid, text=f"note {k}-{i}")
                svc.request_feedback(learner, eid)

        with ThreadPoolExecutor(max_workers=6) as pool:
            for f in [pool.submit(work, k) for k in range(6)]:
                f.result()  # re-raises a BusyError from any thread
        corrections = svc.learner_state(learner, learner.id)["corrections"]
        assert {f"onet:t{k}-{i}" for k in range(6) for i in range(15)} <= set(corrections)
        assert len(svc.evidence(learner, eid)["comments"]) == 6 * 15
    finally:
        svc.close()


def test_a_badge_that_cannot_be_signed_does_not_fail_the_review(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review is stored and counts; the badge follows on a later review once signing works."""
    from skillpath.errors import InputError

    svc, learner, mentor, peer, _stranger, _admin = _world(db_url, tmp_path)
    try:
        for rel, who in (("mentor", mentor), ("peer", peer)):
            svc.accept(who, svc.invite(learner, rel).rsplit("/", 1)[1])
        eid = svc.submit_evidence(learner, "task:apply:onet:2.B.5.b", kind="text", text="budget")

        def broken() -> None:
            raise InputError("cannot decrypt the private signing key (test)")

        with monkeypatch.context() as m:
            m.setattr(svc, "_signer", broken)
            svc.review(mentor, eid, rubric=3)
            out = svc.review(peer, eid, rubric=3)
            assert out["badges"] == [] and out["change"]["onet:2.B.5.b"]["passes"]
            assert len(svc.evidence(learner, eid)["reviews"]) == 2
        out = svc.review(mentor, eid, rubric=3)
        assert (
            len(out["badges"]) == 1
            and svc.verify(svc.badges(learner, learner.id)[0]["credential"])["valid"]
        )
    finally:
        svc.close()


def test_a_review_reads_mastery_once_and_writes_once(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One review: one read of the mastery inputs (not a mastery before and another after), one
    write transaction (the review and the plan marked re-planning), the re-plan queued off the
    request path; its "before" is the mastery as it was before the review."""
    from skillpath.service import Service

    svc, learner, mentor, _peer, _stranger, _admin = _world(db_url, tmp_path)
    try:
        svc.accept(mentor, svc.invite(learner, "mentor").rsplit("/", 1)[1])
        eid = svc.submit_evidence(learner, "task:apply:onet:2.B.5.b", kind="text", text="budget")
        with svc.store.session() as s:
            row = s.get(WebLearner, learner.id)
            assert row is not None
            row.target = "computer and information systems manager"
        was = svc.mastery(learner, learner.id)["onet:2.B.5.b"]
        reads: list[int] = []
        writes: list[bool] = []
        queued: list[int] = []
        inputs = Service._mastery_inputs
        session = svc.store.session

        def counted_inputs(self: Service, learner_id: int):  # type: ignore[no-untyped-def]
            reads.append(learner_id)
            return inputs(self, learner_id)

        def counted_session(*, write: bool = False):  # type: ignore[no-untyped-def]
            writes.append(write)
            return session(write=write)

        monkeypatch.setattr(Service, "_mastery_inputs", counted_inputs)
        monkeypatch.setattr(svc.store, "session", counted_session)
        monkeypatch.setattr(svc, "_queue_replan", queued.append)
        out = svc.review(mentor, eid, rubric=1, feedback="nearly")  # no badge yet
        assert reads == [learner.id], "mastery is computed once per review"
        assert out["badges"] == [] and writes.count(True) == 1, "one write transaction"
        assert queued == [learner.id]
        change = out["change"]["onet:2.B.5.b"]
        assert change["before"] == was["posterior"]
        now = svc.mastery(learner, learner.id)["onet:2.B.5.b"]
        assert (
            change["after"] == now["posterior"]
            and change["after"]["mean"] > was["posterior"]["mean"]
        )
        assert svc.learner_state(learner, learner.id)["plan_status"] == "running"
    finally:
        svc.close()


def test_concurrent_reviews_all_count(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reviews from many threads at once (each marks the plan re-planning in its write): none
    fails, every one is an observation, and the last review's "after" has seen them all."""
    from concurrent.futures import ThreadPoolExecutor

    svc, learner, mentor, peer, _stranger, _admin = _world(db_url, tmp_path)
    try:
        for rel, who in (("mentor", mentor), ("peer", peer)):
            svc.accept(who, svc.invite(learner, rel).rsplit("/", 1)[1])
        eid = svc.submit_evidence(learner, "task:apply:onet:2.B.5.b", kind="text", text="budget")
        with svc.store.session() as s:
            row = s.get(WebLearner, learner.id)
            assert row is not None
            row.target = "computer and information systems manager"
        monkeypatch.setattr(svc, "_queue_replan", lambda _id: None)
        with ThreadPoolExecutor(max_workers=6) as pool:
            outs = list(
                pool.map(lambda k: svc.review((mentor, peer)[k % 2], eid, rubric=3), range(30))
            )
        m = svc.mastery(learner, learner.id)["onet:2.B.5.b"]
        assert m["observations"] == 30 and m["reviewed"] == 30
        assert len(svc.evidence(learner, eid)["reviews"]) == 30
        assert any(o["change"]["onet:2.B.5.b"]["after"] == m["posterior"] for o in outs)
        assert len(svc.badges(learner, learner.id)) == 1  # not one per review that passed at once
    finally:
        svc.close()


@pytest.mark.parametrize("first", ["plans", "fails"])
def test_a_review_during_a_replan_keeps_the_plan_running_until_the_newest_one(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str
) -> None:
    """Review A queues re-plan 1; the worker starts it; review B queues re-plan 2; re-plan 1
    finishes (with a plan, or an error): the status stays "running" (the page keeps polling);
    re-plan 2 finishes: "ready", with the plan made from review B, and the done item kept
    through both (decision 0150). Each job waits for the test's go, so the order is fixed."""
    import threading

    from skillpath.errors import InputError

    svc, learner, mentor, _peer, _stranger, _admin = _world(db_url, tmp_path)
    try:
        svc.accept(mentor, svc.invite(learner, "mentor").rsplit("/", 1)[1])
        eid = svc.submit_evidence(learner, "task:apply:onet:2.B.5.b", kind="text", text="budget")
        svc.mark_done(learner, "task:apply:onet:2.B.5.b", hours=3)
        with svc.store.session() as s:
            row = s.get(WebLearner, learner.id)
            assert row is not None
            row.target = "computer and information systems manager"
        started = [threading.Event(), threading.Event()]
        go = [threading.Event(), threading.Event()]
        calls: list[int] = []

        def plan_doc(state, m):  # type: ignore[no-untyped-def]
            k = len(calls)
            calls.append(k)
            started[k].set()
            assert go[k].wait(30), "the test never let the job finish"
            if k == 0 and first == "fails":
                raise InputError("no plan this time")
            # like the planner, the done task is left out of the new plan's items
            return {
                "gap": PLAN["gap"],
                "items": [],
                "observations": m["onet:2.B.5.b"]["observations"],
            }

        monkeypatch.setattr(svc, "_plan_doc", plan_doc)

        def status() -> str:
            return str(json.loads(svc.plan_json(learner, learner.id))["status"])

        svc.review(mentor, eid, rubric=2, feedback="A")
        job1 = svc.jobs[learner.id]
        assert started[0].wait(30), "re-plan 1 never started"
        svc.review(mentor, eid, rubric=3, feedback="B")
        job2 = svc.jobs[learner.id]
        assert job2 is not job1, "re-plan 1 is running: review B queues re-plan 2"
        go[0].set()
        job1.result(timeout=30)
        st = svc.learner_state(learner, learner.id)
        assert st["plan_status"] == "running" and status() == "running", st["plan_status"]
        assert st["plan_error"] == ""
        go[1].set()
        job2.result(timeout=30)
        st = svc.learner_state(learner, learner.id)
        assert st["plan_status"] == "ready" and status() == "ready"
        assert st["plan"]["observations"] == 2, "the plan is made from review B"
        assert [i["id"] for i in st["plan"]["done_items"]] == ["task:apply:onet:2.B.5.b"]
        assert calls == [0, 1]
    finally:
        svc.close()


def test_an_older_replan_never_overwrites_a_newer_one(db_url: str, tmp_path: Path) -> None:
    """Outcomes are stored by generation (compare-and-set): a re-plan of generation 1 that
    finishes after generation 2's (two processes) changes nothing; a re-plan of a generation
    already stored is not run again."""
    svc, learner, _mentor, _peer, _stranger, _admin = _world(db_url, tmp_path)
    try:
        with svc.store.session(write=True) as s:
            row = s.get(WebLearner, learner.id)
            assert row is not None
            row.target = "computer and information systems manager"
            assert svc._mark_replanning(s, learner.id) and svc._mark_replanning(s, learner.id)
        svc._store_outcome(learner.id, 2, "ready", plan={"v": 2})
        svc._store_outcome(learner.id, 1, "error", plan_error="late")
        st = svc.learner_state(learner, learner.id)
        assert (st["plan_status"], st["plan"], st["plan_error"]) == ("ready", {"v": 2}, "")
        svc._replan_here(learner.id)  # generation 2 is stored: nothing to do
        assert svc.learner_state(learner, learner.id)["plan"] == {"v": 2}
    finally:
        svc.close()
