"""Live events of studio runs: what a run's chat does, turned into JSON for the page.

A durable run re-executes its chat from the start when it resumes; the events of steps that
were already shown (journaled messages and effects) are recognised and not sent again.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from convogen.events import ChatStarted, Event, MessageSent, SpeakerSelected, SpeakerSelection
from convogen.interception import Proceed
from convogen.messages import content_str
from convogen.studio.files import raster_type


def visible_file(path: Path, root: Path) -> bool:
    """Whether a produced file is worth showing (not a cache file under a dot directory)."""
    try:
        parts = path.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return False
    return not any(part.startswith(".") for part in parts)


def message_event(sender: str, recipient: str, message: Mapping[str, Any]) -> dict[str, Any] | None:
    """The page's view of one message, or None for a group chat manager's relayed copy."""
    name = message.get("name", sender)
    if name != sender:
        return None  # the manager relays each message to every member; show it once
    event: dict[str, Any] = {
        "type": "message",
        "sender": sender,
        "recipient": recipient,
        "role": message.get("role"),
        "content": content_str(message.get("content")),
    }
    if message.get("tool_calls"):
        event["tool_calls"] = message["tool_calls"]
    if message.get("tool_responses"):
        # Each result on its own, so the page shows failed calls as errors.
        event["tool_responses"] = [
            {
                "tool_call_id": r.get("tool_call_id"),
                "content": str(r.get("content", "")),
                "is_error": r.get("is_error") is True,
            }
            for r in message["tool_responses"]
        ]
    return event


def speaker_event(selection: SpeakerSelection) -> dict[str, Any]:
    """The page's view of one speaker choice in a group chat."""
    return {
        "type": "speaker",
        "round": selection.round,
        "speaker": selection.speaker,
        "method": selection.method,
        "reason": selection.reason,
        "candidates": list(selection.candidates),
    }


def add_usage(totals: dict[str, dict[str, Any]], response: Any) -> bool:
    """Add one LLM response's usage to per-model ``totals``; False if it carried none."""
    if not isinstance(response, dict) or not isinstance(response.get("usage"), dict):
        return False
    usage = response["usage"]
    model = str(response.get("model") or "unknown")
    entry = totals.setdefault(
        model, {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "cost": 0.0}
    )
    entry["calls"] += 1
    entry["prompt_tokens"] += int(usage.get("prompt_tokens") or 0)
    entry["completion_tokens"] += int(usage.get("completion_tokens") or 0)
    cost = response.get("cost")
    # One unpriced call makes the model's cost unknown; a partial sum would mislead.
    if entry["cost"] is not None:
        entry["cost"] = None if cost is None else entry["cost"] + float(cost)
    return True


def usage_event(totals: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Totals over all models, as sent to the page."""
    costs = [m["cost"] for m in totals.values()]
    return {
        "type": "usage",
        "models": totals,
        "total_tokens": sum(m["prompt_tokens"] + m["completion_tokens"] for m in totals.values()),
        "total_cost": None if None in costs else sum(costs),
    }


class EventHub:
    """Per run: every event so far (also appended to a JSONL file) and live subscribers."""

    def __init__(self, event_file: Callable[[str], Path]) -> None:
        self._event_file = event_file
        self._history: dict[str, list[dict[str, Any]]] = {}
        self._subscribers: dict[str, set[asyncio.Queue[dict[str, Any]]]] = {}

    def history(self, run_id: str) -> list[dict[str, Any]]:
        """The run's events so far, oldest first (read from its file after a restart)."""
        if run_id not in self._history:
            events: list[dict[str, Any]] = []
            path = self._event_file(run_id)
            if path.is_file():
                for line in path.read_text(encoding="utf-8").splitlines():
                    try:
                        events.append(json.loads(line))
                    except json.JSONDecodeError:
                        continue  # a line torn by a crash mid-write
            self._history[run_id] = events
        return self._history[run_id]

    def publish(self, run_id: str, event: dict[str, Any]) -> dict[str, Any]:
        """Number, store and send ``event`` to the run's subscribers."""
        events = self.history(run_id)
        event = {**event, "seq": len(events), "time": time.time()}
        events.append(event)
        path = self._event_file(run_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(event, default=str) + "\n")
        for queue in tuple(self._subscribers.get(run_id, ())):
            queue.put_nowait(event)
        return event

    def subscribe(self, run_id: str) -> tuple[list[dict[str, Any]], asyncio.Queue[dict[str, Any]]]:
        """The events so far and a queue of the ones to come (no await between: no gap)."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._subscribers.setdefault(run_id, set()).add(queue)
        return list(self.history(run_id)), queue

    def forget(self, run_id: str) -> None:
        """Drop the run's events from memory (its file goes with the run's directory)."""
        self._history.pop(run_id, None)
        self._subscribers.pop(run_id, None)

    def unsubscribe(self, run_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        """Stop sending the run's events to ``queue``."""
        self._subscribers.get(run_id, set()).discard(queue)


class RunContext:
    """One execution (start or resume) of a run: filters and translates its chat's events."""

    def __init__(
        self, hub: EventHub, run_id: str, files_dir: Path, file_url: Callable[[Path], str]
    ) -> None:
        self.hub = hub
        self.run_id = run_id
        self.files_dir = files_dir
        self.file_url = file_url
        self.skip_messages = 0
        self.messages_seen = 0
        self.usage: dict[str, dict[str, Any]] = {}
        self.chat_ids: list[int] = []

    @property
    def replaying(self) -> bool:
        """Whether the chat is still re-executing steps a previous execution already showed."""
        return self.messages_seen < self.skip_messages

    def publish(self, event: dict[str, Any]) -> None:
        """Send an event of this run."""
        self.hub.publish(self.run_id, event)

    def on_event(self, event: Event) -> None:
        """Handle a conversation event emitted by this run's chat."""
        match event:
            case MessageSent():
                self._message(event)
            case ChatStarted(chat_id=chat_id):
                self.chat_ids.append(chat_id)
            case SpeakerSelected(selection=selection) if not self.replaying:
                self.publish(speaker_event(selection))

    def _message(self, event: MessageSent) -> None:
        """Show a message unless an earlier execution of the run already showed it."""
        index = self.messages_seen
        self.messages_seen += 1
        if index < self.skip_messages:
            return
        shown = message_event(event.sender.name, event.recipient.name, event.message)
        if shown is not None:
            self.publish(shown)

    async def intercept(self, kind: str, request: dict[str, Any], proceed: Proceed) -> Any:
        """Observe effects: model usage and code results (it never changes them)."""
        replaying = self.replaying
        result = await proceed()
        if kind == "llm" and add_usage(self.usage, result) and not replaying:
            self.publish(usage_event(self.usage))
        elif kind == "code" and not replaying and isinstance(result, dict):
            self.publish(self.code_event(str(request.get("agent")), result))
        return result

    def code_event(self, agent: str, result: dict[str, Any]) -> dict[str, Any]:
        """A code result with links to the files it produced (images shown inline)."""
        files = []
        for name in result.get("files") or []:
            path = Path(str(name))
            if visible_file(path, self.files_dir):
                url = self.file_url(path)
                image = raster_type(path) is not None
                files.append({"name": path.name, "url": url, "image": image})
        return {
            "type": "code",
            "agent": agent,
            "exit_code": result.get("exit_code"),
            "output": str(result.get("output", "")),
            "files": files,
        }
