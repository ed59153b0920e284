"""Vector stores: a ``VectorStore`` protocol, ChromaDB (persistent, default) and in-memory."""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from convogen.apps.retrieval.chunking import Chunk
from convogen.apps.retrieval.embedding import Embedder
from convogen.errors import ConfigError

_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]")


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk and its distance to the query (cosine distance, smaller is closer)."""

    chunk: Chunk
    distance: float


@runtime_checkable
class VectorStore(Protocol):
    """Stores chunks with their embeddings and finds the nearest ones to a query."""

    def add(self, chunks: Sequence[Chunk]) -> None:
        """Insert or replace chunks (by id)."""
        ...

    def query(
        self, text: str, k: int, exclude_ids: Collection[str] = (), contains: str = ""
    ) -> list[Hit]:
        """The ``k`` chunks closest to ``text``, nearest first, skipping ``exclude_ids``.

        With ``contains``, only chunks whose text holds that exact string are candidates.
        """
        ...

    def count(self) -> int:
        """How many chunks are stored."""
        ...


class InMemoryVectorStore:
    """Exact cosine search over a NumPy matrix; no persistence (tests, small corpora)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._chunks: dict[str, Chunk] = {}
        self._vectors: dict[str, list[float]] = {}

    def add(self, chunks: Sequence[Chunk]) -> None:
        """Embed and store ``chunks``."""
        vectors = self.embedder.embed([c.text for c in chunks])
        for chunk, vector in zip(chunks, vectors, strict=True):
            self._chunks[chunk.id] = chunk
            self._vectors[chunk.id] = vector

    def query(
        self, text: str, k: int, exclude_ids: Collection[str] = (), contains: str = ""
    ) -> list[Hit]:
        """Nearest chunks by cosine distance; ties broken by id so results are stable."""
        ids = [
            i
            for i, chunk in self._chunks.items()
            if i not in exclude_ids and contains in chunk.text
        ]
        if not ids or k <= 0:
            return []
        query = np.asarray(self.embedder.embed([text])[0], dtype=np.float64)
        matrix = np.asarray([self._vectors[i] for i in ids], dtype=np.float64)
        norms = np.linalg.norm(matrix, axis=1) * max(float(np.linalg.norm(query)), 1e-12)
        distances = 1.0 - (matrix @ query) / np.maximum(norms, 1e-12)
        order = sorted(range(len(ids)), key=lambda j: (round(float(distances[j]), 9), ids[j]))
        return [Hit(self._chunks[ids[j]], float(distances[j])) for j in order[:k]]

    def count(self) -> int:
        """How many chunks are stored."""
        return len(self._chunks)


class ChromaVectorStore:
    """A ChromaDB collection; persistent at ``path`` (``PersistentClient``) unless path is None.

    Embeddings always come from ``embedder``: chroma's own default embedding function would
    download a model, which must never happen offline. Telemetry is switched off.
    """

    def __init__(
        self,
        embedder: Embedder,
        collection_name: str = "convogen-docs",
        path: str | Path | None = None,
        overwrite: bool = False,
    ) -> None:
        if not isinstance(collection_name, str) or not _NAME.fullmatch(collection_name):
            raise ConfigError(
                "collection_name",
                collection_name,
                "must be 3-512 characters of [a-zA-Z0-9._-], starting and ending alphanumeric",
            )
        os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
        try:
            import chromadb
            from chromadb.config import Settings
        except ImportError as exc:
            raise ConfigError("vector_db", "chroma", "needs `pip install chromadb`") from exc
        settings = Settings(anonymized_telemetry=False, allow_reset=True)
        if path is None:
            self.client: Any = chromadb.EphemeralClient(settings=settings)
        else:
            Path(path).mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(path), settings=settings)
        self.embedder = embedder
        if overwrite:
            existing = {getattr(c, "name", c) for c in self.client.list_collections()}
            if collection_name in existing:
                self.client.delete_collection(collection_name)
        self.collection: Any = self.client.get_or_create_collection(
            collection_name,
            embedding_function=None,
            metadata={"hnsw:space": "cosine", "embedder": embedder.name},
        )
        stored = (self.collection.metadata or {}).get("embedder")
        if stored is not None and stored != embedder.name:
            raise ConfigError(
                "collection_name",
                collection_name,
                f"was built with embedder {stored!r}, not {embedder.name!r}; "
                "use another collection or overwrite=True",
            )

    def add(self, chunks: Sequence[Chunk]) -> None:
        """Embed and upsert ``chunks`` (same id replaces, so re-indexing is idempotent)."""
        for start in range(0, len(chunks), 256):
            batch = chunks[start : start + 256]
            self.collection.upsert(
                ids=[c.id for c in batch],
                documents=[c.text for c in batch],
                embeddings=self.embedder.embed([c.text for c in batch]),
                metadatas=[_flat(c.metadata) for c in batch],
            )

    def query(
        self, text: str, k: int, exclude_ids: Collection[str] = (), contains: str = ""
    ) -> list[Hit]:
        """Nearest chunks; asks chroma for k + excluded ones, then drops the excluded.

        With ``contains`` every chunk is ranked and the non-matching ones dropped (chroma's
        own ``where_document`` filter can fail on a small HNSW index).
        """
        total = self.count()
        if k <= 0 or total == 0:
            return []
        wanted = total if contains else min(total, k + len(exclude_ids))
        found = self.collection.query(
            query_embeddings=self.embedder.embed([text]),
            n_results=wanted,
            include=["documents", "metadatas", "distances"],
        )
        hits = [
            Hit(Chunk(i, doc or "", dict(meta or {})), float(dist))
            for i, doc, meta, dist in zip(
                found["ids"][0],
                found["documents"][0],
                found["metadatas"][0],
                found["distances"][0],
                strict=True,
            )
            if i not in exclude_ids and contains in (doc or "")
        ]
        return hits[:k]

    def count(self) -> int:
        """How many chunks are stored."""
        return int(self.collection.count())


def _flat(metadata: dict[str, Any]) -> dict[str, str | int | float | bool]:
    """Chroma metadata values must be scalars, and a metadata dict may not be empty."""
    flat = {
        k: v if isinstance(v, str | int | float | bool) else str(v) for k, v in metadata.items()
    }
    return flat or {"source": ""}
