"""``ReplyAgent``: the narrow view of an agent that built-in reply functions work with.

Reply functions see the agent through these public names only, so an agent's private state can
change without touching them, and a test can hand them any object with this shape.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from convogen.messages import Message

if TYPE_CHECKING:
    from convogen.agents.io import IOStream
    from convogen.llm.wrapper import OpenAIWrapper


class ReplyAgent(Protocol):
    """What a built-in reply function may read from, and do with, the agent replying."""

    @property
    def name(self) -> str: ...

    @property
    def oai_system_messages(self) -> list[Message]: ...

    @property
    def human_input_mode(self) -> str: ...

    @property
    def silent(self) -> bool | None: ...

    @property
    def io(self) -> IOStream: ...

    @property
    def llm_config(self) -> dict[str, Any] | bool: ...

    @property
    def client_cache(self) -> Any: ...

    def max_consecutive_auto_reply(self, sender: Any = None) -> int: ...

    def auto_reply_count(self, sender: Any) -> int: ...

    def count_auto_reply(self, sender: Any) -> None: ...

    def reset_consecutive_auto_reply_counter(self, sender: Any = None) -> None: ...

    def is_termination_msg(self, message: Message) -> bool: ...

    async def a_get_human_input(self, prompt: str) -> str: ...

    def get_llm_client(self) -> OpenAIWrapper | None: ...
