"""What an agent asks of the outside: a person's input, its model client and its usage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from convogen._sync import run_sync
from convogen.chat_run import record_human_input
from convogen.errors import ConfigError
from convogen.interception import JSON_CODEC, effect

if TYPE_CHECKING:
    from convogen.agents.io import IOStream
    from convogen.llm.wrapper import OpenAIWrapper


class ModelAccessMixin:
    """Human input (through the ``human`` effect) and the model client of ``ConversableAgent``."""

    _human_input: list[str]
    client: OpenAIWrapper | None
    llm_config: dict[str, Any] | Literal[False]

    if TYPE_CHECKING:

        @property
        def name(self) -> str: ...

        @property
        def io(self) -> IOStream: ...

    async def a_get_human_input(self, prompt: str) -> str:
        """Ask the person behind this agent; the answer is recorded here and in the chat's run."""
        stream = self.io

        async def ask() -> str:
            reader = getattr(stream, "a_input", None)
            answer = await reader(prompt) if reader is not None else stream.input(prompt)
            return str(answer)

        request = {"agent": self.name, "prompt": prompt}
        reply: str = await effect("human", request, ask, JSON_CODEC)
        self._human_input.append(reply)
        record_human_input(reply)
        return reply

    def get_human_input(self, prompt: str) -> str:
        """Synchronous twin of ``a_get_human_input``."""
        return run_sync(self.a_get_human_input(prompt))

    @property
    def human_inputs(self) -> list[str]:
        """Everything a person typed for this agent."""
        return self._human_input

    def get_llm_client(self) -> OpenAIWrapper | None:
        """The model client; None when this agent has no LLM."""
        if self.client is None and self.llm_config is not False:
            from convogen.llm.defaults import default_llm_client

            self.client = default_llm_client(self.llm_config, self.io)
        return self.client

    def register_model_client(self, model_client_cls: type, **kwargs: Any) -> None:
        """Instantiate a custom client class named by ``model_client_cls`` in the config list."""
        if self.client is None:
            raise ConfigError("llm_config", self.llm_config, "has no config_list to register into")
        self.client.register_model_client(model_client_cls, **kwargs)

    def print_usage_summary(self, mode: str | list[str] = ("actual", "total")) -> None:  # type: ignore[assignment]
        if self.client is None:
            self.io.print(f"No cost incurred from agent '{self.name}'.")
        else:
            self.io.print(f"Agent '{self.name}':")
            self.client.print_usage_summary(mode)

    def get_actual_usage(self) -> dict[str, Any] | None:
        return None if self.client is None else self.client.actual_usage_summary

    def get_total_usage(self) -> dict[str, Any] | None:
        return None if self.client is None else self.client.total_usage_summary
