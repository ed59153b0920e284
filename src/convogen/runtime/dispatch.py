"""Handing chunks of a batch to the worker pool and turning its answers into results.

A chunk whose worker is lost (crash, node death) is sent again: ``max_retries`` times as a
retry, then up to ``resubmit`` times as a fresh submission, as Ray tasks were before.

Each worker has at most ``DEPTH`` chunks queued, so it never waits for the driver between two
chunks; a chunk goes to the least loaded worker, so slow chunks do not hold up the batch.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from convogen.runtime.jobs import JobResult
from convogen.runtime.pool import WorkerPool

# Chunks queued per worker: one running and one waiting behind it.
DEPTH = 2


@dataclass
class Sent:
    """A chunk on its way: which jobs, and which worker (by index and handle) runs them."""

    ids: list[str]
    index: int
    worker: Any


@dataclass
class ChunkDispatcher:
    """Keeps ``workers`` pool workers busy with the queued chunks of one batch."""

    ray: Any
    pool: WorkerPool
    workers: int
    specs: Any  # the ObjectRef of the batch's shared specs, put once per batch
    payloads: dict[str, dict[str, Any]]
    max_retries: int
    resubmit: int
    max_in_flight: int
    queue: deque[list[str]] = field(default_factory=deque)
    pending: dict[Any, Sent] = field(default_factory=dict)
    load: dict[int, int] = field(default_factory=dict)
    sends: dict[str, int] = field(default_factory=dict)
    retries: dict[str, int] = field(default_factory=dict)

    @property
    def busy(self) -> bool:
        """True while chunks are queued or running."""
        return bool(self.queue or self.pending)

    def fill(self) -> None:
        """Send queued chunks to the least loaded workers while they have room."""
        handles = self.pool.workers[: self.workers]
        while self.queue and len(self.pending) < self.max_in_flight:
            index = min(range(len(handles)), key=lambda i: self.load.get(i, 0))
            if self.load.get(index, 0) >= DEPTH:
                return
            ids = self.queue.popleft()
            for job_id in ids:
                self.sends[job_id] = self.sends.get(job_id, 0) + 1
            payloads = [self.payloads[job_id] for job_id in ids]
            ref = handles[index].run_chunk.remote(self.specs, payloads)
            self.pending[ref] = Sent(ids, index, handles[index])
            self.load[index] = self.load.get(index, 0) + 1

    def wait(self) -> list[JobResult]:
        """Block until at least one chunk is back; the results of every chunk that is."""
        self.ray.wait(list(self.pending), num_returns=1)
        ready, _ = self.ray.wait(list(self.pending), num_returns=len(self.pending), timeout=0)
        results: list[JobResult] = []
        for ref in ready:
            sent = self.pending.pop(ref)
            self.load[sent.index] -= 1
            results.extend(self._collect(ref, sent))
        return results

    def _collect(self, ref: Any, sent: Sent) -> list[JobResult]:
        """The chunk's results; its jobs are queued again when its worker was lost."""
        ray = self.ray
        try:
            results: list[JobResult] = ray.get(ref)
        except ray.exceptions.RayTaskError as exc:
            # The chunk itself raised outside the chats: running it again would fail the same way.
            return [self._failed(job_id, f"{type(exc).__name__}: {exc}") for job_id in sent.ids]
        except ray.exceptions.RayError as exc:
            return self._lost(sent, exc)
        for result in results:
            result.meta["submissions"] = self.submitted(result.id)
        return results

    def submitted(self, job_id: str) -> int:
        """How many times the runtime submitted ``job_id`` (its retries not counted)."""
        return self.sends[job_id] - self.retries.get(job_id, 0)

    def _lost(self, sent: Sent, exc: Exception) -> list[JobResult]:
        """Queue the jobs of a lost chunk again: ``max_retries`` retries, then ``resubmit``."""
        if self.pool.workers[sent.index] is sent.worker:
            self.pool.replace(sent.index)
        again: list[str] = []
        failed: list[JobResult] = []
        for job_id in sent.ids:
            if self.retries.get(job_id, 0) < self.max_retries:
                self.retries[job_id] = self.retries.get(job_id, 0) + 1
                again.append(job_id)
            elif self.submitted(job_id) <= self.resubmit:
                again.append(job_id)
            else:
                error = f"lost after {self.submitted(job_id)} submissions: {type(exc).__name__}"
                failed.append(self._failed(job_id, f"{error}: {exc}"))
        if again:
            self.queue.appendleft(again)
        return failed

    def _failed(self, job_id: str, error: str) -> JobResult:
        result = JobResult(job_id, stop_reason="error", error=error)
        result.meta["submissions"] = self.submitted(job_id)
        return result
