"""Classic ``autogen.agentchat.contrib.capabilities.teachability``."""

from convogen.apps.teachability.memo_store import MemoStore
from convogen.apps.teachability.teachability import Teachability

__all__ = ["MemoStore", "Teachability"]
