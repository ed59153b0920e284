"""Starting the tests' local Ray instance: loopback only, no dashboard, no telemetry."""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Set before Ray is imported. On Linux Ray resolves "127.0.0.1" to the machine's outward
# address when connecting; with this switch off it stays on loopback (the multi-node test
# needs that). Nothing may phone home, and workers (started by the raylet with this
# environment) must find the test factories.
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
os.environ.pop("RAY_ADDRESS", None)
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(HERE), os.environ.get("PYTHONPATH", "")) if p
)

LOOPBACK = "127.0.0.1"


def start_local_ray() -> None:
    """The session's Ray instance (also used to restore it after the multi-node test)."""
    import ray

    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        _node_ip_address=LOOPBACK,
    )
