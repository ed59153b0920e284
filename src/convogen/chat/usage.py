"""``gather_usage_summary``: the model usage of several agents, in the classic cost shape."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_COUNTS = ("prompt_tokens", "completion_tokens", "total_tokens")


def gather_usage_summary(agents: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """Sum every agent's usage: including and excluding cached inference, per model.

    Agents without a model client add nothing; with no usage at all each side is
    ``{"total_cost": 0}``. A cost that is unknown for any call (no price) stays None.
    """
    including: dict[str, Any] = {"total_cost": 0}
    excluding: dict[str, Any] = {"total_cost": 0}
    for agent in agents:
        client = getattr(agent, "client", None)  # classic ``Agent`` objects may have none
        if client is None:
            continue
        _add(including, client.total_usage_summary)
        _add(excluding, client.actual_usage_summary)
    return {
        "usage_including_cached_inference": including,
        "usage_excluding_cached_inference": excluding,
    }


def _add(total: dict[str, Any], summary: dict[str, Any] | None) -> None:
    if not summary:
        return
    total["total_cost"] = _plus(total["total_cost"], summary.get("total_cost", 0))
    for model, entry in summary.items():
        if model == "total_cost":
            continue
        if model not in total:
            total[model] = dict(entry)
            continue
        mine = total[model]
        mine["cost"] = _plus(mine.get("cost", 0), entry.get("cost", 0))
        for key in _COUNTS:
            mine[key] = mine.get(key, 0) + entry.get(key, 0)


def _plus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a + b
