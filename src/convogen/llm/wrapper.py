"""``OpenAIWrapper``: one entry point over a config list, adding what clients don't do themselves.

Around the client protocol it adds, in this order: prompt templates, caching (opt-in), failover
across the config list, retries with backoff, per-request timeouts, structured-output validation
and usage/cost accounting. Each concern is one step of ``convogen.llm.pipeline`` (prepare ->
failover -> cache -> invoke -> accept); the wrapper only composes them.

Failover and retry policy: a failed request moves to the next config at once; when every config
has failed with a transient error (see ``convogen.llm.errors``), the wrapper waits (exponential
backoff, at least the server's ``Retry-After``, capped by ``RetryPolicy.max_delay``) and tries the
still-eligible configs again, each at most ``1 + max_retries`` times.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from convogen._sync import run_sync
from convogen.chat_run import record_usage
from convogen.errors import ConfigError, ModelClientError
from convogen.llm.cache import Cache
from convogen.llm.choice import (
    ChoiceReply,
    check_choices,
    choice_method,
    choice_params,
)
from convogen.llm.classic_response import ClassicResponse, unwrap
from convogen.llm.config import WRAPPER_KEYS, LLMConfig, ModelEntry, model_entries
from convogen.llm.pipeline import accept, cache_step
from convogen.llm.pipeline.failover import Failover
from convogen.llm.pipeline.invoke import invoke
from convogen.llm.pipeline.prepare import (
    FilterFunc,
    PreparedCall,
    check_cache_seed,
    prepare_call,
)
from convogen.llm.pipeline.slot import Slot
from convogen.llm.protocol import (
    NO_CAPABILITIES,
    ClientCapabilities,
    ModelClient,
    ModelRequest,
    ModelResponse,
)
from convogen.llm.retry import RetryPolicy
from convogen.llm.templates import Template, TemplateScan, instantiate, instantiate_messages
from convogen.llm.usage import UsageTracker, format_usage
from convogen.messages import Message

if TYPE_CHECKING:
    from pydantic import BaseModel

    from convogen.llm.classic_client import ModelClientNotRegisteredError
    from convogen.llm.structured import ParsedResponse

T = TypeVar("T", bound="BaseModel")
__all__ = ["FilterFunc", "OpenAIWrapper"]
# A finished call: the reply and, for a structured call, its parsed objects.
Outcome = tuple[ModelResponse, list[Any]]


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
        config_list: Sequence[dict[str, Any] | ModelEntry] | None = None,
        cache_seed: int | str | None = None,
        cache: Cache | None = None,
        cache_path_root: str | Path = ".cache",
        retry_policy: RetryPolicy | None = None,
        filter_func: FilterFunc | None = None,
        allow_format_str_template: bool = False,
        **base_config: Any,
    ) -> None:
        self.base_params = {k: v for k, v in base_config.items() if k not in WRAPPER_KEYS}
        self._slots = [Slot(entry) for entry in self._entries(config_list)]
        self._unregistered = [s.pending_cls for s in self._slots if s.pending_cls is not None]
        self._models = tuple(s.model for s in self._slots)
        self._retries = tuple(s.entry.max_retries for s in self._slots)
        self.cache_seed = check_cache_seed(cache_seed)
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
        self._template_scan = TemplateScan()

    @classmethod
    def from_llm_config(cls, config: LLMConfig) -> OpenAIWrapper:
        """A wrapper for an ``llm_config`` checked by ``parse_llm_config`` (not checked again)."""
        if not config.entries:
            raise ConfigError("llm_config", config.view, "names no model to build a client for")
        return cls(**{**config.view, "config_list": list(config.entries)})

    def _entries(
        self, config_list: Sequence[dict[str, Any] | ModelEntry] | None
    ) -> tuple[ModelEntry, ...]:
        """Typed entries: a dict is checked once here, with the wrapper-wide options under it."""
        if config_list is None:
            config_list = [dict(self.base_params)]
        if not isinstance(config_list, (list, tuple)) or not config_list:
            raise ConfigError("config_list", config_list, "must be a non-empty list of dicts")
        shared = {k: v for k, v in self.base_params.items() if k != "model"}
        return model_entries(config_list, shared)

    @property
    def clients(self) -> list[ModelClient]:
        """The clients built so far, in config-list order."""
        return [s.client for s in self._slots if s.client is not None]

    def register_model_client(self, model_client_cls: type, **kwargs: Any) -> None:
        """Instantiate the custom client class that config entries name in ``model_client_cls``.

        Both kinds work: convogen's protocol (``async def create(request)``, built with
        ``config=entry``) and AutoGen 0.2's (``def create(params)``, built with ``entry``
        positionally; run inline under a synchronous call, as in 0.2, else in a worker thread).
        """
        from convogen.llm.classic_client import instantiate_client  # only for custom clients

        named = [s for s in self._slots if s.pending_cls == model_client_cls.__name__]
        if not named:
            raise ConfigError(
                "model_client_cls",
                model_client_cls.__name__,
                "no config entry names this class in 'model_client_cls'",
            )
        for slot in named:
            slot.attach(instantiate_client(model_client_cls, dict(slot.entry.source), **kwargs))
        self._unregistered = [s.pending_cls for s in self._slots if s.pending_cls]

    def _cache_for(self, cache: Cache | None, seed: int | str | None) -> Cache | None:
        if cache is not None:
            return cache
        if seed is None:
            return self.cache
        if seed not in self._disk_caches:
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

    async def a_create_choice(
        self,
        *,
        messages: list[Message],
        choices: Sequence[str],
        json_schema: bool = True,
        schema_name: str = "choice",
        key: str = "choice",
        **params: Any,
    ) -> ChoiceReply:
        """Ask for a reply naming one of ``choices``, constrained as far as the client can.

        The first client's declared capabilities pick the mechanism (``llm/choice.py``): a
        grammar, else a JSON schema ``{key: enum}`` (when ``json_schema``), else free text. A
        server that refuses the schema is asked again in free text (``schema_refused``).
        """
        method = choice_method(self._first_capabilities(), json_schema)
        constraint = choice_params(method, check_choices(choices), name=schema_name, key=key)
        try:
            response = await self.a_create(messages=messages, **params, **constraint)
        except ModelClientError:
            if method != "json_schema":
                raise
            response = await self.a_create(messages=messages, **params)
            return ChoiceReply(response, "free_text", schema_refused=True)
        return ChoiceReply(response, method)

    def _first_capabilities(self) -> ClientCapabilities:
        """What the first built client declares it can do."""
        for slot in self._slots:
            if slot.client is not None:
                return slot.capabilities
        return NO_CAPABILITIES

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
    ) -> Outcome:
        """One call: prepare it, then try the config entries in failover order."""
        if self._unregistered:
            raise self._not_registered(self._unregistered)
        call = self._prepare(messages, cache, context, params)
        failover = Failover(self._models, self._retries, self.retry_policy)
        while True:
            for index in failover.active:
                outcome = await self._attempt(call, index, failover)
                if outcome is not None:
                    return outcome
            await failover.next_round()

    def _prepare(
        self,
        messages: list[Message],
        cache: Cache | None,
        context: dict[str, Any] | None,
        params: dict[str, Any],
    ) -> PreparedCall:
        """The request step: templates filled, cache chosen, wrapper options taken out."""
        allow = bool(params.pop("allow_format_str_template", self.allow_format_str_template))
        seed = check_cache_seed(params.pop("cache_seed", self.cache_seed))
        return prepare_call(
            instantiate_messages(messages, context, allow, self._template_scan),
            params,
            self._cache_for(cache, seed),
            params.pop("filter_func", self.filter_func),
            context,
        )

    async def _attempt(self, call: PreparedCall, index: int, failover: Failover) -> Outcome | None:
        """Entry ``index``: from the cache on its first attempt, else from its model."""
        slot = self._slots[index]
        client = self._client_of(slot)
        request = ModelRequest(messages=call.messages, params={**slot.params, **call.params})
        key = None
        if call.cache is not None:
            key = cache_step.key_for(call, slot.model, request)
            cached = cache_step.lookup(call, key) if failover.attempts[index] == 0 else None
            if cached is not None:
                self._account(cached)
                cache_step.announce_hit(slot.model, request, cached)
                return cached, accept.parse(cached, call.model_cls)
        failover.attempts[index] += 1
        try:
            response = await invoke(slot, client, request)
        except ModelClientError as exc:
            if not getattr(exc, "failover", True):
                raise
            failover.failed(index, exc)
            return None
        # Spent money is accounted even when the reply is rejected below.
        self._account(response)
        return self._accept(call, index, failover, response, key)

    def _accept(
        self,
        call: PreparedCall,
        index: int,
        failover: Failover,
        response: ModelResponse,
        key: str | None,
    ) -> Outcome | None:
        """The acceptance step: parse, filter, and cache what is accepted."""
        parsed: list[Any] = []
        if call.model_cls is not None:
            try:
                parsed = accept.parse(response, call.model_cls)
            except ModelClientError as exc:
                failover.failed(index, exc)
                return None
        if call.filter_func is not None and accept.rejected(
            call, response, failover.is_last(index)
        ):
            failover.rejected(index, ModelClientError("reply rejected by filter_func"))
            return None
        if key is not None:
            cache_step.store(call, key, response)
        return response, parsed

    def _account(self, response: ModelResponse) -> None:
        """Usage accounting: the wrapper's tracker and the chat run in progress."""
        record_usage(self.usage.record(response))

    def _client_of(self, slot: Slot) -> ModelClient:
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
