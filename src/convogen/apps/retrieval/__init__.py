"""Retrieval-augmented chat: chunk documents, embed them offline, retrieve, answer, update."""

from convogen.apps.retrieval.agents import (
    RetrieveAssistantAgent,
    RetrieveUserProxyAgent,
    answer_ends_chat,
    asks_for_more,
    check_retrieve_config,
    format_context,
)
from convogen.apps.retrieval.chroma_vector_db import ChromaVectorDB
from convogen.apps.retrieval.chunking import (
    Chunk,
    chunk_documents,
    chunk_file,
    chunk_id,
    collect_files,
    count_tokens,
    split_code,
    split_markdown,
    split_text,
)
from convogen.apps.retrieval.embedding import (
    Embedder,
    HashingEmbedder,
    MiniLMEmbedder,
    default_embedder,
)
from convogen.apps.retrieval.recall import LabelledQuestion, retrieval_recall
from convogen.apps.retrieval.store import (
    ChromaVectorStore,
    Hit,
    InMemoryVectorStore,
    VectorStore,
)
from convogen.apps.retrieval.vector_db import (
    Document,
    QueryResults,
    VectorDB,
    VectorDBFactory,
    VectorDBStore,
)

__all__ = [
    "ChromaVectorDB",
    "ChromaVectorStore",
    "Chunk",
    "Document",
    "Embedder",
    "HashingEmbedder",
    "Hit",
    "InMemoryVectorStore",
    "LabelledQuestion",
    "MiniLMEmbedder",
    "QueryResults",
    "RetrieveAssistantAgent",
    "RetrieveUserProxyAgent",
    "VectorDB",
    "VectorDBFactory",
    "VectorDBStore",
    "VectorStore",
    "answer_ends_chat",
    "asks_for_more",
    "check_retrieve_config",
    "chunk_documents",
    "chunk_file",
    "chunk_id",
    "collect_files",
    "count_tokens",
    "default_embedder",
    "format_context",
    "retrieval_recall",
    "split_code",
    "split_markdown",
    "split_text",
]
