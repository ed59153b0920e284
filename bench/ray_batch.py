"""Chats per second for a batch of scripted chats: LocalRuntime versus RayRuntime.

The chats use a scripted model, so the figures are convogen's and the runtime's own overhead
(building the team, running the chat, shipping the result back). Ray starts a local instance
bound to loopback once, before timing, and is warmed up with a small batch (which starts the
runtime's worker actors). Local and Ray runs alternate, so a busy machine slows both alike.
``--nodes 2 3`` also times a cluster of that many nodes simulated on this machine
(``ray.cluster_utils.Cluster``, ``--cpus-per-node`` CPUs each): the simulated nodes share this
machine's cores, so these figures show the cost of spreading a batch over nodes, not a speedup.
With ``--latency S`` each model reply sleeps S seconds (a blocking client, as most are), the
case where spreading chats over processes pays; ``--cpus-per-job`` runs several such chats
per core. ``--json`` prints a last line ``{"ray_chats_per_s", "local_chats_per_s", "ratio"}``.
Run: .venv/bin/python bench/ray_batch.py [--chats 2000] [--turns 5] [--nodes 1 2 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Before Ray is imported: stay on loopback and send no usage statistics.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
# Ray workers import the latency factory below from this file.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(Path(__file__).resolve().parent), os.environ.get("PYTHONPATH", "")) if p
)

from _report import Figure, show, timed

from convogen import AssistantAgent, ConversableAgent, UserProxyAgent, scripted_llm_config
from convogen.runtime import Job, LocalRuntime, RayRuntime, Runtime
from convogen.specs import TeamSpec

LOOPBACK = "127.0.0.1"


def spec(turns: int) -> TeamSpec:
    """A user proxy and a scripted assistant talking for ``turns`` turns (2 messages each)."""
    replies = [f"step {i}" for i in range(turns - 1)] + ["done TERMINATE"]
    return TeamSpec.model_validate(
        {
            "name": "bench",
            "agents": [
                {"name": "user", "kind": "user_proxy", "human_input_mode": "NEVER"},
                {
                    "name": "helper",
                    "llm_config": {
                        "config_list": [
                            {"model": "scripted", "api_type": "scripted", "replies": replies}
                        ]
                    },
                },
            ],
            "initiator": "user",
            "max_turns": turns,
        }
    )


def slow_pair(turns: int, latency: float) -> tuple[ConversableAgent, ConversableAgent]:
    """Like ``spec`` but every model reply takes ``latency`` seconds."""
    calls = iter(range(10**9))

    def reply(messages: list[Any]) -> str:
        time.sleep(latency)
        return "done TERMINATE" if next(calls) >= turns - 2 else "step"

    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    return user, AssistantAgent("helper", llm_config=scripted_llm_config(reply))


def jobs(count: int, turns: int, latency: float) -> list[Job]:
    """``count`` chats of ``turns`` turns (with ``latency`` per model reply when set)."""
    if latency:
        params = {"turns": turns, "latency": latency}
        return [
            Job("ray_batch:slow_pair", task=f"task {i}", id=f"chat{i}", params=params)
            for i in range(count)
        ]
    team = spec(turns)
    return [Job(team, task=f"task {i}", id=f"chat{i}") for i in range(count)]


def chats_per_second(runtime: Runtime, batch: list[Job]) -> float:
    """One timed run of ``batch``; fails loudly when any chat did not finish cleanly."""
    seconds = timed(lambda: check(runtime.run_batch(batch), len(batch)))
    return len(batch) / seconds


def check(results: list[Any], expected: int) -> None:
    if len(results) != expected or any(getattr(r, "error", None) for r in results):
        raise SystemExit(f"the benchmark batch failed: {results[:1]!r:.300}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--turns", type=int, default=5, help="turns per chat (2 messages each)")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the one-machine instance")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per model reply")
    parser.add_argument("--cpus-per-job", type=float, default=1.0)
    parser.add_argument(
        "--nodes", type=int, nargs="+", default=[1], help="1: one machine; N: N simulated nodes"
    )
    parser.add_argument("--cpus-per-node", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the ratio line as JSON last")
    return parser.parse_args()


@contextmanager
def ray_instance(nodes: int, cpus: int, cpus_per_node: int) -> Iterator[str]:
    """A local Ray instance (``nodes`` == 1) or a simulated cluster; yields its description."""
    import ray

    cluster: Any = None
    if nodes == 1:
        ray.init(
            num_cpus=cpus, include_dashboard=False, log_to_driver=False, _node_ip_address=LOOPBACK
        )
        label = f"num_cpus={cpus}"
    else:
        from ray.cluster_utils import Cluster

        head = {"num_cpus": cpus_per_node, "node_ip_address": LOOPBACK, "include_dashboard": False}
        cluster = Cluster(initialize_head=True, head_node_args=head)
        for _ in range(nodes - 1):
            cluster.add_node(num_cpus=cpus_per_node, node_ip_address=LOOPBACK)
        cluster.wait_for_nodes()
        ray.init(address=cluster.address, log_to_driver=False, _node_ip_address=LOOPBACK)
        label = f"{nodes} simulated nodes x {cpus_per_node} CPU"
    try:
        yield label
    finally:
        ray.shutdown()
        if cluster is not None:
            cluster.shutdown()


def one_machine(args: argparse.Namespace, batch: list[Job]) -> list[Figure]:
    """LocalRuntime and RayRuntime on this machine, their runs alternating."""
    local = LocalRuntime(concurrency=args.concurrency)
    with ray_instance(1, args.cpus, args.cpus_per_node) as label:
        remote = RayRuntime(progress=False, cpus_per_job=args.cpus_per_job)
        remote.run_batch(jobs(args.cpus * 2, args.turns, 0.0))  # start the workers first
        pairs = [
            (chats_per_second(local, batch), chats_per_second(remote, batch))
            for _ in range(args.repetitions)
        ]
    return [
        Figure(f"LocalRuntime(concurrency={args.concurrency})", "chats/s", [p[0] for p in pairs]),
        Figure(
            f"RayRuntime({label}, cpus_per_job={args.cpus_per_job:g})",
            "chats/s",
            [p[1] for p in pairs],
        ),
    ]


def simulated_cluster(args: argparse.Namespace, nodes: int, batch: list[Job]) -> Figure:
    """Ray on ``nodes`` simulated nodes (named without "RayRuntime": run_all finds that one)."""
    with ray_instance(nodes, args.cpus, args.cpus_per_node) as label:
        remote = RayRuntime(progress=False, cpus_per_job=args.cpus_per_job)
        remote.run_batch(jobs(nodes * args.cpus_per_node * 2, args.turns, 0.0))
        samples = [chats_per_second(remote, batch) for _ in range(args.repetitions)]
    return Figure(f"Ray cluster, {label}", "chats/s", samples)


def main() -> None:
    args = parse_args()
    batch = jobs(args.chats, args.turns, args.latency)
    figures: list[Figure] = []
    if 1 in args.nodes:
        figures += one_machine(args, batch)
    for nodes in sorted(n for n in set(args.nodes) if n > 1):
        figures.append(simulated_cluster(args, nodes, batch))
    latency = f", {args.latency * 1000:g} ms per model reply" if args.latency else ""
    cores = os.cpu_count()
    title = f"{args.chats} scripted chats of {args.turns * 2} messages{latency} ({cores} cores)"
    show(title, figures)
    if 1 in args.nodes:
        local, remote = figures[0].median, figures[1].median
        print(f"RayRuntime / LocalRuntime: {remote / local:.2f}")
        if args.json:
            line = {"ray_chats_per_s": remote, "local_chats_per_s": local, "ratio": remote / local}
            print(json.dumps({k: round(v, 3) for k, v in line.items()}))


if __name__ == "__main__":
    main()
