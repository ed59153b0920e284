"""Context windows of models, and the check that a request fits before it is sent.

A model's window comes from its config entry (``context_window`` or ``max_context_tokens``),
else from the table of known models below (OpenAI's come from ``convogen.llm.tokens``). A model
whose window is unknown is not checked. The check is cheap while a request is far from its
limit (a bound from character counts); only a request near the limit is tokenized.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from convogen.errors import ConfigError
from convogen.llm.errors import ContextWindowExceededError
from convogen.llm.pricing import normalize_model_name
from convogen.llm.tokens import count_token, get_max_token_limit, num_tokens_from_functions

# Prefix -> window in tokens, longest prefix first when looked up. Published by the providers.
KNOWN_CONTEXT_WINDOWS: dict[str, int] = {
    "o1-mini": 128000,
    "o1": 200000,
    "o3": 200000,
    "o4-mini": 200000,
    "claude-3": 200000,
    "claude-sonnet-4": 200000,
    "claude-opus-4": 200000,
    "gemini-1.5-pro": 2097152,
    "gemini-1.5-flash": 1048576,
    "gemini-2": 1048576,
    "llama-3.1": 131072,
    "llama-3.2": 131072,
    "llama-3.3": 131072,
    "llama3.1": 131072,
    "llama-3": 8192,
    "llama3": 8192,
    "mistral-large": 131072,
    "mixtral-8x7b": 32768,
}
_PREFIXES = sorted(KNOWN_CONTEXT_WINDOWS, key=len, reverse=True)
# Per-message framing tokens (role, separators) in OpenAI's chat format, plus reply priming.
_PER_MESSAGE = 4
_PRIMING = 3
# A token covers at least one UTF-8 byte, and a character is at most four bytes.
_MAX_TOKENS_PER_CHAR = 4
# An image part: OpenAI's cost of a 1024x1024 image at high detail (images vary; an estimate).
_IMAGE_TOKENS = 765
# convogen-only message keys that clients drop before sending.
_NOT_SENT = frozenset({"context", "tool_responses"})


@functools.lru_cache(maxsize=256)
def known_context_window(model: str) -> int | None:
    """The published context window of ``model`` in tokens, or None when unknown."""
    name = normalize_model_name(model)
    try:
        return get_max_token_limit(name)
    except ConfigError:
        pass
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return KNOWN_CONTEXT_WINDOWS[prefix]
    return None


def context_window_of(entry: Mapping[str, Any]) -> int | None:
    """The window of a config entry: its ``context_window``/``max_context_tokens``, or known."""
    for key in ("context_window", "max_context_tokens"):
        value = entry.get(key)
        if value is not None:
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(key, value, "must be a positive int (tokens)")
            return value
    model = entry.get("model")
    return known_context_window(model) if isinstance(model, str) else None


def reply_budget(params: Mapping[str, Any]) -> int:
    """The tokens a request reserves for the reply (``max_tokens``), 0 when not set."""
    value = params.get("max_tokens", params.get("max_completion_tokens"))
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _pieces(message: Mapping[str, Any]) -> tuple[list[str], int]:
    """The texts of a message that become tokens, and the fixed tokens of its images."""
    texts: list[str] = []
    images = 0
    for key, value in message.items():
        if value is None or key in _NOT_SENT:
            continue
        if isinstance(value, str):
            texts.append(value)
        elif key == "content" and isinstance(value, list):
            for part in value:
                if isinstance(part, Mapping) and part.get("type") == "image_url":
                    images += 1  # a data URI's characters are not tokens: count a tile budget
                elif isinstance(part, Mapping):
                    texts.append(str(part.get("text", "")))
                else:
                    texts.append(str(part))
        else:
            texts.append(json.dumps(value, default=str))
    return texts, images * _IMAGE_TOKENS


def _upper_bound(messages: Sequence[Mapping[str, Any]], tools: Any) -> int:
    # The hot path: messages of plain strings are summed directly; others take _pieces.
    chars = 0
    fixed = _PRIMING + _PER_MESSAGE * len(messages)
    for message in messages:
        plain = 0
        for value in message.values():
            if isinstance(value, str):
                plain += len(value)
            elif value is not None:
                break
        else:
            chars += plain
            continue
        texts, images = _pieces(message)
        chars += sum(len(text) for text in texts)
        fixed += images
    if tools:
        chars += len(json.dumps(tools, default=str))
    return fixed + _MAX_TOKENS_PER_CHAR * chars


def _tool_functions(params: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    tools = params.get("tools") or []
    functions = [t.get("function", t) for t in tools if isinstance(t, Mapping)]
    return functions + list(params.get("functions") or [])


@functools.lru_cache(maxsize=4096)
def _text_tokens(text: str, model: str) -> int:
    # A conversation resends its history on every turn: each message is tokenized once.
    return count_token(text, model=model)


def request_tokens(
    model: str, messages: Sequence[Mapping[str, Any]], params: Mapping[str, Any]
) -> int:
    """Tokens a request needs: its messages, its tool definitions and its reply budget."""
    tokens = _PRIMING
    for message in messages:
        texts, fixed = _pieces(message)
        tokens += _PER_MESSAGE + fixed + sum(_text_tokens(text, model) for text in texts)
    functions = _tool_functions(params)
    if functions:
        tokens += num_tokens_from_functions(functions, model=model)
    return tokens + reply_budget(params)


def check_fits(
    model: str,
    window: int | None,
    messages: Sequence[Mapping[str, Any]],
    params: Mapping[str, Any],
) -> None:
    """Raise ``ContextWindowExceededError`` when the request cannot fit ``window``."""
    if window is None:
        return
    tools = params.get("tools") or params.get("functions")
    if _upper_bound(messages, tools) + reply_budget(params) <= window:
        return
    tokens = request_tokens(model, messages, params)
    if tokens > window:
        raise ContextWindowExceededError(model=model, window=window, tokens=tokens)


_LLAMA_OVERFLOW = re.compile(r"Requested tokens \((\d+)\) exceed context window of (\d+)")


def overflow_from_llama(exc: ValueError, model: str) -> ContextWindowExceededError | None:
    """The typed error for llama.cpp's "Requested tokens (N) exceed context window of W"."""
    match = _LLAMA_OVERFLOW.search(str(exc))
    if match is None:
        return None
    return ContextWindowExceededError(
        model=model, window=int(match.group(2)), tokens=int(match.group(1))
    )


def truncate_to_tokens(text: str, n_tokens: int, model: str) -> str:
    """The longest prefix of ``text`` that takes at most ``n_tokens`` tokens of ``model``."""
    if n_tokens <= 0:
        return ""
    encoding = _tiktoken_encoding(model)
    if encoding is not None:
        tokens = encoding.encode(text)
        return text if len(tokens) <= n_tokens else str(encoding.decode(tokens[:n_tokens]))
    # Without tiktoken, counts are estimates (convogen.llm.tokens): cut on the same estimate.
    if count_token(text, model=model) <= n_tokens:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if count_token(text[:middle], model=model) <= n_tokens:
            low = middle
        else:
            high = middle - 1
    return text[:low]


@functools.cache
def _tiktoken_encoding(model: str) -> Any:
    try:
        import tiktoken  # type: ignore[import-not-found, unused-ignore]

        try:
            return tiktoken.encoding_for_model(model)
        except KeyError:
            return tiktoken.get_encoding("cl100k_base")
    except Exception:  # not installed, or its encoding file cannot be fetched offline
        return None


__all__ = [
    "KNOWN_CONTEXT_WINDOWS",
    "check_fits",
    "context_window_of",
    "known_context_window",
    "overflow_from_llama",
    "request_tokens",
    "truncate_to_tokens",
]
