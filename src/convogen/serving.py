"""The embedded local model as an OpenAI-compatible HTTP server, for other processes to use.

Endpoints: ``GET /v1/models``, ``POST /v1/chat/completions`` (plain JSON, or server-sent events
with ``"stream": true``). Requests are handled on threads; the model serves one at a time.
"""

from __future__ import annotations

import json
import signal
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from convogen.errors import ConfigError, ModelClientError
from convogen.llm.local.client import LocalModelClient
from convogen.llm.protocol import ModelRequest, ModelResponse
from convogen.messages import Message

MAX_BODY_BYTES = 16 * 1024 * 1024
# Request fields that describe the HTTP exchange rather than the completion.
_TRANSPORT_KEYS = frozenset({"model", "messages", "stream", "stream_options", "user"})


def _message_out(message: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": "assistant", "content": message.get("content")}
    if message.get("tool_calls"):
        out["tool_calls"] = message["tool_calls"]
    return out


def _finish_reason(response: ModelResponse, index: int) -> str:
    if response.choices[index].get("tool_calls"):
        return "tool_calls"
    raws = response.raw if isinstance(response.raw, list) else []
    if index < len(raws):
        reason = raws[index]["choices"][0].get("finish_reason")
        if isinstance(reason, str):
            return reason
    return "stop"


def _usage_out(response: ModelResponse) -> dict[str, int]:
    usage = response.usage
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
    }


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: a request log line per completion is noise in a chat console."""

    def _send_json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_error(self, status: int, message: str, param: str | None = None) -> None:
        kind = "invalid_request_error" if status < 500 else "server_error"
        error = {"message": message, "type": kind, "param": param, "code": None}
        self._send_json(status, {"error": error})

    def do_GET(self) -> None:
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            model = {"id": self.server.client.model, "object": "model", "created": 0}
            self._send_json(200, {"object": "list", "data": [{**model, "owned_by": "convogen"}]})
        elif self.path.rstrip("/") == "/health":
            self._send_json(200, {"status": "ok"})
        else:
            self._send_error(404, f"no such endpoint: GET {self.path}")

    def do_POST(self) -> None:
        if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
            self._send_error(404, f"no such endpoint: POST {self.path}")
            return
        try:
            body = self._read_body()
            messages = body.get("messages")
            if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
                raise ConfigError("messages", messages, "must be a list of message objects")
            params = {k: v for k, v in body.items() if k not in _TRANSPORT_KEYS}
            request = ModelRequest(messages=messages, params=params)
            if body.get("stream"):
                include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
                self._stream(request, include_usage)
            else:
                response = self.server.client.create_sync(request)
                self._send_json(200, self._completion(response))
        except ConfigError as exc:
            self._send_error(400, str(exc), exc.field)
        except ModelClientError as exc:
            self._send_error(500, str(exc))

    def _read_body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_BODY_BYTES:
            raise ConfigError("Content-Length", length, f"must be 1..{MAX_BODY_BYTES} bytes")
        try:
            body = json.loads(self.rfile.read(length))
        except ValueError as exc:
            raise ConfigError("body", "<unparsable>", f"is not JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise ConfigError("body", body, "must be a JSON object")
        return body

    def _completion(self, response: ModelResponse) -> dict[str, Any]:
        choices = [
            {
                "index": i,
                "message": _message_out(message),
                "finish_reason": _finish_reason(response, i),
                "logprobs": None,
            }
            for i, message in enumerate(response.choices)
        ]
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": response.model,
            "choices": choices,
            "usage": _usage_out(response),
        }

    def _stream(self, request: ModelRequest, include_usage: bool) -> None:
        chunk_id = f"chatcmpl-{uuid.uuid4().hex}"
        created = int(time.time())
        base = {"id": chunk_id, "object": "chat.completion.chunk", "created": created}
        base["model"] = self.server.client.model

        def send(delta: dict[str, Any], finish: str | None = None, index: int = 0) -> None:
            choice = {"index": index, "delta": delta, "finish_reason": finish, "logprobs": None}
            self._event({**base, "choices": [choice]})

        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        send({"role": "assistant", "content": ""})
        streamed: list[str] = []

        def on_text(text: str) -> None:
            streamed.append(text)
            send({"content": text})

        params = {**request.params, "stream": True, "stream_output": on_text}
        try:
            response = self.server.client.create_sync(ModelRequest(request.messages, params))
        except (ConfigError, ModelClientError) as exc:
            self._event({"error": {"message": str(exc), "type": "server_error"}})
            self._done()
            return
        for index, message in enumerate(response.choices):
            if not streamed:
                # Shaped replies (tool calls, schemas, choices) are not streamed token by token.
                delta = _message_out(message)
                if "tool_calls" in delta:
                    delta["tool_calls"] = [
                        {**call, "index": n} for n, call in enumerate(delta["tool_calls"])
                    ]
                send(delta, index=index)
            send({}, _finish_reason(response, index), index)
        if include_usage:
            self._event({**base, "choices": [], "usage": _usage_out(response)})
        self._done()

    def _event(self, data: dict[str, Any]) -> None:
        self.wfile.write(b"data: " + json.dumps(data).encode("utf-8") + b"\n\n")
        self.wfile.flush()

    def _done(self) -> None:
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], client: LocalModelClient) -> None:
        self.client = client
        super().__init__(address, _Handler)


class ModelServer:
    """A running model server: its ``url`` (ending in /v1), ``port``, and ``close()``."""

    def __init__(self, client: LocalModelClient, host: str = "127.0.0.1", port: int = 0) -> None:
        if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
            raise ConfigError("port", port, "must be an int in 0..65535 (0: any free port)")
        self.client = client
        try:
            self._server = _Server((host, port), client)
        except OSError as exc:
            raise ConfigError("port", port, f"cannot listen on {host}:{port}: {exc}") from exc
        self.host = host
        self.port: int = self._server.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The OpenAI ``base_url`` of this server."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/v1"

    def start(self) -> ModelServer:
        """Serve on a background thread; returns self."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="convogen-model-server", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve on this thread until ``close()`` (from another thread) or KeyboardInterrupt."""
        self._server.serve_forever()

    def close(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> ModelServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_model_server(
    host: str = "127.0.0.1",
    port: int = 0,
    model_path: str | None = None,
    **entry: Any,
) -> ModelServer:
    """Load the model and serve it on a background thread (``port=0``: any free port)."""
    client = LocalModelClient({**entry, "model_path": model_path})
    _ = client.engine  # load now, so the first request is not the slow one
    return ModelServer(client, host, port).start()


def serve_model(
    host: str = "127.0.0.1",
    port: int = 0,
    model_path: str | None = None,
    *,
    n_ctx: int | None = None,
    n_threads: int | None = None,
    echo: Callable[[str], None] = print,
) -> None:
    """Serve the embedded (or ``model_path``) model until interrupted; the CLI's serve-model."""
    entry: dict[str, Any] = {"model_path": model_path}
    if n_ctx is not None:
        entry["n_ctx"] = n_ctx
    if n_threads is not None:
        entry["n_threads"] = n_threads
    client = LocalModelClient(entry)
    engine = client.engine
    server = ModelServer(client, host, port)
    echo(
        f"Serving {client.model} ({engine.settings.model_path.name}, loaded in "
        f"{engine.load_seconds:.2f}s) at {server.url} (OpenAI-compatible; Ctrl-C stops)"
    )
    previous = None
    if threading.current_thread() is threading.main_thread():
        # `kill` (SIGTERM) stops the server as cleanly as Ctrl-C does.
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        echo("Stopped.")
    finally:
        server.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
