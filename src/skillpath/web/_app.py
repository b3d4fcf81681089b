"""The web face: FastAPI pages (Jinja2 + HTMX) and a JSON API under /api/v1.

Routes only parse, authorise (one dependency per kind of access), call the application layer
(:class:`skillpath.service.Service`) and render. Sessions are server-side (the cookie carries a
random token, HttpOnly, SameSite=Lax); every unsafe request needs the session's CSRF token (a form
field or the ``X-CSRF-Token`` header HTMX sends), unless it carries an API bearer token.

No ``from __future__ import annotations`` here: FastAPI must evaluate the dependency aliases
(``Anyone``, ``Signed``) defined inside :func:`create_app` when it reads the route signatures.
"""

import hmac
import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from skillpath.errors import InputError, NotFoundError, SkillpathError
from skillpath.mentoring import RUBRIC_LEVELS
from skillpath.service import (
    Access,
    AuthError,
    Service,
    User,
    api_token_user,
    authenticate,
    end_session,
    list_users,
    new_api_token,
    new_session,
    register,
    session_user,
)
from skillpath.web._charts import gap_svg, timeline_svg

__all__ = ["create_app"]

HERE = Path(__file__).parent
COOKIE = "sp_session"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "media-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


# ids in paths are INTEGER columns (32 bits on PostgreSQL): a larger one is refused (422), not
# an overflow in the database (500; schemathesis found it on PostgreSQL)
Id = Annotated[int, PathParam(ge=0, le=2**31 - 1)]


class Unauthenticated(Exception):
    """No session (pages redirect to sign-in; the API answers 401)."""


class CsrfError(Exception):
    """An unsafe request without the session's CSRF token."""


class _Who:
    """The caller: a user (or None), their CSRF token, and whether they came with a bearer token."""

    def __init__(
        self, user: User | None, csrf: str = "", token: str | None = None, bearer: bool = False
    ) -> None:
        self.user, self.csrf, self.token, self.bearer = user, csrf, token, bearer


class ReviewIn(BaseModel):
    """A review submitted through the API."""

    rubric: int = Field(ge=0, le=len(RUBRIC_LEVELS) - 1)
    feedback: str = Field(default="", max_length=10000)


def create_app(service: Service, *, secure_cookies: bool = False) -> FastAPI:
    """The web application over ``service`` (one per process; indexes stay warm in it)."""
    app = FastAPI(
        title="Skillpath",
        version="1",
        docs_url="/api/docs",
        openapi_url="/api/v1/openapi.json",
        redoc_url=None,
    )
    app.state.service = service
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def headers(request: Request, call_next):
        resp = await call_next(request)
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Referrer-Policy"] = "same-origin"
        return resp

    # ---- who is calling ---------------------------------------------------------------------
    def who(request: Request) -> _Who:
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            u = api_token_user(service.store, auth[7:].strip())
            if u is None:
                raise Unauthenticated()
            return _Who(u, bearer=True)
        token = request.cookies.get(COOKIE)
        got = session_user(service.store, token)
        if got is None:
            return _Who(None, token=None)
        return _Who(got[0], got[1], token)

    async def csrf_ok(request: Request, w: _Who) -> None:
        if w.bearer or request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if request.url.path.startswith("/api/") and not request.cookies.get(COOKIE):
            return  # an API call without a session cookie carries no ambient authority to forge
        sent = request.headers.get("x-csrf-token", "")
        if not sent:
            ctype = request.headers.get("content-type", "")
            if "form" in ctype:
                form = await request.form()
                sent = str(form.get("csrf", ""))
        expected = w.csrf or request.cookies.get("sp_pre", "")
        if not expected or not hmac.compare_digest(sent, expected):
            raise CsrfError()

    async def anyone(request: Request) -> _Who:
        w = who(request)
        await csrf_ok(request, w)
        return w

    async def signed_in(request: Request) -> _Who:
        w = await anyone(request)
        if w.user is None:
            raise Unauthenticated()
        return w

    Anyone = Annotated[_Who, Depends(anyone)]
    Signed = Annotated[_Who, Depends(signed_in)]

    def page(request: Request, tpl: str, w: _Who, status: int = 200, **ctx: Any) -> HTMLResponse:
        import secrets

        csrf = w.csrf or request.cookies.get("sp_pre", "")
        fresh = not csrf
        if fresh:  # a pre-session token for the sign-in and sign-up forms (double-submit cookie)
            csrf = secrets.token_urlsafe(24)
        resp = templates.TemplateResponse(
            request, tpl, {"user": w.user, "csrf": csrf, **ctx}, status_code=status
        )
        if fresh:
            resp.set_cookie("sp_pre", csrf, httponly=True, samesite="lax", secure=secure_cookies)
        return resp

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    # ---- errors -----------------------------------------------------------------------------
    @app.exception_handler(Unauthenticated)
    async def _unauth(request: Request, exc: Unauthenticated) -> Response:
        if is_api(request):
            return JSONResponse({"error": "sign in or send an API token"}, status_code=401)
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)

    @app.exception_handler(CsrfError)
    async def _csrf(request: Request, exc: CsrfError) -> Response:
        return JSONResponse(
            {"error": "missing or wrong CSRF token: reload the page"}, status_code=403
        )

    @app.exception_handler(SkillpathError)
    async def _err(request: Request, exc: SkillpathError) -> Response:
        if isinstance(exc, AuthError):
            code = 429 if getattr(exc, "throttled", False) else 401
        elif isinstance(exc, Access):
            code = 403
        elif isinstance(exc, NotFoundError):
            code = 404
        elif isinstance(exc, InputError):
            code = 400
        else:
            code = 409
        if is_api(request):
            return JSONResponse({"error": str(exc)}, status_code=code)
        w = who(request) if not isinstance(exc, AuthError) else _Who(None)
        tpl = "login.html" if isinstance(exc, AuthError) else "base.html"
        return page(request, tpl, w, status=code, error=str(exc), register=False)

    # ---- accounts -----------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, w: Anyone) -> Response:
        if w.user is not None:
            return RedirectResponse(
                "/mentor" if w.user.role == "mentor" else "/me", status_code=303
            )
        return page(request, "home.html", w)

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, w: Anyone, next: str = "") -> Response:
        return page(request, "login.html", w, register=False, next=next)

    @app.get("/register", response_class=HTMLResponse)
    def register_form(request: Request, w: Anyone) -> Response:
        return page(request, "login.html", w, register=True)

    def _start(user: User, next: str = "") -> Response:
        token, _csrf = new_session(service.store, user)
        dest = next if next.startswith("/") and not next.startswith("//") else "/"
        resp = RedirectResponse(dest, status_code=303)
        resp.set_cookie(
            COOKIE, token, httponly=True, samesite="lax", secure=secure_cookies, max_age=14 * 86400
        )
        resp.delete_cookie("sp_pre")
        return resp

    @app.post("/register")
    def do_register(
        request: Request,
        w: Anyone,
        email: Annotated[str, Form()],
        password: Annotated[str, Form()],
        name: Annotated[str, Form()] = "",
        role: Annotated[str, Form()] = "learner",
    ) -> Response:
        if role not in ("learner", "mentor"):
            raise InputError("choose learner or mentor", column="role", value=role)
        return _start(register(service.store, email=email, password=password, name=name, role=role))

    @app.post("/login")
    def do_login(
        request: Request,
        w: Anyone,
        email: Annotated[str, Form()],
        password: Annotated[str, Form()],
        next: Annotated[str, Form()] = "",
    ) -> Response:
        client = request.client.host if request.client else ""
        return _start(
            authenticate(service.store, email=email, password=password, client=client), next
        )

    @app.post("/logout")
    def logout(w: Signed) -> Response:
        end_session(service.store, w.token)
        resp = RedirectResponse("/", status_code=303)
        resp.delete_cookie(COOKIE)
        return resp

    # ---- learner ------------------------------------------------------------------------------
    def _plan_ctx(st: dict[str, Any], viewer: User) -> dict[str, Any]:
        plan = st["plan"]
        m = service.mastery(viewer, st["user_id"]) if plan else {}
        items = sorted(plan.get("items", []), key=lambda i: (i.get("start_week") or 0, i["id"]))
        shown = sorted(
            (v for v in m.values() if v["reviewed"] or v["required"] is not None),
            key=lambda v: (-v["reviewed"], v["label"]),
        )
        return {
            "st": st,
            "items": items,
            "gap_chart": gap_svg(plan, m) if plan else "",
            "timeline": timeline_svg(plan) if plan else "",
            "mastery": [v for v in shown if v["reviewed"]] or [],
        }

    @app.get("/me", response_class=HTMLResponse)
    def me(request: Request, w: Signed, invite_url: str = "") -> Response:
        assert w.user is not None
        st = service.learner_state(w.user, w.user.id)
        return page(
            request,
            "me.html",
            w,
            links=service.links(w.user),
            invite_url=invite_url,
            **_plan_ctx(st, w.user),
        )

    @app.get("/me/plan/status", response_class=HTMLResponse)
    def plan_status(request: Request, w: Signed) -> Response:
        assert w.user is not None
        st = service.learner_state(w.user, w.user.id)
        ctx = _plan_ctx(st, w.user)
        attrs = (
            'hx-get="/me/plan/status" hx-trigger="every 1s" hx-swap="outerHTML"'
            if st["plan_status"] == "running"
            else ""
        )
        inner = templates.get_template("plan_status.html").render(csrf=w.csrf, user=w.user, **ctx)
        return HTMLResponse(f'<div id="plan-status" {attrs}>{inner}</div>')

    @app.post("/me/cv")
    async def upload_cv(w: Signed, cv: Annotated[UploadFile, File()]) -> Response:
        assert w.user is not None
        data = await cv.read(service.limits.max_cv + 1)
        service.read_cv(w.user, filename=cv.filename or "cv.txt", data=data)
        return RedirectResponse("/me", status_code=303)

    @app.post("/me/skills")
    def correct(
        w: Signed,
        skill_id: Annotated[str, Form()],
        action: Annotated[str, Form()],
        level: Annotated[str, Form()] = "",
    ) -> Response:
        assert w.user is not None
        lv = _float(level, "level")
        service.correct_skill(w.user, skill_id, action=action, level=lv)
        return RedirectResponse("/me", status_code=303)

    @app.get("/skills/search", response_class=HTMLResponse)
    def skills_search(w: Signed, q: str = "", skill_id: str = "") -> HTMLResponse:
        from html import escape

        hits = service.search_skills(q or skill_id)
        return HTMLResponse(
            "".join(
                f'<option value="{escape(h["skill_id"])}">{escape(h["label"])}</option>'
                for h in hits
            )
        )

    @app.get("/roles/search", response_class=HTMLResponse)
    def roles_search(w: Signed, q: str = "", target: str = "") -> HTMLResponse:
        from html import escape

        hits = service.search_roles(q or target)
        if not hits:
            return HTMLResponse("")
        return HTMLResponse(
            "Matches: " + ", ".join(f"{escape(h['label'])} ({escape(h['code'])})" for h in hits[:5])
        )

    @app.post("/me/target")
    def target(
        w: Signed,
        target: Annotated[str, Form()],
        hours_per_week: Annotated[str, Form()] = "5",
        weeks: Annotated[str, Form()] = "",
        budget: Annotated[str, Form()] = "",
        languages: Annotated[str, Form()] = "",
        free: Annotated[str, Form()] = "",
    ) -> Response:
        assert w.user is not None
        hpw = _float(hours_per_week, "hours_per_week") or 5.0
        wk = _float(weeks, "weeks")
        service.set_target(
            w.user,
            target=target,
            hours_per_week=hpw,
            weeks=int(wk) if wk else None,
            budget=_float(budget, "budget"),
            languages=tuple(x.strip() for x in languages.split(",") if x.strip()),
            free=bool(free),
        )
        return RedirectResponse("/me", status_code=303)

    def _item(st: dict[str, Any], item_id: str) -> dict[str, Any]:
        for it in st["plan"].get("items", []):
            if it["id"] == item_id:
                return it
        raise NotFoundError("no such item in your plan", value=item_id)

    @app.get("/me/item", response_class=HTMLResponse)
    def item(request: Request, w: Signed, id: str) -> Response:
        assert w.user is not None
        st = service.learner_state(w.user, w.user.id)
        it = _item(st, id)
        evs = [e for e in service.evidence_list(w.user, w.user.id) if e["item_id"] == id]
        return page(request, "item.html", w, it=it, evidence=evs, limits=service.limits)

    @app.post("/me/item/done")
    def done(
        w: Signed, item: Annotated[str, Form()], hours: Annotated[str, Form()] = ""
    ) -> Response:
        assert w.user is not None
        service.mark_done(w.user, item, hours=_float(hours, "hours"))
        return RedirectResponse("/me", status_code=303)

    @app.post("/me/item/evidence")
    async def submit(
        w: Signed,
        item: Annotated[str, Form()],
        kind: Annotated[str, Form()],
        title: Annotated[str, Form()] = "",
        text: Annotated[str, Form()] = "",
        url: Annotated[str, Form()] = "",
        file: Annotated[UploadFile | None, File()] = None,
    ) -> Response:
        assert w.user is not None
        data, name = None, ""
        if file is not None and file.filename:
            data = await file.read(service.limits.max_video + 1)
            name = file.filename
        eid = service.submit_evidence(
            w.user, item, kind=kind, text=text, url=url, data=data, filename=name, title=title
        )
        return RedirectResponse(f"/evidence/{eid}", status_code=303)

    @app.get("/evidence/{evidence_id}", response_class=HTMLResponse)
    def evidence(request: Request, w: Signed, evidence_id: Id) -> Response:
        assert w.user is not None
        return page(
            request,
            "evidence.html",
            w,
            ev=service.evidence(w.user, evidence_id),
            rubric=RUBRIC_LEVELS,
        )

    @app.get("/evidence/{evidence_id}/file")
    def evidence_file(w: Signed, evidence_id: Id) -> Response:
        assert w.user is not None
        path, media, name = service.blob(w.user, evidence_id)
        inline = media.startswith("video/") or media in (
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "application/pdf",
        )
        return FileResponse(
            path,
            media_type=media,
            filename=name or path.name,
            content_disposition_type="inline" if inline else "attachment",
            headers={"Content-Security-Policy": "default-src 'none'; sandbox"},
        )

    @app.post("/evidence/{evidence_id}/request")
    def request_feedback(w: Signed, evidence_id: Id) -> Response:
        assert w.user is not None
        service.request_feedback(w.user, evidence_id)
        return RedirectResponse(f"/evidence/{evidence_id}", status_code=303)

    @app.post("/evidence/{evidence_id}/comments")
    def comment(
        w: Signed, evidence_id: Id, text: Annotated[str, Form()], at: Annotated[str, Form()] = ""
    ) -> Response:
        assert w.user is not None
        service.comment(w.user, evidence_id, text=text, at=_float(at, "at"))
        return RedirectResponse(f"/evidence/{evidence_id}", status_code=303)

    @app.post("/evidence/{evidence_id}/review")
    def review(
        w: Signed,
        evidence_id: Id,
        rubric: Annotated[int, Form()],
        feedback: Annotated[str, Form()] = "",
    ) -> Response:
        assert w.user is not None
        service.review(w.user, evidence_id, rubric=rubric, feedback=feedback)
        return RedirectResponse(f"/evidence/{evidence_id}", status_code=303)

    @app.post("/me/invites")
    def invite(request: Request, w: Signed, relation: Annotated[str, Form()]) -> Response:
        assert w.user is not None
        url = service.invite(w.user, relation)
        return RedirectResponse(f"/me?invite_url={quote(url, safe='')}", status_code=303)

    @app.post("/me/links/{link_id}/revoke")
    def revoke(w: Signed, link_id: str) -> Response:
        assert w.user is not None
        service.revoke(w.user, link_id)
        return RedirectResponse("/me", status_code=303)

    @app.get("/invite/{token}", response_class=HTMLResponse)
    def invitation(request: Request, w: Signed, token: str) -> Response:
        return page(request, "invite.html", w, inv=service.invitation(token), token=token)

    @app.post("/invite/{token}")
    def accept(w: Signed, token: str) -> Response:
        assert w.user is not None
        lid = service.accept(w.user, token)
        return RedirectResponse(f"/learners/{lid}", status_code=303)

    # ---- mentor -------------------------------------------------------------------------------
    @app.get("/mentor", response_class=HTMLResponse)
    def mentor(request: Request, w: Signed) -> Response:
        assert w.user is not None
        return page(request, "mentor.html", w, learners=service.reviewing(w.user))

    @app.get("/learners/{learner_id}", response_class=HTMLResponse)
    def learner(request: Request, w: Signed, learner_id: Id) -> Response:
        assert w.user is not None
        rel = service.require(w.user, learner_id)
        if rel == "owner":
            return RedirectResponse("/me", status_code=303)
        st = service.learner_state(w.user, learner_id)
        m = service.mastery(w.user, learner_id)
        return page(
            request,
            "learner.html",
            w,
            st=st,
            relation=rel,
            evidence=service.evidence_list(w.user, learner_id),
            gap_chart=gap_svg(st["plan"], m) if st["plan"] else "",
            mastery=sorted(m.values(), key=lambda v: v["label"]),
        )

    @app.post("/learners/{learner_id}/endorse")
    def endorse(w: Signed, learner_id: Id, skill_id: Annotated[str, Form()]) -> Response:
        assert w.user is not None
        service.endorse(w.user, learner_id, skill_id)
        return RedirectResponse(f"/learners/{learner_id}", status_code=303)

    # ---- portfolio and badges -----------------------------------------------------------------
    @app.get("/me/portfolio", response_class=HTMLResponse)
    def portfolio(request: Request, w: Signed) -> Response:
        assert w.user is not None
        return page(
            request,
            "portfolio.html",
            w,
            own=True,
            badges=service.badges(w.user, w.user.id),
            public_url=f"{service.public_url}/u/{w.user.id}",
        )

    @app.post("/me/badges/publish")
    def publish(
        w: Signed, badge: Annotated[str, Form()], public: Annotated[int, Form()]
    ) -> Response:
        assert w.user is not None
        service.publish_badge(w.user, badge, bool(public))
        return RedirectResponse("/me/portfolio", status_code=303)

    @app.get("/u/{learner_id}", response_class=HTMLResponse)
    def public_page(request: Request, w: Anyone, learner_id: Id) -> Response:
        from skillpath.service import get_user

        u = get_user(service.store, learner_id)
        if u is None:
            raise NotFoundError("no such portfolio")
        b = service.badges(User(0, "", "", "learner"), learner_id, public_only=True)
        return page(request, "portfolio.html", w, own=False, badges=b, name=u.name or "A learner")

    @app.get("/badges/{badge_id}.json")
    def badge_json(request: Request, w: Anyone, badge_id: str) -> Response:
        for b in _visible_badges(w, badge_id):
            return Response(b["credential"], media_type="application/json")
        raise NotFoundError("no such badge, or it is not public")

    def _visible_badges(w: _Who, badge_id: str) -> list[dict[str, Any]]:
        from sqlalchemy import select

        from skillpath.store.models.web import WebBadge

        with service.store.session() as s:
            row = s.scalars(select(WebBadge).where(WebBadge.id == badge_id)).first()
            if row is None:
                return []
            lid, public = row.learner_id, bool(row.public)
        if public:
            return service.badges(User(0, "", "", "learner"), lid, public_only=True)
        if w.user is not None and service.relation(w.user, lid):
            return [b for b in service.badges(w.user, lid) if b["id"] == badge_id]
        return []

    @app.get("/verify", response_class=HTMLResponse)
    def verify_form(request: Request, w: Anyone) -> Response:
        return page(request, "verify.html", w)

    @app.post("/verify", response_class=HTMLResponse)
    async def verify(
        request: Request,
        w: Anyone,
        text: Annotated[str, Form()] = "",
        file: Annotated[UploadFile | None, File()] = None,
    ) -> Response:
        data: bytes | str = text.strip()
        if file is not None and file.filename:
            data = await file.read(5 * 1024 * 1024 + 1)
        if not data:
            raise InputError("paste a credential or choose a file")
        return page(request, "verify.html", w, report=service.verify(data))

    @app.get("/me/export")
    def export(w: Signed) -> Response:
        assert w.user is not None
        body = json.dumps(service.export(w.user), indent=1, ensure_ascii=False, default=str)
        return Response(
            body,
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="skillpath-export.json"'},
        )

    @app.post("/me/erase")
    def erase(w: Signed, confirm: Annotated[str, Form()] = "") -> Response:
        assert w.user is not None
        if confirm != "yes":
            raise InputError("tick the box to confirm", column="confirm")
        service.erase(w.user)
        resp = RedirectResponse("/", status_code=303)
        resp.delete_cookie(COOKIE)
        return resp

    @app.get("/admin", response_class=HTMLResponse)
    def admin(request: Request, w: Signed) -> Response:
        assert w.user is not None
        if not w.user.is_admin:
            raise Access("admins only")
        return page(request, "admin.html", w, users=list_users(service.store))

    # ---- JSON API -----------------------------------------------------------------------------
    @app.post("/api/v1/tokens")
    def api_new_token(w: Signed, name: str = "") -> dict[str, str]:
        """A bearer token for scripts (needs a signed-in session and its CSRF token)."""
        assert w.user is not None
        return {"token": new_api_token(service.store, w.user, name)}

    @app.get("/api/v1/me")
    def api_me(w: Signed) -> dict[str, Any]:
        """The caller's account."""
        assert w.user is not None
        return {"id": w.user.id, "email": w.user.email, "name": w.user.name, "role": w.user.role}

    @app.get("/api/v1/learners/{learner_id}/plan")
    def api_plan(w: Signed, learner_id: Id) -> Response:
        """The learner's plan (JSON schema of docs/plan.md) and its status."""
        assert w.user is not None
        # the stored plan text as it is: no parse and re-encoding of tens of kB per read
        return Response(service.plan_json(w.user, learner_id), media_type="application/json")

    @app.get("/api/v1/learners/{learner_id}/mastery")
    def api_mastery(w: Signed, learner_id: Id) -> Response:
        """Per skill: CV prior, posterior after reviews, checkpoint status."""
        assert w.user is not None
        return JSONResponse(service.mastery(w.user, learner_id))

    @app.get("/api/v1/learners/{learner_id}/evidence")
    def api_evidence_list(w: Signed, learner_id: Id) -> Response:
        """The learner's evidence, newest first."""
        assert w.user is not None
        return JSONResponse(service.evidence_list(w.user, learner_id))

    @app.get("/api/v1/evidence/{evidence_id}")
    def api_evidence(w: Signed, evidence_id: Id) -> Response:
        """One piece of evidence with reviews and comments."""
        assert w.user is not None
        return JSONResponse(service.evidence(w.user, evidence_id))

    @app.post("/api/v1/evidence/{evidence_id}/reviews")
    def api_review(w: Signed, evidence_id: Id, body: ReviewIn) -> dict[str, Any]:
        """Review evidence: the mastery change and any badge issued."""
        assert w.user is not None
        return service.review(w.user, evidence_id, rubric=body.rubric, feedback=body.feedback)

    @app.get("/api/v1/roles")
    def api_roles(w: Signed, q: str = "") -> list[dict[str, Any]]:
        """Occupations for a title or phrase."""
        return service.search_roles(q)

    @app.post("/api/v1/verify")
    async def api_verify(request: Request, w: Anyone) -> dict[str, Any]:
        """Verify a credential sent as the request body (JSON, JWT, PNG or SVG)."""
        body = await request.body()
        if not body:
            raise InputError("send the credential as the request body")
        if len(body) > 5 * 1024 * 1024:
            raise InputError("the credential is larger than 5 MB")
        return service.verify(body)

    return app


def _float(v: str, name: str) -> float | None:
    v = (v or "").strip()
    if not v:
        return None
    try:
        return float(v)
    except ValueError as exc:
        raise InputError("not a number", column=name, value=v) from exc
