"""The studio's browser-facing defences: security headers, same-origin requests, clean URLs.

Each is a small ASGI middleware with one concern:

- `SecurityHeaders` puts a strict Content-Security-Policy (no inline script, no framing),
  ``nosniff`` and ``no-referrer`` on every response.
- `SameOriginOnly` answers only pages of the studio's own origin (scheme, host and port), and
  without a token only requests addressed to a loopback name (DNS rebinding sends another one).
- `NoCredentialsInUrls` refuses credentials in query strings and wipes them from the request
  before anything (uvicorn's access log included) records its URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocketClose

from convogen.redaction import REDACTED, is_secret_name

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
SECURITY_HEADERS = {
    "content-security-policy": PAGE_CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-resource-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}
_DEFAULT_PORTS = {"http": 80, "https": 443}
_HTTP_SCHEME = {"ws": "http", "wss": "https"}


async def refuse(scope: Scope, receive: Receive, send: Send, code: int, message: str) -> None:
    """Answer ``message`` with HTTP status ``code``, or close a WebSocket as a policy violation."""
    if scope["type"] == "websocket":
        await WebSocketClose(code=1008, reason=message[:120])(scope, receive, send)
        return
    await PlainTextResponse(message, status_code=code)(scope, receive, send)


class SecurityHeaders:
    """Adds the security headers to every HTTP response that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _origin(parts: SplitResult) -> tuple[str, str, int | None]:
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        return ("", "", None)
    return (scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme))


class SameOriginOnly:
    """Refuses requests from other origins' pages and, given ``allowed_hosts``, other Hosts."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] | None = None) -> None:
        self.app = app
        self.allowed = (
            None if allowed_hosts is None else {h.strip("[]").lower() for h in allowed_hosts}
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            problem = self.problem(scope, Headers(scope=scope))
            if problem is not None:
                await refuse(scope, receive, send, 403, problem)
                return
        await self.app(scope, receive, send)

    def problem(self, scope: Scope, headers: Headers) -> str | None:
        """Why the request is refused, or None."""
        scheme = _HTTP_SCHEME.get(scope["scheme"], scope["scheme"])
        own = _origin(urlsplit(f"{scheme}://{headers.get('host', '')}"))
        if self.allowed is not None and own[1] not in self.allowed:
            return "the studio answers only local pages (Host not allowed)"
        origin = headers.get("origin")
        if origin is not None and _origin(urlsplit(origin)) != own:
            return "the studio answers only its own pages (Origin is another origin)"
        site = headers.get("sec-fetch-site")
        if site in ("cross-site", "same-site") and headers.get("sec-fetch-mode") != "navigate":
            return "the studio answers only its own pages (Sec-Fetch-Site is another site)"
        return None


class NoCredentialsInUrls:
    """Refuses a credential in the query string (``?token=``), wiping it from the request first."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and _scrub_query(scope):
            message = (
                "credentials in the URL are refused (URLs are logged and shared): send "
                "'Authorization: Bearer <token>' or sign in on the page"
            )
            await refuse(scope, receive, send, 400, message)
            return
        await self.app(scope, receive, send)


def _scrub_query(scope: Scope) -> bool:
    """Mask credential query parameters in ``scope`` itself; whether there were any."""
    raw: bytes = scope.get("query_string", b"")
    if not raw:
        return False
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    if not any(is_secret_name(name) for name, _ in pairs):
        return False
    masked = [(name, REDACTED if is_secret_name(name) else value) for name, value in pairs]
    # The server logs the URL from this same scope when the response is sent.
    scope["query_string"] = urlencode(masked).encode("latin-1")
    return True
