"""Building and filtering config lists: from JSON (env var or file), model names, .env files."""

from __future__ import annotations

import json
import logging
import os
import re
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


def _env_value_is_json(value: str) -> bool:
    return value.lstrip()[:1] in ("[", "{")


def _is_existing_file(value: str) -> bool:
    try:
        return Path(value).is_file()
    except (OSError, ValueError):
        # Too long for a path, or holding a NUL: not a file name.
        return False


class ConfigListNotFoundError(ConfigError, FileNotFoundError):
    """Neither the environment variable nor the file a config list was asked from exists.

    A ``ConfigError`` that is also the ``FileNotFoundError`` AutoGen 0.2 raised.
    """


def config_list_from_json(
    env_or_file: str = "OAI_CONFIG_LIST",
    file_location: str | Path | None = "",
    filter_dict: FilterDict | None = None,
) -> list[dict[str, Any]]:
    """Load a config list from the env var ``env_or_file`` or the file of that name.

    A non-empty env var may hold the path of a JSON file or the JSON itself; without it,
    ``<file_location>/<env_or_file>`` is read. Raises ``ConfigError`` naming the file and the
    JSON problem (line, column) or the invalid field (``ConfigListNotFoundError`` when neither
    exists).
    """
    value = os.environ.get(env_or_file)
    if value:
        if not _env_value_is_json(value) and _is_existing_file(value):
            return filter_config(_read_config_file(Path(value)), filter_dict)
        return filter_config(_parse_config_json(value, f"${env_or_file}"), filter_dict)
    path = Path(file_location or "") / env_or_file
    if not _is_existing_file(str(path)):
        raise ConfigListNotFoundError(
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


class KeyCountMismatchError(ConfigError, AssertionError):
    """``api_keys`` and ``base_urls`` differ in length: a ``ConfigError`` and 0.2's assertion."""

    def __str__(self) -> str:
        return self.problem  # 0.2's exact wording, which callers compare


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
        raise KeyCountMismatchError(
            "base_urls", base_urls, "The length of api_keys must match the length of base_urls"
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


DEFAULT_AZURE_API_VERSION = "2024-02-01"


def _read_lines(root: Path, name: str | None, env_var: str) -> list[str]:
    """Lines of ``root/name`` when that file exists, else of the env var (empty lines dropped)."""
    value: str | None = None
    if name is not None:
        path = root / name
        if _is_existing_file(str(path)):
            value = path.read_text(encoding="utf-8")
    if value is None:
        value = os.environ.get(env_var)
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _key_configs(
    root: Path, key_file: str | None, base_file: str | None, prefix: str, **extra: str
) -> list[dict[str, Any]]:
    keys = _read_lines(root, key_file, f"{prefix}_API_KEY")
    bases = _read_lines(root, base_file, f"{prefix}_API_BASE")
    if not keys:
        logger.info("no %s_API_KEY in the environment or %s", prefix, root / str(key_file))
        return []
    base_urls: list[str | None] | None = None
    if bases:
        base_urls = (list(bases) + [None] * len(keys))[: len(keys)]
    return get_config_list(keys, base_urls=base_urls, **extra)


def config_list_openai_aoai(
    key_file_path: str | Path | None = ".",
    openai_api_key_file: str | None = "key_openai.txt",
    aoai_api_key_file: str | None = "key_aoai.txt",
    openai_api_base_file: str | None = "base_openai.txt",
    aoai_api_base_file: str | None = "base_aoai.txt",
    exclude: str | None = None,
) -> list[dict[str, Any]]:
    """Key entries for OpenAI and Azure OpenAI from key/base files or the environment.

    A file (one value per line) wins over its env var (``OPENAI_API_KEY``, ``OPENAI_API_BASE``,
    ``AZURE_OPENAI_API_KEY``, ``AZURE_OPENAI_API_BASE``); ``exclude`` is "openai" or "aoai".
    """
    if exclude not in (None, "openai", "aoai"):
        raise ConfigError("exclude", exclude, "must be None, 'openai' or 'aoai'")
    root = Path(key_file_path) if key_file_path is not None else None
    openai_configs: list[dict[str, Any]] = []
    aoai_configs: list[dict[str, Any]] = []
    if exclude != "openai":
        files = (openai_api_key_file, openai_api_base_file) if root else (None, None)
        openai_configs = _key_configs(root or Path("."), *files, prefix="OPENAI")
    if exclude != "aoai":
        files = (aoai_api_key_file, aoai_api_base_file) if root else (None, None)
        aoai_configs = _key_configs(
            root or Path("."),
            *files,
            prefix="AZURE_OPENAI",
            api_type="azure",
            api_version=DEFAULT_AZURE_API_VERSION,
        )
    return openai_configs + aoai_configs


def config_list_from_models(
    key_file_path: str | Path | None = ".",
    openai_api_key_file: str | None = "key_openai.txt",
    aoai_api_key_file: str | None = "key_aoai.txt",
    aoai_api_base_file: str | None = "base_aoai.txt",
    exclude: str | None = None,
    model_list: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """``config_list_openai_aoai`` entries, one copy per model in ``model_list`` (if given)."""
    if isinstance(model_list, str):
        raise ConfigError("model_list", model_list, "must be a list of model names")
    configs = config_list_openai_aoai(
        key_file_path=key_file_path,
        openai_api_key_file=openai_api_key_file,
        aoai_api_key_file=aoai_api_key_file,
        aoai_api_base_file=aoai_api_base_file,
        exclude=exclude,
    )
    if not model_list:
        return configs
    return [{**config, "model": model} for model in model_list for config in configs]


def config_list_gpt4_gpt35(
    key_file_path: str | Path | None = ".",
    openai_api_key_file: str | None = "key_openai.txt",
    aoai_api_key_file: str | None = "key_aoai.txt",
    aoai_api_base_file: str | None = "base_aoai.txt",
    exclude: str | None = None,
) -> list[dict[str, Any]]:
    """``config_list_from_models`` for gpt-4 and gpt-3.5-turbo."""
    return config_list_from_models(
        key_file_path,
        openai_api_key_file,
        aoai_api_key_file,
        aoai_api_base_file,
        exclude,
        model_list=["gpt-4", "gpt-3.5-turbo"],
    )


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


DEFAULT_DOTENV_MODEL_MAP: dict[str, str] = {
    "gpt-4": "OPENAI_API_KEY",
    "gpt-3.5-turbo": "OPENAI_API_KEY",
}


def config_list_from_dotenv(
    dotenv_file_path: str | Path | None = None,
    model_api_key_map: Mapping[str, str | Mapping[str, Any]] | None = None,
    filter_dict: FilterDict | None = None,
) -> list[dict[str, Any]]:
    """Load a .env file into the environment (existing variables win) and build entries.

    ``model_api_key_map`` maps a model to the env var of its key, or to a dict with
    ``api_key_env_var`` plus other entry fields (``base_url``, ``api_type``...). The default maps
    gpt-4 and gpt-3.5-turbo to ``OPENAI_API_KEY``. Models whose variable is unset are skipped.
    """
    _load_dotenv(dotenv_file_path)
    mapping = model_api_key_map or DEFAULT_DOTENV_MODEL_MAP
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
            logger.warning(
                "API key not found or empty for model %s (environment variable %s)", model, env_var
            )
            continue
        config_list.append({"model": model, "api_key": api_key, **extra})
    if not config_list:
        logger.error("No configurations loaded.")
    return filter_config(config_list, filter_dict)


def _load_dotenv(path: str | Path | None) -> None:
    """Put a .env file's variables in the environment (existing ones win), as 0.2 does.

    With no path, ``./.env`` is used when present. A missing file is a warning, not an error:
    the configuration then comes from the environment alone.
    """
    if path is None:
        path = Path(".env")
        if not path.is_file():
            logger.warning("No .env file found. Loading configurations from environment variables.")
            return
    elif not Path(path).exists():
        logger.warning("The specified .env file %s does not exist.", path)
        return
    for name, value in parse_dotenv(path).items():
        os.environ.setdefault(name, value)


NON_CACHE_KEY: list[str] = [
    "api_key",
    "base_url",
    "api_type",
    "api_version",
    "azure_ad_token",
    "azure_ad_token_provider",
    "credentials",
]
"""Entry keys that never change a reply, so they stay out of classic cache keys."""

_OPENAI_KEY = re.compile(r"^sk-([A-Za-z0-9]+(-+[A-Za-z0-9]+)*-)?[A-Za-z0-9]{32,}$")


def get_config(
    api_key: str | None,
    base_url: str | None = None,
    api_type: str | None = None,
    api_version: str | None = None,
) -> dict[str, Any]:
    """One entry; ``base_url``, ``api_type`` and ``api_version`` may name env vars to read."""
    config: dict[str, Any] = {"api_key": api_key}
    for key, value in (
        ("base_url", base_url),
        ("api_type", api_type),
        ("api_version", api_version),
    ):
        if value:
            config[key] = os.getenv(value, default=value)
    return config


def get_key(config: Mapping[str, Any]) -> str:
    """A stable text key of a request config, credentials and endpoints left out."""
    kept = {k: v for k, v in config.items() if k not in NON_CACHE_KEY}
    return json.dumps(kept, sort_keys=True, default=repr)


def is_valid_api_key(api_key: str) -> bool:
    """True when ``api_key`` has the shape of an OpenAI key (``sk-...``)."""
    return bool(_OPENAI_KEY.fullmatch(api_key))
