"""Token and dollar accounting per call, summarised per model (classic AutoGen summary shape)."""

from __future__ import annotations

from typing import Any, Literal

from convogen.llm.protocol import ModelResponse
from convogen.results import UsageRecord

__all__ = ["UsageMode", "UsageRecord", "UsageTracker", "chat_cost", "format_usage", "summarize"]

UsageMode = Literal["actual", "total", "both"]


class UsageTracker:
    """Collects usage records; summaries are computed from the records on demand."""

    def __init__(self) -> None:
        self.records: list[UsageRecord] = []

    def record(self, response: ModelResponse) -> UsageRecord:
        """Append the usage of ``response`` and return the record."""
        record = UsageRecord(
            model=response.model,
            prompt_tokens=response.usage.prompt_tokens,
            completion_tokens=response.usage.completion_tokens,
            cost=response.cost,
            cached=response.cached,
        )
        self.records.append(record)
        return record

    def clear(self) -> None:
        self.records.clear()

    def summary(self, *, cached: bool = True, since: int = 0) -> dict[str, Any] | None:
        """Usage per model, with ``total_cost``; ``cached=False`` leaves cached calls out."""
        return summarize(
            [r for r in self.records[since:] if cached or not r.cached],
        )


def summarize(records: list[UsageRecord]) -> dict[str, Any] | None:
    """Sum records per model; a model with any unknown price has cost None (never a guess)."""
    if not records:
        return None
    per_model: dict[str, dict[str, Any]] = {}
    for rec in records:
        entry = per_model.setdefault(
            rec.model, {"cost": 0.0, "prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
        )
        entry["prompt_tokens"] += rec.prompt_tokens
        entry["completion_tokens"] += rec.completion_tokens
        entry["total_tokens"] += rec.prompt_tokens + rec.completion_tokens
        if rec.cost is None or entry["cost"] is None:
            entry["cost"] = None
        else:
            entry["cost"] += rec.cost
    costs = [e["cost"] for e in per_model.values()]
    total = None if any(c is None for c in costs) else sum(costs)
    return {"total_cost": total, **per_model}


def chat_cost(records: list[UsageRecord]) -> dict[str, Any]:
    """The classic ``ChatResult.cost`` shape: usage including and excluding cached calls."""
    return {
        "usage_including_cached_inference": summarize(records) or {"total_cost": 0.0},
        "usage_excluding_cached_inference": summarize([r for r in records if not r.cached])
        or {"total_cost": 0.0},
    }


def format_usage(summary: dict[str, Any] | None, title: str) -> str:
    """A plain-text table of a usage summary."""
    if not summary:
        return f"{title}: no usage"
    total = summary.get("total_cost")
    lines = [f"{title}: total cost {'unknown' if total is None else f'${total:.6f}'}"]
    for model, entry in summary.items():
        if model == "total_cost":
            continue
        cost = entry["cost"]
        lines.append(
            f"  {model}: cost={'unknown' if cost is None else f'${cost:.6f}'} "
            f"prompt_tokens={entry['prompt_tokens']} "
            f"completion_tokens={entry['completion_tokens']} "
            f"total_tokens={entry['total_tokens']}"
        )
    return "\n".join(lines)
