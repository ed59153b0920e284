"""A scripted, in-process model client for tests and demos: replies from a list or a function."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from typing import Any, Literal

from convogen.errors import ConfigError, ScriptExhaustedError
from convogen.llm.protocol import ClientCapabilities, ModelRequest, ModelResponse, Usage
from convogen.messages import Message, content_str, to_message

ScriptedReply = str | Message | dict[str, Any]
ReplyFunction = Callable[[list[Message]], ScriptedReply]
Script = Sequence[ScriptedReply] | ReplyFunction


@functools.lru_cache(maxsize=8192)
def count_tokens(text: str) -> int:
    """A cheap, deterministic token estimate (whitespace-separated words, at least 1)."""
    return max(1, len(text.split())) if text else 0


class ScriptedModelClient:
    """Replies from a fixed script (list) or a function of the conversation.

    Usage figures are estimated from word counts so cost accounting can be tested;
    ``price_per_1k`` = (prompt, completion) dollars per 1,000 tokens, or None for unknown cost.
    A list script is a sequence of calls, so calls answered from a recording or journal are
    counted too (``observes_replays``: the wrapper calls ``note_replayed``).
    """

    capabilities = ClientCapabilities(observes_replays=True)

    def __init__(
        self,
        replies: Script | None = None,
        *,
        model: str = "scripted",
        on_exhausted: Literal["error", "repeat_last", "cycle"] = "error",
        price_per_1k: tuple[float, float] | None = (0.0, 0.0),
        config: dict[str, Any] | None = None,
    ) -> None:
        if config is not None:
            replies = config.get("replies") if replies is None else replies
            model = str(config.get("model", model))
            on_exhausted = config.get("on_exhausted", on_exhausted)
            if "price" in config:
                price = config["price"]
                price_per_1k = None if price is None else (float(price[0]), float(price[1]))
        if replies is None:
            raise ConfigError("replies", replies, "a scripted client needs a list or a function")
        if not callable(replies) and (
            isinstance(replies, str) or not isinstance(replies, Sequence)
        ):
            raise ConfigError("replies", replies, "must be a list of replies or a function")
        if on_exhausted not in ("error", "repeat_last", "cycle"):
            raise ConfigError("on_exhausted", on_exhausted, "use 'error', 'repeat_last' or 'cycle'")
        self.model = model
        self._script = replies
        self._on_exhausted = on_exhausted
        self._price = price_per_1k
        self.requests: list[ModelRequest] = []
        self.replayed = 0
        self._last_prompt: tuple[list[Message], list[int]] = ([], [])

    @property
    def calls(self) -> int:
        """How many completions were requested so far."""
        return len(self.requests)

    def _next_reply(self, messages: list[Message]) -> ScriptedReply:
        if callable(self._script):
            return self._script(messages)
        script = self._script
        # Calls answered from a recording or a durable journal still move the script on.
        index = len(self.requests) + self.replayed - 1
        if index >= len(script):
            if not script or self._on_exhausted == "error":
                raise ScriptExhaustedError(
                    f"scripted model {self.model!r} has {len(script)} replies and was asked "
                    f"for reply {index + 1}"
                )
            index = len(script) - 1 if self._on_exhausted == "repeat_last" else index % len(script)
        return script[index]

    def note_replayed(self, request: ModelRequest) -> None:
        """Count a call answered from a recording or journal, so the script stays in step."""
        self.replayed += 1

    def _prompt_tokens(self, messages: list[Message]) -> int:
        """Token estimate of a prompt; a conversation's unchanged prefix is not counted again."""
        previous, totals = self._last_prompt
        same = _common_prefix(previous, messages)
        running = totals[same - 1] if same else 0
        del totals[same:]  # the running totals are this client's own list
        for message in messages[same:]:
            running += count_tokens(content_str(message.get("content")))
            totals.append(running)
        self._last_prompt = (list(messages), totals)
        return running

    async def create(self, request: ModelRequest) -> ModelResponse:
        """Return the next scripted reply as a completion."""
        self.requests.append(request)
        reply = self._next_reply(request.messages)
        message = to_message(reply, default_role="assistant")
        message["role"] = "assistant"
        prompt_tokens = self._prompt_tokens(request.messages)
        completion_text = content_str(message.get("content"))
        if message.get("tool_calls"):
            completion_text += json.dumps(message["tool_calls"])
        usage = Usage(prompt_tokens, count_tokens(completion_text))
        cost = None
        if self._price is not None:
            cost = (
                usage.prompt_tokens * self._price[0] + usage.completion_tokens * self._price[1]
            ) / 1000
        return ModelResponse(choices=[message], model=self.model, usage=usage, cost=cost)


def scripted_llm_config(
    replies: Script, *, model: str = "scripted", **entry: Any
) -> dict[str, Any]:
    """An ``llm_config`` whose only model is a scripted client answering with ``replies``."""
    return {"config_list": [{"model": model, "api_type": "scripted", "replies": replies, **entry}]}


def _common_prefix(previous: list[Message], messages: list[Message]) -> int:
    """How many leading messages of ``messages`` equal those of ``previous``.

    The usual call extends the previous prompt: one list comparison (in C, identical dicts
    compare instantly) confirms it. Otherwise the prefix is found one message at a time.
    """
    size = len(previous)
    if len(messages) >= size and messages[:size] == previous:
        return size
    same = 0
    limit = min(size, len(messages))
    while same < limit and messages[same] == previous[same]:
        same += 1
    return same
