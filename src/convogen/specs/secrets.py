"""Model credentials in specs as environment-variable references, resolved only when built.

A config entry (or an ``llm_config`` with a top-level ``model``) may say
``"api_key_env": "OPENAI_API_KEY"``: the key is read from that variable when the agent is
built, so spec files, the studio's store and its API never hold the key itself.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from typing import Any

from convogen.errors import ConfigError

ENV_REF_KEY = "api_key_env"
# Upper case by convention: it also keeps a pasted key (mixed case, dashes) from passing as a name.
ENV_NAME_PATTERN = r"^[A-Z_][A-Z0-9_]{0,127}$"
_ENV_NAME = re.compile(ENV_NAME_PATTERN)


def _entries(llm_config: Mapping[str, Any], field: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Each place of ``llm_config`` that can hold a key, with its field path."""
    yield field, llm_config
    config_list = llm_config.get("config_list")
    if isinstance(config_list, list):
        for index, entry in enumerate(config_list):
            if isinstance(entry, Mapping):
                yield f"{field}.config_list[{index}]", entry


def check_env_refs(llm_config: object, field: str = "llm_config") -> None:
    """Refuse a malformed ``api_key_env`` (not a variable name, or given with ``api_key``)."""
    if not isinstance(llm_config, Mapping):
        return
    for where, entry in _entries(llm_config, field):
        if ENV_REF_KEY not in entry:
            continue
        name = entry[ENV_REF_KEY]
        if not isinstance(name, str) or not _ENV_NAME.match(name):
            raise ConfigError(
                f"{where}.{ENV_REF_KEY}",
                None,
                f"must be the name of an environment variable matching {ENV_NAME_PATTERN}",
            )
        if entry.get("api_key") is not None:
            raise ConfigError(f"{where}.api_key", None, f"give api_key or {ENV_REF_KEY}")


def resolve_env_refs(llm_config: Any, field: str = "llm_config") -> Any:
    """A copy of ``llm_config`` whose ``api_key_env`` references are replaced by the keys."""
    if not isinstance(llm_config, Mapping):
        return llm_config
    check_env_refs(llm_config, field)
    resolved = _resolve_entry(llm_config, field)
    config_list = resolved.get("config_list")
    if isinstance(config_list, list):
        resolved["config_list"] = [
            _resolve_entry(e, f"{field}.config_list[{i}]") if isinstance(e, Mapping) else e
            for i, e in enumerate(config_list)
        ]
    return resolved


def _resolve_entry(entry: Mapping[str, Any], field: str) -> dict[str, Any]:
    copy = dict(entry)
    name = copy.pop(ENV_REF_KEY, None)
    if name is None:
        return copy
    value = os.environ.get(name)
    if not value:
        # The value is None: an error on a key-named field would take the name for a secret.
        raise ConfigError(
            f"{field}.{ENV_REF_KEY}", None, f"the environment variable {name} is not set"
        )
    copy["api_key"] = value
    return copy
