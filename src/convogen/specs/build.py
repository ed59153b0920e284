"""Building live agents and teams from specs, and running them."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from convogen.agents import AssistantAgent, ConversableAgent, IOStream, UserProxyAgent
from convogen.agents.registration import register_function
from convogen.agents.termination import ends_with_terminate
from convogen.errors import ConfigError
from convogen.groupchat import GroupChat, GroupChatManager
from convogen.results import ChatResult
from convogen.specs.models import AgentSpec, TeamSpec
from convogen.specs.secrets import resolve_env_refs


@dataclass
class Team:
    """Live agents of a spec, ready to run a task."""

    spec: TeamSpec
    agents: dict[str, ConversableAgent]
    initiator: ConversableAgent
    recipient: ConversableAgent
    groupchat: GroupChat | None = None

    async def a_run(self, task: str, silent: bool = False) -> ChatResult:
        """Start the team on ``task``."""
        return await self.initiator.a_initiate_chat(
            self.recipient, message=task, max_turns=self.spec.max_turns, silent=silent
        )


def build_agent(spec: AgentSpec, io: IOStream | None = None) -> ConversableAgent:
    """One live agent from its spec."""
    # Team specs keep convogen's rule: a reply that ends with TERMINATE ends the chat.
    kwargs: dict[str, Any] = {"io_stream": io, "is_termination_msg": ends_with_terminate}
    if spec.description is not None:
        kwargs["description"] = spec.description
    if spec.human_input_mode is not None:
        kwargs["human_input_mode"] = spec.human_input_mode
    if spec.max_consecutive_auto_reply is not None:
        kwargs["max_consecutive_auto_reply"] = spec.max_consecutive_auto_reply
    if spec.llm_config is not None:
        kwargs["llm_config"] = resolve_env_refs(spec.llm_config, f"agents[{spec.name}].llm_config")
    if spec.system_message is not None:
        kwargs["system_message"] = spec.system_message
    if spec.kind == "assistant":
        return AssistantAgent(spec.name, code_execution_config=spec.code_execution, **kwargs)
    if spec.kind == "user_proxy":
        return UserProxyAgent(spec.name, code_execution_config=spec.code_execution, **kwargs)
    return ConversableAgent(spec.name, code_execution_config=spec.code_execution, **kwargs)


def build_team(spec: TeamSpec, io: IOStream | None = None) -> Team:
    """Live agents (and a group chat manager) for ``spec``; tools are registered too."""
    agents = {a.name: build_agent(a, io) for a in spec.agents}
    executor = next((agents[a.name] for a in spec.agents if a.kind == "user_proxy"), None)
    for agent_spec in spec.agents:
        for ref in agent_spec.tools:
            function = _import_tool(ref, agent_spec.name)
            register_function(
                function,
                caller=agents[agent_spec.name],
                executor=executor or agents[agent_spec.name],
            )
    return assemble_team(spec, agents, io)


def assemble_team(
    spec: TeamSpec, agents: dict[str, ConversableAgent], io: IOStream | None = None
) -> Team:
    """A team of ``spec`` from its live agents (local or remote): a pair or a group chat."""
    initiator = agents[spec.initiator]
    if spec.type == "two_agent":
        assert spec.recipient is not None
        return Team(spec, agents, initiator, agents[spec.recipient])
    transitions = spec.allowed_transitions
    groupchat = GroupChat(
        agents=list(agents.values()),
        max_round=spec.max_round,
        speaker_selection_method=spec.speaker_selection_method,
        allowed_or_disallowed_speaker_transitions=None
        if transitions is None
        else {agents[s]: [agents[t] for t in ts] for s, ts in transitions.items()},
        speaker_transitions_type=None if transitions is None else "allowed",
    )
    manager_config = resolve_env_refs(spec.manager_llm_config, "manager_llm_config")
    manager = GroupChatManager(
        groupchat,
        llm_config=False
        if manager_config is None and spec.speaker_selection_method != "auto"
        else manager_config,
        io_stream=io,
        is_termination_msg=ends_with_terminate,
    )
    return Team(spec, agents, initiator, manager, groupchat)


async def run_team(
    spec: TeamSpec, task: str | None = None, io: IOStream | None = None
) -> ChatResult:
    """Build the team of ``spec`` and run it on ``task`` (default: the spec's task)."""
    task = task or spec.task
    if not task:
        raise ConfigError("task", task, "give a task (the spec has none)")
    return await build_team(spec, io).a_run(task)


def _import_tool(ref: str, agent: str) -> Any:
    module_name, _, attr = ref.partition(":")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, attr)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"agents[{agent}].tools", ref, f"cannot be imported: {exc}") from exc
