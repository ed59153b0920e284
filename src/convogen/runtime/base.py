"""The ``Runtime`` protocol and the batch bookkeeping every runtime shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from convogen.errors import ConfigError
from convogen.runtime.jobs import Job, JobResult, assign_ids, check_job
from convogen.runtime.store import ResultStore
from convogen.specs.build import Team
from convogen.specs.models import TeamSpec


@runtime_checkable
class Runtime(Protocol):
    """Runs chats somewhere: in this process (``LocalRuntime``) or on Ray (``RayRuntime``)."""

    def run_batch(self, jobs: Sequence[Job]) -> list[JobResult]:
        """Run every job and return the results in the order of ``jobs``."""
        ...

    def group_chat(self, spec: TeamSpec) -> Team:
        """A live team for ``spec`` whose agents run where this runtime runs them."""
        ...


@dataclass
class BatchPlan:
    """A batch split into jobs already done (from the checkpoint) and jobs still to run."""

    ids: list[str]
    jobs: dict[str, Job]
    done: dict[str, JobResult] = field(default_factory=dict)
    todo: list[str] = field(default_factory=list)

    def ordered(self) -> list[JobResult]:
        """The results in the order of the submitted jobs."""
        missing = [job_id for job_id in self.ids if job_id not in self.done]
        if missing:
            raise ConfigError("batch", missing, "these jobs have no result")
        return [self.done[job_id] for job_id in self.ids]


def plan_batch(jobs: Sequence[Job], store: ResultStore | None, rerun_errors: bool) -> BatchPlan:
    """Validate ``jobs``, give them ids and skip those the store already finished."""
    if not isinstance(jobs, (list, tuple)):
        raise ConfigError("jobs", jobs, "must be a list of Job")
    ids = assign_ids(jobs)
    for index, job in enumerate(jobs):
        check_job(job, index)
    plan = BatchPlan(ids=ids, jobs=dict(zip(ids, jobs, strict=True)))
    stored = store.load() if store is not None else {}
    for job_id in ids:
        previous = stored.get(job_id)
        # A job that failed with an error is run again unless told otherwise: the failure may
        # have been transient (a model outage), and a finished chat is never run twice.
        if previous is not None and (previous.ok or not rerun_errors):
            plan.done[job_id] = previous
        else:
            plan.todo.append(job_id)
    return plan
