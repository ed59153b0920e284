"""``OpenAIWrapper``: one entry point over a config list, adding what clients don't do themselves.

Around the client protocol it adds, in this order: prompt templates, caching (opt-in), failover
across the config list, retries with backoff, per-request timeouts, structured-output validation
and usage/cost accounting.

Failover and retry policy: a failed request moves to the next config at once; when every config
has failed with a transient error (see ``convogen.llm.errors``), the wrapper waits (exponential
backoff, at least the server's ``Retry-After``, capped by ``RetryPolicy.max_delay``) and tries the
still-eligible configs again, each at most ``1 + max_retries`` times.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from convogen._sync import run_sync
from convogen.errors import AllModelsFailedError, ConfigError, ModelClientError
from convogen.interception import Codec, active_interceptors, effect, emit, has_sinks
from convogen.llm.classic_response import ClassicResponse, unwrap
from convogen.llm.config import WRAPPER_KEYS, split_entry, validate_config_entry
from convogen.llm.context import check_fits, context_window_of
from convogen.llm.errors import ModelTimeoutError
from convogen.llm.factory import build_client
from convogen.llm.protocol import ModelClient, ModelRequest, ModelResponse
from convogen.llm.retry import RetryPolicy
from convogen.llm.templates import Template, instantiate, instantiate_messages
from convogen.llm.usage import UsageTracker, format_usage
from convogen.messages import Message

if TYPE_CHECKING:
    from pydantic import BaseModel

    from convogen.llm.cache import Cache
    from convogen.llm.classic_client import ModelClientNotRegisteredError
    from convogen.llm.structured import ParsedResponse

logger = logging.getLogger(__name__)
T = TypeVar("T", bound="BaseModel")
# filter_func(context=..., response=...) -> False rejects a reply and tries the next config.
FilterFunc = Callable[..., bool]


class _Slot:
    """One config entry: its client (built eagerly or registered later) and its request params."""

    def __init__(self, entry: dict[str, Any]) -> None:
        self.entry = entry
        client_keys, self.params = split_entry(entry)
        self.model: str = entry["model"]
        self.client: ModelClient | None = None
        self.pending_cls: str | None = entry.get("model_client_cls")
        # The overflow check (llm/context.py); the local client checks its own n_ctx exactly.
        local = entry.get("api_type") == "local"
        self.context_window = None if local else context_window_of(entry)
        if self.pending_cls is None:
            self.client = build_client(client_keys)


def _check_cache_seed(value: object) -> int | str | None:
    if value is None or (isinstance(value, (int, str)) and not isinstance(value, bool)):
        return value
    raise ConfigError("cache_seed", value, "must be an int (or None to disable caching)")


def _merged_entry(shared: dict[str, Any], entry: object, index: int) -> dict[str, Any]:
    """One config entry with the wrapper-wide options under it, validated as a whole."""
    if not isinstance(entry, dict):
        return validate_config_entry(entry, index)  # raises, naming the entry
    return validate_config_entry({**shared, **entry}, index)


class OpenAIWrapper:
    """Create completions through the first working entry of a config list."""

    # Classic names of the keys an entry may hold: SDK client options and wrapper-only keys.
    openai_kwargs: frozenset[str] = frozenset(
        {"api_key", "organization", "project", "base_url", "websocket_base_url", "timeout"}
        | {"max_retries", "default_headers", "default_query", "http_client"}
    )
    aopenai_kwargs: frozenset[str] = frozenset(
        {"api_version", "azure_endpoint", "azure_deployment", "azure_ad_token"}
        | {"azure_ad_token_provider"}
    )
    extra_kwargs: frozenset[str] = frozenset(
        {"agent", "cache", "cache_seed", "filter_func", "allow_format_str_template", "context"}
        | {"api_version", "api_type", "tags", "price"}
    )

    def __init__(
        self,
        *,
        config_list: list[dict[str, Any]] | None = None,
        cache_seed: int | str | None = None,
        cache: Cache | None = None,
        cache_path_root: str | Path = ".cache",
        retry_policy: RetryPolicy | None = None,
        filter_func: FilterFunc | None = None,
        allow_format_str_template: bool = False,
        **base_config: Any,
    ) -> None:
        self.base_params = {k: v for k, v in base_config.items() if k not in WRAPPER_KEYS}
        if config_list is None:
            config_list = [dict(self.base_params)]
        if not isinstance(config_list, list) or not config_list:
            raise ConfigError("config_list", config_list, "must be a non-empty list of dicts")
        shared = {k: v for k, v in self.base_params.items() if k != "model"}
        entries = [_merged_entry(shared, e, i) for i, e in enumerate(config_list)]
        self._slots = [_Slot(e) for e in entries]
        self._unregistered = [s.pending_cls for s in self._slots if s.pending_cls is not None]
        self.cache_seed = _check_cache_seed(cache_seed)
        self.cache = cache
        self.cache_path_root = Path(cache_path_root)
        if retry_policy is None:
            retries = base_config.get("max_retries")
            retry_policy = RetryPolicy() if retries is None else RetryPolicy(max_retries=retries)
        self.retry_policy = retry_policy
        self.filter_func = filter_func
        self.allow_format_str_template = allow_format_str_template
        self._disk_caches: dict[int | str, Cache] = {}
        self.usage = UsageTracker()

    @property
    def clients(self) -> list[ModelClient]:
        """The clients built so far, in config-list order."""
        return [s.client for s in self._slots if s.client is not None]

    def register_model_client(self, model_client_cls: type, **kwargs: Any) -> None:
        """Instantiate the custom client class that config entries name in ``model_client_cls``.

        Both kinds work: convogen's protocol (``async def create(request)``, built with
        ``config=entry``) and AutoGen 0.2's (``def create(params)``, built with ``entry``
        positionally, run in a worker thread).
        """
        from convogen.llm.classic_client import instantiate_client  # only for custom clients

        matched = False
        for slot in self._slots:
            if slot.pending_cls == model_client_cls.__name__:
                slot.client = instantiate_client(model_client_cls, slot.entry, **kwargs)
                slot.pending_cls = None
                self._unregistered = [s.pending_cls for s in self._slots if s.pending_cls]
                matched = True
        if not matched:
            raise ConfigError(
                "model_client_cls",
                model_client_cls.__name__,
                "no config entry names this class in 'model_client_cls'",
            )

    def _cache_for(self, cache: Cache | None, seed: int | str | None) -> Cache | None:
        if cache is not None:
            return cache
        if seed is None:
            return self.cache
        if seed not in self._disk_caches:
            from convogen.llm.cache import Cache

            self._disk_caches[seed] = Cache.disk(seed, self.cache_path_root)
        return self._disk_caches[seed]

    def close(self) -> None:
        """Close the disk caches this wrapper opened (caches passed in stay open)."""
        for cache in self._disk_caches.values():
            cache.close()
        self._disk_caches.clear()

    async def a_create(
        self,
        *,
        messages: list[Message],
        cache: Cache | None = None,
        context: dict[str, Any] | None = None,
        **params: Any,
    ) -> ModelResponse:
        """Ask each configured model in turn until one answers (see the module docstring)."""
        response, _ = await self._create(messages, cache, context, params)
        return response

    async def a_create_structured(
        self,
        *,
        messages: list[Message],
        response_format: type[T],
        cache: Cache | None = None,
        context: dict[str, Any] | None = None,
        **params: Any,
    ) -> ParsedResponse[T]:
        """Like ``a_create`` with a pydantic ``response_format``; returns the parsed objects too."""
        from convogen.llm.structured import ParsedResponse, is_model_class

        if not is_model_class(response_format):
            raise ConfigError("response_format", response_format, "must be a pydantic model class")
        params["response_format"] = response_format
        response, parsed = await self._create(messages, cache, context, params)
        return ParsedResponse(parsed=parsed[0], choices=parsed, response=response)

    def create(self, **config: Any) -> ClassicResponse:
        """Synchronous ``a_create`` taking ``messages=[...]`` or a classic ``prompt=...``.

        Returns the openai-v1 shaped view (``.choices[0].message.content``, ``.usage``,
        ``.cost``, ``.model``, ``.id``); ``.response`` is the ``ModelResponse`` behind it.
        """
        messages = config.pop("messages", None)
        prompt = config.pop("prompt", None)
        if messages is None:
            if prompt is None:
                raise ConfigError("messages", None, "create() needs messages=[...] or prompt=...")
            # The filled prompt goes to the completions endpoint (clients that only chat see
            # it as one user message).
            messages = [{"role": "user", "content": prompt}]
            config["prompt"] = prompt if isinstance(prompt, str) else True
        elif prompt is not None:
            raise ConfigError("prompt", prompt, "give either 'prompt' or 'messages', not both")
        return ClassicResponse(run_sync(self.a_create(messages=messages, **config)))

    @staticmethod
    def instantiate(
        template: Template | None,
        context: dict[str, Any] | None = None,
        allow_format_str_template: bool | None = False,
    ) -> str | None:
        """Fill a prompt template from ``context`` (str templates only when allowed)."""
        return instantiate(template, context, bool(allow_format_str_template))

    def create_structured(
        self, *, messages: list[Message], response_format: type[T], **params: Any
    ) -> ParsedResponse[T]:
        """Synchronous twin of ``a_create_structured``."""
        return run_sync(
            self.a_create_structured(messages=messages, response_format=response_format, **params)
        )

    async def _create(
        self,
        messages: list[Message],
        cache: Cache | None,
        context: dict[str, Any] | None,
        params: dict[str, Any],
    ) -> tuple[ModelResponse, list[Any]]:
        if self._unregistered:
            raise self._not_registered(self._unregistered)
        allow = bool(params.pop("allow_format_str_template", self.allow_format_str_template))
        messages = instantiate_messages(messages, context, allow)
        seed = _check_cache_seed(params.pop("cache_seed", self.cache_seed))
        active_cache = self._cache_for(cache, seed)
        # Any object with get/set works as a cache; its seed (if it has one) joins the key.
        key_seed = getattr(active_cache, "cache_seed", None)
        filter_func = params.pop("filter_func", self.filter_func)
        # 0.2 passes the calling agent along for its logs; it is not part of the request.
        params.pop("agent", None)
        model_cls = None
        if isinstance(params.get("response_format"), type):
            from convogen.llm.structured import is_model_class, response_format_for

            if is_model_class(params["response_format"]):
                model_cls = params["response_format"]
                params["response_format"] = response_format_for(model_cls)

        attempts = [0] * len(self._slots)
        errors: dict[int, BaseException] = {}
        active = list(range(len(self._slots)))
        retry_round = 0
        while True:
            round_errors: list[BaseException] = []
            for index in active:
                slot = self._slots[index]
                client = self._client_of(slot)
                request = ModelRequest(messages=messages, params={**slot.params, **params})
                key = None
                if active_cache is not None:
                    from convogen.llm.cache import cache_key

                    key = cache_key(slot.model, messages, request.params, key_seed)
                    hit = active_cache.get(key) if attempts[index] == 0 else None
                    cached = _from_cache(hit) if hit is not None else None
                    if cached is not None:
                        self.usage.record(cached)
                        if has_sinks():
                            emit(
                                "llm_cache_hit",
                                request=_describe(slot.model, request),
                                response=_response_to_record(cached),
                            )
                        return cached, _parse(cached, model_cls)
                attempts[index] += 1
                try:
                    response = await self._call(client, request, slot)
                except ModelClientError as exc:
                    if not getattr(exc, "failover", True):
                        raise
                    errors[index] = exc
                    round_errors.append(exc)
                    continue
                # Spent money is accounted even when the reply is rejected below.
                self.usage.record(response)
                try:
                    parsed = _parse(response, model_cls)
                except ModelClientError as exc:
                    errors[index] = exc
                    round_errors.append(exc)
                    continue
                # The last config's reply is returned even when the filter rejects it.
                rejected = (
                    filter_func is not None
                    and index != active[-1]
                    and not filter_func(context=context, response=ClassicResponse(response))
                )
                if rejected:
                    errors[index] = ModelClientError("reply rejected by filter_func")
                    continue
                if key is not None and active_cache is not None:
                    from convogen.llm.cache import response_to_json

                    active_cache.set(key, response_to_json(response))
                return response, parsed
            active = [i for i in active if self._may_retry(i, errors.get(i), attempts[i])]
            if not active:
                raise self._failure(errors)
            retry_round += 1
            await self.retry_policy.sleep(self.retry_policy.delay_for(retry_round, round_errors))

    def _client_of(self, slot: _Slot) -> ModelClient:
        if slot.client is None:
            raise self._not_registered([slot.pending_cls])
        return slot.client

    @staticmethod
    def _not_registered(names: Sequence[str | None]) -> ModelClientNotRegisteredError:
        # As in 0.2, every custom client a config entry names must be registered before a call.
        from convogen.llm.classic_client import ModelClientNotRegisteredError

        return ModelClientNotRegisteredError(
            "model_client_cls",
            names,
            "call register_model_client() with these classes before creating completions",
        )

    async def _call(self, client: ModelClient, request: ModelRequest, slot: _Slot) -> ModelResponse:
        """One model call, as an interceptable effect (recorders and replayers see it)."""
        check_fits(slot.model, slot.context_window, request.messages, request.params)
        if not active_interceptors():
            return await self._call_client(client, request, slot)
        described = _describe(slot.model, request)
        called = False

        async def call() -> ModelResponse:
            nonlocal called
            called = True
            return await self._call_client(client, request, slot)

        response = await effect("llm", described, call, RESPONSE_CODEC)
        if not called:
            # Answered from a recording or a durable journal: a stateful client (a scripted
            # list of replies) still counts the call, so later replies line up.
            replayed = getattr(client, "note_replayed", None)
            if replayed is not None:
                replayed(request)
        return response

    async def _call_client(
        self, client: ModelClient, request: ModelRequest, slot: _Slot
    ) -> ModelResponse:
        timeout = request.params.get("timeout")
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool):
            return await client.create(request)
        try:
            # The SDK enforces the timeout on the HTTP request too; this also bounds clients
            # that don't know about timeouts (custom and local ones).
            return await asyncio.wait_for(client.create(request), timeout)
        except TimeoutError as exc:
            raise ModelTimeoutError(
                f"no reply within timeout={timeout}s", model=slot.model
            ) from exc

    def _may_retry(self, index: int, error: BaseException | None, attempts: int) -> bool:
        if error is None or not getattr(error, "retryable", False):
            return False
        entry_retries = self._slots[index].entry.get("max_retries")
        max_retries = self.retry_policy.max_retries if entry_retries is None else entry_retries
        return attempts <= int(max_retries)

    def _failure(self, errors: dict[int, BaseException]) -> BaseException:
        ordered = [(self._slots[i].model, errors[i]) for i in sorted(errors)]
        if len(self._slots) == 1:
            return ordered[0][1]
        return AllModelsFailedError(ordered)

    @staticmethod
    def extract_text_or_completion_object(
        response: ModelResponse | ClassicResponse,
    ) -> list[str | Message]:
        """Text of each choice, or the whole message when it carries tool calls."""
        out: list[str | Message] = []
        for choice in unwrap(response).choices:
            if choice.get("tool_calls") or choice.get("function_call"):
                out.append(choice)
            else:
                content = choice.get("content")
                out.append(content if isinstance(content, str) else "")
        return out

    @property
    def total_usage_summary(self) -> dict[str, Any] | None:
        """Usage including cached calls."""
        return self.usage.summary(cached=True)

    @property
    def actual_usage_summary(self) -> dict[str, Any] | None:
        """Usage of calls actually sent to a model (cached calls left out)."""
        return self.usage.summary(cached=False)

    def print_usage_summary(self, mode: str | list[str] = ("actual", "total")) -> None:  # type: ignore[assignment]
        """Print usage including ('total') and excluding ('actual') cached calls."""
        modes = [mode] if isinstance(mode, str) else list(mode)
        for m in modes:
            if m == "total":
                print(format_usage(self.total_usage_summary, "Usage including cached inference"))
            elif m == "actual":
                print(format_usage(self.actual_usage_summary, "Usage excluding cached inference"))
            else:
                raise ConfigError("mode", m, "use 'actual' or 'total'")

    def clear_usage_summary(self) -> None:
        """Forget all usage records."""
        self.usage.clear()


def _describe(model: str, request: ModelRequest) -> dict[str, Any]:
    """The JSON description of a model call that recorders, replayers and logs see."""
    return {
        "model": model,
        "messages": request.messages,
        "params": json.loads(json.dumps(request.params, default=repr)),
    }


def _response_from_record(data: Any) -> ModelResponse:
    from convogen.llm.cache import response_from_json

    response = response_from_json(data)
    response.cached = bool(data.get("cached", False))
    return response


def _response_to_record(response: ModelResponse) -> dict[str, Any]:
    from convogen.llm.cache import response_to_json

    return {**response_to_json(response), "cached": response.cached}


RESPONSE_CODEC: Codec[ModelResponse] = Codec(
    encode=_response_to_record, decode=_response_from_record
)


def _from_cache(value: Any) -> ModelResponse | None:
    from convogen.llm.cache import response_from_json

    try:
        return response_from_json(value)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # An entry this version cannot read (or another program wrote) is a miss, not a crash.
        logger.warning(
            "unreadable cache entry (%s: %s); treating it as a miss", type(exc).__name__, exc
        )
        return None


def _parse(response: ModelResponse, model_cls: Any) -> list[Any]:
    if model_cls is None:
        return []
    from convogen.llm.structured import parse_choices

    return parse_choices(response, model_cls)
