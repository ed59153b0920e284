"""An agent's per-peer state: consecutive auto-reply counters, and saving/loading it all."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from convogen.errors import ConfigError
from convogen.messages import Message

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent


class AgentStateMixin:
    """Auto-reply counting and ``save_state`` / ``load_state`` of ``ConversableAgent``."""

    _oai_messages: defaultdict[Any, list[Message]]
    _consecutive_auto_reply_counter: defaultdict[ConversableAgent, int]
    _human_input: list[str]

    if TYPE_CHECKING:

        @property
        def name(self) -> str: ...

    def auto_reply_count(self, sender: ConversableAgent) -> int:
        """How many auto replies in a row this agent has sent to ``sender``."""
        return self._consecutive_auto_reply_counter[sender]

    def count_auto_reply(self, sender: ConversableAgent) -> None:
        """Count one more consecutive auto reply to ``sender``."""
        self._consecutive_auto_reply_counter[sender] += 1

    def save_state(self, histories: bool = True) -> dict[str, Any]:
        """This agent's per-peer state as JSON-safe data: histories, counters, human input.

        Peers are keyed by name; ``histories=False`` leaves the histories out.
        """
        counters = self._consecutive_auto_reply_counter
        state: dict[str, Any] = {
            "name": self.name,
            "auto_reply_counts": {peer.name: count for peer, count in counters.items()},
            "human_inputs": list(self._human_input),
        }
        if histories:
            state["histories"] = {
                peer.name: _json_safe(history) for peer, history in self._oai_messages.items()
            }
        return state

    def load_state(self, state: dict[str, Any], peers: Iterable[ConversableAgent]) -> None:
        """Restore what ``save_state`` saved; ``peers`` are the agents its peer names name."""
        by_name = {peer.name: peer for peer in peers}
        counts = _section(state, "auto_reply_counts", int)
        histories = _section(state, "histories", list)
        for name in [*counts, *histories]:
            if name not in by_name:
                raise ConfigError("state", name, f"names a peer not among {sorted(by_name)}")
        for name, history in histories.items():
            self._oai_messages[by_name[name]] = _messages(name, history)
        for name, count in counts.items():
            self._consecutive_auto_reply_counter[by_name[name]] = count
        inputs = state.get("human_inputs", [])
        if not isinstance(inputs, list):
            raise ConfigError("state['human_inputs']", inputs, "must be a list of strings")
        self._human_input = [str(text) for text in inputs]


def _section(state: object, key: str, kind: type) -> dict[str, Any]:
    """``state[key]``: a mapping of peer names to values of ``kind`` (empty when absent)."""
    if not isinstance(state, dict):
        raise ConfigError("state", type(state).__name__, "must be a dict saved by save_state")
    section = state.get(key, {})
    if not isinstance(section, dict):
        raise ConfigError(f"state[{key!r}]", section, "must map peer names to values")
    for name, value in section.items():
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ConfigError(f"state[{key!r}][{name!r}]", value, f"must be a {kind.__name__}")
    return section


def _messages(peer: str, history: list[Any]) -> list[Message]:
    for i, message in enumerate(history):
        if not isinstance(message, dict):
            raise ConfigError(f"state['histories'][{peer!r}][{i}]", message, "must be a dict")
    return [cast(Message, dict(m)) for m in history]


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))
