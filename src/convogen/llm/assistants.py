"""Helpers for the OpenAI Assistants API (v2): find, create and update assistants.

They take an ``openai.OpenAI`` client built by the caller; nothing here imports ``openai``.
"""

from __future__ import annotations

import copy
import importlib.metadata
import logging
from typing import Any

from convogen.errors import ConfigError

logger = logging.getLogger(__name__)


def detect_gpt_assistant_api_version() -> str:
    """'v2' for openai >= 1.21 (the only version convogen supports), else 'v1'."""
    try:
        version = importlib.metadata.version("openai")
    except importlib.metadata.PackageNotFoundError:
        return "v2"
    major, minor = (int(part) for part in version.split(".")[:2])
    return "v1" if (major, minor) < (1, 21) else "v2"


def retrieve_assistants_by_name(client: Any, name: str) -> list[Any]:
    """The assistants of ``client`` named ``name``."""
    return [a for a in client.beta.assistants.list().data if a.name == name]


def create_gpt_vector_store(client: Any, name: str, fild_ids: list[str]) -> Any:
    """A vector store named ``name`` holding the uploaded files ``fild_ids`` (0.2's spelling)."""
    store = client.beta.vector_stores.create(name=name)
    batch = client.beta.vector_stores.file_batches.create_and_poll(
        vector_store_id=store.id, file_ids=fild_ids
    )
    if batch.status != "completed":
        raise ConfigError("fild_ids", fild_ids, f"upload to vector store ended {batch.status!r}")
    return store


def _v2_tools(client: Any, name: str, assistant_config: dict[str, Any]) -> dict[str, Any]:
    tools = copy.deepcopy(assistant_config.get("tools", []))
    resources = dict(assistant_config.get("tool_resources") or {})
    file_ids = assistant_config.get("file_ids")
    if resources.get("file_search") is not None and file_ids is not None:
        raise ConfigError(
            "assistant_config", "file_ids", "give tool_resources['file_search'] or file_ids"
        )
    for tool in tools:
        if tool["type"] == "retrieval":
            tool["type"] = "file_search"  # the v1 name
        if tool["type"] == "file_search" and file_ids is not None:
            store = create_gpt_vector_store(client, f"{name}-vectorestore", file_ids)
            resources["file_search"] = {"vector_store_ids": [store.id]}
        elif tool["type"] == "code_interpreter" and file_ids is not None:
            resources["code_interpreter"] = {"file_ids": file_ids}
    kwargs: dict[str, Any] = {"tools": tools}
    if resources:
        kwargs["tool_resources"] = resources
    return kwargs


def create_gpt_assistant(
    client: Any, name: str, instructions: str, model: str, assistant_config: dict[str, Any]
) -> Any:
    """Create an assistant with the tools (and files) of ``assistant_config``."""
    kwargs = _v2_tools(client, name, assistant_config)
    logger.info("creating assistant %r with %s", name, kwargs)
    return client.beta.assistants.create(
        name=name, instructions=instructions, model=model, **kwargs
    )


def update_gpt_assistant(client: Any, assistant_id: str, assistant_config: dict[str, Any]) -> Any:
    """Update tools, instructions and tool resources of an assistant."""
    keys = ("tools", "instructions", "tool_resources")
    kwargs = {k: assistant_config[k] for k in keys if assistant_config.get(k) is not None}
    return client.beta.assistants.update(assistant_id=assistant_id, **kwargs)


__all__ = [
    "create_gpt_assistant",
    "create_gpt_vector_store",
    "detect_gpt_assistant_api_version",
    "retrieve_assistants_by_name",
    "update_gpt_assistant",
]
