"""``MessageTokenLimiter``: cap the tokens of each message and of the whole history."""

from __future__ import annotations

import copy
import logging
import sys
from typing import Any

from convogen.errors import ConfigError
from convogen.llm.context import truncate_to_tokens
from convogen.llm.tokens import get_max_token_limit

from . import util

logger = logging.getLogger(__name__)


def _check_count(name: str, value: int | None) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise ConfigError(name, value, "must be None or an int >= 0")


class MessageTokenLimiter:
    """Truncates messages, newest first, to a per-message and a total token budget.

    Messages are walked from the newest to the oldest; each is cut to
    ``max_tokens_per_message``; once the total would pass ``max_tokens`` the current message is
    cut to what is left and every older one is dropped. Only text is cut (image parts stay).
    Nothing happens while the history holds fewer than ``min_tokens`` tokens.
    """

    def __init__(
        self,
        max_tokens_per_message: int | None = None,
        max_tokens: int | None = None,
        min_tokens: int | None = None,
        model: str = "gpt-3.5-turbo-0613",
        filter_dict: dict[str, Any] | None = None,
        exclude_filter: bool = True,
    ) -> None:
        self._model = model
        self._max_tokens_per_message = self._validate_max_tokens(
            "max_tokens_per_message", max_tokens_per_message
        )
        self._max_tokens = self._validate_max_tokens("max_tokens", max_tokens)
        _check_count("min_tokens", min_tokens)
        if min_tokens is not None and max_tokens is not None and min_tokens > max_tokens:
            raise ConfigError("min_tokens", min_tokens, f"must not exceed max_tokens={max_tokens}")
        self._min_tokens = min_tokens or 0
        self._filter_dict = filter_dict
        self._exclude_filter = exclude_filter

    def apply_transform(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The messages truncated to the token limits (a new list of copies)."""
        if not util.min_tokens_reached(messages, self._min_tokens):
            return messages
        kept: list[dict[str, Any]] = []
        used = 0
        for original in reversed(messages):
            msg = copy.deepcopy(original)
            content = msg.get("content")
            if not util.is_content_right_type(content):
                kept.append(msg)
                continue
            if not util.should_transform_message(msg, self._filter_dict, self._exclude_filter):
                kept.append(msg)
                used += util.count_text_tokens(content)
                continue
            msg["content"] = self._truncate(content, self._max_tokens_per_message)
            tokens = util.count_text_tokens(msg["content"])
            if used + tokens > self._max_tokens:
                # The budget ends inside this message: keep what fits, drop everything older.
                msg["content"] = self._truncate(msg["content"], max(0, self._max_tokens - used))
                kept.append(msg)
                break
            used += tokens
            kept.append(msg)
        kept.reverse()
        return kept

    def get_logs(
        self,
        pre_transform_messages: list[dict[str, Any]],
        post_transform_messages: list[dict[str, Any]],
    ) -> tuple[str, bool]:
        """Say how many tokens were cut."""
        before = _text_tokens(pre_transform_messages)
        after = _text_tokens(post_transform_messages)
        if after < before:
            return (
                f"Truncated {before - after} tokens. "
                f"Number of tokens reduced from {before} to {after}",
                True,
            )
        return "No tokens were truncated.", False

    def _truncate(self, content: Any, n_tokens: int) -> Any:
        if isinstance(content, str):
            return truncate_to_tokens(content, n_tokens, self._model)
        return [
            {"type": "text", "text": truncate_to_tokens(part["text"], n_tokens, self._model)}
            if isinstance(part, dict) and part.get("type") == "text"
            else part
            for part in content
        ]

    def _validate_max_tokens(self, name: str, value: int | None) -> int:
        _check_count(name, value)
        try:
            allowed: int | None = get_max_token_limit(self._model)
        except ConfigError:
            logger.warning(
                "model %r has no known context window; not capping %s", self._model, name
            )
            allowed = None
        if value is None:
            return sys.maxsize
        if allowed is not None and value > allowed:
            logger.warning(
                "%s=%d is more than %s accepts; capping it to %d", name, value, self._model, allowed
            )
            return allowed
        return value


def _text_tokens(messages: list[dict[str, Any]]) -> int:
    return sum(util.count_text_tokens(m["content"]) for m in messages if "content" in m)
