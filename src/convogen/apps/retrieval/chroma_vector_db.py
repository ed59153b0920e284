"""``ChromaVectorDB``: the classic ``VectorDB`` protocol over a ChromaDB client.

Embeddings are computed here (default: the packaged all-MiniLM-L6-v2) and handed to chroma,
so chroma never loads, or downloads, an embedding model of its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from convogen.apps.retrieval.chroma_db import MiniLMEmbeddingFunction
from convogen.apps.retrieval.vector_db import (
    Document,
    ItemID,
    QueryResults,
    chroma_results_to_query_results,
    filter_results_by_distance,
)
from convogen.errors import ConfigError

CHROMADB_MAX_BATCH_SIZE = 40_000
DEFAULT_METADATA = {"hnsw:space": "ip", "hnsw:construction_ef": 30, "hnsw:M": 32}


def _new_client(path: str | None) -> Any:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    try:
        import chromadb
        from chromadb.config import Settings
    except ImportError as exc:
        raise ConfigError("vector_db", "chroma", "needs `pip install chromadb`") from exc
    settings = Settings(anonymized_telemetry=False, allow_reset=True)
    if path is None:
        return chromadb.EphemeralClient(settings=settings)
    Path(path).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=path, settings=settings)


class ChromaVectorDB:
    """Collections of documents in ChromaDB (persistent at ``path``, else in memory)."""

    type = "chroma"
    active_collection: Any = None
    embedding_function: Callable[[list[str]], Any] | None = None

    def __init__(
        self,
        *,
        client: Any = None,
        path: str | None = None,
        embedding_function: Callable[[list[str]], Any] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs:
            raise ConfigError("db_config", sorted(kwargs), "unknown ChromaVectorDB settings")
        self.client = client if client is not None else _new_client(path)
        self.embedding_function = embedding_function or MiniLMEmbeddingFunction()
        self.metadata = dict(metadata or DEFAULT_METADATA)
        self.active_collection = None

    def _names(self) -> set[str]:
        return {getattr(c, "name", c) for c in self.client.list_collections()}

    def create_collection(
        self, collection_name: str, overwrite: bool = False, get_or_create: bool = True
    ) -> Any:
        """Create the collection; an existing one is replaced (overwrite) or reused."""
        if collection_name in self._names():
            if overwrite:
                self.client.delete_collection(collection_name)
            elif not get_or_create:
                raise ValueError(f"collection {collection_name!r} already exists")
        self.active_collection = self.client.get_or_create_collection(
            collection_name, embedding_function=None, metadata=self.metadata
        )
        return self.active_collection

    def get_collection(self, collection_name: str | None = None) -> Any:
        """The named collection, or the active one; ValueError when there is none."""
        if collection_name is None:
            if self.active_collection is None:
                raise ValueError("no collection is active; name one or create it first")
            return self.active_collection
        if collection_name not in self._names():
            raise ValueError(f"collection {collection_name!r} does not exist")
        active = self.active_collection
        if active is None or active.name != collection_name:
            self.active_collection = self.client.get_collection(collection_name)
        return self.active_collection

    def delete_collection(self, collection_name: str) -> None:
        """Remove the collection (and forget it if it was active)."""
        self.client.delete_collection(collection_name)
        if self.active_collection is not None and self.active_collection.name == collection_name:
            self.active_collection = None

    def _embed(self, texts: list[str]) -> list[list[float]]:
        embed = self.embedding_function or MiniLMEmbeddingFunction()
        return [[float(x) for x in v] for v in embed(texts)]

    def insert_docs(
        self,
        docs: list[Document],
        collection_name: str | None = None,
        upsert: bool = False,
        **kwargs: Any,
    ) -> None:
        """Add documents in batches; ``upsert`` replaces ones with the same id."""
        if not docs:
            return
        collection = self.get_collection(collection_name)
        write = collection.upsert if upsert else collection.add
        for start in range(0, len(docs), CHROMADB_MAX_BATCH_SIZE):
            batch = docs[start : start + CHROMADB_MAX_BATCH_SIZE]
            texts = [d["content"] for d in batch]
            given = [d.get("embedding") for d in batch]
            vectors = given if all(v is not None for v in given) else self._embed(texts)
            write(
                ids=[str(d["id"]) for d in batch],
                documents=texts,
                embeddings=vectors,
                metadatas=[dict(d.get("metadata") or {"source": ""}) for d in batch],
            )

    def update_docs(
        self, docs: list[Document], collection_name: str | None = None, **kwargs: Any
    ) -> None:
        """Replace documents by id."""
        self.insert_docs(docs, collection_name, upsert=True)

    def delete_docs(
        self, ids: list[ItemID], collection_name: str | None = None, **kwargs: Any
    ) -> None:
        """Remove documents by id."""
        self.get_collection(collection_name).delete([str(i) for i in ids], **kwargs)

    def retrieve_docs(
        self,
        queries: list[str],
        collection_name: str | None = None,
        n_results: int = 10,
        distance_threshold: float = -1,
        **kwargs: Any,
    ) -> QueryResults:
        """The ``n_results`` nearest documents of each query (``where_document`` filters)."""
        collection = self.get_collection(collection_name)
        found = collection.query(
            query_embeddings=self._embed(list(queries)),
            n_results=max(1, min(n_results, collection.count())),
            where_document=kwargs.get("where_document"),
            include=["documents", "metadatas", "distances"],
        )
        columns = {
            "ids": found["ids"],
            "contents": found["documents"],
            "metadatas": found["metadatas"],
            "distances": found["distances"],
        }
        return filter_results_by_distance(
            chroma_results_to_query_results(columns), distance_threshold
        )

    def get_docs_by_ids(
        self,
        ids: list[ItemID] | None = None,
        collection_name: str | None = None,
        include: list[str] | None = None,
        **kwargs: Any,
    ) -> list[Document]:
        """Documents by id (all when ``ids`` is None) with their content and metadata."""
        wanted = ["documents", "metadatas"] if include is None else include
        found = self.get_collection(collection_name).get(
            None if ids is None else [str(i) for i in ids], include=wanted, **kwargs
        )
        docs: list[Document] = []
        for i, doc_id in enumerate(found["ids"]):
            doc = Document(id=doc_id, content=(found.get("documents") or [""] * (i + 1))[i] or "")
            if found.get("metadatas"):
                doc["metadata"] = found["metadatas"][i]
            docs.append(doc)
        return docs
