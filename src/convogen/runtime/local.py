"""``LocalRuntime``: chats run as asyncio tasks in this process, a bounded number at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from convogen._sync import run_sync
from convogen.errors import ConfigError
from convogen.runtime.base import plan_batch
from convogen.runtime.jobs import Job, JobResult, a_run_job
from convogen.runtime.store import ResultStore, resolve_store
from convogen.specs.build import Team, build_team
from convogen.specs.models import TeamSpec


class LocalRuntime:
    """Runs a batch of chats concurrently on one event loop, with optional checkpoints."""

    def __init__(
        self,
        concurrency: int = 8,
        *,
        checkpoint_dir: str | Path | None = None,
        store: ResultStore | None = None,
        rerun_errors: bool = True,
    ) -> None:
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ConfigError("concurrency", concurrency, "must be a positive integer")
        self.concurrency = concurrency
        self.store = resolve_store(checkpoint_dir, store)
        self.rerun_errors = rerun_errors

    def run_batch(self, jobs: Sequence[Job]) -> list[JobResult]:
        """Run every job and return the results in the order of ``jobs``."""
        return run_sync(self.a_run_batch(jobs))

    async def a_run_batch(self, jobs: Sequence[Job]) -> list[JobResult]:
        """Async twin of ``run_batch``."""
        plan = plan_batch(jobs, self.store, self.rerun_errors)
        gate = asyncio.Semaphore(self.concurrency)

        async def one(job_id: str) -> None:
            async with gate:
                result = await a_run_job(plan.jobs[job_id], job_id)
            result.meta["runtime"] = "local"
            if self.store is not None:
                self.store.append(result)
            plan.done[job_id] = result

        await asyncio.gather(*(one(job_id) for job_id in plan.todo))
        return plan.ordered()

    def group_chat(self, spec: TeamSpec) -> Team:
        """The in-process team for ``spec`` (the same as ``convogen.specs.build_team``)."""
        return build_team(spec)
