"""``TextMessageCompressor``: shrink message text with a pluggable ``TextCompressor``."""

from __future__ import annotations

import importlib.util
from typing import Any, Protocol, runtime_checkable

from convogen.errors import ConfigError

from . import util

LLMLINGUA_INSTALL = "pip install llmlingua"


@runtime_checkable
class TextCompressor(Protocol):
    """Compresses a text; returns a dict with 'compressed_prompt' (and token counts if known)."""

    def compress_text(self, text: str, **compression_params: Any) -> dict[str, Any]:
        """Return {'compressed_prompt': ..., 'origin_tokens': ..., 'compressed_tokens': ...}."""
        ...


def llmlingua_import_error() -> ImportError | None:
    """The ImportError LLMLingua raises here, or None when it is installed."""
    # find_spec, not an import: LLMLingua pulls in torch, far too slow for module import time.
    if importlib.util.find_spec("llmlingua") is None:
        return ImportError(f"LLMLingua is not installed; install it with `{LLMLINGUA_INSTALL}`")
    return None


_DEFAULT_LLMLINGUA = {
    "model_name": "microsoft/llmlingua-2-bert-base-multilingual-cased-meetingbank",
    "use_llmlingua2": True,
    "device_map": "cpu",
}


class LLMLingua:
    """A ``TextCompressor`` backed by LLMLingua's ``PromptCompressor`` (optional dependency)."""

    def __init__(
        self,
        prompt_compressor_kwargs: dict[str, Any] | None = None,
        structured_compression: bool = False,
    ) -> None:
        error = llmlingua_import_error()
        if error is not None:
            raise error
        import llmlingua  # type: ignore[import-not-found, unused-ignore]

        kwargs = (
            _DEFAULT_LLMLINGUA if prompt_compressor_kwargs is None else prompt_compressor_kwargs
        )
        compressor = llmlingua.PromptCompressor(**kwargs)
        self._compress = (
            compressor.structured_compress_prompt
            if structured_compression
            else compressor.compress_prompt
        )

    def compress_text(self, text: str, **compression_params: Any) -> dict[str, Any]:
        """Compress ``text`` with LLMLingua."""
        result: dict[str, Any] = self._compress([text], **compression_params)
        return result


class TextMessageCompressor:
    """Compresses the text of messages, optionally caching compressed texts."""

    def __init__(
        self,
        text_compressor: TextCompressor | None = None,
        min_tokens: int | None = None,
        compression_params: dict[str, Any] | None = None,
        cache: Any = None,
        filter_dict: dict[str, Any] | None = None,
        exclude_filter: bool = True,
    ) -> None:
        if min_tokens is not None and (
            not isinstance(min_tokens, int) or isinstance(min_tokens, bool) or min_tokens <= 0
        ):
            raise ConfigError("min_tokens", min_tokens, "must be None or an int > 0")
        if text_compressor is None:
            text_compressor = LLMLingua()
        elif not isinstance(text_compressor, TextCompressor):
            raise ConfigError(
                "text_compressor", text_compressor, "must have compress_text(text, **params)"
            )
        self._text_compressor = text_compressor
        self._min_tokens = min_tokens
        self._compression_params = dict(compression_params or {})
        self._cache = cache
        self._filter_dict = filter_dict
        self._exclude_filter = exclude_filter
        self._recent_tokens_savings = 0

    def apply_transform(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The messages with their text compressed (a new list; inputs are not changed)."""
        self._recent_tokens_savings = 0
        if not messages or not util.min_tokens_reached(messages, self._min_tokens):
            return messages
        out: list[dict[str, Any]] = []
        for message in messages:
            content = message.get("content")
            if (
                not util.is_content_right_type(content)
                or not util.should_transform_message(
                    message, self._filter_dict, self._exclude_filter
                )
                or util.is_content_text_empty(content)
            ):
                out.append(message)
                continue
            compressed, savings = self._compressed(content)
            self._recent_tokens_savings += savings
            out.append({**message, "content": compressed})
        return out

    def get_logs(
        self,
        pre_transform_messages: list[dict[str, Any]],
        post_transform_messages: list[dict[str, Any]],
    ) -> tuple[str, bool]:
        """Say how many tokens the last compression saved."""
        if self._recent_tokens_savings > 0:
            return f"{self._recent_tokens_savings} tokens saved with text compression.", True
        return "No tokens saved with text compression.", False

    def _compressed(self, content: Any) -> tuple[Any, int]:
        key = util.cache_key(content, self._min_tokens)
        cached = util.cache_content_get(self._cache, key)
        if cached is not None and len(cached) == 2:
            return cached[0], int(cached[1])
        result: Any
        if isinstance(content, str):
            result, savings = self._compress_text(content)
        else:
            result, savings = self._compress_parts(content)
        util.cache_content_set(self._cache, key, result, savings)
        return result, savings

    def _compress_parts(self, parts: list[Any]) -> tuple[list[Any], int]:
        out: list[Any] = []
        saved = 0
        for part in parts:
            if isinstance(part, dict) and "text" in part:
                text, savings = self._compress_text(part["text"])
                out.append({**part, "text": text})
                saved += savings
            else:
                out.append(part)
        return out, saved

    def _compress_text(self, text: str) -> tuple[str, int]:
        result = self._text_compressor.compress_text(text, **self._compression_params)
        if not isinstance(result, dict) or "compressed_prompt" not in result:
            raise ConfigError(
                "text_compressor", result, "compress_text must return {'compressed_prompt': ...}"
            )
        savings = 0
        if "origin_tokens" in result and "compressed_tokens" in result:
            savings = int(result["origin_tokens"]) - int(result["compressed_tokens"])
        return str(result["compressed_prompt"]), savings
