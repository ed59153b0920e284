"""The model used when an agent is given no model configuration at all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from convogen.errors import ConfigError

if TYPE_CHECKING:
    from convogen.agents.io import IOStream
    from convogen.llm.wrapper import OpenAIWrapper


def default_llm_client(llm_config: dict[str, Any], io: IOStream) -> OpenAIWrapper:
    """Build the client for an agent without a model configuration (the embedded model)."""
    raise ConfigError(
        "llm_config",
        llm_config,
        "names no model (no 'config_list' or 'model') and no embedded default model is "
        "available; pass llm_config={'config_list': [{'model': ..., ...}]}",
    )
