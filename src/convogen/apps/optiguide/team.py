"""Building the OptiGuide team and asking it a question as a user would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from convogen.agents.assistant import AssistantAgent
from convogen.agents.user_proxy import UserProxyAgent
from convogen.apps.optiguide import prompts
from convogen.apps.optiguide.commander import OptiGuideCommander, WhatIfAnswer
from convogen.apps.optiguide.supply_chain import SupplyChain
from convogen.results import ChatResult


def build_optiguide(
    writer_llm_config: dict[str, Any],
    safeguard_llm_config: dict[str, Any],
    *,
    model: SupplyChain | None = None,
    work_dir: str | Path = "optiguide",
    max_attempts: int = 3,
    code_execution_config: dict[str, Any] | None = None,
) -> OptiGuideCommander:
    """A commander with its writer and safeguard agents (code runs in the sandbox by default)."""
    writer = AssistantAgent(
        "writer", system_message=prompts.WRITER_SYSTEM_MESSAGE, llm_config=writer_llm_config
    )
    safeguard = AssistantAgent(
        "safeguard",
        system_message=prompts.SAFEGUARD_SYSTEM_MESSAGE,
        llm_config=safeguard_llm_config,
    )
    return OptiGuideCommander(
        "commander",
        writer,
        safeguard,
        model=model,
        work_dir=work_dir,
        max_attempts=max_attempts,
        code_execution_config=code_execution_config,
    )


def ask(
    commander: OptiGuideCommander, question: str, silent: bool = True
) -> tuple[WhatIfAnswer, ChatResult]:
    """Ask ``question`` from a user proxy; returns the commander's answer and the chat."""
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    # The nested chats read the commander's own ``silent`` flag; mirror the caller's choice.
    previous, commander.silent = commander.silent, silent
    try:
        result = user.initiate_chat(commander, message=question, max_turns=1, silent=silent)
    finally:
        commander.silent = previous
    return commander.answers[-1], result
