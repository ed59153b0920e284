"""Validation of ``llm_config`` and of config-list entries, once, into typed ``ModelEntry``s.

``parse_llm_config`` checks an ``llm_config`` and each entry of its ``config_list`` and returns
both views: the normalised dict (``agent.llm_config``, which 0.2 code reads and mutates) and one
``ModelEntry`` per model, the wrapper-wide options merged in, which the wrapper consumes as is.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from convogen.errors import ConfigError
from convogen.llm.config_fields import (
    CLASSIC_KEYS,
    PROVIDER_KEYS,
    REQUEST_KEYS,
    check_fields,
    check_keys,
)
from convogen.redaction import redact_url, remember_config_secrets

# Keys that configure how a client is built, not what a single request asks for.
CLIENT_KEYS = frozenset(
    {
        "model",
        "api_type",
        "api_key",
        "base_url",
        "api_version",
        "azure_endpoint",
        "azure_deployment",
        "organization",
        "replies",
        "on_exhausted",
        "model_client_cls",
        "model_path",
        "price",
        "tags",
        "timeout",
        "max_retries",
        "max_connections",
        "default_headers",
        "n_ctx",
        "n_threads",
        "context_window",  # the model's window in tokens, for the overflow check (llm/context.py)
        "max_context_tokens",  # another name for context_window
    }
)
# Keys the wrapper itself consumes.
WRAPPER_KEYS = frozenset(
    {
        "config_list",
        "cache_seed",
        "cache",
        "cache_path_root",
        "retry_policy",
        "filter_func",
        "allow_format_str_template",
    }
)


# Every key a config entry or llm_config may hold without being taken for a misspelling.
KNOWN_KEYS = CLIENT_KEYS | WRAPPER_KEYS | REQUEST_KEYS | CLASSIC_KEYS | PROVIDER_KEYS | {"model"}
# API types whose keys are all known here (convogen's own and those of AutoGen 0.2).
KNOWN_API_TYPES = frozenset(
    {
        "openai",
        "azure",
        "scripted",
        "local",
        "google",
        "anthropic",
        "mistral",
        "together",
        "groq",
        "cohere",
        "bedrock",
        "ollama",
        "cerebras",
    }
)
# Keys of 0.1-era OpenAI configs that 0.2 users still have, and the key each one became.
LEGACY_KEYS = {"api_base": "base_url"}


@dataclass(frozen=True)
class ModelEntry:
    """One validated config entry: what builds its client and what each request carries."""

    model: str
    api_type: str | None
    base_url: str | None
    api_key: str | None
    model_client_cls: str | None
    max_retries: int | None
    client_options: dict[str, Any]
    params: dict[str, Any]
    source: dict[str, Any]

    @classmethod
    def from_checked(cls, entry: dict[str, Any]) -> ModelEntry:
        """The typed form of an entry ``validate_config_entry`` has already checked."""
        client_options, params = split_entry(entry)
        return cls(
            model=entry["model"],
            api_type=entry.get("api_type", "openai"),
            base_url=entry.get("base_url"),
            api_key=entry.get("api_key"),
            model_client_cls=entry.get("model_client_cls"),
            max_retries=entry.get("max_retries"),
            client_options=client_options,
            params=params,
            source=entry,
        )


@dataclass(frozen=True)
class LLMConfig:
    """A checked ``llm_config``: the dict view agents expose, and its typed model entries."""

    view: dict[str, Any]
    entries: tuple[ModelEntry, ...]


def parse_llm_config(llm_config: object) -> LLMConfig | None:
    """Check ``llm_config`` once; ``None`` for ``None``/``False`` (no LLM, or the default).

    ``entries`` is empty when the config names no model (``has_model_configuration``).
    """
    view = validate_llm_config(llm_config)
    if view is None:
        return None
    if not has_model_configuration(view):
        return LLMConfig(view, ())
    shared = {k: v for k, v in view.items() if k not in WRAPPER_KEYS and k != "model"}
    listed = view.get("config_list") or [{k: v for k, v in view.items() if k not in WRAPPER_KEYS}]
    # Both halves are checked already: merging them needs no second check.
    entries = tuple(ModelEntry.from_checked({**shared, **entry}) for entry in listed)
    return LLMConfig(view, entries)


def model_entries(
    config_list: Sequence[dict[str, Any] | ModelEntry], shared: dict[str, Any]
) -> tuple[ModelEntry, ...]:
    """Typed entries of a config list given directly: each dict checked with ``shared`` under it.

    ``ModelEntry`` items were checked when they were made and are taken as they are.
    """
    return tuple(
        entry
        if isinstance(entry, ModelEntry)
        else ModelEntry.from_checked(_merged_entry(shared, entry, index))
        for index, entry in enumerate(config_list)
    )


def _merged_entry(shared: dict[str, Any], entry: object, index: int) -> dict[str, Any]:
    """One config entry with the wrapper-wide options under it, validated as a whole."""
    if not isinstance(entry, dict):
        return validate_config_entry(entry, index)  # raises, naming the entry
    return validate_config_entry({**shared, **entry}, index)


def validate_llm_config(llm_config: object) -> dict[str, Any] | None:
    """Return a normalised copy of ``llm_config``; ``False`` means no LLM, ``None`` means default.

    Raises ``ConfigError`` naming the field when the value has the wrong shape.
    """
    if llm_config is None or llm_config is False:
        return None
    if isinstance(llm_config, list):
        raise ConfigError(
            "llm_config",
            llm_config,
            "must be a dict or False, not a list; a config list goes under 'config_list': "
            "llm_config={'config_list': [...]}",
        )
    if not isinstance(llm_config, dict):
        raise ConfigError(
            "llm_config", llm_config, f"must be a dict or False, not {type(llm_config).__name__}"
        )
    config = _normalise(llm_config, "llm_config")
    config_list = config.get("config_list")
    if config_list is not None:
        if not isinstance(config_list, list):
            raise ConfigError(
                "llm_config['config_list']",
                config_list,
                f"must be a list of dicts, not {type(config_list).__name__}",
            )
        if not config_list:
            raise ConfigError(
                "llm_config['config_list']", config_list, f"must not be empty; {_NEED_MODEL}"
            )
        config["config_list"] = [validate_config_entry(e, i) for i, e in enumerate(config_list)]
        # Options beside the list (a shared api_key) are credentials of every entry too.
        remember_config_secrets({k: v for k, v in config.items() if k != "config_list"})
    elif "model" in config or "api_type" in config or "model_client_cls" in config:
        _check_model(config, "llm_config")
        remember_config_secrets(config)
    return config


def validate_config_entry(entry: object, index: int) -> dict[str, Any]:
    """Check one config-list entry (a dict with at least a string ``model``); return a copy.

    Legacy keys are renamed (``api_base`` -> ``base_url``, with a ``DeprecationWarning``), a key
    that looks like a misspelling of a known one is refused with a did-you-mean, and every known
    field is type-checked. Entries naming a ``model_client_cls`` keep unknown keys untouched:
    custom clients read keys of their own.
    """
    field = f"config_list[{index}]"
    if not isinstance(entry, dict):
        raise ConfigError(field, entry, f"must be a dict, not {type(entry).__name__}")
    checked = _normalise(entry, field)
    _check_model(checked, field)
    remember_config_secrets(checked)
    return checked


# The sentence AutoGen 0.2 raises for a missing model, which 0.2 scripts and tests match on.
_NEED_MODEL = (
    "When using OpenAI or Azure OpenAI endpoints, specify a non-empty 'model' either in "
    "'llm_config' or in each config of 'config_list'."
)


def _check_model(config: dict[str, Any], where: str) -> None:
    model = config.get("model")
    if not isinstance(model, str) or not model:
        raise ConfigError(f"{where}['model']", model, f"must be a non-empty string; {_NEED_MODEL}")


def _normalise(config: dict[str, Any], where: str) -> dict[str, Any]:
    """A copy with legacy keys renamed, misspelt keys refused and known fields type-checked."""
    out = dict(config)
    for old, new in LEGACY_KEYS.items():
        if old not in out:
            continue
        if new in out and out[new] != out[old]:
            raise ConfigError(
                f"{where}[{old!r}]",
                redact_url(out[old]) if isinstance(out[old], str) else out[old],
                f"{old!r} is the old name of {new!r}, and both are set to different values",
            )
        warnings.warn(
            f"{where}[{old!r}] is deprecated; use {new!r} (the value was used as {new!r})",
            DeprecationWarning,
            stacklevel=4,
        )
        out[new] = out.pop(old)
    # Custom clients (model_client_cls, or an api_type registered by the user) read keys of
    # their own, so only entries for the built-in and classic API types are spell-checked.
    if "model_client_cls" not in out and out.get("api_type", "openai") in KNOWN_API_TYPES:
        check_keys(out, where, KNOWN_KEYS)
    check_fields(out, where)
    return out


def has_model_configuration(config: dict[str, Any] | None) -> bool:
    """True when the config names at least one model (or a custom client)."""
    if not config:
        return False
    return bool(config.get("config_list")) or "model" in config or "model_client_cls" in config


def split_entry(entry: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split an entry into (client construction keys, per-request params)."""
    client = {k: v for k, v in entry.items() if k in CLIENT_KEYS}
    params = {k: v for k, v in entry.items() if k not in CLIENT_KEYS and k not in WRAPPER_KEYS}
    return client, params
