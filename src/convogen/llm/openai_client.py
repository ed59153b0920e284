"""``OpenAIClient``: the model-client protocol on the official ``openai`` SDK.

Works with OpenAI, Azure OpenAI (``api_type="azure"``) and any OpenAI-compatible ``base_url``
(Ollama, vLLM, llama.cpp server). The SDK's own retries are off: retries, failover, caching and
cost policy belong to the wrapper. SDK exceptions become ``convogen.llm.errors`` classes.
A plain request (not streamed, no per-call headers, query or timeout) to an OpenAI-compatible
endpoint with a plain key is sent by ``openai_direct`` with the SDK client's own headers; the
SDK's request machinery costs more than a request to a local server.

``openai`` is imported with this module (which ``convogen.llm`` loads only when a config entry
needs it), so its ~0.5 s import cost is paid when the client is built, never inside a request's
timeout.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import inspect
import json
import weakref
from collections.abc import AsyncGenerator
from functools import cache
from typing import Any, cast

import openai

from convogen.errors import ConfigError
from convogen.llm.errors import (
    BadResponseError,
    ModelAPIError,
    ModelConnectionError,
    ModelTimeoutError,
)
from convogen.llm.openai_direct import DirectPoster, status_error
from convogen.llm.pricing import completion_cost
from convogen.llm.protocol import ClientCapabilities, ModelRequest, ModelResponse, Usage
from convogen.llm.streaming import StreamAccumulator, StreamOutput, default_stream_output
from convogen.messages import Message

# Message fields the API understands; convogen-only fields (context, tool_responses) are dropped.
_API_MESSAGE_KEYS = ("role", "content", "name", "tool_calls", "tool_call_id", "function_call")
_PLAIN_MESSAGE_KEYS = frozenset(_API_MESSAGE_KEYS)
# Request params consumed here, never sent.
_LOCAL_PARAMS = frozenset(
    {"stream_output", "cache_seed", "cache", "filter_func", "context", "agent", "api_version"}
)


def to_api_messages(messages: list[Message]) -> list[dict[str, Any]]:
    """API messages: convogen-only keys dropped, ``tool_responses`` expanded to 'tool' messages."""
    out: list[dict[str, Any]] = []
    for message in messages:
        if message.keys() <= _PLAIN_MESSAGE_KEYS and "role" in message and "content" in message:
            # The common case (role, content, name): already an API message, copied as it is.
            out.append(dict(message))
            continue
        responses = message.get("tool_responses")
        if responses:
            out.extend(_tool_messages(responses))
            continue
        out.append(_api_message(message))
    return out


def _tool_messages(responses: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "role": "tool",
            "tool_call_id": response["tool_call_id"],
            "content": response.get("content", ""),
        }
        for response in responses
    ]


def _api_message(message: Message) -> dict[str, Any]:
    api = {k: message[k] for k in _API_MESSAGE_KEYS if k in message}  # type: ignore[literal-required]
    api.setdefault("role", "user")
    if "content" not in api:
        api["content"] = None
    return api


@cache
def _sdk_create_params() -> frozenset[str]:
    from openai.resources.chat.completions import AsyncCompletions

    return frozenset(inspect.signature(AsyncCompletions.create).parameters) - {"self"}


def _message_from_json(message: dict[str, Any]) -> Message:
    result: dict[str, Any] = {"role": "assistant", "content": message.get("content")}
    calls = message.get("tool_calls")
    if calls:
        result["tool_calls"] = [
            {
                "id": call["id"],
                "type": "function",
                "function": {
                    "name": call["function"]["name"],
                    "arguments": call["function"].get("arguments") or "",
                },
            }
            for call in calls
        ]
    function_call = message.get("function_call")
    if function_call:
        result["function_call"] = {
            "name": function_call["name"],
            "arguments": function_call.get("arguments") or "",
        }
    return cast(Message, result)


def _choice_message(choice: dict[str, Any]) -> Message:
    if "message" not in choice and "text" in choice:
        return {"role": "assistant", "content": choice["text"]}
    return _message_from_json(choice["message"])


def _prompt_text(messages: list[Message]) -> str:
    content = messages[-1].get("content") if messages else None
    return content if isinstance(content, str) else ""


def _aiohttp_cause(exc: BaseException) -> BaseException | None:
    cause = exc.__cause__
    while cause is not None and type(cause).__module__.split(".")[0] != "aiohttp":
        cause = cause.__cause__
    return cause


def _dropped_connection(exc: BaseException) -> bool:
    """Whether ``exc`` is an aiohttp connection failure the SDK's transport reported as a timeout.

    The aiohttp transport maps every ``ClientConnectionError`` (a reset, a server disconnect) to
    a connect timeout; only its timeout errors (``TimeoutError`` subclasses) are timeouts.
    """
    cause = _aiohttp_cause(exc)
    return cause is not None and not isinstance(cause, TimeoutError)


def map_sdk_error(exc: BaseException, model: str) -> ModelAPIError | None:
    """The convogen error for an SDK/transport exception, or None when it is not one."""
    if isinstance(exc, openai.APITimeoutError) and not _dropped_connection(exc):
        return ModelTimeoutError(str(exc), model=model)
    if isinstance(exc, openai.APIConnectionError):
        return ModelConnectionError(f"{exc} {exc.__cause__ or ''}".strip(), model=model)
    if isinstance(exc, openai.APIResponseValidationError):
        return BadResponseError(str(exc), model=model, status=exc.status_code, body=exc.body)
    if isinstance(exc, openai.APIStatusError):
        return status_error(
            exc.status_code, exc.message, exc.body, exc.code, exc.response.headers, model
        )
    if isinstance(exc, json.JSONDecodeError):
        return BadResponseError(f"malformed JSON in response: {exc}", model=model)
    if isinstance(exc, openai.APIError):
        return BadResponseError(str(exc), model=model)
    if type(exc).__module__.split(".")[0] in ("httpx", "httpx2", "httpcore") or isinstance(
        exc, OSError
    ):
        # Transport errors raised while a stream is being read are not wrapped by the SDK.
        return ModelConnectionError(f"{type(exc).__name__}: {exc}", model=model)
    return None


# SDK call options that are not part of the JSON body, and where ``post`` expects them.
_OPTION_KEYS = {"extra_headers": "headers", "extra_query": "params", "timeout": "timeout"}


def _body_and_options(kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON body of a request (``extra_body`` merged in) and its SDK call options."""
    body = dict(kwargs)
    options: dict[str, Any] = {}
    for key, option in _OPTION_KEYS.items():
        value = body.pop(key, None)
        if value is not None:
            options[option] = value
    body.update(body.pop("extra_body", None) or {})
    return body, options


async def _post_completion(
    client: Any, body: dict[str, Any], options: dict[str, Any], path: str
) -> Any:
    """POST a chat completion through the SDK's HTTP layer with the body as built.

    The body is plain JSON already, so the SDK's per-field type walk over the messages (several
    milliseconds per request in a long chat, which dominates many concurrent chats) is skipped;
    the SDK still does auth, Azure deployment routing, errors and response parsing.
    """
    # cast_to=object returns the decoded JSON: building the SDK's pydantic objects for every
    # reply costs about a fifth of a request's client-side time, and convogen reads plain JSON.
    return await client.post(path, body=body, cast_to=object, options=options)


MAX_CONNECTIONS = 100


@cache
def aiohttp_available() -> bool:
    """Whether the SDK's aiohttp transport can be used (``aiohttp`` importable, SDK has it)."""
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        return False
    # Older SDKs (before the aiohttp backend) lack the class: fall back to httpx there.
    return hasattr(openai, "DefaultAioHttpClient")


def _limits(max_connections: int) -> Any:
    """The SDK's connection limits with ``max_connections`` (all of them may be kept alive)."""
    return type(openai.DEFAULT_CONNECTION_LIMITS)(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )


def _http_client(max_connections: int, url_has_credentials: bool = False) -> Any:
    """The SDK's HTTP client with at most ``max_connections`` connections per endpoint.

    aiohttp is the transport when installed: its pool hands a connection over in constant time,
    where httpx's pool rescans every connection (probing each idle socket) on every hand-off, so
    a full pool of many connections costs more per request the more of them there are.
    aiohttp refuses a URL with credentials next to the SDK's Authorization header: such an
    endpoint (a proxy with basic auth in its URL) keeps httpx.
    """
    limits = _limits(max_connections)
    if aiohttp_available() and not url_has_credentials:
        try:
            return openai.DefaultAioHttpClient(limits=limits)
        except RuntimeError:  # the SDK was installed without its aiohttp support
            pass
    return openai.DefaultAsyncHttpxClient(limits=limits)


def _has_credentials(url: object) -> bool:
    """Whether ``url`` carries a user or password (``https://user:pw@host/...``)."""
    if not isinstance(url, str):
        return False
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.username is not None or parts.password is not None


async def _close_with_loop(client: Any, direct: DirectPoster | None) -> AsyncGenerator[None, None]:
    """An async generator that closes ``client`` (and ``direct``) when the loop finalises it.

    ``asyncio.run`` closes every live async generator of its loop before closing the loop, so a
    shared SDK client (and its connection pool) is closed cleanly, not garbage-collected open.
    """
    try:
        yield
    finally:
        try:
            if direct is not None:
                await direct.close()
        finally:
            await client.close()


class _LoopState:
    """The SDK client and the in-flight limit one endpoint uses on one event loop."""

    def __init__(self, client: Any, slots: asyncio.Semaphore, direct: DirectPoster | None) -> None:
        self.client = client
        self.slots = slots
        # Plain requests skip the SDK's request machinery when its headers can be sent as-is.
        self.direct = direct
        self.closer = _close_with_loop(client, direct)


# Per event loop: endpoint key -> the state every client of that endpoint shares on that loop.
_SHARED_STATE: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, _LoopState]] = (
    weakref.WeakKeyDictionary()
)


async def _close_states(states: list[_LoopState]) -> None:
    for state in states:
        await state.closer.aclose()


@atexit.register
def _close_idle_loops() -> None:
    """Close the pools of loops still open at exit (``run_sync``'s loops are never closed)."""
    for loop, shared in list(_SHARED_STATE.items()):
        if not loop.is_closed() and not loop.is_running():
            # Best effort at exit: a pool that fails to close politely is dropped anyway.
            with contextlib.suppress(RuntimeError, OSError):
                loop.run_until_complete(_close_states(list(shared.values())))


class OpenAIClient:
    """Chat completions through ``AsyncOpenAI`` / ``AsyncAzureOpenAI``."""

    # OpenAI-compatible servers enforce a ``json_schema`` response format (an enum of choices).
    capabilities = ClientCapabilities(json_schema_output=True)

    def __init__(self, entry: dict[str, Any] | None = None, **kwargs: Any) -> None:
        entry = {**(entry or {}), **kwargs}
        model = entry.get("model")
        if not isinstance(model, str) or not model:
            raise ConfigError("model", model, "must be a non-empty string")
        self.model = model
        self.api_type: str = entry.get("api_type", "openai")
        if self.api_type not in ("openai", "azure"):
            raise ConfigError("api_type", self.api_type, "OpenAIClient serves 'openai' or 'azure'")
        if self.api_type == "azure" and not entry.get("api_version"):
            raise ConfigError(
                "api_version", entry.get("api_version"), "required for api_type azure"
            )
        self.price: list[float] | None = entry.get("price")
        self.stream_output: StreamOutput | None = entry.get("stream_output")
        self._entry = entry
        # A connection pool belongs to the event loop that opened it, and run_sync may use several
        # loops (one per thread): keep one state (SDK client, in-flight limit) per loop.
        self._states: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopState] = (
            weakref.WeakKeyDictionary()
        )

    async def _loop_state(self) -> _LoopState:
        """This loop's SDK client and in-flight limit, looked up once per loop, not per call."""
        loop = asyncio.get_running_loop()
        state = self._states.get(loop)
        if state is None:
            state = await self._shared_state(loop)
            self._states[loop] = state
        return state

    async def _shared_state(self, loop: asyncio.AbstractEventLoop) -> _LoopState:
        # Clients with the same endpoint and credentials share one SDK client (one connection
        # pool) and one FIFO limit on requests in flight per event loop: a thousand agents need
        # not hold a thousand pools, and waiting happens in a cheap semaphore, not in the pool.
        shared = _SHARED_STATE.setdefault(loop, {})
        key = self._connection_key()
        state = shared.get(key)
        if state is None:
            connections = self._max_connections()
            client = self._build_sdk_client(connections)
            state = _LoopState(
                client, asyncio.Semaphore(connections), self._direct(client, connections)
            )
            shared[key] = state
            await anext(state.closer)
        return state

    def _direct(self, client: Any, connections: int) -> DirectPoster | None:
        """A direct aiohttp poster for plain OpenAI-compatible endpoints (not Azure, not httpx)."""
        if self.api_type != "openai" or not aiohttp_available():
            return None
        if _has_credentials(self._entry.get("base_url")):
            return None
        return DirectPoster.for_sdk_client(
            client, connections, _limits(connections).keepalive_expiry
        )

    def _max_connections(self) -> int:
        connections = self._entry.get("max_connections", MAX_CONNECTIONS)
        if isinstance(connections, bool) or not isinstance(connections, int) or connections < 1:
            raise ConfigError("max_connections", connections, "must be a positive integer")
        return connections

    def _connection_key(self) -> str:
        fields = (
            "api_type",
            "api_key",
            "organization",
            "default_headers",
            "timeout",
            "base_url",
            "api_version",
            "azure_endpoint",
            "azure_deployment",
        )
        return json.dumps({k: self._entry.get(k) for k in fields}, sort_keys=True, default=repr)

    def _build_sdk_client(self, connections: int) -> Any:
        entry = self._entry
        with_credentials = _has_credentials(entry.get("base_url") or entry.get("azure_endpoint"))
        common: dict[str, Any] = {
            "max_retries": 0,
            "http_client": _http_client(connections, with_credentials),
        }
        for key in ("api_key", "organization", "default_headers", "timeout"):
            if entry.get(key) is not None:
                common[key] = entry[key]
        try:
            if self.api_type == "azure":
                endpoint = entry.get("azure_endpoint")
                base_url = entry.get("base_url")
                if endpoint is None and base_url and "/openai" not in base_url:
                    # Classic configs put the Azure resource endpoint in base_url.
                    endpoint, base_url = base_url, None
                azure: dict[str, Any] = {"api_version": entry["api_version"]}
                if endpoint:
                    azure["azure_endpoint"] = endpoint
                    if entry.get("azure_deployment"):
                        azure["azure_deployment"] = entry["azure_deployment"]
                elif base_url:
                    azure["base_url"] = base_url
                return openai.AsyncAzureOpenAI(**azure, **common)
            if entry.get("base_url"):
                common["base_url"] = entry["base_url"]
                # Local servers (Ollama, vLLM) need no key, but the SDK insists on one.
                common.setdefault("api_key", "not-needed")
            return openai.AsyncOpenAI(**common)
        except (openai.OpenAIError, ValueError) as exc:
            raise ConfigError(
                f"config for model {self.model!r}", _redacted(entry), str(exc)
            ) from exc

    def _request_kwargs(self, request: ModelRequest) -> tuple[dict[str, Any], StreamOutput | None]:
        params = dict(request.params)
        output = params.pop("stream_output", None) or self.stream_output
        prompt = params.pop("prompt", None)
        known = _sdk_create_params()
        kwargs: dict[str, Any] = {}
        extra: dict[str, Any] = dict(params.pop("extra_body", None) or {})
        for key, value in params.items():
            if key in _LOCAL_PARAMS or value is None:
                continue
            if key in known:
                kwargs[key] = value
            else:
                # Server-specific options (vLLM's top_k, Ollama's options) travel in the body.
                extra[key] = value
        if extra:
            kwargs["extra_body"] = extra
        kwargs.setdefault("model", self.model)
        if prompt is None:
            kwargs["messages"] = to_api_messages(request.messages)
        else:
            # A classic ``prompt=`` request: the legacy completions endpoint gets the filled text.
            kwargs["prompt"] = _prompt_text(request.messages)
        if kwargs.get("stream"):
            kwargs.setdefault("stream_options", {"include_usage": True})
        return kwargs, output

    async def create(self, request: ModelRequest) -> ModelResponse:
        """Send one chat-completion request; raise a ``ModelAPIError`` subclass on failure."""
        kwargs, output = self._request_kwargs(request)
        try:
            state = await self._loop_state()
            # Wait here (a cheap FIFO) rather than in the HTTP pool, whose queue handling costs
            # time proportional to the number of waiting requests on every hand-off.
            async with state.slots:
                if kwargs.get("stream"):
                    return await self._create_streaming(state.client, kwargs, output)
                completion = await self._post(state, kwargs)
            return self._response_from_json(completion)
        except (ConfigError, ModelAPIError):
            raise
        except Exception as exc:
            mapped = map_sdk_error(exc, self.model)
            if mapped is None:
                raise
            raise mapped from exc

    async def _post(self, state: _LoopState, kwargs: dict[str, Any]) -> Any:
        """The decoded JSON reply: sent directly when it can be, else through the SDK."""
        path = "/completions" if "prompt" in kwargs else "/chat/completions"
        body, options = _body_and_options(kwargs)
        if state.direct is not None and not options:
            return await state.direct.post(path, body, self.model)
        return await _post_completion(state.client, body, options, path)

    def _cost(self, model: str, usage: Usage | None) -> float | None:
        if usage is None:
            return None
        return completion_cost(model, usage.prompt_tokens, usage.completion_tokens, self.price)

    def _response_from_json(self, data: Any) -> ModelResponse:
        """A ``ModelResponse`` from a chat-completion JSON object (``raw`` keeps the JSON)."""
        if not isinstance(data, dict):
            raise BadResponseError(
                f"response is not a JSON object: {str(data)[:200]}", model=self.model
            )
        choices = data.get("choices")
        if not isinstance(choices, list) or not choices:
            raise BadResponseError(f"response has no choices: {str(data)[:200]}", model=self.model)
        try:
            ordered = sorted(choices, key=lambda c: c.get("index") or 0)
            messages = [_choice_message(choice) for choice in ordered]
            raw_usage = data.get("usage")
            usage = (
                Usage(
                    int(raw_usage.get("prompt_tokens") or 0),
                    int(raw_usage.get("completion_tokens") or 0),
                )
                if isinstance(raw_usage, dict)
                else None
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise BadResponseError(
                f"malformed chat completion ({type(exc).__name__}: {exc}): {str(data)[:200]}",
                model=self.model,
            ) from exc
        model = str(data.get("model") or self.model)
        return ModelResponse(
            choices=messages,
            model=model,
            usage=usage or Usage(),
            cost=self._cost(model, usage),
            raw=data,
        )

    async def _create_streaming(
        self, client: Any, kwargs: dict[str, Any], output: StreamOutput | None
    ) -> ModelResponse:
        write = output or default_stream_output
        accumulator = StreamAccumulator()
        stream = await client.chat.completions.create(**kwargs)
        async for chunk in stream:
            text = accumulator.add(chunk)
            if text:
                write(text)
        if accumulator.printed:
            write("\n")
        model = accumulator.model or self.model
        usage = accumulator.usage
        return ModelResponse(
            choices=accumulator.messages(),
            model=model,
            usage=usage or Usage(),
            cost=self._cost(model, usage),
            raw=None,
        )


def _redacted(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: ("***" if "key" in k or "token" in k else v) for k, v in entry.items()}


__all__ = ["OpenAIClient", "map_sdk_error", "to_api_messages"]
