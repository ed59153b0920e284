"""Chats between agents: two-agent chats, sequential chats with carryover, nested chats."""

from convogen.chat.sequential import a_initiate_chats, initiate_chats
from convogen.chat.two_agent import a_initiate_chat

__all__ = ["a_initiate_chat", "a_initiate_chats", "initiate_chats"]
