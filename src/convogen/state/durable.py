"""Durable chats: every step is persisted, and a run resumes after a crash or a pause.

A durable run journals each external effect (model reply, tool result, code result, human
input, random choice) and each message to a checkpoint store before the chat moves on.
Resuming re-executes the chat from the start with journaled effects answered from the store,
so the chat reaches the exact state it had (histories, counters, nested-chat position, group
transcript) without calling a model, a tool or an executor again for a step that completed;
from there it continues live. A run can also pause when it needs a person's answer and be
resumed later, from another process, with that answer.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from convogen._sync import run_sync
from convogen.errors import ChatError, ConvogenError
from convogen.interception import Proceed, add_sink, intercepting
from convogen.results import ChatResult, StopReason

if TYPE_CHECKING:
    from convogen.state.store import CheckpointStore

ChatFactory = Callable[[], Awaitable[Any]]


class HumanInputPendingError(ConvogenError):
    """A paused run is waiting for a person's answer."""

    def __init__(self, agent: str, prompt: str) -> None:
        self.agent = agent
        self.prompt = prompt
        super().__init__(f"{agent} is waiting for human input: {prompt!r}")


class DurableReplayError(ChatError):
    """Re-execution asked for an effect other than the journaled one (the chat code changed)."""


@dataclass
class _Run:
    """The live state of one durable run inside this process."""

    store: CheckpointStore
    run_id: str
    journal: dict[int, dict[str, Any]]
    stored_messages: list[dict[str, Any]]
    next_seq: int
    answer: str | None
    pause_for_human_input: bool
    replayed: int = 0
    message_count: int = 0
    effects_seen: int = 0
    state: dict[str, Any] = field(default_factory=dict)

    async def intercept(self, kind: str, request: dict[str, Any], proceed: Proceed) -> Any:
        # Effects are numbered when they start (deterministic, even for parallel tool calls)
        # and journaled when they finish, so the journal is looked up by that number.
        index = self.effects_seen
        self.effects_seen += 1
        entry = self.journal.get(index)
        if entry is not None:
            if entry["kind"] != kind or _canonical(entry["request"]) != _canonical(request):
                raise DurableReplayError(
                    f"run {self.run_id!r}: effect #{index} was {entry['kind']} "
                    f"{_short(entry['request'])} when recorded, now {kind} {_short(request)}"
                )
            self.replayed += 1
            if "error" in entry:
                raise ChatError(f"journaled {kind} effect failed: {entry['error']}")
            return entry["result"]
        if kind == "human":
            if self.answer is not None:
                result: Any = self.answer
                self.answer = None
                self._commit_effect(index, kind, request, result)
                return result
            if self.pause_for_human_input:
                raise HumanInputPendingError(str(request.get("agent")), str(request.get("prompt")))
        result = await proceed()
        self._commit_effect(index, kind, request, result)
        return result

    def _commit_effect(self, index: int, kind: str, request: dict[str, Any], result: Any) -> None:
        entry = {"type": "effect", "index": index, "kind": kind, "request": request}
        entry["result"] = result
        self.store.commit(self.run_id, [(self.next_seq, entry)], self.state, "running")
        self.next_seq += 1
        self.journal[index] = entry

    def on_message(self, data: dict[str, Any]) -> None:
        sender, recipient = data["sender"], data["recipient"]
        entry = {
            "type": "message",
            "sender": sender.name,
            "recipient": recipient.name,
            "message": _json_safe(data["message"]),
        }
        index = self.message_count
        self.message_count += 1
        if index < len(self.stored_messages):
            return  # already persisted before the crash; re-execution reached it again
        self.state = {
            "counters": {
                sender.name: _counters(sender),
                recipient.name: _counters(recipient),
            },
            "messages": self.message_count,
        }
        self.store.commit(self.run_id, [(self.next_seq, entry)], self.state, "running")
        self.next_seq += 1
        self.stored_messages.append(entry)


_current: contextvars.ContextVar[_Run | None] = contextvars.ContextVar(
    "convogen_durable_run", default=None
)


class _MessageSink:
    """One process-wide sink that hands message events to the run of the current context."""

    def on_event(self, event: str, data: dict[str, Any]) -> None:
        run = _current.get()
        if run is not None and event == "message":
            run.on_message(data)


_SINK = _MessageSink()


async def a_run_durable(
    store: CheckpointStore | str,
    run_id: str,
    chat: ChatFactory,
    *,
    answer: str | None = None,
    pause_for_human_input: bool = False,
    kind: str = "chat",
    spec: dict[str, Any] | None = None,
) -> ChatResult:
    """Run (or resume) the chat that ``chat()`` starts as the durable run ``run_id``.

    ``chat`` must start the same chat each time it is called (for example
    ``lambda: user.a_initiate_chat(assistant, message=...)``) with freshly built agents.
    A finished run returns its stored result. ``answer`` answers the human input a paused
    run waits for; with ``pause_for_human_input`` a request for human input pauses the run
    (``stop_reason == "paused"``) instead of asking the agent's IO stream.
    """
    checkpoints = _open(store)
    record = checkpoints.get_run(run_id)
    if record is not None and record.status == "finished":
        return _result_from_state(record.state)
    if record is None:
        checkpoints.create_run(run_id, kind, spec or {})
        entries: list[dict[str, Any]] = []
    else:
        entries = checkpoints.messages(run_id)
    if record is not None and record.status == "paused" and answer is None:
        pending = record.state.get("pending_human_input", {})
        raise HumanInputPendingError(str(pending.get("agent")), str(pending.get("prompt")))
    run = _Run(
        store=checkpoints,
        run_id=run_id,
        journal={e["index"]: e for e in entries if e.get("type") == "effect"},
        stored_messages=[e for e in entries if e.get("type") == "message"],
        next_seq=len(entries),
        answer=answer,
        pause_for_human_input=pause_for_human_input,
    )
    add_sink(_SINK)
    token = _current.set(run)
    try:
        with intercepting(run):
            result = await chat()
    except HumanInputPendingError as pending:
        state = {
            **run.state,
            "pending_human_input": {"agent": pending.agent, "prompt": pending.prompt},
        }
        checkpoints.save_state(run_id, state, "paused")
        return ChatResult(
            chat_history=[e["message"] for e in run.stored_messages],
            stop_reason=StopReason.PAUSED,
            stopped_by=pending.agent,
            stop_detail=pending.prompt,
        )
    except BaseException as exc:
        checkpoints.save_state(run_id, {**run.state, "error": repr(exc)}, "failed")
        raise
    finally:
        _current.reset(token)
    if not isinstance(result, ChatResult):
        raise ChatError(
            f"the durable chat factory returned {type(result).__name__}, not a ChatResult"
        )
    checkpoints.save_state(run_id, {**run.state, "result": _result_to_state(result)}, "finished")
    return result


def run_durable(
    store: CheckpointStore | str,
    run_id: str,
    chat: ChatFactory,
    *,
    answer: str | None = None,
    pause_for_human_input: bool = False,
    kind: str = "chat",
    spec: dict[str, Any] | None = None,
) -> ChatResult:
    """Synchronous twin of ``a_run_durable``."""
    return run_sync(
        a_run_durable(
            store,
            run_id,
            chat,
            answer=answer,
            pause_for_human_input=pause_for_human_input,
            kind=kind,
            spec=spec,
        )
    )


def _open(store: CheckpointStore | str) -> CheckpointStore:
    if isinstance(store, str):
        from convogen.state.store import open_store

        return open_store(store)
    return store


def _counters(agent: Any) -> dict[str, int]:
    return {peer.name: count for peer, count in agent._consecutive_auto_reply_counter.items()}


def _result_to_state(result: ChatResult) -> dict[str, Any]:
    return {
        "chat_id": result.chat_id,
        "chat_history": _json_safe(result.chat_history),
        "summary": result.summary,
        "cost": _json_safe(result.cost),
        "human_input": list(result.human_input),
        "stop_reason": str(result.stop_reason) if result.stop_reason else None,
        "stopped_by": result.stopped_by,
        "stop_detail": result.stop_detail,
    }


def _result_from_state(state: dict[str, Any]) -> ChatResult:
    data = state.get("result")
    if not isinstance(data, dict):
        raise ChatError("the run is marked finished but holds no result")
    reason = data.get("stop_reason")
    return ChatResult(
        chat_id=data.get("chat_id"),
        chat_history=data.get("chat_history", []),
        summary=data.get("summary", ""),
        cost=data.get("cost", {}),
        human_input=data.get("human_input", []),
        stop_reason=StopReason(reason) if reason else None,
        stopped_by=data.get("stopped_by"),
        stop_detail=data.get("stop_detail", ""),
    )


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _short(value: Any) -> str:
    text = _canonical(value)
    return text if len(text) <= 160 else text[:157] + "..."
