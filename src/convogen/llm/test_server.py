"""A local OpenAI-compatible chat-completions server for tests, with scripted replies and faults.

::

    with OpenAICompatibleTestServer(replies=["hi"], faults=[Fault.rate_limit(2)]) as server:
        config = {"model": "gpt-4o", "base_url": server.base_url, "api_key": "test"}

Request ``i`` (0-based) gets ``faults[i]`` when that is not None; otherwise the next scripted
reply. Faulted requests do not consume replies, so a retried request gets the reply meant for it.
Only 127.0.0.1 is bound; stdlib only.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal

ServerReply = str | Mapping[str, Any]
ReplyFunction = Callable[[dict[str, Any]], ServerReply]

FaultKind = Literal["status", "slow", "malformed", "reset"]


@dataclass(frozen=True)
class Fault:
    """A failure injected into one request."""

    kind: FaultKind
    status: int = 500
    retry_after: float | None = None
    delay: float = 0.0
    body: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def rate_limit(cls, retry_after: float | None = 1.0) -> Fault:
        """HTTP 429, with a ``Retry-After`` header unless ``retry_after`` is None."""
        return cls("status", status=429, retry_after=retry_after)

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        """HTTP 5xx with an OpenAI-style error body."""
        return cls("status", status=status)

    @classmethod
    def bad_request(cls, status: int = 400, code: str | None = None) -> Fault:
        """HTTP 4xx; ``code`` goes into the error body (e.g. 'content_filter')."""
        body = json.dumps({"error": {"message": "bad request", "type": "invalid", "code": code}})
        return cls("status", status=status, body=body)

    @classmethod
    def slow(cls, delay: float) -> Fault:
        """Answer "slow reply" after ``delay`` s; a delay past the client timeout times out."""
        return cls("slow", delay=delay)

    @classmethod
    def malformed(cls, body: str = '{"choices": [') -> Fault:
        """HTTP 200 with a body that is not valid JSON."""
        return cls("malformed", body=body)

    @classmethod
    def reset(cls) -> Fault:
        """Drop the connection (TCP reset) without answering."""
        return cls("reset")


def _words(text: str) -> int:
    return len(text.split())


def _message_text(message: Mapping[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def _choices_of(reply: ServerReply) -> list[dict[str, Any]]:
    if isinstance(reply, str):
        return [{"role": "assistant", "content": reply}]
    if "choices" in reply:
        return [_choices_of(c)[0] for c in reply["choices"]]
    message = {"role": "assistant", "content": None, **dict(reply)}
    message.pop("usage", None)
    return [message]


class _QuietHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Slow-fault handlers may still be sleeping at shutdown; don't wait for them.
    block_on_close = False
    # Many concurrent clients (benchmarks) connect at once; the default backlog of 5 drops them.
    request_queue_size = 1024

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out or hang up are expected here; don't print tracebacks."""


class OpenAICompatibleTestServer:
    """Serves ``POST .../chat/completions`` (JSON and SSE) and the legacy ``.../completions``."""

    def __init__(
        self,
        replies: Sequence[ServerReply] | ReplyFunction = (),
        faults: Sequence[Fault | None] | Mapping[int, Fault] = (),
        *,
        response_model: str | None = None,
    ) -> None:
        self.replies = replies
        self.faults: dict[int, Fault] = (
            dict(faults)
            if isinstance(faults, Mapping)
            else {i: f for i, f in enumerate(faults) if f is not None}
        )
        self.response_model = response_model
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self.headers: list[dict[str, str]] = []
        self._served = 0
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def request_count(self) -> int:
        """Requests received so far, faulted ones included."""
        return len(self.requests)

    @property
    def base_url(self) -> str:
        """The OpenAI-style base URL, ending in /v1."""
        if self._httpd is None:
            raise RuntimeError("the test server is not started; use it as a context manager")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> OpenAICompatibleTestServer:
        """Bind a free port and serve in a daemon thread."""
        handler = type("_BoundHandler", (_Handler,), {"owner": self})
        httpd = _QuietHTTPServer(("127.0.0.1", 0), handler)
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._closing.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> OpenAICompatibleTestServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _admit(self, body: dict[str, Any], path: str, headers: dict[str, str]) -> Fault | None:
        with self._lock:
            index = len(self.requests)
            self.requests.append(body)
            self.paths.append(path)
            self.headers.append(headers)
            return self.faults.get(index)

    def _next_reply(self, body: dict[str, Any]) -> ServerReply | None:
        if callable(self.replies):
            return self.replies(body)
        with self._lock:
            if self._served >= len(self.replies):
                return None
            reply = self.replies[self._served]
            self._served += 1
            return reply

    def completion(self, body: dict[str, Any], reply: ServerReply) -> dict[str, Any]:
        """The chat.completion JSON for ``reply`` to request ``body``."""
        choices = _choices_of(reply)
        prompt_tokens = sum(_words(_message_text(m)) for m in body.get("messages", []))
        if isinstance(body.get("prompt"), str):
            prompt_tokens = _words(body["prompt"])
        completion_tokens = sum(
            _words(_message_text(c))
            + _words(json.dumps(c["tool_calls"]) if c.get("tool_calls") else "")
            for c in choices
        )
        if isinstance(reply, Mapping) and isinstance(reply.get("usage"), Mapping):
            prompt_tokens = int(reply["usage"].get("prompt_tokens", prompt_tokens))
            completion_tokens = int(reply["usage"].get("completion_tokens", completion_tokens))
        finish = "tool_calls" if choices and choices[0].get("tool_calls") else "stop"
        return {
            "id": f"chatcmpl-test-{self.request_count}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.response_model or body.get("model", "test-model"),
            "choices": [
                {"index": i, "message": c, "finish_reason": finish, "logprobs": None}
                for i, c in enumerate(choices)
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }


def _as_text_completion(completion: dict[str, Any]) -> dict[str, Any]:
    """The legacy ``/v1/completions`` shape: choices carry ``text`` instead of a message."""
    choices = [
        {"index": c["index"], "text": c["message"].get("content") or "", "finish_reason": "stop"}
        for c in completion["choices"]
    ]
    return {**completion, "object": "text_completion", "choices": choices}


def _stream_chunks(completion: dict[str, Any], include_usage: bool) -> list[dict[str, Any]]:
    """Split a completion into SSE chunks: content word by word, tool-call args in two parts."""
    base = {k: completion[k] for k in ("id", "created", "model")}
    base["object"] = "chat.completion.chunk"
    chunks: list[dict[str, Any]] = []

    def delta(index: int, **fields: Any) -> dict[str, Any]:
        return {**base, "choices": [{"index": index, "delta": fields, "finish_reason": None}]}

    for choice in completion["choices"]:
        index, message = choice["index"], choice["message"]
        chunks.append(delta(index, role="assistant", content=""))
        content = message.get("content") or ""
        pieces = content.split(" ")
        for n, piece in enumerate(pieces):
            if piece or n:
                chunks.append(delta(index, content=piece if n == 0 else " " + piece))
        for t, call in enumerate(message.get("tool_calls") or []):
            function = call["function"]
            args = function.get("arguments", "")
            head = {"index": t, "id": call["id"], "type": "function"}
            head["function"] = {"name": function["name"], "arguments": args[: len(args) // 2]}
            chunks.append(delta(index, tool_calls=[head]))
            rest = {"index": t, "function": {"arguments": args[len(args) // 2 :]}}
            chunks.append(delta(index, tool_calls=[rest]))
        last = delta(index)
        last["choices"][0]["finish_reason"] = choice["finish_reason"]
        chunks.append(last)
    if include_usage:
        chunks.append({**base, "choices": [], "usage": completion["usage"]})
    return chunks


class _Handler(BaseHTTPRequestHandler):
    owner: OpenAICompatibleTestServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, a keep-alive client's
    # delayed ACK would stall every response by ~40 ms.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""

    def _send_json(
        self, status: int, payload: object, headers: Mapping[str, str] | None = None
    ) -> None:
        data = json.dumps(payload).encode() if not isinstance(payload, bytes) else payload
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        kind = "rate_limit_exceeded" if status == 429 else "server_error"
        self._send_json(
            status, {"error": {"message": message, "type": kind, "code": None}}, headers
        )

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self._error(400, "request body is not JSON")
            return
        route = self.path.split("?", 1)[0]
        legacy = route.endswith("/completions") and not route.endswith("/chat/completions")
        if not route.endswith("/chat/completions") and not legacy:
            self._error(404, f"no route {self.path}")
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        fault = self.owner._admit(body, self.path, headers)
        if fault is not None and self._apply(fault, body):
            return
        reply = self.owner._next_reply(body)
        if reply is None:
            self._error(500, "test server script exhausted")
            return
        completion = self.owner.completion(body, reply)
        self._respond(body, _as_text_completion(completion) if legacy else completion)

    def _apply(self, fault: Fault, body: dict[str, Any]) -> bool:
        """Carry out ``fault``; True when the request is fully handled."""
        if fault.kind == "status":
            headers = dict(fault.headers)
            if fault.retry_after is not None:
                headers["Retry-After"] = f"{fault.retry_after:g}"
            if fault.body is not None:
                self._send_json(fault.status, fault.body.encode(), headers)
            else:
                self._error(fault.status, f"injected HTTP {fault.status}", headers)
        elif fault.kind == "malformed":
            self._send_json(200, (fault.body or "").encode())
        elif fault.kind == "reset":
            # SO_LINGER 0 makes close() send a TCP RST instead of an orderly FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif fault.kind == "slow":
            if self.owner._closing.wait(fault.delay):
                return True
            self._respond(body, self.owner.completion(body, "slow reply"))
        return True

    def _respond(self, body: dict[str, Any], completion: dict[str, Any]) -> None:
        if not body.get("stream"):
            self._send_json(200, completion)
            return
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        for chunk in _stream_chunks(completion, include_usage):
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


__all__ = ["Fault", "OpenAICompatibleTestServer"]
