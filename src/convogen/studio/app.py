"""The studio web app: a FastAPI server with the REST API, run streams and the page."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request, WebSocket, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from convogen.errors import ConfigError
from convogen.state.logging import active_logger, start_logging, stop_logging
from convogen.studio.api import build_router
from convogen.studio.api_library import build_library_router
from convogen.studio.auth import TokenAuth, build_auth_router
from convogen.studio.events import EventHub
from convogen.studio.gallery import add_gallery
from convogen.studio.library import ConflictError, NotFoundError, SpecLibrary
from convogen.studio.runs import RunManager
from convogen.studio.security import NoCredentialsInUrls, SameOriginOnly, SecurityHeaders

STATIC_DIR = Path(__file__).parent / "static"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for err in exc.errors():
        location = [str(p) for p in err.get("loc", ()) if p != "body"]
        errors.append({"field": ".".join(location) or "body", "message": err.get("msg", "")})
    return errors


def create_app(
    data_dir: Path,
    token: str | None = None,
    allowed_hosts: Iterable[str] = LOOPBACK_NAMES,
    gallery: bool = True,
) -> FastAPI:
    """The studio app keeping its specs, runs, logs and files in ``data_dir``.

    Only pages of the studio's own origin are answered; without a token only requests
    addressed to ``allowed_hosts`` too. ``gallery`` adds the ready offline teams on first start.
    """
    data_dir = Path(data_dir).expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    if token is not None and not token.strip():
        raise ConfigError("token", token, "must not be empty (omit it for no token)")
    hub = EventHub(lambda run_id: data_dir / "runs" / run_id / "events.jsonl")
    library = SpecLibrary(data_dir)
    if gallery:
        add_gallery(library, data_dir)
    runs = RunManager(data_dir, library, hub)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owns_log = active_logger() is None
        if owns_log:
            start_logging(data_dir / "logs.db")
        try:
            yield
        finally:
            await runs.shutdown()
            if owns_log:
                stop_logging()

    auth = TokenAuth(token)
    app = FastAPI(title="convogen studio", lifespan=lifespan)
    # Added last runs first: URLs are cleaned before anything else sees (or logs) them.
    app.add_middleware(SameOriginOnly, allowed_hosts=None if token else allowed_hosts)
    app.add_middleware(NoCredentialsInUrls)
    app.add_middleware(SecurityHeaders)
    app.state.library = library
    app.state.runs = runs
    app.state.hub = hub
    app.include_router(build_auth_router(auth))
    app.include_router(build_library_router(), dependencies=[Depends(auth.require)])
    app.include_router(build_router(), dependencies=[Depends(auth.require)])
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        # Code only, no data: it signs in (when there is a token) before it asks the API.
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-store"})

    @app.websocket("/api/runs/{run_id}/stream")
    async def stream(websocket: WebSocket, run_id: str) -> None:
        if not auth.authorised(websocket.headers, websocket.cookies):
            await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason="token required")
            return
        try:
            runs.record(run_id)
        except (NotFoundError, ConfigError):
            await websocket.close(code=4404, reason=f"no run with run_id={run_id!r}")
            return
        await websocket.accept()
        history, queue = hub.subscribe(run_id)

        async def pump() -> None:
            for event in history:
                await websocket.send_text(json.dumps(event, default=str))
            while True:
                await websocket.send_text(json.dumps(await queue.get(), default=str))

        sender = asyncio.get_running_loop().create_task(pump())
        try:
            # The client sends nothing; receiving is how a closed page is noticed.
            while (await websocket.receive())["type"] != "websocket.disconnect":
                pass
        finally:
            sender.cancel()
            hub.unsubscribe(run_id, queue)

    def error(code: int, message: str, **extra: Any) -> JSONResponse:
        return JSONResponse({"detail": message, **extra}, status_code=code)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> JSONResponse:
        return error(404, str(exc))

    @app.exception_handler(ConflictError)
    async def conflict(request: Request, exc: ConflictError) -> JSONResponse:
        return error(409, str(exc))

    @app.exception_handler(ConfigError)
    async def config_error(request: Request, exc: ConfigError) -> JSONResponse:
        return error(400, str(exc), field=exc.field)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _field_errors(exc)
        message = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return error(422, message, errors=errors)

    return app


def serve(
    host: str = "127.0.0.1",
    port: int = 8081,
    data_dir: Path = Path("studio-data"),
    token: str | None = None,
) -> None:
    """Run the studio with uvicorn; a non-loopback ``host`` requires a ``token``."""
    import uvicorn

    if not is_loopback(host) and not token:
        raise ConfigError(
            "token",
            token,
            f"binding to the non-loopback host {host!r} exposes the studio to the network; "
            "give a token (--token) or use --host 127.0.0.1",
        )
    app = create_app(data_dir, token)
    if token:
        print(f"convogen studio: open http://{host}:{port}/ and sign in with the token")
    uvicorn.run(app, host=host, port=port, log_level="info", ws="websockets-sansio")
