"""Turns convogen's interception events into classic AutoGen's runtime-log records.

:class:`ClassicRecorder` observes model calls, tool calls and messages and hands writers four
kinds of record (completion, agent, event, function use); it also offers classic AutoGen's
``log_*`` methods so a program can log by hand. Writers implement the ``record_*`` hooks.
"""

from __future__ import annotations

import contextvars
import json
import logging
import threading
import uuid
from typing import Any, ClassVar

from convogen.events import ChatStarted, MessageSent, SpeakerSelected
from convogen.state.logging._observer import ChatObserver, EffectInfo, name_of
from convogen.state.logging.records import (
    CompletionRecord,
    completion_from_effect,
    current_ts,
    response_as_dict,
    source_name,
    without_secrets,
)

_log = logging.getLogger("convogen.state.logging")


class ClassicRecorder(ChatObserver):
    """A chat observer that produces classic runtime-log records for its ``record_*`` hooks."""

    # Opens the error logged when a hand-made record cannot be written (0.2's wording).
    error_prefix: ClassVar[str] = "[runtime logger]"

    def __init__(self) -> None:
        super().__init__()
        # Who answers next in this context: the recipient of the last message (or the
        # selected speaker); model calls made until the next message are that agent's.
        self._replier: contextvars.ContextVar[str | None] = contextvars.ContextVar(
            f"convogen_log_replier_{id(self)}", default=None
        )
        self._seen_agents: set[int] = set()
        self._seen_lock = threading.Lock()

    def close(self) -> None:
        """Stop observing (writers also close their file)."""
        self.uninstall()

    # -------------------------------------------------------------- writer hooks
    def record_completion(self, record: CompletionRecord) -> None:
        """Write one chat completion."""

    def record_agent(self, agent: Any, init_args: dict[str, Any]) -> None:
        """Write (or update) one agent."""

    def record_event(self, source: Any, name: str, state: dict[str, Any]) -> None:
        """Write one agent event such as ``received_message``."""

    def record_function_use(self, source: Any, function: str, args: Any, returns: Any) -> None:
        """Write one function (tool) call."""

    def record_wrapper(self, wrapper: Any, init_args: Any) -> None:
        """Write one model-client wrapper."""

    def record_client(self, client: Any, wrapper: Any, init_args: Any) -> None:
        """Write one model client."""

    # -------------------------------------------------------------- classic API
    def log_chat_completion(
        self,
        invocation_id: uuid.UUID | str,
        client_id: int,
        wrapper_id: int,
        source: Any,
        request: dict[str, Any],
        response: Any,
        is_cached: int,
        cost: float,
        start_time: str,
    ) -> None:
        """Log a chat completion made outside convogen's model wrapper.

        A record that cannot be written is logged as an error; logging never stops a program.
        """
        from convogen.redaction import redact

        try:
            record = CompletionRecord(
                invocation_id=str(invocation_id),
                client_id=client_id,
                wrapper_id=wrapper_id,
                source_name=source_name(source),
                request=redact(request),
                response=response_as_dict(response),
                is_cached=int(is_cached),
                cost=cost,
                start_time=start_time,
                end_time=current_ts(),
            )
            self.record_completion(record)
        except Exception as exc:  # a bad record must not crash the caller (as in 0.2)
            # Formatted here: callers that capture the logger read the whole message.
            query = "log_chat_completion"
            _log.error(f"{self.error_prefix}Error running query with query {query}: {exc}")

    def log_new_agent(self, agent: Any, init_args: dict[str, Any] | None = None) -> None:
        """Log an agent and its constructor arguments."""
        with self._seen_lock:
            self._seen_agents.add(id(agent))
        self.record_agent(agent, dict(init_args or {}))

    def log_event(self, source: Any, name: str, **kwargs: Any) -> None:
        """Log a named event of an agent (or of a string source)."""
        self.record_event(source, name, kwargs)

    def log_new_wrapper(self, wrapper: Any, init_args: Any = None) -> None:
        """Log a model-client wrapper and its configuration."""
        self.record_wrapper(wrapper, init_args or {})

    def log_new_client(self, client: Any, wrapper: Any, init_args: Any) -> None:
        """Log a model client created by a wrapper."""
        self.record_client(client, wrapper, init_args)

    def log_function_use(self, source: Any, function: Any, args: Any, returns: Any) -> None:
        """Log a call of a registered function."""
        name = getattr(function, "__name__", None) or str(function)
        self.record_function_use(source, name, args, returns)

    # -------------------------------------------------------------- observation
    def effect_finished(self, handle: Any, info: EffectInfo) -> None:
        if info.kind == "llm":
            agent = info.request.get("agent")
            speaker = agent if isinstance(agent, str) else self._replier.get()
            self.record_completion(completion_from_effect(info, speaker))
        elif info.kind == "tool" and info.error is None:
            returns = _tool_returns(info.result)
            if returns is None:
                return  # as in 0.2: only calls that returned are function uses
            args = info.request.get("arguments")
            self.record_function_use(
                info.request.get("agent"), str(info.request.get("name")), _parsed(args), returns
            )

    def chat_started(self, event: ChatStarted) -> None:
        self._see(event.sender)
        self._see(event.recipient)

    def message(self, event: MessageSent, chat_id: int | None) -> None:
        sender, recipient = event.sender, event.recipient
        self._see(sender)
        self._see(recipient)
        self._replier.set(name_of(recipient))
        state = {"message": event.message, "sender": name_of(sender), "valid": True}
        self.record_event(recipient, "received_message", state)

    def speaker_selected(self, event: SpeakerSelected, chat_id: int | None) -> None:
        self._replier.set(event.selection.speaker)

    def _see(self, agent: Any) -> None:
        """Log an agent the first time it takes part in a chat."""
        if agent is None or isinstance(agent, str):
            return
        with self._seen_lock:
            if id(agent) in self._seen_agents:
                return
            self._seen_agents.add(id(agent))
        llm_config = getattr(agent, "llm_config", None)
        self.record_agent(
            agent, without_secrets({"name": name_of(agent), "llm_config": llm_config})
        )


def _tool_returns(result: Any) -> Any:
    """What a tool effect returned; None when the call failed (``is_error``)."""
    from convogen.tools.outcome import ToolOutcome  # loaded already: a tool just ran

    try:
        outcome = ToolOutcome.from_json(result)
    except ValueError:
        return result  # an effect("tool") of someone else's shape: logged as it is
    return None if outcome.is_error else outcome.content


def _parsed(arguments: Any) -> Any:
    if not isinstance(arguments, str):
        return arguments
    try:
        return json.loads(arguments)
    except ValueError:
        return arguments


class _Named:
    """Stands for a function known only by name (what a tool-call event carries)."""

    def __init__(self, name: str) -> None:
        self.__name__ = name


class ForwardingRecorder(ClassicRecorder):
    """Feeds a classic logger object (any ``BaseLogger``) from convogen's events."""

    def __init__(self, target: Any) -> None:
        super().__init__()
        self.target = target

    def record_completion(self, record: CompletionRecord) -> None:
        self.target.log_chat_completion(
            record.invocation_id,
            record.client_id,
            record.wrapper_id,
            record.source_name,
            record.request,
            record.response,
            record.is_cached,
            record.cost,
            record.start_time,
        )

    def record_agent(self, agent: Any, init_args: dict[str, Any]) -> None:
        self.target.log_new_agent(agent, init_args)

    def record_event(self, source: Any, name: str, state: dict[str, Any]) -> None:
        self.target.log_event(source, name, **state)

    def record_function_use(self, source: Any, function: str, args: Any, returns: Any) -> None:
        self.target.log_function_use(source, _Named(function), args, returns)

    def record_wrapper(self, wrapper: Any, init_args: Any) -> None:
        self.target.log_new_wrapper(wrapper, init_args)

    def record_client(self, client: Any, wrapper: Any, init_args: Any) -> None:
        self.target.log_new_client(client, wrapper, init_args)
