"""``retrieve_config`` of the retrieve proxy: 0.2's keys checked, the store built, docs indexed."""

from __future__ import annotations

import logging
import tempfile
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from convogen.apps.retrieval.chunking import Chunk, chunk_documents, chunk_id, count_tokens
from convogen.apps.retrieval.embedding import Embedder, default_embedder
from convogen.apps.retrieval.prompts import PROMPTS
from convogen.apps.retrieval.store import ChromaVectorStore, InMemoryVectorStore, VectorStore
from convogen.apps.retrieval.vector_db import VectorDB, VectorDBFactory, VectorDBStore
from convogen.errors import ConfigError

_log = logging.getLogger("convogen.apps.retrieval")
DEFAULT_DB_PATH = str(Path(tempfile.gettempdir()) / "convogen-chromadb")
TEXT_FORMATS = [
    "txt", "json", "csv", "tsv", "md", "html", "htm", "rtf", "rst", "jsonl", "log", "xml",
    "yaml", "yml", "pdf",
]  # fmt: skip
DEFAULTS: dict[str, Any] = {
    "task": "default",
    "vector_db": "chroma",
    "db_config": {},
    "client": None,
    "docs_path": None,
    "extra_docs": False,
    "new_docs": True,
    "model": "gpt-4",
    # MiniLM reads at most 256 word pieces and our estimate counts words, which split into
    # ~1.3 pieces each: 192 keeps a whole chunk inside the model's window.
    "chunk_token_size": 192,
    "context_max_tokens": None,
    "chunk_mode": "multi_lines",
    "must_break_at_empty_line": True,
    "embedding_model": "all-MiniLM-L6-v2",
    "embedding_function": None,
    "customized_prompt": None,
    "customized_answer_prefix": "",
    "update_context": True,
    "collection_name": "convogen-docs",
    "get_or_create": False,
    "overwrite": False,
    "custom_token_count_function": None,
    "custom_text_split_function": None,
    "custom_text_types": TEXT_FORMATS,
    "recursive": True,
    "distance_threshold": -1,
    "n_results": 3,
    # convogen's own keys
    "db_path": DEFAULT_DB_PATH,
    "embedder": None,
}
LINE_CHUNKING_KEYS = frozenset(
    {"chunk_mode", "must_break_at_empty_line", "custom_text_split_function",
     "custom_text_types", "recursive"}
)  # fmt: skip
"""Keys that select 0.2's line chunking of files instead of convogen's structure-aware one."""


def max_tokens_of(model: str = "gpt-3.5-turbo") -> int:
    """0.2's rough context size of a model, from its name."""
    for marker, size in (("32k", 32000), ("16k", 16000), ("gpt-4", 8000)):
        if marker in model:
            return size
    return 4000


def check_retrieve_config(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """``retrieve_config`` with defaults filled in; unknown keys and bad values are errors."""
    if config is None:
        config = {}
    if not isinstance(config, Mapping):
        raise ConfigError("retrieve_config", config, "must be a dict")
    for key in config:
        if key not in DEFAULTS:
            raise ConfigError(
                f"retrieve_config[{key!r}]", config[key], f"unknown key; known: {sorted(DEFAULTS)}"
            )
    checked = {**DEFAULTS, **config}
    checked["task"] = str(checked["task"]).lower()
    if checked["task"] not in PROMPTS:
        raise ConfigError("task", config.get("task"), f"must be one of {sorted(PROMPTS)}")
    for key in ("n_results", "chunk_token_size"):
        _positive_int(key, checked[key])
    if checked["context_max_tokens"] is None:
        checked["context_max_tokens"] = int(max_tokens_of(str(checked["model"])) * 0.8)
    _positive_int("context_max_tokens", int(checked["context_max_tokens"]))
    _check_prompt(checked["customized_prompt"])
    _check_vector_db(checked)
    for key in ("custom_token_count_function", "custom_text_split_function", "embedding_function"):
        if checked[key] is not None and not callable(checked[key]):
            raise ConfigError(key, checked[key], "must be callable")
    if not isinstance(checked["db_config"], Mapping):
        raise ConfigError("db_config", checked["db_config"], "must be a dict")
    if checked["extra_docs"]:
        warnings.warn(
            "retrieve_config['extra_docs'] has no effect in convogen: chunk ids come from the "
            "source and position, so new documents never overwrite others",
            stacklevel=3,
        )
    checked["customized_answer_prefix"] = str(checked["customized_answer_prefix"] or "").upper()
    return checked


def _positive_int(key: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(key, value, "must be a positive int")


def _check_prompt(prompt: Any) -> None:
    if prompt is not None and (
        not isinstance(prompt, str)
        or "{input_question}" not in prompt
        or "{input_context}" not in prompt
    ):
        raise ConfigError(
            "customized_prompt", prompt, "must be a str with {input_question} and {input_context}"
        )


def _check_vector_db(checked: dict[str, Any]) -> None:
    if checked["embedder"] is not None and not isinstance(checked["embedder"], Embedder):
        raise ConfigError("embedder", checked["embedder"], "must implement the Embedder protocol")
    db = checked["vector_db"]
    if db is None or isinstance(db, VectorStore | VectorDB):
        return
    if not isinstance(db, str) or db.lower() not in ("chroma", "memory"):
        raise ConfigError(
            "vector_db", db, "must be 'chroma', 'memory', a VectorDB or a VectorStore"
        )


class FunctionEmbedder:
    """A chroma-style embedding function (``fn(texts) -> vectors``) as an ``Embedder``."""

    def __init__(self, function: Callable[[list[str]], Any]) -> None:
        self.function = function

    @property
    def name(self) -> str:
        """The function's type name (stored with a collection)."""
        return f"function-{type(self.function).__qualname__}"

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """The function's vectors, as plain floats."""
        return [[float(x) for x in v] for v in self.function(list(texts))]


def embedder_for(cfg: Mapping[str, Any]) -> Embedder:
    """``embedder``, else ``embedding_function``, else the packaged MiniLM (never downloads)."""
    if cfg["embedder"] is not None:
        return cfg["embedder"]  # type: ignore[no-any-return]
    if cfg["embedding_function"] is not None:
        return FunctionEmbedder(cfg["embedding_function"])
    if cfg["embedding_model"] not in ("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        raise ConfigError(
            "embedding_model",
            cfg["embedding_model"],
            "only all-MiniLM-L6-v2 is packaged (models are never downloaded); "
            "pass embedding_function for another model",
        )
    return default_embedder()


def build_store(cfg: Mapping[str, Any]) -> VectorStore:
    """The store ``vector_db`` names: a given store or VectorDB, in-memory, or ChromaDB."""
    db = cfg["vector_db"]
    if isinstance(db, VectorStore):
        return db
    if isinstance(db, VectorDB):
        return VectorDBStore(db, cfg["collection_name"], cfg["overwrite"], cfg["get_or_create"])
    if isinstance(db, str) and db.lower() == "memory":
        return InMemoryVectorStore(embedder_for(cfg))
    db_config = dict(cfg["db_config"])
    if cfg["client"] is not None or db_config:
        db_config.setdefault("client", cfg["client"])
        if cfg["embedding_function"] is not None:
            db_config.setdefault("embedding_function", cfg["embedding_function"])
        chroma = VectorDBFactory.create_vector_db("chroma", **db_config)
        return VectorDBStore(chroma, cfg["collection_name"], cfg["overwrite"], cfg["get_or_create"])
    return ChromaVectorStore(
        embedder_for(cfg), cfg["collection_name"], cfg["db_path"], overwrite=cfg["overwrite"]
    )


def chunks_for(cfg: Mapping[str, Any], given: Collection[str]) -> list[Chunk]:
    """The chunks of ``docs_path``: 0.2's line chunking when a line-chunking key was given."""
    if not LINE_CHUNKING_KEYS & set(given):
        return chunk_documents(cfg["docs_path"], cfg["chunk_token_size"])
    from convogen.apps.retrieval.documents import files_to_chunks, find_files

    files = find_files(cfg["docs_path"], cfg["custom_text_types"], cfg["recursive"])
    texts, sources = files_to_chunks(
        files,
        cfg["chunk_token_size"],
        cfg["chunk_mode"],
        cfg["must_break_at_empty_line"],
        split=cfg["custom_text_split_function"],
    )
    return [
        Chunk(chunk_id(str(src["source"]), i), text, dict(src))
        for i, (text, src) in enumerate(zip(texts, sources, strict=True))
    ]


def token_counter(cfg: Mapping[str, Any]) -> Callable[[str], int]:
    """``custom_token_count_function(text, model)`` bound to the model, else the estimate."""
    custom = cfg["custom_token_count_function"]
    if custom is None:
        return count_tokens
    model = str(cfg["model"])
    return lambda text: int(custom(text, model))
