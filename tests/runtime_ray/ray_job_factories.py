"""Team factories the Ray tests run in worker processes (imported there by module name)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from convogen import AssistantAgent, ConversableAgent, UserProxyAgent, scripted_llm_config
from convogen.agents.termination import ends_with_terminate


def _pair(key: str, delay: float = 0.0) -> tuple[ConversableAgent, ConversableAgent]:
    def reply(messages: list[Any]) -> str:
        if delay:
            time.sleep(delay)
        return f"answer for {key}: {messages[-1]['content']} TERMINATE"

    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        code_execution_config=False,
        is_termination_msg=ends_with_terminate,
    )
    helper = AssistantAgent("helper", llm_config=scripted_llm_config(reply))
    return user, helper


def counting_pair(log: str, key: str, delay: float = 0.0) -> tuple[ConversableAgent, ...]:
    """A scripted pair that records each execution as one line in ``log``."""
    with Path(log).open("a", encoding="utf-8") as handle:
        handle.write(f"{key}\n")
    return _pair(key, delay)


def crash_once_pair(
    log: str, key: str, marker: str, delay: float = 0.0
) -> tuple[ConversableAgent, ...]:
    """Kills its own worker process the first time it runs (a marker file remembers)."""
    with Path(log).open("a", encoding="utf-8") as handle:
        handle.write(f"{key}\n")
    if not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(delay)  # let the other jobs of the batch get going first
        os._exit(1)
    return _pair(key)


def failing_pair(key: str) -> tuple[ConversableAgent, ...]:
    """A factory that raises: the job ends with an error, not a lost worker."""
    raise RuntimeError(f"factory for {key} failed on purpose")


def echo_agent(word: str) -> ConversableAgent:
    """One agent (for an actor) that answers ``'<word>: <last message>'``."""

    def reply(messages: list[Any]) -> str:
        return f"{word}: {messages[-1]['content']}"

    return AssistantAgent("echo", llm_config=scripted_llm_config(reply))
