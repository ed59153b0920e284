"""Offline demo on the embedded model: SmolLM2 writes Python, the sandbox runs it."""

from __future__ import annotations

import tempfile
from typing import Any

from convogen.agents import AssistantAgent, UserProxyAgent
from convogen.agents.termination import ends_with_terminate
from convogen.messages import Message, content_str
from convogen.results import ChatResult

TASK = "Print the sum of the numbers from 1 to 10."
EXPECTED = "55"
"""The value a correct program prints for ``TASK``."""
SYSTEM_MESSAGE = (
    "You write Python code. Reply with exactly one ```python code block that prints the "
    "answer, and nothing else."
)
REQUEST_OPTIONS: dict[str, Any] = {"temperature": 0.0, "max_tokens": 160, "seed": 0}


def code_succeeded(message: Message) -> bool:
    """The assistant ends the chat once the code it wrote has run successfully."""
    return content_str(message.get("content")).startswith("exitcode: 0")


def run(
    silent: bool = False,
    work_dir: str | None = None,
    task: str = TASK,
    llm_config: dict[str, Any] | None = None,
) -> ChatResult:
    """Run the demo on ``llm_config`` (default: the embedded model) in ``work_dir``."""
    if work_dir is None:
        with tempfile.TemporaryDirectory(prefix="convogen-demo-") as folder:
            return run(silent, folder, task, llm_config)
    assistant = AssistantAgent(
        "assistant",
        system_message=SYSTEM_MESSAGE,
        llm_config={**(llm_config or {}), **REQUEST_OPTIONS},
        is_termination_msg=code_succeeded,
    )
    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        is_termination_msg=ends_with_terminate,
        silent=silent,
        max_consecutive_auto_reply=3,
        code_execution_config={"work_dir": work_dir},
    )
    return user.initiate_chat(assistant, message=task, max_turns=4, silent=silent)
