"""Speaker transition graphs: which agent may speak after which."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from convogen.errors import ConfigError

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

TransitionsType = Literal["allowed", "disallowed"]
Graph = dict["ConversableAgent", list["ConversableAgent"]]


def build_allowed_graph(
    agents: Sequence[ConversableAgent],
    transitions: Mapping[Any, Any] | None,
    transitions_type: str | None,
) -> Graph | None:
    """The allowed-transitions graph (None: every transition allowed).

    ``disallowed`` graphs are inverted; every agent in the graph must be in the group chat.
    """
    if transitions is None:
        if transitions_type is not None:
            raise ConfigError(
                "speaker_transitions_type",
                transitions_type,
                "only applies with allowed_or_disallowed_speaker_transitions",
            )
        return None
    if transitions_type not in ("allowed", "disallowed"):
        raise ConfigError(
            "speaker_transitions_type", transitions_type, "must be 'allowed' or 'disallowed'"
        )
    if not isinstance(transitions, Mapping):
        raise ConfigError(
            "allowed_or_disallowed_speaker_transitions",
            transitions,
            "must be a dict from an agent to a list of agents",
        )
    members = set(agents)
    for source, targets in transitions.items():
        _check_member(source, members, "a key")
        if isinstance(targets, (str, bytes)) or not isinstance(targets, Sequence):
            raise ConfigError(
                f"allowed_or_disallowed_speaker_transitions[{getattr(source, 'name', source)!r}]",
                targets,
                "must be a list of agents",
            )
        for target in targets:
            _check_member(target, members, f"a target of {source.name}")
    if transitions_type == "allowed":
        graph: Graph = {agent: [] for agent in agents}
        for source, targets in transitions.items():
            graph[source] = _unique(targets)
        return graph
    return {
        agent: [a for a in agents if a not in set(transitions.get(agent, ()))] for agent in agents
    }


def _check_member(agent: object, members: set[ConversableAgent], role: str) -> None:
    if agent not in members:
        raise ConfigError(
            "allowed_or_disallowed_speaker_transitions",
            getattr(agent, "name", agent),
            f"{role} is not an agent of this group chat",
        )


def _unique(agents: Sequence[ConversableAgent]) -> list[ConversableAgent]:
    seen: dict[ConversableAgent, None] = {}
    for agent in agents:
        seen.setdefault(agent, None)
    return list(seen)


def has_self_loops(graph: Graph) -> bool:
    """True when some agent may follow itself."""
    return any(agent in targets for agent, targets in graph.items())
