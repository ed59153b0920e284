"""Agent libraries for ``AgentBuilder.build_from_library``: loading, recall, the model's pick."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

from convogen.apps.retrieval.embedding import Embedder, HashingEmbedder, default_embedder
from convogen.errors import ConfigError

# Names that mean the packaged sentence embedder (0.2's default named a larger model).
PACKAGED_EMBEDDERS = ("all-MiniLM-L6-v2", "all-mpnet-base-v2")
_JSON_BLOCK = re.compile(r"```(?:json)?\s*\n(.*?)```", re.DOTALL)


def load_library(library_path_or_json: str) -> list[dict[str, Any]]:
    """The agent library from a JSON string or a JSON file: entries with name and description."""
    try:
        library = json.loads(library_path_or_json)
    except json.JSONDecodeError:
        path = Path(library_path_or_json)
        if not path.is_file():
            raise ConfigError(
                "library_path_or_json", library_path_or_json, "is neither JSON nor a file"
            ) from None
        try:
            library = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ConfigError("library_path_or_json", str(path), f"invalid JSON: {exc}") from exc
    if not isinstance(library, list) or not library:
        raise ConfigError("library_path_or_json", library, "must be a non-empty list of agents")
    for index, entry in enumerate(library):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("description"):
            raise ConfigError(f"agent library[{index}]", entry, "needs a name and a description")
    return library


def embedder_for(embedding_model: str | None) -> Embedder:
    """The embedder that ranks library agents: the packaged MiniLM, or "hashing" (no model)."""
    if embedding_model == "hashing":
        return HashingEmbedder()
    if embedding_model not in PACKAGED_EMBEDDERS and embedding_model is not None:
        warnings.warn(
            f"embedding_model {embedding_model!r} is not packaged; using all-MiniLM-L6-v2",
            stacklevel=3,
        )
    return default_embedder()


def recall(
    task: str, library: list[dict[str, Any]], top_k: int, embedder: Embedder
) -> list[dict[str, Any]]:
    """The library agents whose descriptions are among the ``top_k`` closest to a task line."""
    skills = [line for line in task.replace(":", " ").split("\n") if line.strip()] or [task]
    vectors = embedder.embed([entry["description"] for entry in library])
    chosen: set[int] = set()
    for skill_vector in embedder.embed(skills):
        scores = [sum(a * b for a, b in zip(skill_vector, v, strict=True)) for v in vectors]
        ranked = sorted(range(len(library)), key=lambda i: -scores[i])
        chosen.update(ranked[:top_k])
    return [dict(library[i]) for i in sorted(chosen)]


def parse_selection(answer: str) -> dict[str, str]:
    """The model's skill -> "name: description" (or "None") map, from JSON in its answer."""
    block = _JSON_BLOCK.search(answer)
    text = block.group(1) if block else answer
    try:
        selection = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"the builder model's selection is not JSON ({exc}): {answer!r:.200}"
        ) from exc
    if not isinstance(selection, dict) or not all(isinstance(v, str) for v in selection.values()):
        raise ValueError(f"the selection must map skills to strings: {answer!r:.200}")
    return {str(k): v for k, v in selection.items()}
