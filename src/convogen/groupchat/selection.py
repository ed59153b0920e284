"""Choosing the next speaker: eligibility (graph, repeats, tool calls) and each strategy."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from convogen.errors import (
    ConfigError,
    HumanInputError,
    NoEligibleSpeakerError,
    NoFunctionExecutorError,
)
from convogen.groupchat.groupchat import GroupChat
from convogen.groupchat.llm_selection import a_llm_select
from convogen.interception import JSON_CODEC, effect

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent
    from convogen.agents.io import IOStream

MANUAL_ATTEMPTS = 3


def eligible_speakers(
    groupchat: GroupChat, last_speaker: ConversableAgent
) -> list[ConversableAgent]:
    """Members allowed to speak after ``last_speaker``, in member order."""
    graph = groupchat.allowed_graph
    if graph is not None and last_speaker in graph:
        allowed = set(graph[last_speaker])
        agents = [a for a in groupchat.agents if a in allowed]
    else:
        repeat = groupchat.allow_repeat_speaker
        if repeat is False:
            agents = [a for a in groupchat.agents if a is not last_speaker]
        elif isinstance(repeat, list):
            agents = [a for a in groupchat.agents if a is not last_speaker or a in repeat]
        else:
            agents = list(groupchat.agents)
    if groupchat.func_call_filter and groupchat.messages:
        wanted = _requested_functions(groupchat)
        if wanted:
            executors = [a for a in agents if a.can_execute_function(wanted)]
            if executors:
                agents = executors
            elif groupchat.messages[-1].get("function_call"):
                agents = _function_holders(agents, wanted[-1])
    if not agents:
        raise NoEligibleSpeakerError(f"no agent may speak after {last_speaker.name}")
    return agents


def _function_holders(agents: list[ConversableAgent], name: str) -> list[ConversableAgent]:
    """As 0.2 for a legacy function call nobody executes: agents with any functions, or an error."""
    holders = [a for a in agents if a.function_map]
    if not holders:
        raise NoFunctionExecutorError(
            f"No agent can execute the function {name}. "
            "Please check the function_map of the agents."
        )
    return holders


def _requested_functions(groupchat: GroupChat) -> list[str]:
    last = groupchat.messages[-1]
    tool_calls = last.get("tool_calls")
    names = [c["function"]["name"] for c in tool_calls] if tool_calls else []
    function_call = last.get("function_call")
    if function_call:
        names.append(function_call["name"])
    return names


async def a_select_speaker(
    groupchat: GroupChat, last_speaker: ConversableAgent, selector: ConversableAgent
) -> ConversableAgent | None:
    """The next speaker, recorded with its reason; None when a custom method ends the chat."""
    method = groupchat.speaker_selection_method
    if callable(method):
        choice = method(last_speaker, groupchat)
        if inspect.isawaitable(choice):
            choice = await choice
        if choice is None:
            return None
        if isinstance(choice, str) and choice in ("auto", "round_robin", "random", "manual"):
            return await _a_select_by(choice, groupchat, last_speaker, selector, "custom function")
        agent = groupchat.agent_by_name(choice) if isinstance(choice, str) else choice
        if agent is None or agent not in groupchat.agents:
            raise ConfigError(
                "speaker_selection_method",
                getattr(method, "__name__", method),
                f"returned {choice!r}, which is not a member, a method name or None",
            )
        groupchat.record(agent, "custom", "chosen by the custom selection function", [agent])
        return agent
    return await _a_select_by(str(method), groupchat, last_speaker, selector, "")


async def _a_select_by(
    method: str,
    groupchat: GroupChat,
    last_speaker: ConversableAgent,
    selector: ConversableAgent,
    via: str,
) -> ConversableAgent:
    candidates = eligible_speakers(groupchat, last_speaker)
    prefix = f"{via}: " if via else ""
    if method == "round_robin":
        agent = groupchat.next_agent(last_speaker, candidates)
        reason = f"next in order after {last_speaker.name}"
    elif method == "random":
        # A random pick is an effect so that replays and resumed runs repeat it exactly.
        index = await effect(
            "random",
            {"candidates": [a.name for a in candidates]},
            _async_value(groupchat.random.randrange(len(candidates))),
            JSON_CODEC,
        )
        agent = candidates[index]
        reason = "random choice"
    elif len(candidates) == 1:
        agent, reason = candidates[0], "the only eligible speaker"
    elif method == "manual":
        picked = await _a_manual_select(groupchat, candidates, selector)
        if picked is not None:
            agent, reason = picked, "chosen by a person"
        else:
            method = "auto"
            agent, reason = await a_llm_select(groupchat, last_speaker, candidates, selector)
            reason = f"a person deferred to the LLM; {reason}"
    else:
        agent, reason = await a_llm_select(groupchat, last_speaker, candidates, selector)
    groupchat.record(agent, method, prefix + reason, candidates)
    return agent


def _async_value(value: int) -> Callable[[], Awaitable[int]]:
    async def get() -> int:
        return value

    return get


async def _a_manual_select(
    groupchat: GroupChat, candidates: list[ConversableAgent], selector: ConversableAgent
) -> ConversableAgent | None:
    """Ask the selector's person to pick; their answers are recorded like any human input."""
    return await a_ask_person(candidates, selector.a_get_human_input, selector.io)


async def a_ask_person(
    candidates: Sequence[ConversableAgent],
    ask: Callable[[str], Awaitable[str]],
    io: IOStream,
) -> ConversableAgent | None:
    """Ask a person to pick by number or name; blank or 'q' (or no input) lets the LLM pick."""
    listing = "\n".join(f"{i}: {a.name}" for i, a in enumerate(candidates, start=1))
    prompt = (
        f"Please select the next speaker from the following list:\n{listing}\n"
        "Enter the number or name of the next speaker (enter nothing or 'q' to let the LLM "
        "choose): "
    )
    for _ in range(MANUAL_ATTEMPTS):
        try:
            answer = (await ask(prompt)).strip()
        except HumanInputError:
            return None
        if answer in ("", "q"):
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(candidates):
            return candidates[int(answer) - 1]
        for agent in candidates:
            if agent.name == answer:
                return agent
        io.print(f"Invalid choice {answer!r}: enter a number from 1 to {len(candidates)}.")
    return None
