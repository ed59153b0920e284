"""The code-execution reply: run code blocks found in recent messages and report the result."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from convogen.agents.options import code_execution_settings
from convogen.agents.render import render_note
from convogen.agents.reply_types import PASS, Replied, ReplyStep
from convogen.chat_run import record_files
from convogen.code.protocol import CodeBlock, CodeResult
from convogen.errors import CodeExecutionError
from convogen.interception import Codec, effect
from convogen.messages import Message, content_str

CODE_RESULT_CODEC: Codec[CodeResult] = Codec(
    encode=lambda r: {
        "exit_code": r.exit_code,
        "output": r.output,
        "files": [str(f) for f in r.files],
    },
    decode=lambda d: CodeResult(d["exit_code"], d["output"], [Path(f) for f in d["files"]]),
)

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent
    from convogen.code.protocol import CodeExecutor


async def generate_code_execution_reply(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyStep:
    """Execute the code blocks of the latest message that has any (within ``last_n_messages``)."""
    settings = code_execution_settings(recipient.code_execution_config)
    if settings is None or not messages:
        return PASS
    from convogen.code.extract import content_has_code, extract_code

    for message in _candidates(messages, settings.last_n_messages):
        text = content_str(message.get("content"))
        if not content_has_code(text):
            continue
        blocks = [b for b in extract_code(text) if b.code.strip()]
        if not blocks:
            continue
        _announce(recipient, blocks)
        result = await run_code(recipient, blocks)
        _keep_files(recipient, result.files)
        return Replied(_render(result))
    return PASS


def _announce(recipient: ConversableAgent, blocks: list[CodeBlock]) -> None:
    if not recipient.silent:
        render_note(
            recipient.io,
            f">>>>>>>> EXECUTING {len(blocks)} CODE BLOCK(S) "
            f"(languages: {', '.join(b.language for b in blocks)})...",
        )


def _keep_files(recipient: ConversableAgent, files: list[Path]) -> None:
    """Files the code wrote belong to the agent's record and to the chat run in progress."""
    recipient.produced_files.extend(files)
    record_files(list(files))


def _render(result: CodeResult) -> str:
    status = "execution succeeded" if result.exit_code == 0 else "execution failed"
    reply = f"exitcode: {result.exit_code} ({status})\nCode output: {result.output}"
    if result.files:
        reply += "\nFiles: " + ", ".join(str(f) for f in result.files)
    return reply


async def run_code(agent: ConversableAgent, blocks: list[CodeBlock]) -> CodeResult:
    """Execute ``blocks`` with the agent's executor, off the event loop, as an effect."""
    executor = executor_for(agent)
    request = {
        "agent": agent.name,
        "blocks": [{"code": b.code, "language": b.language} for b in blocks],
    }
    return await effect(
        "code",
        request,
        lambda: asyncio.to_thread(executor.execute_code_blocks, blocks),
        CODE_RESULT_CODEC,
    )


def executor_for(agent: ConversableAgent) -> CodeExecutor:
    """The agent's executor; CodeExecutionError when its code execution is off."""
    executor = agent.code_executor
    if executor is None:
        raise CodeExecutionError(
            f"agent {agent.name!r} cannot run code: its code_execution_config is False"
        )
    return executor


def _candidates(messages: list[Message], last_n: int | Literal["auto"]) -> list[Message]:
    """Messages to scan, newest first: the last N, or with 'auto' those since our last reply."""
    if last_n == "auto":
        recent: list[Message] = []
        for message in reversed(messages):
            if message.get("role") != "user":
                break
            recent.append(message)
        return recent
    return list(reversed(messages[-last_n:])) if last_n else []
