"""``AssistantAgent``: an LLM-backed agent that solves tasks, with code when useful."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from convogen.agents.conversable import ConversableAgent
from convogen.agents.options import HumanInputMode
from convogen.messages import Message


class AssistantAgent(ConversableAgent):
    """An LLM-backed assistant; by default it never asks a person and never runs code."""

    DEFAULT_CONFIG: dict[str, Any] | Literal[False] = {}
    DEFAULT_SYSTEM_MESSAGE = """You are a helpful AI assistant.
Solve tasks using your coding and language skills.
When you need to collect information or compute something, write Python code (in a ```python
block) or shell commands (in a ```sh block) for the user to execute, and the user will send you
the output. Put all the code for one step in one block, and print the results you need to see.
Do not ask the user to edit or copy anything: write complete code. If a code block should be
saved as a file before it runs, put "# filename: <name>" as its first line.
If the result shows an error, fix it and send the complete corrected code.
Check the result; when the task is done and verified, give a short answer and then
reply "TERMINATE" at the very end."""
    DEFAULT_DESCRIPTION = (
        "A helpful and general-purpose AI assistant that has strong language skills, Python "
        "skills, and Linux command line skills."
    )

    def __init__(
        self,
        name: str,
        system_message: str | None = DEFAULT_SYSTEM_MESSAGE,
        llm_config: dict[str, Any] | Literal[False] | None = None,
        is_termination_msg: Callable[[Message], bool] | None = None,
        max_consecutive_auto_reply: int | None = None,
        human_input_mode: HumanInputMode = "NEVER",
        description: str | None = None,
        **kwargs: Any,
    ) -> None:
        if description is None and system_message == self.DEFAULT_SYSTEM_MESSAGE:
            description = self.DEFAULT_DESCRIPTION
        super().__init__(
            name,
            system_message=system_message,
            is_termination_msg=is_termination_msg,
            max_consecutive_auto_reply=max_consecutive_auto_reply,
            human_input_mode=human_input_mode,
            llm_config=llm_config,
            description=description,
            **kwargs,
        )
