"""Classic ``autogen.agentchat.groupchat``: the group chat and its manager."""

from __future__ import annotations

from convogen.groupchat.groupchat import GroupChat
from convogen.groupchat.manager import GroupChatManager

__all__ = ["GroupChat", "GroupChatManager"]
