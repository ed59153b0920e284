"""The server stack serve-model needs (FastAPI and uvicorn), checked with a one-line error."""

from __future__ import annotations

import importlib.util

from convogen.errors import ConfigError

SERVER_STACK_INSTALL = "pip install 'convogen[studio]'"


def require_server_stack() -> None:
    """Raise ConfigError naming the install command when FastAPI or uvicorn is missing."""
    missing = [name for name in ("fastapi", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        raise ConfigError(
            "serve-model",
            ", ".join(missing),
            f"the model server needs FastAPI and uvicorn; install them: {SERVER_STACK_INSTALL}",
        )
