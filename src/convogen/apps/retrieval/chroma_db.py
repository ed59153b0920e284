"""Classic-style ChromaDB collections: build one from documents, query it by text.

Embeddings are computed here (by default with the packaged all-MiniLM-L6-v2) and handed to
chroma, so chroma never loads, or downloads, an embedding model of its own.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

from convogen.errors import ConfigError

EmbeddingFunction = Callable[[list[str]], Any]
_log = logging.getLogger("convogen.apps.retrieval")
_BATCH = 40_000  # chroma's maximum batch size


class MiniLMEmbeddingFunction:
    """A chroma-style embedding function (``fn(texts) -> vectors``) over the packaged MiniLM."""

    def __call__(self, input: list[str]) -> list[list[float]]:
        """The embeddings of ``input``."""
        from convogen.apps.retrieval.embedding import default_embedder

        return default_embedder().embed(list(input))

    @staticmethod
    def name() -> str:
        """The model's name."""
        return "all-MiniLM-L6-v2"


def chroma_client(db_path: str) -> Any:
    """A persistent chroma client at ``db_path`` (telemetry off); a clear error if missing."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    try:
        import chromadb
        from chromadb.config import Settings
    except ImportError as exc:
        raise ConfigError(
            "vector_db", "chromadb", "needs the rag extra: `pip install convogen[rag]`"
        ) from exc
    return chromadb.PersistentClient(path=db_path, settings=Settings(anonymized_telemetry=False))


def embedding_function_or_default(
    embedding_function: EmbeddingFunction | None, embedding_model: str
) -> EmbeddingFunction:
    """The given function, or the packaged MiniLM (the only model available offline)."""
    if embedding_function is not None:
        return embedding_function
    if embedding_model not in ("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        raise ConfigError(
            "embedding_model",
            embedding_model,
            "only all-MiniLM-L6-v2 is packaged (models are never downloaded); "
            "pass embedding_function for another model",
        )
    return MiniLMEmbeddingFunction()


def fill_collection(
    client: Any,
    collection_name: str,
    chunks: Sequence[str],
    sources: Sequence[dict[str, Any]],
    embed: EmbeddingFunction,
    get_or_create: bool = False,
    extra_docs: bool = False,
) -> None:
    """Create (or, with ``get_or_create``, reuse) a collection and upsert ``chunks`` into it.

    An existing collection without ``get_or_create`` is left alone and a warning logged.
    """
    names = {getattr(c, "name", c) for c in client.list_collections()}
    if collection_name in names and not get_or_create:
        _log.warning("collection %s already exists; pass get_or_create=True", collection_name)
        return
    collection = client.get_or_create_collection(
        collection_name,
        embedding_function=None,
        metadata={"hnsw:space": "ip", "hnsw:construction_ef": 30, "hnsw:M": 32},
    )
    offset = len(collection.get(include=[])["ids"]) if extra_docs else 0
    _log.info("found %d chunks", len(chunks))
    for start in range(0, len(chunks), _BATCH):
        batch = list(chunks[start : start + _BATCH])
        collection.upsert(
            ids=[f"doc_{offset + start + i}" for i in range(len(batch))],
            documents=batch,
            embeddings=_vectors(embed(batch)),
            metadatas=list(sources[start : start + _BATCH]),
        )


def query_collection(
    client: Any,
    collection_name: str,
    query_texts: list[str],
    n_results: int,
    embed: EmbeddingFunction,
    search_string: str = "",
) -> Any:
    """Chroma's QueryResult (ids, documents, metadatas, distances) for each query text."""
    collection = client.get_collection(collection_name)
    return collection.query(
        query_embeddings=_vectors(embed(list(query_texts))),
        n_results=n_results,
        where_document={"$contains": search_string} if search_string else None,
    )


def _vectors(embeddings: Any) -> list[list[float]]:
    return [[float(x) for x in vector] for vector in embeddings]
