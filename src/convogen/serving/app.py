"""The FastAPI application: OpenAI-compatible chat completions and model list over one model."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Collection
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from convogen.serving.bodies import (
    DONE,
    ChunkWriter,
    completion_body,
    event,
    model_body,
    models_body,
)
from convogen.serving.openai_errors import APIError, api_error, not_found, validation_error
from convogen.serving.scheduler import ModelScheduler, StreamDone, StreamEvent, StreamFailed
from convogen.serving.schema import ChatCompletionRequest, ErrorBody

Endpoint = Callable[..., Awaitable[Any]]
MAX_BODY_BYTES = 16 * 1024 * 1024
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Invalid value, or context_length_exceeded."},
    404: {"model": ErrorBody, "description": "Unknown model (model_not_found)."},
    422: {"model": ErrorBody, "description": "The body does not validate."},
}


def create_app(scheduler: ModelScheduler, aliases: Collection[str] = ()) -> FastAPI:
    """An app serving ``scheduler``'s model at /v1 (and at /); ``aliases``: other names for it."""
    model = scheduler.model.model
    names = frozenset(name.casefold() for name in (model, *aliases))
    app = FastAPI(title="convogen model server", summary=f"OpenAI-compatible API for {model}")
    _install_error_handlers(app)
    app.add_middleware(_BodyLimit)

    async def list_models() -> dict[str, Any]:
        """The served model."""
        return models_body(model)

    async def get_model(model_id: str) -> dict[str, Any]:
        """One model by id; 404 when it is not the served one."""
        _check_model(model, names, model_id)
        return model_body(model)

    async def chat_completions(body: ChatCompletionRequest) -> Response:
        """A chat completion, as JSON or (``"stream": true``) server-sent events."""
        _check_model(model, names, body.model)
        request = body.to_model_request()
        if body.stream:
            events = scheduler.stream(request)
            return await _stream_response(model, events, body.include_usage)
        try:
            response = await scheduler.complete(request)
        except Exception as exc:
            raise api_error(exc, model) from exc
        return JSONResponse(completion_body(response))

    async def health() -> dict[str, Any]:
        """Liveness, and how many requests are queued or generating."""
        return {"status": "ok", "model": model, "requests": scheduler.waiting}

    _mount(app, list_models, get_model, chat_completions)
    app.get("/health")(health)
    return app


def _mount(app: FastAPI, models: Endpoint, model: Endpoint, chat: Endpoint) -> None:
    """Route /v1/... (documented) and the same paths without /v1 (clients that omit it)."""
    for prefix in ("/v1", ""):
        shown = prefix == "/v1"
        app.get(f"{prefix}/models", include_in_schema=shown)(models)
        not_found_doc: dict[int | str, dict[str, Any]] = {404: ERROR_RESPONSES[404]}
        route = app.get(
            f"{prefix}/models/{{model_id}}", include_in_schema=shown, responses=not_found_doc
        )
        route(model)
        route = app.post(
            f"{prefix}/chat/completions", include_in_schema=shown, responses=ERROR_RESPONSES
        )
        route(chat)


def _check_model(served: str, names: frozenset[str], asked: str | None) -> None:
    if asked is not None and asked.casefold() not in names:
        message = f"The model `{asked}` does not exist; this server serves `{served}`."
        raise not_found(message, "model", "model_not_found")


async def _stream_response(
    model: str, events: AsyncGenerator[StreamEvent, None], include_usage: bool
) -> Response:
    """Wait for the first event, so an error before any text is a plain HTTP error."""
    first = await anext(events)
    if isinstance(first, StreamFailed):
        await _close(events)
        raise api_error(first.error, model) from first.error
    return StreamingResponse(
        _sse(model, first, events, include_usage),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache"},
    )


async def _sse(
    model: str, first: StreamEvent, events: AsyncGenerator[StreamEvent, None], include_usage: bool
) -> AsyncIterator[bytes]:
    chunks = ChunkWriter(model)
    streamed = False
    current: StreamEvent | None = first
    try:
        yield chunks.delta({"role": "assistant", "content": ""})
        while current is not None:
            if isinstance(current, StreamDone):
                for chunk in chunks.ending(current.response, streamed, include_usage):
                    yield chunk
                return
            if isinstance(current, StreamFailed):
                yield _error_event(api_error(current.error, model))
                return
            streamed = True
            yield chunks.delta({"content": current.text})
            current = await anext(events, None)
    finally:
        await _close(events)


def _error_event(error: APIError) -> bytes:
    return event(error.body()) + DONE


async def _close(events: AsyncGenerator[StreamEvent, None]) -> None:
    await events.aclose()


class _BodyLimit:
    """Answers 413 to a declared body over ``MAX_BODY_BYTES`` before it is read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope["headers"]).get(b"content-length", b"0")
            if not length.isdigit() or int(length) > MAX_BODY_BYTES:
                error = APIError(413, f"request body is over {MAX_BODY_BYTES} bytes")
                await JSONResponse(error.body(), status_code=413)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _install_error_handlers(app: FastAPI) -> None:
    async def on_api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, APIError)
        return JSONResponse(exc.body(), status_code=exc.status)

    async def on_invalid_body(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        error = validation_error(list(exc.errors()))
        return JSONResponse(error.body(), status_code=422)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            error = not_found(f"no such endpoint: {request.method} {request.url.path}")
        else:
            error = APIError(exc.status_code, str(exc.detail), None, None)
        return JSONResponse(error.body(), status_code=error.status, headers=exc.headers)

    app.add_exception_handler(APIError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_invalid_body)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
