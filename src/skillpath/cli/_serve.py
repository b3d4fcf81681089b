"""CLI: ``skillpath serve``: the multi-user web app on this store (docs/web.md)."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer

from skillpath.cli._app import app, console, get_store


def _demo_accounts(store) -> list[tuple[str, str, str]]:
    """A demo learner and a demo mentor (fresh passwords each start), returned for printing."""
    from sqlalchemy import select

    from skillpath.service import register
    from skillpath.service._accounts import _hasher
    from skillpath.store.models.web import WebUser

    out = []
    for email, name, role in (
        ("learner@demo.skillpath", "Demo Learner", "learner"),
        ("mentor@demo.skillpath", "Demo Mentor", "mentor"),
    ):
        password = secrets.token_urlsafe(9)
        with store.session() as s:
            row = s.scalars(select(WebUser).where(WebUser.email == email)).first()
            if row is not None:
                row.password_hash = _hasher.hash(password)
        if row is None:
            register(store, email=email, password=password, name=name, role=role)
        out.append((role, email, password))
    return out


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Import the data if needed and create demo accounts.")
    ] = False,
    public_url: Annotated[
        str | None, typer.Option("--public-url", help="Base URL for invitation links.")
    ] = None,
) -> None:
    """Run the web app: learners, mentors, evidence, feedback, mastery, badges (and /api/v1)."""
    import uvicorn

    from skillpath.config import get_settings
    from skillpath.service import Service
    from skillpath.web import create_app

    store = get_store()
    if demo:
        from skillpath.cli._demo import ensure_catalog, ensure_taxonomy

        ensure_taxonomy()
        ensure_catalog()
    blob_dir = get_settings().home / "web-files"
    blob_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    svc = Service(store, blob_dir=blob_dir, public_url=public_url or f"http://{host}:{port}")
    with console.status("loading the taxonomy and catalogue..."):
        svc.warm(start_worker=False)
    svc.start_worker()  # forked after the status spinner's thread has stopped
    svc.resume_replans()
    if demo:
        for role, email, password in _demo_accounts(store):
            console.print(
                f"demo {role}: [bold]{email}[/]  password: [bold]{password}[/]", highlight=False
            )
    console.print(f"Skillpath web app on http://{host}:{port} (Ctrl+C to stop)")
    try:
        uvicorn.run(create_app(svc), host=host, port=port, log_level="warning")
    finally:
        svc.close()
