"""``TransformMessages``: run message transforms on an agent's history before each reply."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from convogen.errors import ConfigError
from convogen.formatting_utils import colored

from .protocol import MessageTransform

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent


class TransformMessages:
    """Applies ``transforms`` in order to the messages an agent replies to.

    The system message (when first) is set aside and put back afterwards, so transforms never
    drop or cut it. The agent's stored history is never changed: only what the reply sees.
    """

    def __init__(
        self, *, transforms: Sequence[MessageTransform] = (), verbose: bool = True
    ) -> None:
        for index, transform in enumerate(transforms):
            if not isinstance(transform, MessageTransform):
                raise ConfigError(
                    f"transforms[{index}]", transform, "must have apply_transform and get_logs"
                )
        self._transforms = list(transforms)
        self._verbose = verbose

    def add_to_agent(self, agent: ConversableAgent) -> None:
        """Hook the transforms into ``agent`` (process_all_messages_before_reply)."""
        agent.register_hook("process_all_messages_before_reply", self._transform_messages)

    def _transform_messages(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not messages:
            return messages
        system = None
        # Copied once, as 0.2 does: a custom transform may edit messages in place.
        current = copy.deepcopy(messages)
        if current[0].get("role") == "system":
            system = current.pop(0)
        for transform in self._transforms:
            before = copy.deepcopy(current) if self._verbose else current
            current = transform.apply_transform(before)
            if self._verbose:
                logs, had_effect = transform.get_logs(before, current)
                if had_effect:
                    print(colored(logs, "yellow"), flush=True)
        return [system, *current] if system is not None else current
