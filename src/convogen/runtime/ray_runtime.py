"""``RayRuntime``: each chat is a Ray task; results are checkpointed as they arrive."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from convogen.errors import ConfigError
from convogen.runtime.base import plan_batch
from convogen.runtime.jobs import Job, JobResult, run_job_payload
from convogen.runtime.store import ResultStore, resolve_store
from convogen.specs.build import Team
from convogen.specs.models import TeamSpec

INSTALL_HINT = "the Ray runtime needs Ray: pip install 'convogen[ray]'"


def import_ray() -> Any:
    """The ``ray`` module, imported only when a Ray runtime is used."""
    try:
        import ray
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return ray


def _ray_job(payload: dict[str, Any]) -> dict[str, Any]:
    """The Ray task: build the team in the worker, run it, return the result as data."""
    ray = import_ray()
    result = run_job_payload(payload)
    context = ray.get_runtime_context()
    result["meta"].update(runtime="ray", node_id=context.get_node_id())
    return result


class RayRuntime:
    """Runs a batch of chats as Ray tasks on a local instance or an existing cluster.

    ``address``: None starts (or reuses) a local instance, unless ``RAY_ADDRESS`` is set;
    ``"auto"`` joins the cluster this machine belongs to; ``"ray://head:10001"`` uses Ray Client.
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        num_cpus: int | None = None,
        checkpoint_dir: str | Path | None = None,
        store: ResultStore | None = None,
        max_retries: int = 3,
        resubmit: int = 2,
        cpus_per_job: float = 1.0,
        max_in_flight: int = 1000,
        scheduling_strategy: str | None = None,
        progress: bool = True,
        rerun_errors: bool = True,
        actor_options: dict[str, Any] | None = None,
        init_kwargs: dict[str, Any] | None = None,
    ) -> None:
        if address is not None and (not isinstance(address, str) or not address.strip()):
            raise ConfigError("address", address, "use None, 'auto' or 'ray://host:port'")
        if num_cpus is not None and (address is not None or os.environ.get("RAY_ADDRESS")):
            raise ConfigError(
                "num_cpus", num_cpus, "only applies when starting a local Ray instance"
            )
        for name, value in (("max_retries", max_retries), ("resubmit", resubmit)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ConfigError(name, value, "must be an integer >= 0")
        if (
            isinstance(max_in_flight, bool)
            or not isinstance(max_in_flight, int)
            or max_in_flight < 1
        ):
            raise ConfigError("max_in_flight", max_in_flight, "must be a positive integer")
        if not isinstance(cpus_per_job, (int, float)) or cpus_per_job < 0:
            raise ConfigError("cpus_per_job", cpus_per_job, "must be a number >= 0")
        self.address = address
        self.num_cpus = num_cpus
        self.store = resolve_store(checkpoint_dir, store)
        self.max_retries = max_retries
        self.resubmit = resubmit
        self.cpus_per_job = float(cpus_per_job)
        self.max_in_flight = max_in_flight
        self.scheduling_strategy = scheduling_strategy
        self.progress = progress
        self.rerun_errors = rerun_errors
        self.actor_options = dict(actor_options or {})
        self.init_kwargs = dict(init_kwargs or {})

    def ensure_started(self) -> Any:
        """Connect to (or start) Ray once; an instance already initialised is reused."""
        ray = import_ray()
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, **self.init_kwargs}
            if self.num_cpus is not None:
                kwargs["num_cpus"] = self.num_cpus
            if self.address is not None and self.address.startswith("ray://"):
                # Ray Client does not take the local-instance options.
                kwargs.pop("include_dashboard", None)
            ray.init(address=self.address, **kwargs)
        return ray

    def run_batch(self, jobs: Sequence[Job]) -> list[JobResult]:
        """Run every job as a Ray task and return the results in the order of ``jobs``."""
        plan = plan_batch(jobs, self.store, self.rerun_errors)
        if not plan.todo:
            return plan.ordered()
        ray = self.ensure_started()
        options: dict[str, Any] = {"max_retries": self.max_retries, "num_cpus": self.cpus_per_job}
        if self.scheduling_strategy is not None:
            options["scheduling_strategy"] = self.scheduling_strategy
        task = ray.remote(_ray_job).options(**options)
        queue: deque[str] = deque(plan.todo)
        pending: dict[Any, str] = {}
        submissions: dict[str, int] = {}
        try:
            with _progress(len(plan.ids), len(plan.done), self.progress) as advance:
                while queue or pending:
                    while queue and len(pending) < self.max_in_flight:
                        job_id = queue.popleft()
                        submissions[job_id] = submissions.get(job_id, 0) + 1
                        pending[task.remote(plan.jobs[job_id].payload(job_id))] = job_id
                    ready, _ = ray.wait(list(pending), num_returns=1)
                    ready, _ = ray.wait(list(pending), num_returns=len(pending), timeout=0)
                    for ref in ready:
                        job_id = pending.pop(ref)
                        result = self._collect(ray, ref, job_id, submissions[job_id])
                        if result is None:
                            queue.append(job_id)
                            continue
                        result.meta["submissions"] = submissions[job_id]
                        if self.store is not None:
                            self.store.append(result)
                        plan.done[job_id] = result
                        advance()
        finally:
            for ref in pending:
                ray.cancel(ref, force=True)
        return plan.ordered()

    def _collect(self, ray: Any, ref: Any, job_id: str, submitted: int) -> JobResult | None:
        """The job's result; None to submit it again (its worker or node was lost)."""
        try:
            return JobResult.from_dict(ray.get(ref))
        except ray.exceptions.RayTaskError as exc:
            # The task itself raised outside the chat (e.g. convogen is missing on the
            # worker): running it again would fail the same way.
            return JobResult(job_id, stop_reason="error", error=f"{type(exc).__name__}: {exc}")
        except ray.exceptions.RayError as exc:
            # Ray already retried it max_retries times (worker crash, node death, lost
            # object); a fresh submission gets new retries, up to ``resubmit`` times.
            if submitted <= self.resubmit:
                return None
            return JobResult(
                job_id,
                stop_reason="error",
                error=f"lost after {submitted} submissions: {type(exc).__name__}: {exc}",
            )

    def group_chat(self, spec: TeamSpec) -> Team:
        """``spec`` as a team whose agents are Ray actors (the manager stays in this process)."""
        from convogen.runtime.actors import build_remote_team

        self.ensure_started()
        return build_remote_team(spec, self.actor_options)


@contextmanager
def _progress(total: int, done: int, enabled: bool) -> Iterator[Any]:
    """A rich progress bar over the batch; yields the function that advances it by one."""
    if not enabled:
        yield lambda: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("chats"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        task_id = bar.add_task("chats", total=total, completed=done)
        yield lambda: bar.advance(task_id)
