"""Classic ``autogen.graph_utils``: speaker transition graph helpers of AutoGen 0.2."""

from __future__ import annotations

from convogen.groupchat.transitions import (
    check_graph_validity,
    has_self_loops,
    invert_disallowed_to_allowed,
)
from convogen.groupchat.visualize import visualize_speaker_transitions_dict

__all__ = [
    "check_graph_validity",
    "has_self_loops",
    "invert_disallowed_to_allowed",
    "visualize_speaker_transitions_dict",
]
