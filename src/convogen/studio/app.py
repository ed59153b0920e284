"""The studio web app: a FastAPI server with the REST API, run streams and the page."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import secrets
from collections.abc import AsyncIterator, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, HTTPException, Request, WebSocket, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocketClose

from convogen.errors import ConfigError
from convogen.interception import add_sink
from convogen.state.logging import active_logger, start_logging, stop_logging
from convogen.studio.api import build_router
from convogen.studio.events import EventHub, StudioSink
from convogen.studio.library import ConflictError, NotFoundError, SpecLibrary
from convogen.studio.runs import RunManager

STATIC_DIR = Path(__file__).parent / "static"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
_SINK = StudioSink()


class LocalOnly:
    """Without a token: refuse requests for other host names and from other sites' pages.

    A page on another site can make the browser call a loopback server (directly, or by
    DNS rebinding a name of its own to 127.0.0.1); the Host and Origin headers give it away.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        self.allowed = {h.strip("[]").lower() for h in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and not self._local(Headers(scope=scope)):
            if scope["type"] == "websocket":
                await WebSocketClose(code=status.WS_1008_POLICY_VIOLATION)(scope, receive, send)
                return
            message = "the studio answers only local pages (Host/Origin not allowed)"
            await PlainTextResponse(message, status_code=403)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _local(self, headers: Headers) -> bool:
        host = urlsplit("//" + headers.get("host", "")).hostname or ""
        origin = headers.get("origin")
        origin_host = None if origin is None else urlsplit(origin).hostname
        return host in self.allowed and (origin is None or origin_host in self.allowed)


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _presented_token(headers: Mapping[str, str], query: Mapping[str, str]) -> str | None:
    header = headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[len("bearer ") :].strip()
    return query.get("token")


def _authorised(expected: str | None, headers: Mapping[str, str], query: Mapping[str, str]) -> bool:
    if expected is None:
        return True
    given = _presented_token(headers, query)
    # compare_digest: the time taken must not reveal how much of the token was right.
    return given is not None and secrets.compare_digest(given.encode(), expected.encode())


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for err in exc.errors():
        location = [str(p) for p in err.get("loc", ()) if p != "body"]
        errors.append({"field": ".".join(location) or "body", "message": err.get("msg", "")})
    return errors


def create_app(
    data_dir: Path, token: str | None = None, allowed_hosts: Iterable[str] = LOOPBACK_NAMES
) -> FastAPI:
    """The studio app keeping its specs, runs, logs and files in ``data_dir``.

    Without a token only requests to (and pages from) ``allowed_hosts`` are answered.
    """
    data_dir = Path(data_dir).expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    if token is not None and not token.strip():
        raise ConfigError("token", token, "must not be empty (omit it for no token)")
    hub = EventHub(lambda run_id: data_dir / "runs" / run_id / "events.jsonl")
    library = SpecLibrary(data_dir)
    runs = RunManager(data_dir, library, hub)
    add_sink(_SINK)  # one shared sink; it routes each event to the run that emitted it

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

    def require_token(request: Request) -> None:
        if not _authorised(token, request.headers, request.query_params):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "missing or wrong token: send 'Authorization: Bearer <token>' or ?token=<token>",
                headers={"WWW-Authenticate": "Bearer"},
            )

    app = FastAPI(title="convogen studio", lifespan=lifespan)
    if token is None:
        app.add_middleware(LocalOnly, allowed_hosts=allowed_hosts)
    app.state.library = library
    app.state.runs = runs
    app.state.hub = hub
    app.include_router(build_router(), dependencies=[Depends(require_token)])
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False, dependencies=[Depends(require_token)])
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-store"})

    @app.websocket("/api/runs/{run_id}/stream")
    async def stream(websocket: WebSocket, run_id: str) -> None:
        if not _authorised(token, websocket.headers, websocket.query_params):
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
    uvicorn.run(app, host=host, port=port, log_level="info", ws="websockets-sansio")
