"""Dynamic group chat: the next speaker is chosen from the conversation, within a graph (offline).

Four agents with descriptions; the manager's model (scripted here) reads the transcript and
names who should speak next, and a transition graph keeps the choice among legal successors
(the writer can never follow the planner directly). A researcher calls a tool that an
executor-side agent runs.

Run: .venv/bin/convogen example dynamic_groupchat [--model local | --config OAI_CONFIG_LIST]
(scripted models by default; --silent prints nothing of its own)
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import convogen as autogen
from convogen.agents.termination import ends_with_terminate
from convogen.cli.errors import run_guarded
from convogen.cli.models import ModelChoice, example_options
from convogen.messages import content_str

FACTS = {"everest": "8849 m", "k2": "8611 m"}


def mountain_height(name: Annotated[str, "mountain name"]) -> str:
    """Look up the height of a mountain."""
    return FACTS.get(name.lower(), "unknown")


def researcher(messages: list[Any]) -> Any:
    last = content_str(messages[-1].get("content"))
    if "8849" in last or "8611" in last:
        return f"Research done: {last.strip()}."
    calls = [
        {
            "id": f"call_{i}",
            "type": "function",
            "function": {"name": "mountain_height", "arguments": f'{{"name": "{m}"}}'},
        }
        for i, m in enumerate(["Everest", "K2"])
    ]
    return {"content": None, "tool_calls": calls}


def selector(messages: list[Any]) -> str:
    """Picks the agent whose speciality fits the last message."""
    system = content_str(messages[0].get("content"))
    allowed = re.findall(r"'(\w+)'", system.split("from", 1)[-1])
    last = content_str(messages[-2].get("content")).lower() if len(messages) > 2 else ""
    if "research done" in last and "Critic" in allowed:
        return "Critic"
    wanted = (
        "Researcher"
        if "plan" in last and "research" not in last
        else "Executor"
        if "calls mountain_height" in last
        else "Researcher"
        if "8849" in last
        else "Writer"
        if "approved" in last
        else "Planner"
    )
    return wanted if wanted in allowed else allowed[0]


def main(silent: bool = False, model: ModelChoice | None = None) -> autogen.ChatResult:
    """Run the dynamic group chat and return its result."""
    pick = (model or ModelChoice()).picker()
    planner = autogen.AssistantAgent(
        "Planner",
        description="Breaks the task into steps.",
        llm_config=pick(
            autogen.scripted_llm_config(["Plan: 1) research both heights 2) compare."])
        ),
    )
    research = autogen.AssistantAgent(
        "Researcher",
        description="Finds facts with tools.",
        llm_config=pick(autogen.scripted_llm_config(researcher)),
    )
    executor = autogen.UserProxyAgent(
        "Executor",
        human_input_mode="NEVER",
        code_execution_config=False,
        description="Runs the tools other agents call.",
    )
    critic = autogen.AssistantAgent(
        "Critic",
        description="Checks the facts.",
        llm_config=pick(autogen.scripted_llm_config(["Facts approved."])),
    )
    writer = autogen.AssistantAgent(
        "Writer",
        description="Writes the final answer.",
        llm_config=pick(
            autogen.scripted_llm_config(
                ["Everest (8849 m) is 238 m higher than K2 (8611 m). TERMINATE"]
            )
        ),
    )
    autogen.register_function(mountain_height, caller=research, executor=executor)
    graph: dict[autogen.Agent, list[autogen.Agent]] = {
        planner: [research],
        research: [executor, critic],
        executor: [research],
        critic: [writer, research],
        writer: [planner],
    }
    groupchat = autogen.GroupChat(
        agents=[planner, research, executor, critic, writer],
        max_round=12,
        allowed_or_disallowed_speaker_transitions=graph,
        speaker_transitions_type="allowed",
    )
    manager = autogen.GroupChatManager(
        groupchat,
        llm_config=pick(autogen.scripted_llm_config(selector)),
        is_termination_msg=ends_with_terminate,
    )
    result = planner.initiate_chat(
        manager, message="Which is higher, Everest or K2, and by how much?", silent=silent
    )
    if not silent:
        for selection in groupchat.selection_log:
            print(f"{selection.speaker:<10} among {list(selection.candidates)}: {selection.reason}")
        print("stop reason:", result.stop_reason, "| answer:", result.summary)
    return result


if __name__ == "__main__":
    run_guarded(lambda: main(**example_options(__doc__)))
