"""A plain chat completion POSTed straight through aiohttp, with the SDK client's headers.

For a non-streaming request with no per-call options to an OpenAI-compatible endpoint with a
plain API key, the SDK's request machinery (per-call option models copied twice, an httpx
request built and then translated into an aiohttp one, an idempotency key, headers merged and
validated anew) costs more than the request itself on a local server. ``DirectPoster`` takes
the URL, headers and timeouts from the SDK client once and sends such a request with one
aiohttp call; everything else (streaming, Azure, key providers, per-call options) keeps the
SDK. Responses and failures are mapped to the same convogen errors as the SDK's.
"""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING, Any

from convogen.llm.errors import (
    AuthenticationError,
    BadRequestError,
    BadResponseError,
    ContentFilterError,
    ModelAPIError,
    ModelConnectionError,
    ModelTimeoutError,
    RateLimitError,
    ServerError,
    parse_retry_after,
)

if TYPE_CHECKING:
    import ssl

    import aiohttp


def status_error(
    status: int, message: str, body: object, code: object, headers: Any, model: str
) -> ModelAPIError:
    """The convogen error for an HTTP error ``status`` (``headers``: a case-insensitive map)."""
    if status == 429:
        retry_after = parse_retry_after(headers.get("retry-after"))
        if retry_after is None and headers.get("retry-after-ms"):
            ms = parse_retry_after(headers.get("retry-after-ms"))
            retry_after = ms / 1000 if ms is not None else None
        return RateLimitError(message, retry_after=retry_after, model=model, body=body)
    if status >= 500 or status in (408, 409):
        return ServerError(message, model=model, status=status, body=body)
    if status in (401, 403):
        return AuthenticationError(message, model=model, status=status, body=body)
    if code == "content_filter":
        return ContentFilterError(message, model=model, status=status, body=body)
    return BadRequestError(message, model=model, status=status, body=body)


def _error_from_body(status: int, text: str, headers: Any, model: str) -> ModelAPIError:
    """The error for a failed response, worded as the SDK words it ("Error code: 400 - ...")."""
    message = f"Error code: {status}"
    body: object = text.strip()
    with contextlib.suppress(ValueError):
        body = json.loads(text)
    detail = body.get("error", body) if isinstance(body, dict) else body
    if isinstance(detail, dict):
        text_message = detail.get("message")
        if isinstance(text_message, str) and text_message:
            message += f" - {text_message}"
        code = detail.get("code")
    else:
        code = None
    return status_error(
        status, message, detail, None if code is None else str(code), headers, model
    )


def _client_timeout(timeout: Any) -> aiohttp.ClientTimeout:
    """The SDK client's timeout as the SDK's aiohttp transport applies it to each request."""
    import aiohttp

    if timeout is None:
        return aiohttp.ClientTimeout()
    if isinstance(timeout, (int, float)):
        return aiohttp.ClientTimeout(sock_connect=timeout, sock_read=timeout, connect=timeout)
    return aiohttp.ClientTimeout(
        sock_connect=timeout.connect, sock_read=timeout.read, connect=timeout.pool
    )


def _read_timeout(timeout: Any) -> float | None:
    if timeout is None or isinstance(timeout, (int, float)):
        return timeout
    read: float | None = timeout.read
    return read


def sdk_headers(client: Any) -> dict[str, str] | None:
    """The headers the SDK sends on a first attempt, or None when it must add auth per call."""
    auth = dict(client.auth_headers)
    if client.custom_auth is not None or "Authorization" not in auth:
        return None
    headers = {k: v for k, v in {**auth, **client.default_headers}.items() if isinstance(v, str)}
    headers["x-stainless-retry-count"] = "0"
    read = _read_timeout(client.timeout)
    if read is not None:
        headers["x-stainless-read-timeout"] = str(read)
    return headers


def behind_env_proxy(url: str) -> bool:
    """Whether a proxy of the environment (``HTTPS_PROXY``, ... less ``NO_PROXY``) gets ``url``."""
    from urllib.parse import urlsplit
    from urllib.request import getproxies, proxy_bypass

    parts = urlsplit(url)
    proxies = getproxies()
    if not (proxies.get(parts.scheme) or proxies.get("all")):
        return False
    return not proxy_bypass(parts.hostname or "")


class DirectPoster:
    """POSTs plain JSON bodies to one endpoint over its own aiohttp session (one pool).

    ``aiohttp`` is imported when a poster is built, never with this module: without it the SDK
    sends every request over httpx.
    """

    def __init__(
        self,
        base_url: str,
        headers: dict[str, str],
        timeout: Any,
        limit: int,
        keepalive: float | None,
    ) -> None:
        import aiohttp

        self._aiohttp = aiohttp
        self.base_url = base_url.rstrip("/")
        self.headers = headers
        self.timeout = _client_timeout(timeout)
        self.limit = limit
        self.keepalive = keepalive
        self._session: aiohttp.ClientSession | None = None

    @classmethod
    def for_sdk_client(
        cls, client: Any, limit: int, keepalive: float | None
    ) -> DirectPoster | None:
        """A poster sending what ``client`` would send, or None when the SDK must send it."""
        base_url = str(client.base_url)
        if getattr(client, "workload_identity", None) is not None or "?" in base_url:
            return None
        if behind_env_proxy(base_url):
            return None
        headers = sdk_headers(client)
        if headers is None:
            return None
        return cls(base_url, headers, client.timeout, limit, keepalive)

    def _session_now(self) -> aiohttp.ClientSession:
        # Created on first use, inside the running loop that owns it.
        if self._session is None:
            # The SDK transport's pool settings: its limit and idle keep-alive time (None: no
            # expiry, as the SDK passes it).
            connector = self._aiohttp.TCPConnector(
                limit=self.limit, keepalive_timeout=self.keepalive, ssl=self._ssl()
            )
            # No trust_env: it costs two thread hops per request (proxy and .netrc lookups). An
            # endpoint reached through an environment proxy is sent by the SDK instead
            # (``for_sdk_client``); .netrc never applies, the SDK always sends Authorization.
            self._session = self._aiohttp.ClientSession(connector=connector)
        return self._session

    def _ssl(self) -> ssl.SSLContext | bool:
        """The certificates the SDK transport trusts (its HTTP library's default context)."""
        if not self.base_url.startswith("https:"):
            return True  # unused without TLS; loading a CA bundle costs tens of milliseconds
        import httpx2

        return httpx2.create_ssl_context()

    async def post(self, path: str, body: dict[str, Any], model: str) -> Any:
        """POST ``body`` as JSON to ``path``; the decoded JSON reply, or a ``ModelAPIError``."""
        # Compact, as the SDK encodes it: the same bytes on the wire either way.
        data = json.dumps(body, separators=(",", ":")).encode()
        try:
            async with self._session_now().post(
                self.base_url + path, data=data, headers=self.headers, timeout=self.timeout
            ) as response:
                text = await response.text()
                status, headers = response.status, response.headers
        except TimeoutError as exc:
            raise ModelTimeoutError("Request timed out.", model=model) from exc
        except self._aiohttp.ClientError as exc:
            raise ModelConnectionError(f"Connection error. {exc}".strip(), model=model) from exc
        if status >= 400:
            raise _error_from_body(status, text, headers, model)
        try:
            return json.loads(text)
        except ValueError as exc:
            raise BadResponseError(f"malformed JSON in response: {exc}", model=model) from exc

    async def close(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None


__all__ = ["DirectPoster", "behind_env_proxy", "sdk_headers", "status_error"]
