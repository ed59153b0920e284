"""Speaker transition graphs: which agent may speak after which."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from convogen.errors import ConfigError

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

TransitionsType = Literal["allowed", "disallowed"]
Graph = dict["ConversableAgent", list["ConversableAgent"]]
FIELD = "allowed_or_disallowed_speaker_transitions"

logger = logging.getLogger(__name__)


def build_allowed_graph(
    agents: Sequence[ConversableAgent],
    transitions: Mapping[Any, Any] | None,
    transitions_type: str | None,
) -> Graph | None:
    """The allowed-transitions graph (None: every transition allowed).

    ``disallowed`` graphs are inverted; every agent in the graph must be in the group chat.
    """
    kind = transitions_type.lower() if isinstance(transitions_type, str) else transitions_type
    if kind not in ("allowed", "disallowed", None):
        raise ConfigError(
            "speaker_transitions_type", transitions_type, "must be 'allowed' or 'disallowed'"
        )
    if transitions is None:
        if kind is not None:
            warnings.warn(
                f"speaker_transitions_type={transitions_type!r} has no effect without "
                f"{FIELD}; every transition is allowed",
                UserWarning,
                stacklevel=4,
            )
        return None
    if kind is None:
        raise ConfigError(
            "speaker_transitions_type",
            None,
            f"must be 'allowed' or 'disallowed' when {FIELD} is set",
        )
    check_graph_validity(transitions, agents)
    members = set(agents)
    for source, targets in transitions.items():
        for target in targets:
            _check_member(target, members, f"a target of {source.name}")
    if kind == "allowed":
        graph: Graph = {agent: [] for agent in agents}
        for source, targets in transitions.items():
            graph[source] = _unique(targets)
        return graph
    return invert_disallowed_to_allowed(transitions, agents)


def check_graph_validity(
    allowed_speaker_transitions_dict: Mapping[Any, Any], agents: Sequence[Any]
) -> None:
    """Raise for a malformed graph; log a warning for isolated, stray or repeated agents."""
    transitions = allowed_speaker_transitions_dict
    if not isinstance(transitions, Mapping):
        raise ConfigError(FIELD, transitions, "must be a dict from an agent to a list of agents")
    members = set(agents)
    for source, targets in transitions.items():
        _check_member(source, members, "a key")
        if not isinstance(targets, list):
            raise ConfigError(f"{FIELD}[{source.name!r}]", targets, "must be a list of agents")
        for target in targets:
            if isinstance(target, str) or not isinstance(getattr(target, "name", None), str):
                raise ConfigError(f"{FIELD}[{source.name!r}]", target, "must be an agent")
    _warn_about_shape(transitions, agents)


def _warn_about_shape(transitions: Mapping[Any, Any], agents: Sequence[Any]) -> None:
    with_out = {source for source, targets in transitions.items() if targets}
    with_in = {target for targets in transitions.values() for target in targets}
    isolated = [a.name for a in agents if a not in with_out and a not in with_in]
    if isolated:
        # Wording keeps 0.2's key words ("isolated", "do not match", "duplicate") for log readers.
        logger.warning(
            "transition graph: isolated agents, with no transition in or out: %s", isolated
        )
    stray = (with_in | with_out).symmetric_difference(agents)
    if stray:
        names = sorted(a.name for a in stray)
        logger.warning(
            "transition graph: allowed_speaker_transitions do not match agents: %s", names
        )
    for source, targets in transitions.items():
        repeated = sorted({t.name for t in targets if targets.count(t) > 1})
        if repeated:
            logger.warning("transition graph: %s lists duplicate agents: %s", source.name, repeated)


def invert_disallowed_to_allowed(
    disallowed_speaker_transitions_dict: Mapping[Any, Any], agents: Sequence[Any]
) -> Graph:
    """The allowed graph: every transition (self-loops included) except the disallowed ones."""
    disallowed = disallowed_speaker_transitions_dict
    return {
        agent: [a for a in agents if a not in set(disallowed.get(agent, ()))] for agent in agents
    }


def full_graph(
    agents: Sequence[ConversableAgent], repeat: bool | Sequence[ConversableAgent]
) -> Graph:
    """Every transition between members; self-loops for ``repeat`` (True: all, list: those)."""
    graph: Graph = {}
    for agent in agents:
        graph[agent] = [a for a in agents if a is not agent]
        if repeat is True or (not isinstance(repeat, bool) and agent in repeat):
            graph[agent].append(agent)
    return graph


def _check_member(agent: object, members: set[Any], role: str) -> None:
    if agent not in members:
        raise ConfigError(
            FIELD, getattr(agent, "name", agent), f"{role} is not an agent of this group chat"
        )


def _unique(agents: Sequence[ConversableAgent]) -> list[ConversableAgent]:
    seen: dict[ConversableAgent, None] = {}
    for agent in agents:
        seen.setdefault(agent, None)
    return list(seen)


def has_self_loops(allowed_speaker_transitions: Mapping[Any, Any]) -> bool:
    """True when some agent may follow itself."""
    return any(agent in targets for agent, targets in allowed_speaker_transitions.items())
