"""Creating a Python virtual environment for the local executor to run code in."""

from __future__ import annotations

import venv
from pathlib import Path
from types import SimpleNamespace
from typing import Any


def create_virtual_env(dir_path: str | Path, **env_args: Any) -> SimpleNamespace:
    """Create a venv at dir_path (with pip unless env_args say otherwise); return its context."""
    builder = venv.EnvBuilder(**(env_args or {"with_pip": True}))
    builder.create(str(dir_path))
    context: SimpleNamespace = builder.ensure_directories(str(dir_path))
    return context
