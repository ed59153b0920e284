"""Offline demo: a scripted assistant writes Python, a user proxy runs it in the sandbox."""

from __future__ import annotations

import re
import tempfile
from typing import Any

from rich.console import Console
from rich.table import Table

from convogen.agents import AssistantAgent, UserProxyAgent
from convogen.agents.termination import ends_with_terminate
from convogen.messages import Message, content_str
from convogen.results import ChatResult

TASK = "Find the prime numbers below 50 and report how many there are."
EXPECTED = "15"
"""The count a correct program prints for ``TASK``."""

CODE_REPLY = """I will compute the primes with a short Python script.

```python
# filename: primes.py
primes = [n for n in range(2, 50) if all(n % d for d in range(2, int(n ** 0.5) + 1))]
print("primes:", primes)
print("count:", len(primes))
```"""


def scripted_assistant(messages: list[Message]) -> str:
    """Plays the model: first writes code, then reads the execution result and answers."""
    last = content_str(messages[-1].get("content"))
    if "exitcode: 0" in last:
        count = re.search(r"count:\s*(\d+)", last)
        found = count.group(1) if count else "an unknown number of"
        return f"The script ran successfully: there are {found} primes below 50.\nTERMINATE"
    if "exitcode:" in last:
        return "The code failed; I cannot finish the task without a working interpreter.\nTERMINATE"
    return CODE_REPLY


def run(silent: bool = False, work_dir: str | None = None) -> ChatResult:
    """Run the demo chat in ``work_dir`` (default: a temporary folder, removed afterwards)."""
    if work_dir is None:
        with tempfile.TemporaryDirectory(prefix="convogen-demo-") as folder:
            return run(silent, folder)
    llm_config: dict[str, Any] = {
        "config_list": [
            {"model": "scripted-demo", "api_type": "scripted", "replies": scripted_assistant}
        ]
    }
    assistant = AssistantAgent("assistant", llm_config=llm_config)
    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        is_termination_msg=ends_with_terminate,
        silent=silent,
        max_consecutive_auto_reply=5,
        code_execution_config={"work_dir": work_dir},
    )
    return user.initiate_chat(assistant, message=TASK, silent=silent)


def show_result(result: ChatResult, console: Console | None = None) -> None:
    """Render the stop reason, summary and usage as a table."""
    console = console or Console()
    table = Table(title="Chat result")
    table.add_column("field")
    table.add_column("value")
    table.add_row("stop reason", str(result.stop_reason))
    table.add_row("stopped by", str(result.stopped_by))
    table.add_row("messages", str(len(result.chat_history)))
    table.add_row("summary", result.summary)
    usage = result.cost["usage_including_cached_inference"]
    for model, entry in usage.items():
        if model != "total_cost":
            table.add_row(f"tokens ({model})", str(entry["total_tokens"]))
    total = usage.get("total_cost")
    table.add_row("cost", "unknown" if total is None else f"${total:.4f}")
    console.print(table)
