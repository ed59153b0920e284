"""Group chats: a manager relays messages and picks who speaks next."""

from convogen.errors import NoEligibleSpeakerError
from convogen.events import SpeakerSelection
from convogen.groupchat.groupchat import GroupChat
from convogen.groupchat.manager import GroupChatManager

__all__ = ["GroupChat", "GroupChatManager", "NoEligibleSpeakerError", "SpeakerSelection"]
