"""Jobs and their results: what a runtime runs, and the JSON-safe record it gives back."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic_core import PydanticSerializationError

from convogen._sync import run_sync
from convogen.agents import ConversableAgent
from convogen.errors import ConfigError
from convogen.results import ChatResult
from convogen.specs.build import Team, build_team
from convogen.specs.models import TeamSpec, parse_spec


@dataclass
class Job:
    """One chat to run: a team (a ``TeamSpec`` or a ``'module:function'`` factory) and a task.

    A factory is called with ``params`` as keyword arguments and returns ``(initiator,
    recipient)`` or a ``Team``; it is imported by name in the process that runs the job.
    """

    team: TeamSpec | str
    task: str | None = None
    id: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    max_turns: int | None = None

    def payload(self, job_id: str, spec_key: str | None = None) -> dict[str, Any]:
        """The job as plain data, small and picklable, for shipping to another process.

        With ``spec_key`` the spec is not included: the key names it among specs shipped once
        for the whole batch.
        """
        team: Any = None
        if isinstance(self.team, TeamSpec) and spec_key is None:
            try:
                team = self.team.model_dump(mode="json")
            except PydanticSerializationError as exc:
                raise ConfigError(
                    "team",
                    self.team.name,
                    "cannot be shipped as JSON (a function in an llm_config?); "
                    f"use a 'module:function' factory instead: {exc}",
                ) from exc
        payload = {
            "id": job_id,
            "spec": team,
            "factory": self.team if isinstance(self.team, str) else None,
            "task": self.task,
            "params": self.params,
            "max_turns": self.max_turns,
        }
        if spec_key is not None:
            # Only when set: job ids are digests of the payload and must not change.
            payload["spec_key"] = spec_key
        return payload

    @classmethod
    def from_payload(
        cls, payload: dict[str, Any], shared: Callable[[str], TeamSpec] | None = None
    ) -> Job:
        """Rebuild a job from ``payload()``; ``shared`` resolves a ``spec_key`` (see chunks)."""
        team: TeamSpec | str
        if payload.get("spec") is not None:
            team = parse_spec(payload["spec"], source=f"job {payload.get('id')!r} spec")
        elif payload.get("spec_key") is not None:
            if shared is None:
                raise ConfigError("spec_key", payload["spec_key"], "no shared specs were given")
            team = shared(str(payload["spec_key"]))
        else:
            team = str(payload["factory"])
        return cls(
            team=team,
            task=payload.get("task"),
            id=payload.get("id"),
            params=dict(payload.get("params") or {}),
            max_turns=payload.get("max_turns"),
        )


@dataclass
class JobResult:
    """A finished job as plain JSON data; ``meta`` (where, how long) is ignored by ``==``."""

    id: str
    transcript: list[dict[str, Any]] = field(default_factory=list)
    summary: str = ""
    stop_reason: str | None = None
    stopped_by: str | None = None
    stop_detail: str = ""
    cost: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        """True when the chat ran to an end without an exception."""
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-safe dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobResult:
        """Rebuild a result from ``to_dict()`` (unknown keys are ignored, for old files)."""
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        if not isinstance(known.get("id"), str):
            raise ConfigError("result.id", data.get("id"), "must be a string")
        return cls(**known)


def assign_ids(jobs: Sequence[Job]) -> list[str]:
    """Stable ids for ``jobs``: the given id, else a digest of team and task.

    Content-derived ids (rather than positions) let a checkpointed batch be resumed even when
    jobs were added or reordered; identical jobs are told apart by their occurrence number.
    """
    ids: list[str] = []
    seen: dict[str, int] = {}
    for index, job in enumerate(jobs):
        if not isinstance(job, Job):
            raise ConfigError(f"jobs[{index}]", job, "must be a convogen.runtime.Job")
        if job.id is not None:
            job_id = job.id
            if not job_id or job_id in seen:
                raise ConfigError(f"jobs[{index}].id", job_id, "must be a unique, non-empty id")
        else:
            base = _digest_id(job)
            count = seen.get(base, 0)
            job_id = base if count == 0 else f"{base}#{count}"
            seen[base] = count + 1
        seen.setdefault(job_id, 1)
        ids.append(job_id)
    return ids


def _digest_id(job: Job) -> str:
    payload = job.payload("")
    text = json.dumps(payload, sort_keys=True, default=str)
    name = job.team.name if isinstance(job.team, TeamSpec) else job.team.rpartition(":")[2]
    return f"{name}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def check_job(job: Job, index: int) -> None:
    """Fail early, in the driver, on a job that can never run."""
    if isinstance(job.team, TeamSpec):
        if not (job.task or job.team.task):
            raise ConfigError(f"jobs[{index}].task", job.task, "give a task (the spec has none)")
        return
    if not isinstance(job.team, str):
        raise ConfigError(f"jobs[{index}].team", job.team, "must be a TeamSpec or 'module:fn'")
    module, _, attr = job.team.partition(":")
    if not module or not attr:
        raise ConfigError(f"jobs[{index}].team", job.team, "must look like 'package.module:fn'")
    if not job.task:
        raise ConfigError(f"jobs[{index}].task", job.task, "a factory job needs a task")


def import_ref(ref: str, field_name: str) -> Any:
    """The object named by ``'package.module:attribute'``."""
    module_name, _, attr = ref.partition(":")
    if not module_name or not attr:
        raise ConfigError(field_name, ref, "must look like 'package.module:function'")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(field_name, ref, f"cannot be imported here: {exc}") from exc


def _build(job: Job) -> tuple[ConversableAgent, ConversableAgent, int | None, str]:
    if isinstance(job.team, TeamSpec):
        team = build_team(job.team)
        # Batch chats print nothing: a worker's stdout is no place for transcripts.
        for agent in (*team.agents.values(), team.recipient):
            agent.silent = True
        return team.initiator, team.recipient, job.max_turns or job.team.max_turns, _task(job)
    made = import_ref(job.team, "team")(**job.params)
    if isinstance(made, Team):
        return made.initiator, made.recipient, job.max_turns or made.spec.max_turns, _task(job)
    if (
        isinstance(made, tuple)
        and len(made) == 2
        and all(isinstance(a, ConversableAgent) for a in made)
    ):
        return made[0], made[1], job.max_turns, _task(job)
    raise ConfigError("team", job.team, f"must return (initiator, recipient), got {made!r:.100}")


def _task(job: Job) -> str:
    task = job.task or (job.team.task if isinstance(job.team, TeamSpec) else None)
    if not task:
        raise ConfigError("task", task, f"job {job.id!r} has no task")
    return task


async def a_run_job(job: Job, job_id: str) -> JobResult:
    """Build the job's team here and run its chat; failures become an ``error``, not a raise."""
    started = time.perf_counter()
    initiator: ConversableAgent | None = None
    try:
        initiator, recipient, max_turns, task = _build(job)
        chat = await initiator.a_initiate_chat(
            recipient, message=task, max_turns=max_turns, silent=True
        )
        result = from_chat_result(job_id, chat)
    except Exception as exc:
        partial = initiator.last_chat_result if initiator is not None else None
        result = from_chat_result(job_id, partial or ChatResult())
        result.stop_reason = "error"
        result.error = f"{type(exc).__name__}: {exc}"
    result.meta = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "seconds": round(time.perf_counter() - started, 6),
    }
    return result


def run_job_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Worker entry point: run a job shipped as ``Job.payload`` and return the result as data."""
    return run_sync(a_run_payload(payload)).to_dict()


async def a_run_payload(
    payload: dict[str, Any], shared: Callable[[str], TeamSpec] | None = None
) -> JobResult:
    """Rebuild the job shipped as ``payload`` and run it; a bad payload is an error result."""
    job_id = str(payload["id"])
    try:
        job = Job.from_payload(payload, shared)
    except ConfigError as exc:
        return JobResult(job_id, stop_reason="error", error=f"ConfigError: {exc}")
    return await a_run_job(job, job_id)


def from_chat_result(job_id: str, chat: ChatResult) -> JobResult:
    """A JSON-safe ``JobResult`` from a ``ChatResult`` (the exception becomes text)."""
    return JobResult(
        id=job_id,
        transcript=json_safe(chat.chat_history),
        summary=chat.summary if isinstance(chat.summary, str) else str(chat.summary),
        stop_reason=None if chat.stop_reason is None else str(chat.stop_reason),
        stopped_by=chat.stopped_by,
        stop_detail=chat.stop_detail,
        cost=json_safe(chat.cost),
        error=None if chat.error is None else f"{type(chat.error).__name__}: {chat.error}",
    )


def json_safe(value: Any) -> Any:
    """``value`` with everything JSON cannot hold turned into text."""
    return json.loads(json.dumps(value, default=str))
