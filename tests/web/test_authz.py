"""Every route x every kind of caller: allowed or denied, with no leak; CSRF, uploads, XSS.

Callers: anonymous, the learner (owner), another learner, the mentor the learner invited, a
mentor nobody invited, and an admin (who manages accounts but reads evidence only when invited).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import BOTH_BACKENDS, CV, TARGET, Actor, wait_plan

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.slow,
    BOTH_BACKENDS,  # on SQLite and on PostgreSQL
]

SECRET = "secret-evidence-text-4711"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def world(web: Any) -> dict[str, Any]:
    from skillpath.service import register

    owner = Actor(web, "Owner").signup("owner@example.org")
    owner.page("/me")
    r = owner.post("/me/cv", files={"cv": (CV.name, CV.read_bytes(), "application/json")})
    assert r.status_code == 200, r.text[:500]
    r = owner.post("/me/target", {"target": TARGET, "hours_per_week": "6", "weeks": "26"})
    assert r.status_code == 200, r.text[:500]
    st = wait_plan(web, owner.id)
    assert st["plan_status"] == "ready", st["plan_error"]
    task = next(i for i in st["plan"]["items"] if i["kind"] == "task")
    r = owner.post("/me/item/evidence", {"item": task["id"], "kind": "text", "text": SECRET})
    ev_text = int(str(r.url).rsplit("/", 1)[1])
    r = owner.post(
        "/me/item/evidence",
        {"item": task["id"], "kind": "file"},
        files={"file": ("report.pdf", PDF, "application/pdf")},
    )
    ev_file = int(str(r.url).rsplit("/", 1)[1])
    owner.post(f"/evidence/{ev_text}/request")
    r = owner.post("/me/invites", {"relation": "mentor"})
    token = str(r.url).split("invite%2F")[1]
    other = Actor(web, "Other").signup("other@example.org")
    mentor = Actor(web, "Mentor").signup("mentor@example.org", role="mentor")
    mentor.page(f"/invite/{token}")
    assert mentor.post(f"/invite/{token}").status_code == 200
    stranger = Actor(web, "Stranger").signup("stranger@example.org", role="mentor")
    register(
        web.state.service.store,
        email="admin@example.org",
        password="correct horse 1",
        name="Admin",
        role="admin",
    )
    admin = Actor(web, "Admin")
    admin.page("/login")
    admin.post("/login", {"email": "admin@example.org", "password": "correct horse 1"})
    admin.page("/admin")
    admin.id = admin.c.get("/api/v1/me").json()["id"]
    anon = Actor(web, "Anonymous")
    anon.page("/verify")
    links = web.state.service.links(
        __import__("skillpath.service", fromlist=["User"]).User(owner.id, "", "", "learner")
    )
    return {
        "owner": owner,
        "other": other,
        "mentor": mentor,
        "stranger": stranger,
        "admin": admin,
        "anon": anon,
        "ev_text": ev_text,
        "ev_file": ev_file,
        "link": links[0]["id"],
        "task": task["id"],
    }


SIGNED = {"owner", "other", "mentor", "stranger", "admin"}
EVERYONE = SIGNED | {"anon"}
# (method, path, form or json body, who may)
ROUTES: list[tuple[str, str, dict[str, Any] | None, set[str]]] = [
    ("GET", "/", None, EVERYONE),
    ("GET", "/verify", None, EVERYONE),
    ("GET", "/u/{owner}", None, EVERYONE),
    ("GET", "/me", None, SIGNED),
    ("GET", "/mentor", None, SIGNED),
    ("GET", "/me/portfolio", None, SIGNED),
    ("GET", "/me/export", None, SIGNED),
    ("GET", "/admin", None, {"admin"}),
    ("GET", "/learners/{owner}", None, {"owner", "mentor"}),
    ("POST", "/learners/{owner}/endorse", {"skill_id": "onet:2.A.1.a"}, {"mentor"}),
    ("GET", "/evidence/{ev_text}", None, {"owner", "mentor"}),
    ("GET", "/evidence/{ev_file}/file", None, {"owner", "mentor"}),
    ("POST", "/evidence/{ev_text}/comments", {"text": "looks good"}, {"owner", "mentor"}),
    ("POST", "/evidence/{ev_text}/review", {"rubric": "2", "feedback": "ok"}, {"owner", "mentor"}),
    ("POST", "/evidence/{ev_text}/request", {}, {"owner"}),
    ("GET", "/api/v1/me", None, SIGNED),
    ("GET", "/api/v1/learners/{owner}/plan", None, {"owner", "mentor"}),
    ("GET", "/api/v1/learners/{owner}/mastery", None, {"owner", "mentor"}),
    ("GET", "/api/v1/learners/{owner}/evidence", None, {"owner", "mentor"}),
    ("GET", "/api/v1/evidence/{ev_text}", None, {"owner", "mentor"}),
    (
        "POSTJSON",
        "/api/v1/evidence/{ev_text}/reviews",
        {"rubric": 2, "feedback": "api"},
        {"owner", "mentor"},
    ),
    ("GET", "/api/v1/roles?q=nurse", None, SIGNED),
]


def _call(actor: Actor, method: str, path: str, body: dict[str, Any] | None) -> Any:
    if method == "GET":
        return actor.c.get(path, follow_redirects=False)
    if method == "POSTJSON":
        return actor.c.post(
            path, json=body, headers={"X-CSRF-Token": actor.csrf}, follow_redirects=False
        )
    return actor.post(path, body, follow_redirects=False)


@pytest.mark.parametrize("who", sorted(EVERYONE))
@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), ROUTES, ids=[f"{m} {p}" for m, p, _b, _a in ROUTES]
)
def test_matrix(
    world: dict[str, Any],
    who: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    allowed: set[str],
) -> None:
    actor: Actor = world[who]
    url = path.format(
        owner=world["owner"].id,
        ev_text=world["ev_text"],
        ev_file=world["ev_file"],
        link=world["link"],
    )
    r = _call(actor, method, url, body)
    to_login = r.status_code == 303 and r.headers.get("location", "").startswith("/login")
    if who in allowed:
        assert r.status_code < 400 and not to_login, (who, url, r.status_code, r.text[:300])
    else:
        assert r.status_code in (401, 403, 404, 405) or to_login, (who, url, r.status_code)
        assert SECRET not in r.text  # nothing of the learner's leaks in a refusal


def test_revoke_link_is_owner_only_and_ends_access(web: Any, world: dict[str, Any]) -> None:
    from skillpath.service import User

    svc = web.state.service
    owner, mentor = world["owner"], world["mentor"]
    for who in ("other", "stranger", "admin", "mentor"):
        r = world[who].post(f"/me/links/{world['link']}/revoke", follow_redirects=False)
        assert r.status_code == 404
    # a second invitation, accepted, then withdrawn: the mentor loses access at once
    r = owner.post("/me/invites", {"relation": "peer"})
    token = str(r.url).split("invite%2F")[1]
    peer = Actor(web, "Peer").signup("peer@example.org")
    peer.page(f"/invite/{token}")
    peer.post(f"/invite/{token}")
    assert peer.c.get(f"/evidence/{world['ev_text']}").status_code == 200
    lid = next(
        lk["id"] for lk in svc.links(User(owner.id, "", "", "learner")) if lk["reviewer"] == "Peer"
    )
    assert owner.post(f"/me/links/{lid}/revoke", follow_redirects=False).status_code == 303
    assert peer.c.get(f"/evidence/{world['ev_text']}").status_code == 403
    assert mentor.c.get(f"/evidence/{world['ev_text']}").status_code == 200


def test_csrf_is_required_on_every_form(world: dict[str, Any]) -> None:
    owner = world["owner"]
    r = owner.c.post(f"/evidence/{world['ev_text']}/comments", data={"text": "x"})
    assert r.status_code == 403
    r = owner.c.post(f"/evidence/{world['ev_text']}/comments", data={"text": "x", "csrf": "forged"})
    assert r.status_code == 403
    r = owner.c.post("/api/v1/evidence/1/reviews", json={"rubric": 1})
    assert r.status_code == 403
    anon = Actor(owner.c.app, "x")
    r = anon.c.post("/login", data={"email": "owner@example.org", "password": "correct horse 1"})
    assert r.status_code == 403  # even sign-in needs the pre-session token


def test_uploads_over_the_limit_or_of_a_wrong_type_are_refused(
    web: Any, world: dict[str, Any]
) -> None:
    owner = world["owner"]
    svc = web.state.service
    st = wait_plan(web, owner.id)  # reviews above re-planned: take a task of the current plan
    task = next(i["id"] for i in st["plan"]["items"] if i["kind"] == "task")
    big = b"%PDF-1.4\n" + b"0" * (svc.limits.max_file + 10)
    r = owner.post(
        "/me/item/evidence",
        {"item": task, "kind": "file"},
        files={"file": ("big.pdf", big, "application/pdf")},
    )
    assert r.status_code == 400 and "larger than" in r.text
    r = owner.post(
        "/me/item/evidence",
        {"item": task, "kind": "file"},
        files={"file": ("page.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")},
    )
    assert r.status_code == 400 and "not accepted" in r.text
    r = owner.post(
        "/me/item/evidence",
        {"item": task, "kind": "video"},
        files={"file": ("clip.mp4", PDF, "video/mp4")},
    )
    assert r.status_code == 400
    r = owner.post(
        "/me/item/evidence", {"item": task, "kind": "link", "url": "javascript:alert(1)"}
    )
    assert r.status_code == 400


def test_a_cv_name_with_script_renders_inert(web: Any) -> None:
    x = Actor(web, "").signup("xss@example.org")
    cv = json.loads(CV.read_text())
    cv["basics"]["name"] = "<script>alert('x')</script>"
    x.page("/me")
    r = x.post("/me/cv", files={"cv": ("cv.json", json.dumps(cv).encode(), "application/json")})
    assert r.status_code == 200
    for url in ("/me", "/me/portfolio", f"/u/{x.id}", "/admin"):
        body = x.c.get(url).text
        assert "<script>alert(" not in body
    r = x.c.get("/me")
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_login_is_throttled(web: Any) -> None:
    a = Actor(web, "t")
    a.page("/login")
    codes = [
        a.post("/login", {"email": "owner@example.org", "password": "wrong"}).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [401] * 5 and codes[5] == 429


def test_a_nul_in_the_sign_in_email_is_a_wrong_login(web: Any) -> None:
    """Not a server error (PostgreSQL text cannot hold a NUL; schemathesis found it)."""
    a = Actor(web, "n")
    a.page("/login")
    code = a.post("/login", {"email": "\x00", "password": "0"}).status_code
    assert code in (401, 429)  # 429: the test client's address is throttled by the test above


def test_a_nul_in_any_field_is_a_bad_request(web: Any) -> None:
    """A 400 naming the field, on both backends (a NUL token name was a 500 on PostgreSQL)."""
    a = Actor(web, "Nul").signup("nul@example.org")
    a.page("/me")
    r = a.c.post("/api/v1/tokens", params={"name": "a\x00b"}, headers={"x-csrf-token": a.csrf})
    assert r.status_code == 400, r.text
    assert "NUL" in r.json()["error"] and "'name'" in r.json()["error"]
    assert a.c.get("/api/v1/roles", params={"q": "nurse\x00"}).status_code < 500


def test_export_then_erase(web: Any) -> None:
    from sqlalchemy import func, select

    from skillpath.store.models.web import WebEvidence, WebUser

    e = Actor(web, "Eraser").signup("eraser@example.org")
    e.page("/me")
    e.post("/me/cv", files={"cv": (CV.name, CV.read_bytes(), "application/json")})
    doc = e.c.get("/me/export").json()
    assert doc["account"]["email"] == "eraser@example.org" and doc["learner"]["profile"]["skills"]
    e.page("/me/portfolio")
    assert e.post("/me/erase", {"confirm": "yes"}, follow_redirects=False).status_code == 303
    store = web.state.service.store
    with store.session() as s:
        assert not s.scalar(
            select(func.count()).select_from(WebUser).where(WebUser.email == "eraser@example.org")
        )
        assert not s.scalar(
            select(func.count()).select_from(WebEvidence).where(WebEvidence.learner_id == e.id)
        )
    assert e.c.get("/me", follow_redirects=False).status_code == 303


def test_anonymous_api_verify_needs_no_csrf_but_cookies_do(web: Any, world: dict[str, Any]) -> None:
    from fastapi.testclient import TestClient

    r = TestClient(web).post("/api/v1/verify", content=b'{"not": "a credential"}')
    assert r.status_code != 403  # no cookie, nothing to forge: the verifier answers
    owner = world["owner"]
    r = owner.c.post("/api/v1/verify", content=b"{}")
    assert r.status_code == 403  # with a session cookie, the CSRF token is required
