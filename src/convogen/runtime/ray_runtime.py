"""``RayRuntime``: chats run in chunks on a pool of Ray worker actors; checkpointed per chunk."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from convogen.errors import ConfigError
from convogen.runtime.base import BatchPlan, plan_batch
from convogen.runtime.chunks import chunk_size as pick_chunk_size
from convogen.runtime.chunks import ship, split
from convogen.runtime.dispatch import ChunkDispatcher
from convogen.runtime.jobs import Job, JobResult
from convogen.runtime.pool import drop_pool, shared_pool, worker_slots
from convogen.runtime.store import ResultStore, checkpoint, resolve_store
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


class RayRuntime:
    """Runs a batch of chats on Ray worker actors, on a local instance or an existing cluster.

    ``address``: None starts (or reuses) a local instance, unless ``RAY_ADDRESS`` is set;
    ``"auto"`` joins the cluster this machine belongs to; ``"ray://head:10001"`` uses Ray Client.
    Jobs go to long-lived workers in chunks of ``chunk_size`` (None: chosen from the number of
    jobs and workers); a node with C CPUs runs C / ``cpus_per_job`` workers (C when 0).
    The workers stay up for later batches until ``close()`` or ``ray.shutdown()``; they
    reserve no Ray resources. ``max_in_flight`` caps the chunks sent and not yet back.
    A chunk whose worker or node is lost is sent again ``max_retries`` times, then submitted
    afresh up to ``resubmit`` times (``JobResult.meta["submissions"]``); each chunk is
    checkpointed as it comes back, so a resumed batch skips every chunk that finished.
    ``scheduling_strategy``: None, ``"DEFAULT"`` or ``"SPREAD"`` place the workers over the
    nodes by their CPUs; any other Ray strategy is passed to the worker actors as it is.
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
        chunk_size: int | None = None,
    ) -> None:
        _check_options(address, num_cpus, max_retries, resubmit, max_in_flight, cpus_per_job)
        if chunk_size is not None and (
            isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1
        ):
            raise ConfigError("chunk_size", chunk_size, "must be None or a positive integer")
        self.chunk_size = chunk_size
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
        """Run every job on the worker pool and return the results in the order of ``jobs``."""
        plan = plan_batch(jobs, self.store, self.rerun_errors)
        if not plan.todo:
            return plan.ordered()
        ray = self.ensure_started()
        dispatcher = self._dispatcher(ray, plan)
        try:
            with _progress(len(plan.ids), len(plan.done), self.progress) as advance:
                while dispatcher.busy:
                    dispatcher.fill()
                    results = dispatcher.wait()
                    if self.store is not None:
                        checkpoint(self.store, results)
                    for result in results:
                        plan.done[result.id] = result
                    advance(len(results))
        except BaseException:
            # Interrupted (or the store failed): the workers may still be busy with chunks of
            # this batch; stop them so the next batch starts on idle ones.
            drop_pool(dispatcher.pool)
            raise
        return plan.ordered()

    def _dispatcher(self, ray: Any, plan: BatchPlan) -> ChunkDispatcher:
        """A dispatcher for the jobs ``plan`` still has to run, with the pool grown to fit."""
        shipment = ship({job_id: plan.jobs[job_id] for job_id in plan.todo})
        slots = worker_slots(ray.nodes(), self.cpus_per_job)
        workers = max(1, min(len(slots), self.max_in_flight, len(plan.todo)))
        pool = shared_pool(ray, self.scheduling_strategy)
        pool.grow(slots, workers)
        size = self.chunk_size or pick_chunk_size(len(plan.todo), workers)
        dispatcher = ChunkDispatcher(
            ray=ray,
            pool=pool,
            workers=workers,
            specs=ray.put(shipment.specs),
            payloads=shipment.payloads,
            max_retries=self.max_retries,
            resubmit=self.resubmit,
            max_in_flight=self.max_in_flight,
        )
        dispatcher.queue.extend(split(plan.todo, size))
        return dispatcher

    def close(self) -> None:
        """Stop the worker processes kept for later batches (the next batch starts new ones)."""
        ray = import_ray()
        if ray.is_initialized():
            drop_pool(shared_pool(ray, self.scheduling_strategy))

    def group_chat(self, spec: TeamSpec) -> Team:
        """``spec`` as a team whose agents are Ray actors (the manager stays in this process)."""
        from convogen.runtime.actors import build_remote_team

        self.ensure_started()
        return build_remote_team(spec, self.actor_options)


def _check_options(
    address: str | None,
    num_cpus: int | None,
    max_retries: int,
    resubmit: int,
    max_in_flight: int,
    cpus_per_job: float,
) -> None:
    """Fail on constructor arguments that cannot work, naming the argument."""
    if address is not None and (not isinstance(address, str) or not address.strip()):
        raise ConfigError("address", address, "use None, 'auto' or 'ray://host:port'")
    if num_cpus is not None and (address is not None or os.environ.get("RAY_ADDRESS")):
        raise ConfigError("num_cpus", num_cpus, "only applies when starting a local Ray instance")
    for name, value in (("max_retries", max_retries), ("resubmit", resubmit)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(name, value, "must be an integer >= 0")
    if isinstance(max_in_flight, bool) or not isinstance(max_in_flight, int) or max_in_flight < 1:
        raise ConfigError("max_in_flight", max_in_flight, "must be a positive integer")
    if not isinstance(cpus_per_job, (int, float)) or cpus_per_job < 0:
        raise ConfigError("cpus_per_job", cpus_per_job, "must be a number >= 0")


@contextmanager
def _progress(total: int, done: int, enabled: bool) -> Iterator[Any]:
    """A rich progress bar over the batch; yields the function that advances it by a count."""
    if not enabled:
        yield lambda count: None
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
        yield lambda count: bar.advance(task_id, count)
