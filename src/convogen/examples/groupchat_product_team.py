"""A product manager, a coder and a user proxy solve a task in a group chat (offline).

As in the AutoGen paper's group-chat example, the manager picks each next speaker with an LLM;
here every model is scripted, so the example runs with no network and no API key. The coder's
Python runs in the sandbox through the user proxy.

Run: .venv/bin/convogen example groupchat_product_team [--model local | --config OAI_CONFIG_LIST]
(scripted models by default; --silent prints nothing of its own)
"""

from __future__ import annotations

import tempfile
from typing import Any

import convogen as autogen
from convogen.agents.termination import ends_with_terminate
from convogen.cli.errors import run_guarded
from convogen.cli.models import ModelChoice, example_options
from convogen.messages import content_str

CODE = """Here is the script:

```python
words = "the quick brown fox jumps over the lazy dog the end".split()
counts = {w: words.count(w) for w in sorted(set(words))}
top = max(counts, key=counts.get)
print("most frequent word:", top, counts[top])
```"""


def product_manager(messages: list[Any]) -> str:
    return (
        "Spec: read the sentence, count each word, and print the most frequent word with its "
        "count. Coder, please implement it."
    )


def coder(messages: list[Any]) -> str:
    last = content_str(messages[-1].get("content"))
    if "most frequent word:" in last:
        return "The result is verified: 'the' appears 3 times. TERMINATE"
    return CODE


def selector(messages: list[Any]) -> str:
    """The manager's model: reads the transcript and names the next speaker."""
    last = content_str(messages[-2].get("content")) if len(messages) > 1 else ""
    if "exitcode:" in last:
        return "Coder"
    if last.startswith("User:"):
        return "Product_manager"
    if last.startswith("Product_manager:"):
        return "Coder"
    if "```python" in last:
        return "User"
    return "Coder"


def main(silent: bool = False, model: ModelChoice | None = None) -> autogen.ChatResult:
    """Run the team and return the chat result."""
    pick = (model or ModelChoice()).picker()
    user = autogen.UserProxyAgent(
        "User",
        human_input_mode="NEVER",
        code_execution_config={"work_dir": tempfile.mkdtemp(prefix="convogen-team-")},
        description="Executes the code the coder writes and reports the output.",
    )
    pm = autogen.AssistantAgent(
        "Product_manager",
        system_message="You turn requests into precise specs.",
        llm_config=pick(autogen.scripted_llm_config(product_manager)),
        description="Writes specifications.",
    )
    dev = autogen.AssistantAgent(
        "Coder",
        llm_config=pick(autogen.scripted_llm_config(coder)),
        description="Writes Python code that implements the spec.",
    )
    groupchat = autogen.GroupChat(agents=[user, pm, dev], messages=[], max_round=8)
    manager = autogen.GroupChatManager(
        groupchat,
        llm_config=pick(autogen.scripted_llm_config(selector)),
        is_termination_msg=ends_with_terminate,
    )
    result = user.initiate_chat(
        manager, message="Find the most frequent word in a sentence.", silent=silent
    )
    if not silent:
        for selection in groupchat.selection_log:
            print(f"round {selection.round}: {selection.speaker} ({selection.reason})")
        print("stop reason:", result.stop_reason)
    return result


if __name__ == "__main__":
    run_guarded(lambda: main(**example_options(__doc__)))
