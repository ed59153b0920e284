"""Teachability: agents that remember user teachings in a vector database."""

from convogen.apps.teachability.memo_store import MemoStore
from convogen.apps.teachability.teachability import Teachability

__all__ = ["MemoStore", "Teachability"]
