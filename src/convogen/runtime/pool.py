"""Long-lived worker actors that run chunks of chats for ``RayRuntime``.

A worker imports convogen once and then builds fresh agents for every job it is sent. The
pool reserves no Ray resources (an idle pool must not block anyone's later Ray tasks): it is
sized from the cluster's CPUs and placed on the nodes in proportion to them.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from convogen._sync import run_sync
from convogen.runtime.jobs import JobResult, a_run_payload
from convogen.specs.models import TeamSpec, parse_spec

# Parsed specs a worker keeps between chunks and batches; more than this and it starts over.
SPEC_CACHE_SIZE = 256


class ChatWorker:
    """Runs chunks of jobs in one process; wrapped with ``ray.remote`` when the pool starts."""

    def __init__(self) -> None:
        self._specs: dict[str, TeamSpec] = {}
        self._shipped: Mapping[str, dict[str, Any]] = {}

    def run_chunk(
        self, specs: Mapping[str, dict[str, Any]], payloads: list[dict[str, Any]]
    ) -> list[JobResult]:
        """Run ``payloads`` one after the other; their results in the chunk's order."""
        import ray

        self._shipped = specs
        results = run_sync(self._a_run_all(payloads))
        node_id = ray.get_runtime_context().get_node_id()
        for result in results:
            result.meta.update(runtime="ray", node_id=node_id, chunk=len(payloads))
        # Shipped as they are (JSON-safe already): a deep-copying to_dict() per result cost
        # a fifth of a short chat.
        return results

    async def _a_run_all(self, payloads: list[dict[str, Any]]) -> list[JobResult]:
        return [await a_run_payload(payload, self._spec) for payload in payloads]

    def _spec(self, key: str) -> TeamSpec:
        """The parsed spec shipped under ``key`` (parsed once per worker)."""
        spec = self._specs.get(key)
        if spec is None:
            spec = parse_spec(self._shipped[key], source=f"team spec {key}")
            if len(self._specs) >= SPEC_CACHE_SIZE:
                self._specs.clear()
            self._specs[key] = spec
        return spec


def worker_slots(nodes: list[dict[str, Any]], cpus_per_job: float) -> list[str]:
    """Node ids, one per worker, taking the nodes in turn (so a small pool still spreads).

    A node with C CPUs holds C / ``cpus_per_job`` workers (C when ``cpus_per_job`` is 0).
    """
    per_node: list[tuple[str, int]] = []
    for node in sorted(nodes, key=lambda n: str(n.get("NodeID"))):
        cpus = float(node.get("Resources", {}).get("CPU", 0))
        if node.get("Alive") and cpus > 0:
            count = int(cpus // cpus_per_job) if cpus_per_job > 0 else int(cpus)
            per_node.append((str(node["NodeID"]), max(1, count)))
    slots: list[str] = []
    for turn in range(max((count for _, count in per_node), default=0)):
        slots.extend(node_id for node_id, count in per_node if turn < count)
    return slots


@dataclass
class WorkerPool:
    """The worker actors of one Ray session, started on demand and kept between batches."""

    ray: Any
    strategy: Any = None
    workers: list[Any] = field(default_factory=list)
    nodes: list[str | None] = field(default_factory=list)

    def grow(self, slots: list[str], size: int) -> list[Any]:
        """Start workers until there are ``size`` (placed on ``slots`` in turn); all of them."""
        while len(self.workers) < size:
            node_id = slots[len(self.workers) % len(slots)] if slots else None
            self.workers.append(self._start(node_id))
            self.nodes.append(node_id)
        return self.workers

    def _start(self, node_id: str | None, *, moved: bool = False) -> Any:
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        strategy = self.strategy
        if strategy in (None, "DEFAULT", "SPREAD") and node_id is not None:
            # Hard at first: a soft affinity falls back to this node while the raylet has not
            # yet heard of the others. A replacement (``moved``) may go elsewhere if the node
            # is gone.
            strategy = NodeAffinitySchedulingStrategy(node_id, soft=moved)
        # No restarts: a lost worker is replaced by a fresh one (calls sent to a restarting
        # actor fail at once, which would use up a chunk's retries in a few milliseconds).
        options: dict[str, Any] = {"num_cpus": 0, "max_restarts": 0}
        if strategy is not None:
            options["scheduling_strategy"] = strategy
        # Typed as Any: Ray's actor handles are generated at run time.
        actor_class: Any = self.ray.remote(ChatWorker).options(**options)
        return actor_class.remote()

    def replace(self, index: int) -> Any:
        """Swap the worker at ``index`` (it was lost) for a fresh one on the same node."""
        self.ray.kill(self.workers[index], no_restart=True)
        self.workers[index] = self._start(self.nodes[index], moved=True)
        return self.workers[index]

    def stop(self) -> None:
        """Kill every worker (chunks they are running are abandoned)."""
        for worker in self.workers:
            self.ray.kill(worker, no_restart=True)
        self.workers.clear()
        self.nodes.clear()


_pools: dict[tuple[Hashable, Hashable], WorkerPool] = {}
_pools_lock = threading.Lock()


def shared_pool(ray: Any, strategy: Any) -> WorkerPool:
    """The pool of this Ray session for ``strategy``, shared by every ``RayRuntime`` here."""
    context = ray.get_runtime_context()
    # The driver's node id changes when Ray is shut down and started again: a pool of an
    # earlier session holds dead handles and is dropped.
    session = (context.get_node_id(), context.get_job_id())
    key: tuple[Hashable, Hashable] = (
        session,
        strategy if isinstance(strategy, (str, type(None))) else id(strategy),
    )
    with _pools_lock:
        for old in [k for k in _pools if k[0] != session]:
            del _pools[old]
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = WorkerPool(ray, strategy)
        return pool


def drop_pool(pool: WorkerPool) -> None:
    """Stop ``pool`` and forget it (the next batch starts fresh workers)."""
    with _pools_lock:
        for key in [k for k, v in _pools.items() if v is pool]:
            del _pools[key]
    pool.stop()
