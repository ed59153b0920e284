"""Book-keeping of classic ``Completion.create`` calls (``start_logging`` / ``logged_history``)."""

from __future__ import annotations

import json
import time
from typing import Any

from convogen.llm.protocol import ModelResponse


class CompletionLog:
    """Requests and responses, verbose (one entry per call) or compact (per conversation)."""

    def __init__(self, history: dict[Any, Any] | None, compact: bool) -> None:
        self.history: dict[Any, Any] = {} if history is None else history
        self.compact = compact
        self.count = 0

    def record(self, request: dict[str, Any], response: ModelResponse) -> None:
        """Add one call."""
        usage = {
            "prompt_tokens": response.usage.prompt_tokens,
            "completion_tokens": response.usage.completion_tokens,
            "total_tokens": response.usage.total_tokens,
        }
        cost = response.cost or 0.0
        if self.compact:
            key = json.dumps(request.get("messages") or request.get("prompt"), default=repr)
            entry = self.history.setdefault(
                key, {"created_at": [], "cost": [], "token_count": [], "model": []}
            )
            entry["created_at"].append(self.count)
            entry["cost"].append(cost)
            entry["token_count"].append(usage)
            entry["model"].append(response.model)
        else:
            content = [c.get("content") for c in response.choices]
            self.history[self.count] = {
                "request": json.loads(json.dumps(request, default=repr)),
                "response": {"model": response.model, "choices": content, "usage": usage},
                "cost": cost,
                "created": time.time(),
            }
        self.count += 1

    def usage_by_model(self) -> dict[str, dict[str, Any]]:
        """Token counts and cost per model over the logged calls."""
        per_model: dict[str, dict[str, Any]] = {}
        for model, cost, usage in self._calls():
            entry = per_model.setdefault(
                model, {"cost": 0.0, "prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
            )
            entry["cost"] += cost
            for key in ("prompt_tokens", "completion_tokens", "total_tokens"):
                entry[key] += usage[key]
        return per_model

    def _calls(self) -> list[tuple[str, float, dict[str, int]]]:
        if not self.compact:
            return [
                (e["response"]["model"], e["cost"], e["response"]["usage"])
                for e in self.history.values()
            ]
        return [
            call
            for e in self.history.values()
            for call in zip(e["model"], e["cost"], e["token_count"], strict=True)
        ]


__all__ = ["CompletionLog"]
