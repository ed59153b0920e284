"""The ``Agent`` protocol: what anything that takes part in a conversation provides."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from convogen.messages import Message


@runtime_checkable
class Agent(Protocol):
    """Something that can send, receive and reply to messages."""

    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str: ...

    def send(
        self,
        message: str | dict[str, Any],
        recipient: Any,
        request_reply: bool | None = None,
        silent: bool = False,
    ) -> None: ...

    async def a_send(
        self,
        message: str | dict[str, Any],
        recipient: Any,
        request_reply: bool | None = None,
        silent: bool = False,
    ) -> None: ...

    def receive(
        self,
        message: str | dict[str, Any],
        sender: Any,
        request_reply: bool | None = None,
        silent: bool = False,
    ) -> None: ...

    async def a_receive(
        self,
        message: str | dict[str, Any],
        sender: Any,
        request_reply: bool | None = None,
        silent: bool = False,
    ) -> None: ...

    def generate_reply(
        self, messages: list[Message] | None = None, sender: Any = None, **kwargs: Any
    ) -> str | dict[str, Any] | None: ...

    async def a_generate_reply(
        self, messages: list[Message] | None = None, sender: Any = None, **kwargs: Any
    ) -> str | dict[str, Any] | None: ...


@runtime_checkable
class LLMAgent(Agent, Protocol):
    """An agent backed by a model, with a system message."""

    @property
    def system_message(self) -> str: ...

    def update_system_message(self, system_message: str) -> None: ...
