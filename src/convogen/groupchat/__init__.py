"""Group chats: a manager relays messages and picks who speaks next."""

from convogen.groupchat.groupchat import GroupChat, SpeakerSelection
from convogen.groupchat.manager import GroupChatManager
from convogen.groupchat.selection import NoEligibleSpeakerError

__all__ = ["GroupChat", "GroupChatManager", "NoEligibleSpeakerError", "SpeakerSelection"]
