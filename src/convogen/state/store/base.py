"""The checkpoint-store interface: runs, their ordered messages and their latest state."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, get_args, runtime_checkable

from convogen.errors import ConfigError, ConvogenError

RunStatus = Literal["running", "paused", "finished", "failed"]
RUN_STATUSES: tuple[str, ...] = get_args(RunStatus)


class CheckpointError(ConvogenError):
    """A checkpoint store cannot do what was asked."""


class CheckpointConflictError(CheckpointError):
    """A write contradicts what the store already holds (existing run, other message at seq)."""


class RunNotFoundError(CheckpointError, KeyError):
    """No run with this id exists in the store."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        super().__init__(f"no run with run_id={run_id!r} in the checkpoint store")

    def __str__(self) -> str:  # KeyError would otherwise show the repr of the message
        return str(self.args[0])


@dataclass(frozen=True)
class RunRecord:
    """One stored run: what it is (kind, spec), where it stands (status, state) and when."""

    run_id: str
    kind: str
    spec: dict[str, Any]
    status: RunStatus
    state: dict[str, Any] = field(default_factory=dict)
    created_at: float = 0.0
    """Seconds since the epoch (UTC)."""
    updated_at: float = 0.0


@runtime_checkable
class CheckpointStore(Protocol):
    """Where durable chats keep their runs; every write is atomic, every value is JSON."""

    def create_run(self, run_id: str, kind: str, spec: dict[str, Any]) -> None:
        """Create a run with status 'running'; ``CheckpointConflictError`` if it exists."""
        ...

    def get_run(self, run_id: str) -> RunRecord | None:
        """The run, or None when there is none with this id."""
        ...

    def list_runs(self, status: str | None = None) -> list[RunRecord]:
        """All runs (optionally only those with ``status``), oldest first."""
        ...

    def append_message(self, run_id: str, seq: int, message: dict[str, Any]) -> None:
        """Store ``message`` at ``seq``; a repeat is a no-op, a different one a conflict."""
        ...

    def messages(self, run_id: str) -> list[dict[str, Any]]:
        """The run's messages ordered by seq."""
        ...

    def save_state(self, run_id: str, state: dict[str, Any], status: str) -> None:
        """Replace the run's state and status."""
        ...

    def commit(
        self,
        run_id: str,
        messages: Sequence[tuple[int, dict[str, Any]]],
        state: dict[str, Any],
        status: str,
    ) -> None:
        """Write new messages and the state in one transaction: all of it or nothing."""
        ...

    def close(self) -> None:
        """Release the connection; the store is unusable afterwards."""
        ...


def dump_json(field_name: str, value: Any) -> str:
    """Strict JSON text of ``value`` (no NaN, no objects); ``ConfigError`` names the field."""
    try:
        return json.dumps(value, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise ConfigError(field_name, value, f"must be JSON-serialisable ({exc})") from exc


def check_run_id(run_id: object) -> str:
    if not isinstance(run_id, str) or not run_id or len(run_id) > 200:
        raise ConfigError("run_id", run_id, "must be a non-empty string of at most 200 chars")
    return run_id


def check_kind(kind: object) -> str:
    if not isinstance(kind, str) or not kind:
        raise ConfigError("kind", kind, "must be a non-empty string")
    return kind


def check_status(status: object) -> RunStatus:
    if status not in RUN_STATUSES:
        raise ConfigError("status", status, f"must be one of {', '.join(RUN_STATUSES)}")
    return status  # type: ignore[return-value]


def check_dict(field_name: str, value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(field_name, value, "must be a dict (a JSON object)")
    return value


def check_seq(seq: object) -> int:
    # bool is an int subclass; True as a sequence number is a bug, not seq 1.
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0 or seq >= 2**63:
        raise ConfigError("seq", seq, "must be a non-negative integer")
    return seq


def prepared_messages(
    messages: Sequence[tuple[int, dict[str, Any]]],
) -> list[tuple[int, str]]:
    """Validate ``(seq, message)`` pairs and encode them; duplicate seqs must agree."""
    out: dict[int, str] = {}
    for item in messages:
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise ConfigError("messages", item, "each entry must be a (seq, message) pair")
        seq = check_seq(item[0])
        text = dump_json(f"messages[seq={seq}]", check_dict(f"messages[seq={seq}]", item[1]))
        if seq in out and not same_json(out[seq], text):
            raise CheckpointConflictError(f"two different messages given for seq={seq}")
        out[seq] = text
    return sorted(out.items())


def same_json(stored: str, new: str) -> bool:
    """Whether two JSON texts hold equal values (key order and spacing don't matter)."""
    return bool(stored == new or json.loads(stored) == json.loads(new))
