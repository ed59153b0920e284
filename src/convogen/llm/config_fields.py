"""The known keys of a config entry / ``llm_config`` and the type check of each field."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from convogen.errors import ConfigError
from convogen.redaction import redact_url

# Keys of OpenAI's chat-completions create call (0.2 forwards every non-client key to it).
REQUEST_KEYS = frozenset(
    {
        "temperature",
        "top_p",
        "max_tokens",
        "max_completion_tokens",
        "n",
        "stop",
        "presence_penalty",
        "frequency_penalty",
        "logit_bias",
        "seed",
        "response_format",
        "tools",
        "tool_choice",
        "functions",
        "function_call",
        "user",
        "stream",
        "stream_options",
        "logprobs",
        "top_logprobs",
        "parallel_tool_calls",
        "extra_body",
        "extra_headers",
        "extra_query",
        "service_tier",
        "metadata",
        "store",
        "modalities",
        "audio",
        "prediction",
        "reasoning_effort",
    }
)
# Keys AutoGen 0.2 reads itself or hands to the OpenAI / Azure client constructors.
CLASSIC_KEYS = frozenset(
    {
        "api_type",
        "api_version",
        "base_url",
        "api_key",
        "tags",
        "price",
        "model_client_cls",
        "cache_seed",
        "cache",
        "config_list",
        "timeout",
        "max_retries",
        "azure_ad_token",
        "azure_ad_token_provider",
        "azure_endpoint",
        "azure_deployment",
        "organization",
        "project",
        "default_headers",
        "default_query",
        "http_client",
        "filter_func",
        "context",
        "agent",
        "allow_format_str_template",
        "websocket_base_url",
    }
)
# Keys the non-OpenAI clients of 0.2 (Gemini, Anthropic, Mistral, Together, Groq, Cohere,
# Bedrock, Ollama) read; accepted so that their config lists load unchanged.
PROVIDER_KEYS = frozenset(
    {
        "top_k",
        "min_p",
        "repetition_penalty",
        "random_seed",
        "safe_prompt",
        "safety_model",
        "safety_settings",
        "stop_sequences",
        "system",
        "system_instruction",
        "project_id",
        "location",
        "credentials",
        "google_application_credentials",
        "response_validation",
        "max_input_tokens",
        "connectors",
        "force_single_step",
        "preamble",
        "k",
        "p",
        "aws_region",
        "aws_access_key",
        "aws_secret_key",
        "aws_session_token",
        "aws_profile_name",
        "num_ctx",
        "num_predict",
        "client_host",
        "hide_tools",
        "native_tool_calls",
        "stream_callback",
        "stream_output",
        "choices",
        "max_string_chars",
    }
)
# An unknown key this similar to a known one is a misspelling; anything else passes through
# (0.2 forwards it to the create call, and custom clients read keys of their own).
MISSPELLING_CUTOFF = 0.85

Check = Callable[[Any], str | None]


def _is_number(value: Any) -> bool:
    is_real = isinstance(value, (int, float)) and not isinstance(value, bool)
    return is_real and math.isfinite(value)


def _number(value: Any) -> str | None:
    return None if _is_number(value) else "must be a number"


def _positive_number(value: Any) -> str | None:
    return None if _is_number(value) and value > 0 else "must be a number of seconds > 0"


def _timeout(value: Any) -> str | None:
    # An httpx.Timeout object is accepted as the SDK does; text and numbers <= 0 are not.
    if isinstance(value, (str, bytes, bool, list, tuple, dict)) or (
        isinstance(value, (int, float)) and not value > 0
    ):
        return "must be a number of seconds > 0"
    return None


def _int_at_least(low: int) -> Check:
    def check(value: Any) -> str | None:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
        return None if ok else f"must be an integer >= {low}"

    return check


def _int(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool)
    return None if ok else "must be an integer"


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a string"


def _non_empty_string(value: Any) -> str | None:
    return None if isinstance(value, str) and value else "must be a non-empty string"


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be True or False"


def _dict(value: Any) -> str | None:
    return None if isinstance(value, Mapping) else "must be a dict"


def _headers(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return "must be a dict of header name -> value"
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return "must map header names (str) to values (str)"
    return None


def _list(value: Any) -> str | None:
    return None if isinstance(value, list) else "must be a list"


def _string_list(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    return None if ok else "must be a list of strings"


def _stop(value: Any) -> str | None:
    if isinstance(value, str) or _string_list(value) is None:
        return None
    return "must be a string or a list of strings"


def _price(value: Any) -> str | None:
    ok = (
        isinstance(value, (list, tuple))
        and len(value) == 2
        and all(_is_number(p) and p >= 0 for p in value)
    )
    return None if ok else "must be [prompt, completion] dollars per 1K tokens"


def _url(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a URL string such as 'http://localhost:8000/v1'"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be an http:// or https:// URL such as 'http://localhost:8000/v1'"
    return None


FIELD_CHECKS: dict[str, Check] = {
    "api_key": _string,
    "api_type": _non_empty_string,
    "api_version": _string,
    "azure_ad_token": _string,
    "azure_endpoint": _url,
    "azure_deployment": _string,
    "organization": _string,
    "base_url": _url,
    "timeout": _timeout,
    "max_retries": _int_at_least(0),
    "temperature": _number,
    "top_p": _number,
    "presence_penalty": _number,
    "frequency_penalty": _number,
    "max_tokens": _int_at_least(1),
    "max_completion_tokens": _int_at_least(1),
    "n": _int_at_least(1),
    "seed": _int,
    "top_logprobs": _int_at_least(0),
    "stop": _stop,
    "stream": _bool,
    "logprobs": _bool,
    "parallel_tool_calls": _bool,
    "tags": _string_list,
    "price": _price,
    "extra_headers": _headers,
    "default_headers": _headers,
    "extra_query": _dict,
    "default_query": _dict,
    "extra_body": _dict,
    "logit_bias": _dict,
    "tools": _list,
    "functions": _list,
    "model_client_cls": _non_empty_string,
    "max_connections": _int_at_least(1),
    "context_window": _int_at_least(1),
    "max_context_tokens": _int_at_least(1),
}
# Optional fields may be None ("not set"), as in 0.2.
_MAY_BE_NONE = frozenset(FIELD_CHECKS) - {"tags"}
_SHOW_AS_URL = frozenset({"base_url", "azure_endpoint"})


def check_fields(entry: Mapping[str, Any], where: str) -> None:
    """Raise ``ConfigError`` naming ``where[key]`` for the first field of the wrong type."""
    for key, value in entry.items():
        check = FIELD_CHECKS.get(key)
        if check is None or (value is None and key in _MAY_BE_NONE):
            continue
        problem = check(value)
        if problem is not None:
            shown = redact_url(value) if key in _SHOW_AS_URL and isinstance(value, str) else value
            raise ConfigError(f"{where}[{key!r}]", shown, problem)


def check_keys(entry: Mapping[str, Any], where: str, known: frozenset[str]) -> None:
    """Refuse a key that is a near-miss of a known key (``temprature``), with a did-you-mean."""
    for key in entry:
        if not isinstance(key, str):
            raise ConfigError(f"{where}[{key!r}]", key, "config keys must be strings")
        if key in known:
            continue
        import difflib  # only for unknown keys; keeps `import convogen` light

        close = difflib.get_close_matches(key, known, n=1, cutoff=MISSPELLING_CUTOFF)
        if close:
            raise ConfigError(
                f"{where}[{key!r}]",
                "<value not shown>",
                f"unknown key {key!r}; did you mean {close[0]!r}?",
            )
