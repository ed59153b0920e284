"""Classic ``autogen.agentchat.contrib.vectordb.chromadb``: ``ChromaVectorDB``."""

from convogen.apps.retrieval.chroma_vector_db import CHROMADB_MAX_BATCH_SIZE, ChromaVectorDB

__all__ = ["CHROMADB_MAX_BATCH_SIZE", "ChromaVectorDB"]
