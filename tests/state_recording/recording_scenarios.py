"""Chats used by the recording tests: the same agents, live or with everything broken."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from convogen import (
    AssistantAgent,
    ConversableAgent,
    GroupChat,
    GroupChatManager,
    ScriptedIO,
    UserProxyAgent,
    register_function,
)
from convogen.agents.termination import ends_with_terminate
from convogen.code.protocol import CodeBlock, CodeResult
from convogen.llm.scripted import scripted_llm_config
from convogen.messages import Message

TASK = "Compute 6*7 with Python, then add 2 and 3 with the tool."
PRICE = [1.5, 2.0]  # dollars per 1k tokens, so that the cost is not zero


class Calls:
    """Counts what a live run touched (models, tools, executors, people)."""

    def __init__(self) -> None:
        self.tools = 0
        self.code = 0


class BrokenExecutor:
    """A code executor that must never run: replay answers every code effect."""

    def __init__(self, work_dir: Path) -> None:
        self._work_dir = work_dir
        self.calls = 0

    @property
    def work_dir(self) -> Path:
        return self._work_dir

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> CodeResult:
        self.calls += 1
        raise AssertionError("the executor was called during replay")

    def restart(self) -> None:
        """Nothing to reset."""


def make_add(calls: Calls, broken: bool) -> Any:
    def add(a: Annotated[int, "first addend"], b: Annotated[int, "second addend"]) -> int:
        """Add two integers."""
        calls.tools += 1
        if broken:
            raise AssertionError("the tool was called during replay")
        return a + b

    return add


def tool_call(call_id: str, a: int, b: int) -> dict[str, Any]:
    arguments = json.dumps({"a": a, "b": b})
    return {"id": call_id, "type": "function", "function": {"name": "add", "arguments": arguments}}


def _pick_next(messages: list[Message]) -> str:
    """The manager's scripted model: the next speaker from the transcript's last line."""
    lines = [str(m.get("content")) for m in messages if str(m.get("content")).count(":")]
    last = [line for line in lines if line.split(":")[0] in ("user", "coder", "analyst")][-1]
    speaker, _, text = last.partition(":")
    if speaker == "user" and "Compute" in text:
        return "coder"
    if speaker == "coder":
        return "user"
    if speaker == "user" and "exitcode" in text:
        return "analyst"
    if speaker == "analyst" and "[calls add]" in text:
        return "user"
    return "analyst"


def group_chat(
    work_dir: Path, *, broken: bool = False
) -> tuple[UserProxyAgent, GroupChatManager, GroupChat, dict[str, Any]]:
    """user (a person + code + tools), coder and analyst (scripted models), auto selection."""
    calls = Calls()
    if broken:
        coder_script: Any = ["I will not write code."] * 5
        analyst_script: Any = ["Wrong answer."] * 5
        manager_script: Any = lambda messages: "coder"  # noqa: E731
        io = ScriptedIO([])  # asking a person would raise HumanInputError
        executor: Any = BrokenExecutor(work_dir)
    else:
        coder_script = ["Here is the code:\n```python\nprint(6 * 7)\n```"]
        analyst_script = [
            {"content": None, "tool_calls": [tool_call("call_1", 2, 3)]},
            "6*7 is 42 and 2+3 is 5. TERMINATE",
        ]
        manager_script = _pick_next
        io = ScriptedIO(["", ""])  # press enter twice: run the code, run the tool
        executor = "local"
    price = [9.0, 9.0] if broken else PRICE
    code_config: dict[str, Any] = {"executor": executor}
    if not broken:
        code_config["work_dir"] = str(work_dir)
    user = UserProxyAgent(
        "user",
        human_input_mode="ALWAYS",
        code_execution_config=code_config,
        io_stream=io,
        silent=True,
        is_termination_msg=ends_with_terminate,
    )
    coder = AssistantAgent(
        "coder", llm_config=scripted_llm_config(coder_script, price=price), silent=True
    )
    analyst = AssistantAgent(
        "analyst", llm_config=scripted_llm_config(analyst_script, price=price), silent=True
    )
    register_function(make_add(calls, broken), caller=analyst, executor=user)
    gc = GroupChat([user, coder, analyst], max_round=12, speaker_selection_method="auto")
    manager = GroupChatManager(
        gc,
        llm_config=scripted_llm_config(manager_script, price=price),
        silent=True,
        is_termination_msg=ends_with_terminate,
    )
    touched = {"calls": calls, "io": io, "executor": executor, "agents": [coder, analyst, manager]}
    return user, manager, gc, touched


def model_calls(agents: list[ConversableAgent]) -> int:
    """How many completions the agents' scripted clients produced."""
    total = 0
    for agent in agents:
        client = agent.get_llm_client()
        assert client is not None
        total += sum(getattr(c, "calls", 0) for c in client.clients)
    return total
