"""``UserProxyAgent``: stands in for a person, asks them for input and executes code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from convogen.agents.conversable import ConversableAgent
from convogen.agents.io import IOStream
from convogen.agents.options import HumanInputMode
from convogen.messages import Message


class UserProxyAgent(ConversableAgent):
    """A person's proxy: asks them every turn by default and runs code blocks it receives."""

    DEFAULT_USER_PROXY_AGENT_DESCRIPTIONS = {
        "ALWAYS": "An attentive HUMAN user who can answer questions about the task, and can "
        "perform tasks such as running Python code or inputting command line commands at a "
        "Linux terminal and reporting back the execution results.",
        "TERMINATE": "A user that can run Python code or input command line commands at a "
        "Linux terminal and report back the execution results.",
        "NEVER": "A computer terminal that performs no other action than running Python "
        "scripts (provided to it quoted in ```python code blocks), or sh shell scripts "
        "(provided to it quoted in ```sh code blocks).",
    }

    def __init__(
        self,
        name: str,
        is_termination_msg: Callable[[Message], bool] | None = None,
        max_consecutive_auto_reply: int | None = None,
        human_input_mode: HumanInputMode = "ALWAYS",
        function_map: dict[str, Callable[..., Any]] | None = None,
        code_execution_config: dict[str, Any] | Literal[False] | None = None,
        default_auto_reply: str | dict[str, Any] = "",
        llm_config: dict[str, Any] | Literal[False] | None = False,
        system_message: str | list[dict[str, Any]] = "",
        description: str | None = None,
        io_stream: IOStream | None = None,
        **kwargs: Any,
    ) -> None:
        if description is None:
            description = self.DEFAULT_USER_PROXY_AGENT_DESCRIPTIONS.get(str(human_input_mode))
        super().__init__(
            name=name,
            system_message=system_message,
            is_termination_msg=is_termination_msg,
            max_consecutive_auto_reply=max_consecutive_auto_reply,
            human_input_mode=human_input_mode,
            function_map=function_map,
            code_execution_config={} if code_execution_config is None else code_execution_config,
            llm_config=llm_config,
            default_auto_reply=default_auto_reply,
            description=description,
            io_stream=io_stream,
            **kwargs,
        )
