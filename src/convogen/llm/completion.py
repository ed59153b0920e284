"""The classic ``Completion.create`` / ``ChatCompletion.create`` API, with templates and tuning.

Both run on ``OpenAIWrapper`` (so caching, failover, retries and cost accounting apply) and on
any ``api_type`` ("openai", "azure", "scripted", custom ones). ``Completion`` sends a ``prompt``
to a completion model ("gpt-3.5-turbo-instruct") through the legacy completions endpoint;
chat models (and ``ChatCompletion``) get it as one user message. ``tune`` searches the inference
hyperparameters (model, temperature or top_p, max_tokens, n, prompt) with ``flaml.tune``.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from convogen._sync import run_sync
from convogen.errors import ConfigError, ModelClientError
from convogen.llm.classic_response import ClassicResponse, unwrap
from convogen.llm.completion_log import CompletionLog
from convogen.llm.config import CLIENT_KEYS
from convogen.llm.config_list import filter_config
from convogen.llm.pricing import PRICE_PER_1K
from convogen.llm.protocol import ModelResponse
from convogen.llm.templates import Template, instantiate, instantiate_messages
from convogen.llm.wrapper import OpenAIWrapper
from convogen.messages import Message

logger = logging.getLogger(__name__)

EvalFunc = Callable[..., Mapping[str, float]]
# Keys of a tuning config that select data, not request parameters.
_TEMPLATE_KEYS = ("prompt", "messages")


def _build_messages(
    config: dict[str, Any], context: Mapping[str, Any] | None, allow_format: bool
) -> list[Message]:
    prompt = config.pop("prompt", None)
    messages = config.pop("messages", None)
    if prompt is not None and messages is not None:
        raise ConfigError("prompt", prompt, "give either 'prompt' or 'messages', not both")
    if prompt is not None:
        text = instantiate(prompt, context, allow_format)
        return [{"role": "user", "content": text}]
    if messages is None:
        raise ConfigError("messages", None, "a completion needs 'prompt' or 'messages'")
    return instantiate_messages(messages, context, allow_format)


# Older completion-only model families (the rest of OpenAI's models are chat models).
_COMPLETION_MODEL_PREFIXES = ("text-", "davinci", "curie", "babbage", "ada", "code-")


def is_completion_model(model: object) -> bool:
    """True for models served by the legacy completions endpoint (prompt in, text out)."""
    if not isinstance(model, str):
        return False
    return "instruct" in model or model.startswith(_COMPLETION_MODEL_PREFIXES)


def _uses_completions_endpoint(
    cls: type, config: Mapping[str, Any], config_list: list[dict[str, Any]] | None
) -> bool:
    if issubclass(cls, ChatCompletion) or config.get("prompt") is None:
        return False
    model = config.get("model") or (config_list[0].get("model") if config_list else None)
    return is_completion_model(model)


class Completion:
    """One-shot completions from a prompt template (``prompt="{problem}"`` + ``context``)."""

    # Caching is opt-in (0.2 cached at seed 41 by default): set_cache(41) turns it on.
    cache_seed: int | None = None
    cache_path: str = ".cache"
    _cache_path_root: str | Path = ".cache"
    chat_models: frozenset[str] = frozenset(
        {"gpt-3.5-turbo", "gpt-35-turbo", "gpt-3.5-turbo-16k", "gpt-4", "gpt-4-32k"}
        | {"gpt-4o", "gpt-4o-mini", "gpt-4-turbo"}
    )
    price1K: dict[str, tuple[float, float]] = PRICE_PER_1K
    default_search_space: dict[str, Any] = {
        "model": ["text-davinci-003", "gpt-3.5-turbo-instruct"],
        "temperature_or_top_p": "searched: temperature in [0, 2] or top_p in [0, 1]",
        "max_tokens": "searched: 50 to 1000",
        "n": "searched: 1 to the budget",
        "prompt": "{prompt}",
    }
    max_retry_period: float = 120
    retry_wait_time: float = 10
    request_timeout: float = 60
    optimization_budget: float | None = None
    openai_completion_class: str | bool = "completions"
    _log: CompletionLog | None = None

    @classmethod
    async def a_create(
        cls,
        context: Mapping[str, Any] | None = None,
        *,
        config_list: list[dict[str, Any]] | None = None,
        cache_seed: int | None = None,
        allow_format_str_template: bool = False,
        filter_func: Any = None,
        **config: Any,
    ) -> ModelResponse:
        """Complete the instantiated ``prompt`` or ``messages`` template with ``config``."""
        config = dict(config)
        legacy = _uses_completions_endpoint(cls, config, config_list)
        request = dict(config)
        messages = _build_messages(config, context, allow_format_str_template)
        if config_list is not None and "model" in config:
            # A searched model narrows the list to its entries (a model absent from the list
            # is used on its own with the client keys given here).
            chosen = filter_config(config_list, {"model": [config["model"]]})
            config_list = chosen or None
        if config_list is None:
            wrapper = OpenAIWrapper(
                cache_seed=cache_seed,
                cache_path_root=cls._cache_path_root,
                filter_func=filter_func,
                **config,
            )
            params: dict[str, Any] = {}
        else:
            wrapper = OpenAIWrapper(
                config_list=config_list,
                cache_seed=cache_seed,
                cache_path_root=cls._cache_path_root,
                filter_func=filter_func,
            )
            params = {k: v for k, v in config.items() if k not in CLIENT_KEYS}
        if legacy:
            params["prompt"] = True  # the filled prompt goes to /v1/completions
        try:
            response = await wrapper.a_create(
                messages=messages, context=dict(context or {}), **params
            )
        finally:
            wrapper.close()
        if cls._log is not None:
            cls._log.record({**request, "messages": messages}, response)
        return response

    @classmethod
    def create(
        cls,
        context: Mapping[str, Any] | None = None,
        use_cache: bool | None = True,
        config_list: list[dict[str, Any]] | None = None,
        filter_func: Callable[..., bool] | None = None,
        raise_on_ratelimit_or_timeout: bool | None = True,
        allow_format_str_template: bool | None = False,
        **config: Any,
    ) -> ClassicResponse:
        """Complete a prompt or messages template; ``use_cache`` uses the class's ``cache_seed``.

        ``raise_on_ratelimit_or_timeout`` is accepted for compatibility: failures always raise
        (after the wrapper's retries).
        """
        if "cache_seed" not in config:
            config["cache_seed"] = cls.cache_seed if use_cache else None
        coro = cls.a_create(
            context,
            config_list=config_list,
            filter_func=filter_func,
            allow_format_str_template=bool(allow_format_str_template),
            **config,
        )
        return ClassicResponse(run_sync(coro))

    @staticmethod
    def extract_text(response: ModelResponse | ClassicResponse) -> list[str]:
        """The text of every choice ('' for tool-call-only choices)."""
        texts: list[str] = []
        for choice in unwrap(response).choices:
            content = choice.get("content")
            texts.append(content if isinstance(content, str) else "")
        return texts

    @staticmethod
    def extract_text_or_function_call(response: ModelResponse | ClassicResponse) -> list[Any]:
        """Text of each choice, or its function/tool call when it has one."""
        out: list[Any] = []
        for choice in unwrap(response).choices:
            call = choice.get("function_call") or choice.get("tool_calls")
            out.append(call if call else choice.get("content") or "")
        return out

    @staticmethod
    def cost(response: ModelResponse | ClassicResponse) -> float:
        """Dollar cost of a response (0 when the model's price is unknown)."""
        return unwrap(response).cost or 0.0

    @staticmethod
    def instantiate(
        template: Template | None,
        context: Mapping[str, Any] | None = None,
        allow_format_str_template: bool | None = False,
    ) -> str | None:
        """Fill a prompt template from ``context``."""
        return instantiate(template, context, bool(allow_format_str_template))

    @classmethod
    def set_cache(cls, seed: int | None = 41, cache_path_root: str | Path = ".cache") -> None:
        """Cache later ``create`` calls under ``<cache_path_root>/<seed>``."""
        cls.cache_seed = seed
        cls.cache_path = f"{cache_path_root}/{seed}"
        cls._cache_path_root = cache_path_root

    @classmethod
    def clear_cache(cls, seed: int | None = None, cache_path_root: str | Path = ".cache") -> None:
        """Delete the cache of ``seed`` (all seeds when None) under ``cache_path_root``."""
        root = Path(cache_path_root)
        shutil.rmtree(root if seed is None else root / str(seed), ignore_errors=True)

    @classmethod
    def start_logging(
        cls,
        history_dict: dict[Any, Any] | None = None,
        compact: bool | None = True,
        reset_counter: bool | None = True,
    ) -> None:
        """Record later calls in ``history_dict`` (compact: per conversation)."""
        count = 0 if reset_counter or cls._log is None else cls._log.count
        cls._log = CompletionLog(history_dict, bool(compact))
        cls._log.count = count

    @classmethod
    def stop_logging(cls) -> None:
        """Stop recording calls."""
        cls._log = None

    @classmethod
    def logged_history(cls) -> dict[Any, Any] | None:
        """The history recorded since ``start_logging`` (None when not logging)."""
        return None if cls._log is None else cls._log.history

    @classmethod
    def print_usage_summary(cls) -> dict[str, Any] | None:
        """Print and return the token counts and cost per model of the logged calls."""
        if cls._log is None:
            print("No usage summary available.", flush=True)
            return None
        per_model = cls._log.usage_by_model()
        total = sum(entry["cost"] for entry in per_model.values())
        print(f"Total cost: {round(total, 5)}", flush=True)
        for model, entry in per_model.items():
            print(
                f"* Model '{model}': prompt_tokens={entry['prompt_tokens']}, "
                f"completion_tokens={entry['completion_tokens']}, cost={round(entry['cost'], 5)}",
                flush=True,
            )
        return {"total_cost": total, **per_model}

    @classmethod
    def test(
        cls,
        data: Sequence[Mapping[str, Any]],
        eval_func: EvalFunc | None = None,
        use_cache: bool | None = True,
        agg_method: str | Callable[..., Any] | dict[str, Any] | None = "avg",
        return_responses_and_per_instance_result: bool | None = False,
        logging_level: int | None = logging.WARNING,
        **config: Any,
    ) -> Any:
        """Average ``eval_func`` metrics of ``config`` over ``data`` (and ``inference_cost``)."""
        if eval_func is None:
            raise ConfigError("eval_func", None, "test() needs an eval_func to score responses")
        if agg_method not in ("avg", None):
            raise ConfigError("agg_method", agg_method, "only 'avg' is supported")
        if return_responses_and_per_instance_result:
            raise ConfigError("return_responses_and_per_instance_result", True, "is not supported")
        if not use_cache:
            config["cache_seed"] = None
        return run_sync(cls.evaluate(data, eval_func, **config))

    @classmethod
    def tune(
        cls,
        data: Sequence[Mapping[str, Any]],
        metric: str,
        mode: str,
        eval_func: EvalFunc,
        log_file_name: str | None = None,
        inference_budget: float | None = None,
        optimization_budget: float | None = None,
        num_samples: int | None = 1,
        logging_level: int | None = logging.WARNING,
        *,
        time_budget_s: float | None = None,
        allow_format_str_template: bool = True,
        seed: int = 0,
        **config: Any,
    ) -> tuple[dict[str, Any], Any]:
        """Search inference hyperparameters; returns ``(best_config, flaml analysis)``.

        ``eval_func(responses: list[str], **instance) -> {metric: value, ...}`` scores one data
        instance. Values in ``config`` that are lists (``model=[...]``, ``prompt=[...]``,
        ``max_tokens=[...]``) or ``flaml.tune`` domains are searched; others are fixed. Without
        ``temperature``/``top_p`` either one is searched. ``inference_budget`` bounds the average
        dollar cost per instance; ``optimization_budget`` bounds the dollars spent tuning.
        ``best_config`` can be passed back: ``Completion.create(context, **best_config)``.
        """
        from convogen.llm.tuning import Tuner

        if log_file_name is not None:
            logger.warning("tune(log_file_name=...) is ignored: trials are in the analysis")

        if not data:
            raise ConfigError("data", data, "tuning needs at least one data instance")
        if mode not in ("min", "max"):
            raise ConfigError("mode", mode, "must be 'min' or 'max'")
        if not any(k in config for k in _TEMPLATE_KEYS):
            raise ConfigError("prompt", None, "tuning needs 'prompt' or 'messages' template(s)")
        tuner = Tuner(
            completion=cls,
            data=list(data),
            metric=metric,
            mode=mode,
            eval_func=eval_func,
            optimization_budget=optimization_budget,
            allow_format_str_template=allow_format_str_template,
        )
        return tuner.run(
            config,
            inference_budget=inference_budget,
            num_samples=int(num_samples or 1),
            time_budget_s=time_budget_s,
            seed=seed,
        )

    @classmethod
    async def evaluate(
        cls,
        data: Sequence[Mapping[str, Any]],
        eval_func: EvalFunc,
        allow_format_str_template: bool = True,
        **config: Any,
    ) -> dict[str, float]:
        """Average ``eval_func`` metrics (and ``inference_cost``) of ``config`` over ``data``."""
        totals: dict[str, float] = {}
        cost = 0.0
        for instance in data:
            try:
                response = await cls.a_create(
                    instance, allow_format_str_template=allow_format_str_template, **config
                )
            except ModelClientError as exc:
                logger.warning("evaluation request failed: %s", exc)
                raise
            cost += response.cost or 0.0
            for name, value in eval_func(cls.extract_text(response), **instance).items():
                totals[name] = totals.get(name, 0.0) + float(value)
        count = len(data)
        result = {name: value / count for name, value in totals.items()}
        result["inference_cost"] = cost / count
        result["total_cost"] = cost
        return result


class ChatCompletion(Completion):
    """The chat flavour: ``messages`` templates (each content a str or a callable of context)."""

    openai_completion_class = "chat.completions"


__all__ = ["ChatCompletion", "Completion", "Template"]
