"""Validation of ``llm_config`` and of config-list entries."""

from __future__ import annotations

from typing import Any

from convogen.errors import ConfigError

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


def validate_llm_config(llm_config: object) -> dict[str, Any] | None:
    """Return a normalised copy of ``llm_config``; ``False`` means no LLM, ``None`` means default.

    Raises ``ConfigError`` naming the field when the value has the wrong shape.
    """
    if llm_config is None:
        return None
    if llm_config is False:
        return None
    if not isinstance(llm_config, dict):
        raise ConfigError(
            "llm_config", llm_config, f"must be a dict or False, not {type(llm_config).__name__}"
        )
    config = dict(llm_config)
    config_list = config.get("config_list")
    if config_list is not None:
        if not isinstance(config_list, list):
            raise ConfigError("llm_config['config_list']", config_list, "must be a list of dicts")
        if not config_list:
            raise ConfigError("llm_config['config_list']", config_list, "must not be empty")
        config["config_list"] = [validate_config_entry(e, i) for i, e in enumerate(config_list)]
    elif "model" in config or "api_type" in config or "model_client_cls" in config:
        validate_config_entry(config, 0)
    return config


def validate_config_entry(entry: object, index: int) -> dict[str, Any]:
    """Check one config-list entry (a dict with at least a string ``model``)."""
    field = f"config_list[{index}]"
    if not isinstance(entry, dict):
        raise ConfigError(field, entry, "must be a dict")
    model = entry.get("model")
    if not isinstance(model, str) or not model:
        raise ConfigError(f"{field}['model']", model, "must be a non-empty string")
    price = entry.get("price")
    if price is not None and (
        not isinstance(price, (list, tuple))
        or len(price) != 2
        or not all(isinstance(p, (int, float)) and p >= 0 for p in price)
    ):
        raise ConfigError(
            f"{field}['price']", price, "must be [prompt, completion] dollars per 1K tokens"
        )
    return dict(entry)


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
