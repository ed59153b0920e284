"""Agents hosted as Ray actors, and local proxies that let a group chat include them.

The real agent (model client, tools, history) lives in an ``AgentActor`` process, possibly on
another node; the driver holds a ``RemoteAgent`` whose reply pipeline forwards to the actor,
so an ordinary ``GroupChat``/``GroupChatManager`` can mix remote and local agents.
"""

from __future__ import annotations

from typing import Any

from convogen._sync import run_sync
from convogen.agents import Agent, ConversableAgent
from convogen.agents.registration import register_function
from convogen.agents.reply_types import ReplyResult, Stopped
from convogen.errors import ConfigError
from convogen.messages import Message
from convogen.results import StopReason
from convogen.runtime.jobs import import_ref, json_safe
from convogen.specs.build import Team, assemble_team, build_agent
from convogen.specs.models import AgentSpec, TeamSpec


class AgentActor:
    """Hosts one agent in its own process; wrapped with ``ray.remote`` when started.

    Built from an ``AgentSpec`` (as a dict) or a ``'module:function'`` factory returning a
    ``ConversableAgent``; peers are known by name only, as stand-in agents of this process.
    """

    def __init__(self, source: dict[str, Any] | str, params: dict[str, Any] | None = None) -> None:
        if isinstance(source, str):
            agent = import_ref(source, "agent factory")(**(params or {}))
            if not isinstance(agent, ConversableAgent):
                raise ConfigError("agent factory", source, f"returned {agent!r:.80}, no agent")
            self.agent = agent
        else:
            spec = AgentSpec.model_validate(source)
            self.agent = build_agent(spec)
            for ref in spec.tools:
                # The actor is self-contained: the agent proposes and executes its own tools.
                tool = import_ref(ref, f"agents[{spec.name}].tools")
                register_function(tool, caller=self.agent, executor=self.agent)
        self._peers: dict[str, ConversableAgent] = {}

    def _peer(self, name: str) -> ConversableAgent:
        # Stand-ins keep per-peer state (history, auto-reply counters) keyed the usual way.
        peer = self._peers.get(name)
        if peer is None:
            peer = ConversableAgent(name, llm_config=False, human_input_mode="NEVER")
            self._peers[name] = peer
        return peer

    def describe(self) -> dict[str, str]:
        """The hosted agent's name and description."""
        return {"name": self.agent.name, "description": self.agent.description}

    def receive(self, message: dict[str, Any] | str, sender_name: str) -> None:
        """Store a message from ``sender_name`` in the agent's history (no reply)."""
        self.agent.deliver(message, self._peer(sender_name), silent=True)

    def generate_reply(
        self, messages: list[dict[str, Any]] | None, sender_name: str
    ) -> dict[str, Any]:
        """Run the agent's reply pipeline; returns ``{"reply": ..., "stop": ... or None}``."""
        peer = self._peer(sender_name)
        typed: list[Message] | None = messages  # type: ignore[assignment]
        outcome = run_sync(self.agent.a_generate_reply_outcome(typed, peer))
        stop = outcome.stop
        return {
            "reply": json_safe(outcome.reply),
            "stop": None
            if stop is None
            else {"reason": str(stop.reason), "agent": stop.agent, "detail": stop.detail},
        }

    def clear_history(self, peer_name: str | None = None) -> None:
        """Forget the conversation with ``peer_name`` (or all)."""
        if peer_name is None:
            self.agent.clear_history()
        elif peer_name in self._peers:
            self.agent.clear_history(self._peers[peer_name])

    def usage(self) -> dict[str, Any] | None:
        """The hosted agent's total model usage."""
        usage: dict[str, Any] | None = json_safe(self.agent.get_total_usage())
        return usage


class RemoteAgent(ConversableAgent):
    """A local stand-in for an agent in an ``AgentActor``: its replies come from the actor."""

    def __init__(self, actor: Any, name: str, description: str | None = None) -> None:
        super().__init__(
            name,
            llm_config=False,
            human_input_mode="NEVER",
            code_execution_config=False,
            description=description,
        )
        self.actor = actor
        self.register_reply([ConversableAgent, None], _forward_reply, position=0)

    def deliver(
        self,
        message: str | dict[str, Any] | Message,
        sender: ConversableAgent | Agent,
        silent: bool = False,
    ) -> None:
        """Store the message here and mirror it into the actor's history."""
        super().deliver(message, sender, silent)
        # Fire and forget: calls from one caller to a (non-async) actor run in order, so the
        # mirror is complete before any later generate_reply call is served.
        self.actor.receive.remote(json_safe(message), sender.name)

    def clear_history(
        self, recipient: ConversableAgent | None = None, nr_messages_to_preserve: int | None = None
    ) -> None:
        """Clear here and in the actor."""
        super().clear_history(recipient, nr_messages_to_preserve)
        if not nr_messages_to_preserve:
            self.actor.clear_history.remote(None if recipient is None else recipient.name)

    def get_total_usage(self) -> dict[str, Any] | None:
        """The remote agent's model usage (asked from the actor)."""
        import ray

        usage: dict[str, Any] | None = ray.get(self.actor.usage.remote())
        return usage

    def shutdown(self) -> None:
        """Stop the actor process."""
        import ray

        ray.kill(self.actor)


async def _forward_reply(
    recipient: ConversableAgent, messages: list[Message] | None, sender: Any, config: Any
) -> ReplyResult | Stopped:
    """Reply function of ``RemoteAgent``: the actor answers (a Ray object ref is awaitable)."""
    assert isinstance(recipient, RemoteAgent)
    sender_name = sender.name if isinstance(sender, ConversableAgent) else "unknown"
    outcome: dict[str, Any] = await recipient.actor.generate_reply.remote(
        json_safe(messages), sender_name
    )
    stop = outcome.get("stop")
    if outcome.get("reply") is None and stop is not None:
        return Stopped(StopReason(stop["reason"]), stop["detail"], stop["agent"])
    return True, outcome.get("reply")


def start_agent_actor(
    source: AgentSpec | str,
    params: dict[str, Any] | None = None,
    actor_options: dict[str, Any] | None = None,
) -> RemoteAgent:
    """Start an ``AgentActor`` for ``source`` and return its local ``RemoteAgent`` proxy."""
    import ray

    options = {"num_cpus": 0, **(actor_options or {})}
    # Typed as Any: Ray's actor handles are generated at run time.
    actor_class: Any = ray.remote(AgentActor).options(**options)
    data: dict[str, Any] | str = (
        source.model_dump(mode="json") if isinstance(source, AgentSpec) else source
    )
    actor: Any = actor_class.remote(data, params)
    info: dict[str, str] = ray.get(actor.describe.remote())
    return RemoteAgent(actor, info["name"], description=info["description"])


def build_remote_team(spec: TeamSpec, actor_options: dict[str, Any] | None = None) -> Team:
    """``spec`` as a team whose agents are Ray actors; the group chat manager stays local."""
    if not isinstance(spec, TeamSpec):
        raise ConfigError("spec", spec, "must be a TeamSpec")
    agents: dict[str, ConversableAgent] = {
        agent.name: start_agent_actor(agent, actor_options=actor_options) for agent in spec.agents
    }
    return assemble_team(spec, agents)
