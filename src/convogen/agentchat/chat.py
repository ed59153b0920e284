"""Classic ``autogen.agentchat.chat``: ``ChatResult`` and chat queues.

``a_initiate_chats`` here is 0.2's: chats with ``chat_id`` and ``prerequisites`` run
concurrently and the result is ``{chat_id: ChatResult}`` (``convogen.a_initiate_chats``
runs the queue in order and returns a list).
"""

# 0.2's private helper (one carryover item as text), imported by its users and tests.
from convogen.agents.chat_entry import carryover_text as _post_process_carryover_item  # noqa: F401
from convogen.chat.concurrent import a_initiate_chats_by_id as a_initiate_chats
from convogen.chat.sequential import initiate_chats
from convogen.results import ChatResult

__all__ = ["ChatResult", "a_initiate_chats", "initiate_chats"]
