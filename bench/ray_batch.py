"""Chats per second for a batch of scripted chats: LocalRuntime versus RayRuntime.

The chats use a scripted model, so the figures are convogen's and the runtime's own overhead
(building the team, running the chat, shipping the result back). Ray starts a local instance
bound to loopback once, before timing, and is warmed up with a small batch.
With ``--latency S`` each model reply sleeps S seconds (a blocking client, as most are), the
case where spreading chats over processes pays; ``--cpus-per-job`` lets Ray run several such
chats per core.
Run: .venv/bin/python bench/ray_batch.py [--chats 200] [--repetitions 5] [--cpus 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Before Ray is imported: stay on loopback and send no usage statistics.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
# Ray workers import the latency factory below from this file.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(Path(__file__).resolve().parent), os.environ.get("PYTHONPATH", "")) if p
)

from _report import Figure, repeat, show, timed

from convogen import AssistantAgent, ConversableAgent, UserProxyAgent, scripted_llm_config
from convogen.runtime import Job, LocalRuntime, RayRuntime, Runtime
from convogen.specs import TeamSpec


def spec(turns: int) -> TeamSpec:
    """A user proxy and a scripted assistant talking for ``turns`` turns."""
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

    def reply(messages: list[object]) -> str:
        time.sleep(latency)
        return "done TERMINATE" if next(calls) >= turns - 2 else "step"

    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    return user, AssistantAgent("helper", llm_config=scripted_llm_config(reply))


def jobs(count: int, turns: int, latency: float) -> list[Job]:
    if latency:
        params = {"turns": turns, "latency": latency}
        return [
            Job("ray_batch:slow_pair", task=f"task {i}", id=f"chat{i}", params=params)
            for i in range(count)
        ]
    team = spec(turns)
    return [Job(team, task=f"task {i}", id=f"chat{i}") for i in range(count)]


def chats_per_second(runtime: Runtime, batch: list[Job]) -> float:
    seconds = timed(lambda: check(runtime.run_batch(batch), len(batch)))
    return len(batch) / seconds


def check(results: list[object], expected: int) -> None:
    if len(results) != expected or any(getattr(r, "error", None) for r in results):
        raise SystemExit(f"the benchmark batch failed: {results[:1]!r:.300}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--cpus", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per model reply")
    parser.add_argument("--cpus-per-job", type=float, default=1.0)
    args = parser.parse_args()

    import ray

    ray.init(
        num_cpus=args.cpus,
        include_dashboard=False,
        log_to_driver=False,
        _node_ip_address="127.0.0.1",
    )
    batch = jobs(args.chats, args.turns, args.latency)
    local = LocalRuntime(concurrency=args.concurrency)
    remote = RayRuntime(progress=False, cpus_per_job=args.cpus_per_job)
    remote.run_batch(jobs(args.cpus * 2, args.turns, 0.0))  # start the workers before timing
    figures = [
        Figure(
            f"LocalRuntime(concurrency={args.concurrency})",
            "chats/s",
            repeat(lambda: chats_per_second(local, batch), args.repetitions),
        ),
        Figure(
            f"RayRuntime(num_cpus={args.cpus}, cpus_per_job={args.cpus_per_job:g})",
            "chats/s",
            repeat(lambda: chats_per_second(remote, batch), args.repetitions),
        ),
    ]
    ray.shutdown()
    latency = f", {args.latency * 1000:g} ms per model reply" if args.latency else ""
    show(f"{args.chats} scripted chats of {args.turns} turns{latency}", figures)


if __name__ == "__main__":
    main()
