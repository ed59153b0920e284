"""Ready teams that run offline, added to a studio's library the first time it starts."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from convogen.studio.definitions import LOCAL_MODEL, StudioAgent, TeamDraft, ToolDef
from convogen.studio.library import ConflictError, SpecLibrary

MARKER = ".gallery-added"


def _scripted(replies: list[str]) -> dict[str, Any]:
    return {"config_list": [{"model": "scripted", "api_type": "scripted", "replies": replies}]}


TOOLS: list[dict[str, Any]] = [
    {
        "name": "word_count",
        "ref": "convogen.studio.gallery_tools:word_count",
        "description": "Counts the words of a text.",
    },
    {
        "name": "reverse_text",
        "ref": "convogen.studio.gallery_tools:reverse_text",
        "description": "Reverses a text.",
    },
]

AGENTS: list[dict[str, Any]] = [
    {
        "name": "human",
        "kind": "user_proxy",
        "human_input_mode": "NEVER",
        "llm_config": False,
        "description": "The person who gives the task.",
    },
    {
        "name": "local_poet",
        "kind": "assistant",
        "model": LOCAL_MODEL,
        "system_message": "You write short poems. End your reply with TERMINATE.",
        "description": "Writes poems with the embedded model.",
        "max_consecutive_auto_reply": 1,
    },
    {
        "name": "greeter",
        "llm_config": _scripted(["Hello! Nice to meet you. TERMINATE"]),
        "description": "Greets people (scripted replies, no model needed).",
    },
    {
        "name": "writer",
        "llm_config": _scripted(
            [
                "**Draft:** convogen lets agents *talk*.",
                "**Final:**\n```python\nprint('agents talk')  # the pitch\n```",
            ]
        ),
        "description": "Writes and revises a draft (scripted).",
    },
    {
        "name": "critic",
        "llm_config": _scripted(["Shorter, please.", "Good. TERMINATE"]),
        "description": "Reviews the writer's drafts (scripted).",
    },
]

TEAMS: list[dict[str, Any]] = [
    {
        "name": "gallery-local-poem",
        "agents": ["human", "local_poet"],
        "initiator": "human",
        "max_turns": 1,
        "task": "Write a two-line poem about tea.",
    },
    {
        "name": "gallery-scripted-hello",
        "agents": ["human", "greeter"],
        "initiator": "human",
        "task": "Say hello.",
    },
    {
        "name": "gallery-scripted-review",
        "type": "group_chat",
        "agents": ["human", "writer", "critic"],
        "initiator": "human",
        "speaker_selection_method": "round_robin",
        "max_round": 6,
        "allowed_transitions": {"human": ["writer"], "writer": ["critic"], "critic": ["writer"]},
        "task": "Write a one-line pitch for convogen.",
    },
]


def add_gallery(library: SpecLibrary, data_dir: Path) -> None:
    """Add the gallery's agents and teams once per data dir; existing names are kept."""
    marker = data_dir / MARKER
    if marker.exists():
        return
    for tool in TOOLS:
        with contextlib.suppress(ConflictError):
            library.save_tool(ToolDef.model_validate(tool), create=True)
    for agent in AGENTS:
        with contextlib.suppress(ConflictError):  # the person's own of that name wins
            library.save_agent(StudioAgent.model_validate(agent), create=True)
    for team in TEAMS:
        with contextlib.suppress(ConflictError):
            library.save_team(TeamDraft.model_validate(team), create=True)
    marker.write_text("the gallery was added; delete this file to add it again\n", "utf-8")
