"""Offline demo on the embedded model: SmolLM2 writes Python, the sandbox runs it."""

from __future__ import annotations

import tempfile

from convogen.agents import AssistantAgent, UserProxyAgent
from convogen.agents.termination import ends_with_terminate
from convogen.messages import Message, content_str
from convogen.results import ChatResult

TASK = "Print the sum of the numbers from 1 to 10."
SYSTEM_MESSAGE = (
    "You write Python code. Reply with exactly one ```python code block that prints the "
    "answer, and nothing else."
)


def code_succeeded(message: Message) -> bool:
    """The assistant ends the chat once the code it wrote has run successfully."""
    return content_str(message.get("content")).startswith("exitcode: 0")


def run(silent: bool = False, work_dir: str | None = None, task: str = TASK) -> ChatResult:
    """Run the demo on the embedded model (no llm_config: the default model is used)."""
    assistant = AssistantAgent(
        "assistant",
        system_message=SYSTEM_MESSAGE,
        llm_config={"temperature": 0.0, "max_tokens": 160, "seed": 0},
        is_termination_msg=code_succeeded,
    )
    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        is_termination_msg=ends_with_terminate,
        max_consecutive_auto_reply=3,
        code_execution_config={"work_dir": work_dir or tempfile.mkdtemp(prefix="convogen-demo-")},
    )
    return user.initiate_chat(assistant, message=task, max_turns=4, silent=silent)
