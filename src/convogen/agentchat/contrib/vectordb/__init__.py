"""Classic ``autogen.agentchat.contrib.vectordb``: the VectorDB protocol and ChromaDB store."""

from convogen.agentchat.contrib.vectordb import base, utils

__all__ = ["base", "utils"]
