"""A batch spread over a simulated two-node Ray cluster on loopback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from convogen.runtime import Job, RayRuntime


@pytest.mark.timeout(90)
def test_batch_runs_across_two_nodes(ray_session: Any, tmp_path: Path) -> None:
    from ray.cluster_utils import Cluster
    from ray_local import LOOPBACK, start_local_ray

    ray = ray_session
    ray.shutdown()
    cluster: Any = None
    try:
        try:
            cluster = Cluster(
                initialize_head=True,
                head_node_args={
                    "num_cpus": 1,
                    "node_ip_address": LOOPBACK,
                    "include_dashboard": False,
                },
            )
            cluster.add_node(num_cpus=1, node_ip_address=LOOPBACK)
            cluster.wait_for_nodes()
        except Exception as exc:  # pragma: no cover - depends on the machine
            pytest.skip(f"a local multi-node Ray cluster cannot start here: {exc}")
        ray.init(
            address=cluster.address,
            log_to_driver=False,
            configure_logging=False,
            _node_ip_address=LOOPBACK,
        )
        log = tmp_path / "runs.log"
        jobs = [
            Job(
                "ray_job_factories:counting_pair",
                task=f"task {i}",
                id=f"job{i}",
                params={"log": str(log), "key": f"job{i}", "delay": 0.5},
            )
            for i in range(6)
        ]
        runtime = RayRuntime(
            scheduling_strategy="SPREAD", checkpoint_dir=tmp_path / "ckpt", progress=False
        )
        results = runtime.run_batch(jobs)
        assert [r.error for r in results] == [None] * 6
        assert [r.summary for r in results] == [f"answer for job{i}: task {i}" for i in range(6)]
        nodes = {r.meta["node_id"] for r in results}
        assert len(nodes) == 2, f"all jobs ran on {nodes}"
    finally:
        ray.shutdown()
        if cluster is not None:
            cluster.shutdown()
        start_local_ray()
