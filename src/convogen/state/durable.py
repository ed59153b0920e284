"""Durable chats: every step is persisted, and a run resumes after a crash or a pause.

A durable run journals each external effect (model reply, tool result, code result, human
input, random choice) and each message to a checkpoint store before the chat moves on.
Resuming re-executes the chat from the start with journaled effects answered from the store,
so the chat reaches the exact state it had (histories, counters, nested-chat position, group
transcript) without calling a model, a tool or an executor again for a step that completed;
from there it continues live. A run can also pause when it needs a person's answer and be
resumed later, from another process, with that answer.

Delivery guarantees. A step whose result was journaled never runs again. The effect that was
in flight when the process died has no journaled result, so what happens to it on resume
depends on its kind:

* model calls, code runs, human input and random choices run again (at-least-once: a model
  call may be paid twice, code with side effects may act twice);
* a tool call is journaled as *started* before it runs. On resume, a started-but-unfinished
  call runs again only if its tool is named in ``idempotent_tools`` (running it twice is
  harmless, or the tool passes :func:`current_idempotency_key` to the system it changes so that
  the system drops the repeat). Any other tool is *not* run again (at-most-once): its result
  is an error text telling the model that the call may or may not have taken effect, so the
  model can check before it asks again.

Credentials never reach the store: requests, the run's spec and error texts are journaled
through :func:`convogen.redaction.redact`.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from convogen._sync import run_sync
from convogen.agents.conversable import ConversableAgent
from convogen.errors import ChatError, ConfigError, ConvogenError
from convogen.events import Event, MessageSent
from convogen.interception import Proceed, intercepting, sinking
from convogen.redaction import redact, redact_text
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


_idempotency_key: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "convogen_idempotency_key", default=None
)


def current_idempotency_key() -> str | None:
    """Inside a tool called by a durable run: a key that is the same when a resume repeats it.

    Pass it to the system the tool changes (a payment API's idempotency key, a unique column)
    so that a repeat after a crash is dropped there. ``None`` outside durable runs.
    """
    return _idempotency_key.get()


def in_doubt_message(name: str, arguments: Any) -> str:
    """The tool result a model sees for a non-idempotent call cut off by a crash."""
    return (
        f"Error: the call {name}({arguments}) was in progress when the run was interrupted. "
        f"{name} is not declared idempotent, so it was not run again: it may or may not have "
        "taken effect. Check its effect before calling it again."
    )


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
    started: set[int] = field(default_factory=set)
    idempotent_tools: frozenset[str] = frozenset()
    replayed: int = 0
    message_count: int = 0
    effects_seen: int = 0
    state: dict[str, Any] = field(default_factory=dict)

    async def intercept(self, kind: str, request: dict[str, Any], proceed: Proceed) -> Any:
        # Effects are numbered when they start (deterministic, even for parallel tool calls)
        # and journaled when they finish, so the journal is looked up by that number.
        index = self.effects_seen
        self.effects_seen += 1
        # Credentials are masked before anything is stored or compared with the journal.
        masked = redact(request)
        entry = self.journal.get(index)
        if entry is not None:
            return self._replay(index, kind, masked, entry)
        if kind == "human":
            if self.answer is not None:
                result: Any = self.answer
                self.answer = None
                self._commit_effect(index, kind, masked, result)
                return result
            if self.pause_for_human_input:
                raise HumanInputPendingError(str(request.get("agent")), str(request.get("prompt")))
        if kind == "tool":
            return await self._run_tool(index, masked, request, proceed)
        result = await proceed()
        self._commit_effect(index, kind, masked, result)
        return result

    def _replay(self, index: int, kind: str, masked: dict[str, Any], entry: dict[str, Any]) -> Any:
        if entry["kind"] != kind or _canonical(entry["request"]) != _canonical(masked):
            raise DurableReplayError(
                f"run {self.run_id!r}: effect #{index} was {entry['kind']} "
                f"{_short(entry['request'])} when recorded, now {kind} {_short(masked)}"
            )
        self.replayed += 1
        if "error" in entry:
            raise ChatError(f"journaled {kind} effect failed: {entry['error']}")
        return entry["result"]

    async def _run_tool(
        self, index: int, masked: dict[str, Any], request: dict[str, Any], proceed: Proceed
    ) -> Any:
        """A tool call: journaled as started, then run, unless a crash left it in doubt."""
        name = str(request.get("name"))
        if index in self.started and name not in self.idempotent_tools:
            result: Any = in_doubt_message(name, request.get("arguments"))
            self._commit_effect(index, "tool", masked, result)
            return result
        if index not in self.started:
            started = {"type": "started", "index": index, "kind": "tool", "request": masked}
            self.store.commit(self.run_id, [(self.next_seq, started)], self.state, "running")
            self.next_seq += 1
            self.started.add(index)
        token = _idempotency_key.set(f"{self.run_id}/effect/{index}")
        try:
            result = await proceed()
        finally:
            _idempotency_key.reset(token)
        self._commit_effect(index, "tool", masked, result)
        return result

    def _commit_effect(self, index: int, kind: str, request: dict[str, Any], result: Any) -> None:
        entry = {"type": "effect", "index": index, "kind": kind, "request": request}
        entry["result"] = result
        self.store.commit(self.run_id, [(self.next_seq, entry)], self.state, "running")
        self.next_seq += 1
        self.journal[index] = entry

    def on_event(self, event: Event) -> None:
        """Journal a message event of this run's chat (the run is the sink of its context)."""
        match event:
            case MessageSent():
                self.on_message(event)

    def on_message(self, event: MessageSent) -> None:
        sender, recipient = event.sender, event.recipient
        entry = {
            "type": "message",
            "sender": sender.name,
            "recipient": recipient.name,
            "message": _json_safe(event.message),
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


async def a_run_durable(
    store: CheckpointStore | str,
    run_id: str,
    chat: ChatFactory,
    *,
    answer: str | None = None,
    pause_for_human_input: bool = False,
    kind: str = "chat",
    spec: dict[str, Any] | None = None,
    idempotent_tools: Iterable[str] = (),
) -> ChatResult:
    """Run (or resume) the chat that ``chat()`` starts as the durable run ``run_id``.

    ``chat`` must start the same chat each time it is called (for example
    ``lambda: user.a_initiate_chat(assistant, message=...)``) with freshly built agents.
    A finished run returns its stored result. ``answer`` answers the human input a paused
    run waits for; with ``pause_for_human_input`` a request for human input pauses the run
    (``stop_reason == "paused"``) instead of asking the agent's IO stream.
    ``idempotent_tools`` names the tools that may run again when a crash cut them off (see
    the module docstring for what happens to the others).
    """
    tools = _tool_names(idempotent_tools)
    checkpoints = _open(store)
    record = checkpoints.get_run(run_id)
    if record is not None and record.status == "finished":
        return _result_from_state(record.state)
    if record is None:
        checkpoints.create_run(run_id, kind, redact(spec or {}))
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
        started={e["index"] for e in entries if e.get("type") == "started"},
        idempotent_tools=tools,
    )
    return await _execute(run, chat)


async def _execute(run: _Run, chat: ChatFactory) -> ChatResult:
    """Run the chat with ``run`` answering and journaling its effects; store the outcome."""
    checkpoints, run_id = run.store, run.run_id
    try:
        with intercepting(run), sinking(run):
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
        checkpoints.save_state(run_id, {**run.state, "error": redact_text(repr(exc))}, "failed")
        raise
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
    idempotent_tools: Iterable[str] = (),
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
            idempotent_tools=idempotent_tools,
        )
    )


def _tool_names(names: Iterable[str]) -> frozenset[str]:
    if isinstance(names, str):
        raise ConfigError("idempotent_tools", names, "must be a list of tool names, not one string")
    found = frozenset(names)
    bad = sorted(repr(n) for n in found if not isinstance(n, str) or not n)
    if bad:
        raise ConfigError("idempotent_tools", sorted(map(repr, found)), f"bad names: {bad}")
    return found


def _open(store: CheckpointStore | str) -> CheckpointStore:
    if isinstance(store, str):
        from convogen.state.store import open_store

        return open_store(store)
    return store


def _counters(agent: Any) -> dict[str, int]:
    """An agent's auto-reply counters by peer name, from its public ``save_state``."""
    if not isinstance(agent, ConversableAgent):
        return {}  # a classic ``Agent`` peer keeps no counters
    counts: dict[str, int] = agent.save_state(histories=False)["auto_reply_counts"]
    return counts


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
