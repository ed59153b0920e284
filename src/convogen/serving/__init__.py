"""The embedded local model as an OpenAI-compatible HTTP server (FastAPI on uvicorn).

Endpoints: ``GET /v1/models``, ``GET /v1/models/{id}``, ``POST /v1/chat/completions`` (JSON, or
server-sent events with ``"stream": true``), OpenAPI docs at ``/docs``. Requests are accepted
concurrently and queued first come, first served onto the model, which generates one reply at
a time on a worker thread. Errors have OpenAI's shape (``{"error": {"message", "type", "param",
"code"}}``): 400 for invalid values and context overflow (``context_length_exceeded``), 404 for
an unknown model or path, 422 for a body that does not validate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from convogen.serving.launch import serve_model, start_model_server

if TYPE_CHECKING:
    from convogen.serving.server import ModelServer

__all__ = ["ModelServer", "serve_model", "start_model_server"]


def __getattr__(name: str) -> Any:
    # ModelServer needs FastAPI and uvicorn (the `studio` extra): imported only when asked for.
    if name == "ModelServer":
        from convogen.serving.server import ModelServer

        return ModelServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
