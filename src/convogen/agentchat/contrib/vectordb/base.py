"""Classic ``autogen.agentchat.contrib.vectordb.base``: documents and the VectorDB protocol."""

from convogen.apps.retrieval.vector_db import (
    Document,
    ItemID,
    Metadata,
    QueryResults,
    Vector,
    VectorDB,
    VectorDBFactory,
)

__all__ = [
    "Document",
    "ItemID",
    "Metadata",
    "QueryResults",
    "Vector",
    "VectorDB",
    "VectorDBFactory",
]
