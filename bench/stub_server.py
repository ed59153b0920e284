"""A minimal OpenAI-compatible stub server for the benchmarks, run in its own process.

It answers ``POST /v1/chat/completions`` with one fixed, pre-built completion ("ok", with
usage) and ``GET /v1/models`` with one model, over HTTP/1.1 keep-alive (pipelining included).
A raw ``asyncio.Protocol`` on uvloop when installed: no framework between the socket and the
pre-built bytes, so the server is never the bottleneck of a client-side measurement.

Run alone: ``python bench/stub_server.py [--port 0]``; it prints its base URL
(``http://127.0.0.1:PORT/v1``) on the first line of stdout and serves until stdin closes or
it is terminated. From Python: ``with StubServer() as url: ...``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import cast

COMPLETION = {
    "id": "chatcmpl-bench",
    "object": "chat.completion",
    "created": 1_700_000_000,
    "model": "bench",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "ok"},
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
}
MODELS = {"object": "list", "data": [{"id": "bench", "object": "model", "owned_by": "bench"}]}
MAX_HEADER = 64 * 1024


def http_response(status: str, body: bytes) -> bytes:
    """A complete HTTP/1.1 keep-alive response with a JSON ``body``."""
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: keep-alive\r\n\r\n"
    )
    return head.encode("ascii") + body


CHAT_REPLY = http_response("200 OK", json.dumps(COMPLETION).encode())
MODELS_REPLY = http_response("200 OK", json.dumps(MODELS).encode())


def error_reply(status: str, message: str) -> bytes:
    """An OpenAI-style error response (the client sees why, nothing is hidden)."""
    return http_response(status, json.dumps({"error": {"message": message}}).encode())


def route(request_line: bytes) -> bytes:
    """The pre-built response for a request line such as ``POST /v1/chat/completions HTTP/1.1``."""
    parts = request_line.split(b" ")
    if len(parts) != 3:
        return error_reply("400 Bad Request", f"malformed request line {request_line!r}")
    method, path = parts[0], parts[1].split(b"?", 1)[0]
    if method == b"POST" and path.endswith(b"/chat/completions"):
        return CHAT_REPLY
    if method == b"GET" and path.endswith(b"/models"):
        return MODELS_REPLY
    return error_reply("404 Not Found", f"the stub serves no {method!r} {path!r}")


def header_fields(head: bytes) -> tuple[bytes, int, bool]:
    """Request line, content length and whether the client asked to close, from a header block."""
    lines = head.split(b"\r\n")
    length, close = 0, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding":
            raise ValueError("chunked request bodies are not supported by the stub")
        elif name == b"connection" and value.strip().lower() == b"close":
            close = True
    return lines[0], length, close


class StubProtocol(asyncio.Protocol):
    """One keep-alive connection: parse each request's head, skip its body, send the reply."""

    def __init__(self) -> None:
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it.
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        replies: list[bytes] = []
        close = False
        while not close:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEADER:
                    replies.append(error_reply("431 Too Large", "request head too large"))
                    close = True
                break
            try:
                request_line, length, close = header_fields(self.buffer[:end])
            except ValueError as exc:
                replies.append(error_reply("400 Bad Request", str(exc)))
                close = True
                break
            if len(self.buffer) < end + 4 + length:
                break  # the body has not all arrived yet
            self.buffer = self.buffer[end + 4 + length :]
            replies.append(route(request_line))
        self._send(replies, close)

    def _send(self, replies: list[bytes], close: bool) -> None:
        if self.transport is None:
            return
        if replies:
            self.transport.write(b"".join(replies))
        if close:
            self.transport.close()


async def serve(port: int) -> None:
    """Serve on 127.0.0.1:``port`` (0: a free one), print the base URL, run until stopped."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(StubProtocol, "127.0.0.1", port, backlog=4096)
    bound = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{bound}/v1", flush=True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    # The parent closing our stdin (or dying) also stops the server: it is never left running.
    loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not sys.stdin.read(1) else None)
    async with server:
        await stop.wait()


def run(port: int) -> None:
    """Run the server on uvloop when it is installed, else on asyncio's default loop."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(serve(port))
    else:
        uvloop.run(serve(port))


class StubServer:
    """The stub server in a child process; ``with StubServer() as base_url`` starts and stops it."""

    def __init__(self, startup_timeout: float = 30.0) -> None:
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> str:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError(f"the stub server did not start (it printed {line!r})")
        self.base_url = line
        wait_ready(self.base_url, self.startup_timeout)
        return self.base_url

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the server process (closing its stdin, then terminating it if it lingers)."""
        if self.process is None:
            return
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


def host_port(base_url: str) -> tuple[str, int]:
    """``("127.0.0.1", PORT)`` from ``http://127.0.0.1:PORT/v1``."""
    netloc = base_url.split("//", 1)[1].split("/", 1)[0]
    host, _, port = netloc.partition(":")
    return host, int(port)


def wait_ready(base_url: str, timeout: float) -> None:
    """Return once ``GET /v1/models`` answers 200; raise ``RuntimeError`` after ``timeout``."""
    import http.client

    host, port = host_port(base_url)
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection = http.client.HTTPConnection(host, port, timeout=2)
            connection.request("GET", "/v1/models")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError as exc:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the stub server at {base_url} is not answering: {exc}"
                ) from exc
            time.sleep(0.05)


def chat_request(host: str, port: int, body: bytes) -> bytes:
    """The raw bytes of one keep-alive chat-completion request carrying ``body``."""
    head = (
        f"POST /v1/chat/completions HTTP/1.1\r\nhost: {host}:{port}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


def pipelined_capacity(base_url: str, seconds: float = 1.0, depth: int = 64) -> float:
    """Requests/s the server answers when ``depth`` requests at a time are pipelined to it.

    The client does almost nothing (the replies have a known length), so this is the server's
    own ceiling on one connection.
    """
    host, port = host_port(base_url)
    body = b'{"model":"bench","messages":[{"role":"user","content":"go"}]}'
    batch = chat_request(host, port, body) * depth
    expected = len(CHAT_REPLY) * depth
    done = 0
    with socket.create_connection((host, port)) as sock:
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            sock.sendall(batch)
            received = 0
            while received < expected:
                chunk = sock.recv(1 << 20)
                if not chunk:
                    raise RuntimeError("the stub server closed the connection")
                received += len(chunk)
            done += depth
        return done / (time.perf_counter() - start)


def http_client_rate(base_url: str, seconds: float = 1.0) -> float:
    """Requests/s of sequential keep-alive requests with the standard library's ``http.client``."""
    import http.client

    host, port = host_port(base_url)
    body = b'{"model":"bench","messages":[{"role":"user","content":"go"}]}'
    headers = {"content-type": "application/json"}
    connection = http.client.HTTPConnection(host, port)
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        connection.request("POST", "/v1/chat/completions", body=body, headers=headers)
        connection.getresponse().read()
        done += 1
    elapsed = time.perf_counter() - start
    connection.close()
    return done / elapsed


def main() -> None:
    """Serve, or with ``--measure`` start a server, print its capacity and stop it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 (default): a free port")
    parser.add_argument("--measure", action="store_true", help="print the server's capacity")
    args = parser.parse_args()
    if not args.measure:
        run(args.port)
        return
    with StubServer() as url:
        print(f"pipelined, one connection: {pipelined_capacity(url):,.0f} requests/s")
        print(f"http.client keep-alive, sequential: {http_client_rate(url):,.0f} requests/s")


if __name__ == "__main__":
    main()
