"""Building and filtering config lists: from JSON (env var or file), model names, .env files."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from convogen.errors import ConfigError
from convogen.llm.config import validate_config_entry

logger = logging.getLogger(__name__)

FilterDict = Mapping[str, Any]


def _acceptable(values: Any) -> list[Any]:
    # AutoGen's filter values are lists; a bare scalar is accepted as a one-element list
    # because {"model": "gpt-4"} is what people type, and a str must not be split per character.
    if isinstance(values, (list, tuple, set, frozenset)):
        return list(values)
    return [values]


def _matches(entry: Mapping[str, Any], filter_dict: FilterDict) -> bool:
    for key, values in filter_dict.items():
        accepted = _acceptable(values)
        actual = entry.get(key)
        if isinstance(actual, (list, tuple, set)):
            # List-valued fields (tags): any overlap with the accepted values is a match.
            if not any(item in accepted for item in actual):
                return False
        elif actual not in accepted:
            return False
    return True


def filter_config(
    config_list: Sequence[dict[str, Any]],
    filter_dict: FilterDict | None,
    exclude: bool = False,
) -> list[dict[str, Any]]:
    """Entries whose every ``filter_dict`` key holds one of the accepted values.

    ``{"model": ["gpt-4", "gpt-4o"], "tags": ["fast"]}`` keeps entries whose model is either name
    and whose tags include "fast". An entry without the key matches only if None is accepted.
    ``exclude=True`` returns the entries that do *not* match instead.
    """
    if not filter_dict:
        return list(config_list)
    if not isinstance(filter_dict, Mapping):
        raise ConfigError("filter_dict", filter_dict, "must be a dict of field -> accepted values")
    return [e for e in config_list if _matches(e, filter_dict) != exclude]


def _json_error(source: str, text: str, exc: json.JSONDecodeError) -> ConfigError:
    return ConfigError(
        source,
        text[:80],
        f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
    )


def _parse_config_json(text: str, source: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _json_error(source, text, exc) from exc
    if not isinstance(data, list):
        raise ConfigError(source, data, "must hold a JSON list of config dicts")
    entries: list[dict[str, Any]] = []
    for index, entry in enumerate(data):
        try:
            entries.append(validate_config_entry(entry, index))
        except ConfigError as exc:
            raise ConfigError(f"{source}: {exc.field}", exc.value, exc.problem) from exc
    return entries


def config_list_from_json(
    env_or_file: str = "OAI_CONFIG_LIST",
    file_location: str | Path = "",
    filter_dict: FilterDict | None = None,
) -> list[dict[str, Any]]:
    """Load a config list from the env var ``env_or_file`` or the file of that name.

    The env var may hold the JSON itself or the path of a JSON file; without the env var,
    ``<file_location>/<env_or_file>`` is read. Raises ``ConfigError`` naming the file and the
    JSON problem (line, column) or the invalid field.
    """
    value = os.environ.get(env_or_file)
    if value is not None:
        if Path(value).is_file():
            return filter_config(_read_config_file(Path(value)), filter_dict)
        return filter_config(_parse_config_json(value, f"${env_or_file}"), filter_dict)
    path = Path(file_location) / env_or_file
    if not path.is_file():
        raise ConfigError(
            "env_or_file",
            env_or_file,
            f"no environment variable {env_or_file} and no file {str(path)!r}",
        )
    return filter_config(_read_config_file(path), filter_dict)


def _read_config_file(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError("config file", str(path), f"cannot be read: {exc}") from exc
    return _parse_config_json(text, f"config file {str(path)!r}")


def get_config_list(
    api_keys: Sequence[str],
    base_urls: Sequence[str | None] | None = None,
    api_type: str | None = None,
    api_version: str | None = None,
) -> list[dict[str, Any]]:
    """One entry per non-empty API key (without ``model``: combine with model names later)."""
    if isinstance(api_keys, str):
        raise ConfigError("api_keys", api_keys, "must be a list of keys, not a single string")
    if base_urls is not None and len(base_urls) != len(api_keys):
        raise ConfigError(
            "base_urls", base_urls, f"must have one URL per API key ({len(api_keys)} keys)"
        )
    config_list: list[dict[str, Any]] = []
    for index, key in enumerate(api_keys):
        if not key or not key.strip():
            continue
        entry: dict[str, Any] = {"api_key": key.strip()}
        if base_urls is not None and base_urls[index]:
            entry["base_url"] = base_urls[index]
        if api_type:
            entry["api_type"] = api_type
        if api_version:
            entry["api_version"] = api_version
        config_list.append(entry)
    return config_list


def _lines_from_env_or_file(env_var: str, path: Path) -> list[str]:
    value = os.environ.get(env_var)
    if value is None and path.is_file():
        value = path.read_text(encoding="utf-8")
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def config_list_from_models(
    model_list: Iterable[str],
    key_file_path: str | Path = ".",
    openai_api_key_file: str = "key_openai.txt",
    openai_api_base_file: str = "base_openai.txt",
    exclude: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """One entry per (model, key): keys from ``OPENAI_API_KEY`` or the key file, one per line.

    Base URLs come from ``OPENAI_API_BASE`` or the base file (one per key, optional).
    """
    root = Path(key_file_path)
    keys = _lines_from_env_or_file("OPENAI_API_KEY", root / openai_api_key_file)
    if not keys:
        raise ConfigError(
            "OPENAI_API_KEY",
            None,
            f"not set and no key file {str(root / openai_api_key_file)!r}",
        )
    bases = _lines_from_env_or_file("OPENAI_API_BASE", root / openai_api_base_file)
    base_urls: list[str | None] | None = None
    if bases:
        base_urls = list(bases) + [None] * (len(keys) - len(bases))
    key_configs = get_config_list(keys, base_urls=base_urls[: len(keys)] if base_urls else None)
    excluded = set(exclude or ())
    return [
        {**key_config, "model": model}
        for model in model_list
        if model not in excluded
        for key_config in key_configs
    ]


def parse_dotenv(path: str | Path) -> dict[str, str]:
    """``KEY=VALUE`` lines of a .env file (``export``, quotes and ``#`` comments allowed)."""
    file = Path(path)
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError("dotenv_file_path", str(file), f"cannot be read: {exc}") from exc
    values: dict[str, str] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        name, sep, value = line.partition("=")
        if not sep or not name.strip().isidentifier():
            raise ConfigError(
                f"{file}:{number}", raw, "expected KEY=VALUE (a variable name, '=', a value)"
            )
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[name.strip()] = value
    return values


def config_list_from_dotenv(
    dotenv_file_path: str | Path | None = None,
    model_api_key_map: Mapping[str, str | Mapping[str, Any]] | None = None,
    filter_dict: FilterDict | None = None,
) -> list[dict[str, Any]]:
    """Load a .env file into the environment (existing variables win) and build entries.

    ``model_api_key_map`` maps a model to the env var of its key, or to a dict with
    ``api_key_env_var`` plus other entry fields (``base_url``, ``api_type``...). The default maps
    gpt-4o and gpt-4o-mini to ``OPENAI_API_KEY``. Models whose variable is unset are skipped.
    """
    if dotenv_file_path is not None:
        for name, value in parse_dotenv(dotenv_file_path).items():
            os.environ.setdefault(name, value)
    mapping = model_api_key_map or {"gpt-4o": "OPENAI_API_KEY", "gpt-4o-mini": "OPENAI_API_KEY"}
    config_list: list[dict[str, Any]] = []
    for model, spec in mapping.items():
        if isinstance(spec, str):
            env_var, extra = spec, {}
        elif isinstance(spec, Mapping) and isinstance(spec.get("api_key_env_var"), str):
            env_var = spec["api_key_env_var"]
            extra = {k: v for k, v in spec.items() if k != "api_key_env_var"}
        else:
            raise ConfigError(
                f"model_api_key_map[{model!r}]",
                spec,
                "must be an env var name or a dict with 'api_key_env_var'",
            )
        api_key = os.environ.get(env_var)
        if not api_key:
            logger.warning("skipping model %r: environment variable %s is not set", model, env_var)
            continue
        config_list.append({"model": model, "api_key": api_key, **extra})
    return filter_config(config_list, filter_dict)
