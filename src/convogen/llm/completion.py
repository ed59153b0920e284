"""The classic ``Completion.create`` / ``ChatCompletion.create`` API, with templates and tuning.

Both run on ``OpenAIWrapper`` (so caching, failover, retries and cost accounting apply) and on
any ``api_type`` ("openai", "azure", "scripted", custom ones). Only the chat-completions endpoint
is used: a ``prompt`` becomes one user message. ``tune`` searches the inference
hyperparameters (model, temperature or top_p, max_tokens, n, prompt) with ``flaml.tune``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from convogen._sync import run_sync
from convogen.errors import ConfigError, ModelClientError
from convogen.llm.config import CLIENT_KEYS
from convogen.llm.config_list import filter_config
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


class Completion:
    """One-shot completions from a prompt template (``prompt="{problem}"`` + ``context``)."""

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
        messages = _build_messages(config, context, allow_format_str_template)
        if config_list is not None and "model" in config:
            # A searched model narrows the list to its entries (a model absent from the list
            # is used on its own with the client keys given here).
            chosen = filter_config(config_list, {"model": [config["model"]]})
            config_list = chosen or None
        if config_list is None:
            wrapper = OpenAIWrapper(cache_seed=cache_seed, filter_func=filter_func, **config)
            params: dict[str, Any] = {}
        else:
            wrapper = OpenAIWrapper(
                config_list=config_list, cache_seed=cache_seed, filter_func=filter_func
            )
            params = {k: v for k, v in config.items() if k not in CLIENT_KEYS}
        try:
            return await wrapper.a_create(messages=messages, context=dict(context or {}), **params)
        finally:
            wrapper.close()

    @classmethod
    def create(cls, context: Mapping[str, Any] | None = None, **config: Any) -> ModelResponse:
        """Synchronous ``a_create``."""
        return run_sync(cls.a_create(context, **config))

    @staticmethod
    def extract_text(response: ModelResponse) -> list[str]:
        """The text of every choice ('' for tool-call-only choices)."""
        return [c["content"] if isinstance(c.get("content"), str) else "" for c in response.choices]  # type: ignore[misc]

    @classmethod
    def tune(
        cls,
        data: Sequence[Mapping[str, Any]],
        metric: str,
        mode: str,
        eval_func: EvalFunc,
        inference_budget: float | None = None,
        optimization_budget: float | None = None,
        num_samples: int = 10,
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
            num_samples=num_samples,
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


__all__ = ["ChatCompletion", "Completion", "Template"]
