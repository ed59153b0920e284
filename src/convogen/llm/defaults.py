"""The model used when an agent is given no model configuration: the embedded SmolLM2 model."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from convogen.errors import ConfigError

if TYPE_CHECKING:
    from convogen.agents.io import IOStream
    from convogen.llm.wrapper import OpenAIWrapper

DEFAULT_MODEL_ENTRY: dict[str, Any] = {"model": "SmolLM2-135M-Instruct", "api_type": "local"}
"""The config entry of the embedded model; ``llm_config`` keys such as ``model_path`` add to it."""

DEFAULT_MAX_TOKENS = 512
"""Reply length cap unless ``llm_config`` sets ``max_tokens``: a 135M model can ramble on."""

_notice_lock = threading.Lock()
_notice_shown = False


def _show_notice_once(io: IOStream, model: str) -> None:
    global _notice_shown
    with _notice_lock:
        if _notice_shown:
            return
        _notice_shown = True
    io.print(
        f"convogen: llm_config names no model; using the embedded {model} model "
        "(llama.cpp, CPU). Pass llm_config={'config_list': [...]} to use another model."
    )


def default_llm_client(llm_config: dict[str, Any], io: IOStream) -> OpenAIWrapper:
    """Build the client for an agent without a model configuration (the embedded model).

    Request options in ``llm_config`` (temperature, max_tokens, ...) apply to every request;
    ``model_path``, ``n_ctx`` and ``n_threads`` select and size the local model. The loaded
    model is shared by every agent in the process.
    """
    if not isinstance(llm_config, dict):
        raise ConfigError("llm_config", llm_config, "must be a dict")
    import convogen.llm.local  # noqa: F401  (registers api_type 'local')
    from convogen.llm.local.model_file import require_llama_cpp
    from convogen.llm.wrapper import OpenAIWrapper

    options = {k: v for k, v in llm_config.items() if k not in ("config_list", "api_type")}
    options.setdefault("max_tokens", DEFAULT_MAX_TOKENS)
    entry = dict(DEFAULT_MODEL_ENTRY)
    if options.get("model_path") is not None:
        entry["model"] = Path(str(options["model_path"])).stem
    try:
        require_llama_cpp()
        wrapper = OpenAIWrapper(config_list=[entry], **options)
    except ConfigError as exc:
        raise ConfigError(
            "llm_config",
            llm_config,
            "names no model (no 'config_list' or 'model') and the embedded default model is "
            f"unavailable ({exc}); install it or pass llm_config={{'config_list': [...]}}",
        ) from exc
    _show_notice_once(io, entry["model"])
    return wrapper
