"""Drawing a speaker transition graph (needs the optional networkx and matplotlib)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def visualize_speaker_transitions_dict(
    speaker_transitions_dict: Mapping[Any, Sequence[Any]],
    agents: Sequence[Any],
    export_path: str | None = None,
) -> None:
    """Draw the graph with networkx; save it to ``export_path`` or show it in a window."""
    try:
        import matplotlib.pyplot as plt  # type: ignore[import-not-found, unused-ignore]
        import networkx as nx  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as exc:
        raise ImportError(
            "visualize_speaker_transitions_dict needs networkx and matplotlib: "
            "pip install networkx matplotlib"
        ) from exc
    graph = nx.DiGraph()
    graph.add_nodes_from(agent.name for agent in agents)
    for source, targets in speaker_transitions_dict.items():
        graph.add_edges_from((source.name, target.name) for target in targets)
    nx.draw(graph, with_labels=True, font_weight="bold")
    if export_path is None:
        plt.show()
    else:
        plt.savefig(export_path)
