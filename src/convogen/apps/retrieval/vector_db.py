"""The classic ``VectorDB`` protocol: documents, query results, a factory, and result helpers.

A ``VectorDB`` (0.2's shape: collections, ``insert_docs``, ``retrieve_docs``...) can be given
to the retrieve proxy as ``retrieve_config["vector_db"]``; ``VectorDBStore`` adapts one to the
proxy's own ``VectorStore`` protocol.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, NotRequired, Protocol, TypedDict, runtime_checkable

from convogen.apps.retrieval.chunking import Chunk
from convogen.apps.retrieval.store import Hit
from convogen.errors import ConfigError

Metadata = Mapping[str, Any] | None
Vector = Sequence[float] | Sequence[int]
ItemID = str | int


class Document(TypedDict):
    """A stored document: its id, its text, and optionally metadata and an embedding."""

    id: ItemID
    content: str
    metadata: NotRequired[Metadata]
    embedding: NotRequired[Vector]


QueryResults = list[list[tuple[Document, float]]]
"""For each query, the (document, distance) pairs found, nearest first."""


@runtime_checkable
class VectorDB(Protocol):
    """A store of document collections queried by embedding similarity (0.2's protocol)."""

    active_collection: Any = None
    type: str = ""
    embedding_function: Callable[[list[str]], Any] | None = None

    def create_collection(
        self, collection_name: str, overwrite: bool = False, get_or_create: bool = True
    ) -> Any:
        """Create (or reuse, or replace) a collection and return it."""
        ...

    def get_collection(self, collection_name: str | None = None) -> Any:
        """The named collection (the active one when None); ValueError when missing."""
        ...

    def delete_collection(self, collection_name: str) -> Any:
        """Remove a collection."""
        ...

    def insert_docs(
        self,
        docs: list[Document],
        collection_name: str | None = None,
        upsert: bool = False,
        **kwargs: Any,
    ) -> None:
        """Add documents (replacing ones with the same id when ``upsert``)."""
        ...

    def update_docs(
        self, docs: list[Document], collection_name: str | None = None, **kwargs: Any
    ) -> None:
        """Replace documents by id."""
        ...

    def delete_docs(
        self, ids: list[ItemID], collection_name: str | None = None, **kwargs: Any
    ) -> None:
        """Remove documents by id."""
        ...

    def retrieve_docs(
        self,
        queries: list[str],
        collection_name: str | None = None,
        n_results: int = 10,
        distance_threshold: float = -1,
        **kwargs: Any,
    ) -> QueryResults:
        """The nearest documents of each query."""
        ...

    def get_docs_by_ids(
        self,
        ids: list[ItemID] | None = None,
        collection_name: str | None = None,
        include: list[str] | None = None,
        **kwargs: Any,
    ) -> list[Document]:
        """Documents by id (all of them when ``ids`` is None)."""
        ...


class VectorDBFactory:
    """Creates a ``VectorDB`` by type name."""

    PREDEFINED_VECTOR_DB = ["chroma"]

    @staticmethod
    def create_vector_db(db_type: str, **kwargs: Any) -> VectorDB:
        """A new vector database of ``db_type`` ("chroma"), configured by ``kwargs``."""
        if db_type.lower() in ("chroma", "chromadb"):
            from convogen.apps.retrieval.chroma_vector_db import ChromaVectorDB

            return ChromaVectorDB(**kwargs)
        raise ConfigError(
            "vector_db",
            db_type,
            f"unsupported type; convogen ships {VectorDBFactory.PREDEFINED_VECTOR_DB} "
            "(pass any object implementing the VectorDB protocol for another store)",
        )


def filter_results_by_distance(
    results: QueryResults, distance_threshold: float = -1
) -> QueryResults:
    """Drop results farther than ``distance_threshold``; a negative threshold keeps all."""
    if distance_threshold < 0:
        return results
    return [[pair for pair in found if pair[1] <= distance_threshold] for found in results]


def chroma_results_to_query_results(
    data_dict: Mapping[str, list[list[Any]]], special_key: str = "distances"
) -> QueryResults:
    """Chroma's column-wise result (``ids``, ``contents``/``documents``, ...) as QueryResults."""
    keys = [k for k, v in data_dict.items() if k != special_key and v is not None]
    results: QueryResults = []
    for q, distances in enumerate(data_dict[special_key]):
        found: list[tuple[Document, float]] = []
        for i, distance in enumerate(distances):
            doc: dict[str, Any] = {_doc_key(k): data_dict[k][q][i] for k in keys}
            found.append((Document(**doc), float(distance)))  # type: ignore[typeddict-item]
        results.append(found)
    return results


def _doc_key(key: str) -> str:
    """Chroma's plural column names to the singular keys of ``Document``."""
    return {"ids": "id", "documents": "content", "contents": "content"}.get(
        key, key[:-1] if key in ("metadatas", "embeddings") else key
    )


class ColoredLogger(logging.Logger):
    """A logger whose methods accept (and ignore) 0.2's ``color=`` keyword."""

    def __init__(self, name: str, level: int = logging.NOTSET) -> None:
        super().__init__(name, level)

    def _log_at(self, level: int, msg: Any, args: Any, kwargs: dict[str, Any]) -> None:
        kwargs.pop("color", None)
        if self.isEnabledFor(level):
            self._log(level, msg, args, **kwargs)

    def debug(self, msg: Any, *args: Any, color: str | None = None, **kwargs: Any) -> None:
        """Log at DEBUG."""
        self._log_at(logging.DEBUG, msg, args, kwargs)

    def info(self, msg: Any, *args: Any, color: str | None = None, **kwargs: Any) -> None:
        """Log at INFO."""
        self._log_at(logging.INFO, msg, args, kwargs)

    def warning(self, msg: Any, *args: Any, color: str | None = None, **kwargs: Any) -> None:
        """Log at WARNING."""
        self._log_at(logging.WARNING, msg, args, kwargs)

    def error(self, msg: Any, *args: Any, color: str | None = None, **kwargs: Any) -> None:
        """Log at ERROR."""
        self._log_at(logging.ERROR, msg, args, kwargs)

    def critical(self, msg: Any, *args: Any, color: str | None = None, **kwargs: Any) -> None:
        """Log at CRITICAL."""
        self._log_at(logging.CRITICAL, msg, args, kwargs)

    def fatal(self, msg: Any, *args: Any, color: str | None = None, **kwargs: Any) -> None:
        """Log at CRITICAL (0.2's alias)."""
        self._log_at(logging.CRITICAL, msg, args, kwargs)


def get_logger(name: str, level: int = logging.INFO) -> ColoredLogger:
    """A ``ColoredLogger`` named ``name`` at ``level``."""
    logger = ColoredLogger(name, level)
    logger.parent = logging.getLogger("convogen.apps.retrieval")
    return logger


class VectorDBStore:
    """A ``VectorDB`` collection seen as a ``VectorStore`` (what the retrieve proxy queries)."""

    def __init__(
        self,
        db: VectorDB,
        collection_name: str,
        overwrite: bool = False,
        get_or_create: bool = True,
    ) -> None:
        self.db = db
        self.collection_name = collection_name
        db.active_collection = db.create_collection(
            collection_name, overwrite=overwrite, get_or_create=get_or_create or not overwrite
        )

    def add(self, chunks: Sequence[Chunk]) -> None:
        """Upsert chunks as documents (id, content, metadata)."""
        if chunks:
            docs = [Document(id=c.id, content=c.text, metadata=dict(c.metadata)) for c in chunks]
            self.db.insert_docs(docs, self.collection_name, upsert=True)

    def query(
        self, text: str, k: int, exclude_ids: Collection[str] = (), contains: str = ""
    ) -> list[Hit]:
        """Nearest documents, skipping ``exclude_ids`` and, with ``contains``, non-matching ones."""
        total = self.count()
        if k <= 0 or total == 0:
            return []
        extra: dict[str, Any] = {}
        if contains and self.db.type == "chroma":
            extra["where_document"] = {"$contains": contains}
        wanted = total if contains else min(total, k + len(exclude_ids))
        found = self.db.retrieve_docs([text], self.collection_name, wanted, -1, **extra)
        hits = [
            Hit(Chunk(str(doc["id"]), doc["content"], dict(doc.get("metadata") or {})), dist)
            for doc, dist in (found[0] if found else [])
            if str(doc["id"]) not in exclude_ids and contains in doc["content"]
        ]
        return hits[:k]

    def count(self) -> int:
        """How many documents the collection holds."""
        return len(self.db.get_docs_by_ids(None, self.collection_name, include=[]))
