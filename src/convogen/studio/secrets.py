"""No secret in the studio's store or answers: keys are environment-variable references.

Model configs name the variable that holds a key (``"api_key_env": "OPENAI_API_KEY"``); a
literal key submitted to the API is refused, and whatever the API returns passes through
`public_view`, which masks anything credential-like that got into a file some other way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from convogen.errors import ConfigError
from convogen.redaction import is_secret_name, redact
from convogen.specs import AgentSpec, TeamSpec
from convogen.specs.secrets import ENV_NAME_PATTERN, ENV_REF_KEY

_ENV_NAME = re.compile(ENV_NAME_PATTERN)
SECRET_HELP = (
    "the studio does not store secrets: put the key in an environment variable of the studio's "
    f'process and name it in the config entry, e.g. "{ENV_REF_KEY}": "OPENAI_API_KEY"'
)


def public_view(value: Any, *, scrub_known: bool = True) -> Any:
    """A copy of JSON-like ``value`` with credentials masked (variable references kept)."""
    if isinstance(value, Mapping):
        return {key: _public_item(key, item, scrub_known) for key, item in value.items()}
    if isinstance(value, list):
        return [public_view(item, scrub_known=scrub_known) for item in value]
    return redact(value, scrub_known=scrub_known)


def _public_item(key: Any, value: Any, scrub_known: bool) -> Any:
    if key == ENV_REF_KEY and isinstance(value, str) and _ENV_NAME.match(value):
        return value  # the name of a variable, not its value
    if isinstance(key, str) and is_secret_name(key):
        return redact({key: value}, scrub_known=scrub_known)[key]
    return public_view(value, scrub_known=scrub_known)


def _configs(spec: AgentSpec | TeamSpec) -> Iterator[tuple[str, Any]]:
    if isinstance(spec, AgentSpec):
        yield "llm_config", spec.llm_config
        return
    for agent in spec.agents:
        yield f"agents[{agent.name}].llm_config", agent.llm_config
    yield "manager_llm_config", spec.manager_llm_config


def refuse_plain_secrets(spec: AgentSpec | TeamSpec) -> None:
    """A ConfigError naming the field when a model config of ``spec`` holds a literal secret."""
    for field, config in _configs(spec):
        # What the spec itself shows to be a credential, not text that happens to contain a
        # secret remembered from another config of this process.
        where = _first_masked(config, public_view(config, scrub_known=False), field)
        if where is not None:
            raise ConfigError(where, None, SECRET_HELP)


def _first_masked(original: Any, shown: Any, field: str) -> str | None:
    """The path of the first value that `public_view` masked, or None."""
    if isinstance(original, Mapping) and isinstance(shown, Mapping):
        for key, value in original.items():
            where = _first_masked(value, shown.get(key), f"{field}.{key}")
            if where is not None:
                return where
        return None
    if isinstance(original, list) and isinstance(shown, list):
        for index, (value, masked) in enumerate(zip(original, shown, strict=True)):
            where = _first_masked(value, masked, f"{field}[{index}]")
            if where is not None:
                return where
        return None
    return None if original == shown else field
