"""convogen benchmark suite: prints every figure with median/min/max (not part of the tests).

Run: .venv/bin/python bench/run_all.py [--quick]
Memory figures run in a fresh subprocess each so one measurement cannot inflate another.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import Figure, repeat, show, timed

PYTHON = sys.executable
HERE = Path(__file__).resolve().parent


def run_child(code: str) -> dict[str, float]:
    """Run ``code`` in a fresh interpreter; it prints one JSON object of figures."""
    out = subprocess.run(
        [PYTHON, "-c", code], capture_output=True, text=True, check=True, cwd=HERE.parent
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def import_time() -> float:
    code = (
        "import time, json; t = time.perf_counter(); import convogen; "
        "print(json.dumps({'s': time.perf_counter() - t}))"
    )
    return run_child(code)["s"] * 1000


def in_process_turn_ms(turns: int = 100) -> float:
    from convogen import AssistantAgent, UserProxyAgent
    from convogen.llm.scripted import scripted_llm_config

    bot = AssistantAgent(
        "bot", llm_config=scripted_llm_config(["ok"], on_exhausted="repeat_last"), silent=True
    )
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    seconds = timed(lambda: user.initiate_chat(bot, message="go", max_turns=turns, silent=True))
    return seconds / turns * 1000


def http_turn_ms(server_url: str, turns: int = 100) -> float:
    from convogen import AssistantAgent, UserProxyAgent

    config = {"config_list": [{"model": "bench", "base_url": server_url, "api_key": "x"}]}
    bot = AssistantAgent("bot", llm_config=config, silent=True)
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    seconds = timed(lambda: user.initiate_chat(bot, message="go", max_turns=turns, silent=True))
    return seconds / turns * 1000


def group_message_ms(n_agents: int, rounds: int = 200) -> float:
    from convogen import ConversableAgent, GroupChat, GroupChatManager

    agents = []
    for i in range(n_agents):
        agent = ConversableAgent(f"a{i}", llm_config=False, human_input_mode="NEVER", silent=True)
        agent.register_reply(ConversableAgent, lambda *a: (True, "ok"))
        agents.append(agent)
    gc = GroupChat(agents, max_round=rounds, speaker_selection_method="round_robin")
    manager = GroupChatManager(gc, llm_config=False, silent=True)
    seconds = timed(lambda: agents[0].initiate_chat(manager, message="go", silent=True))
    return seconds / rounds * 1000


SERVER = """
import time
from convogen.llm.test_server import OpenAICompatibleTestServer
with OpenAICompatibleTestServer(replies=lambda body: "ok") as server:
    print(server.base_url, flush=True)
    time.sleep(3600)
"""

CONCURRENT = (
    f"SERVER = {SERVER!r}\n"
    + """
import asyncio, json, resource, subprocess, sys, time
from convogen import AssistantAgent, UserProxyAgent
n, turns = int(sys.argv[1]), int(sys.argv[2])
async def main(url):
    config = {"config_list": [{"model": "bench", "base_url": url, "api_key": "x",
                               "max_connections": 16}]}
    pairs = [(UserProxyAgent(f"u{i}", human_input_mode="NEVER", code_execution_config=False),
              AssistantAgent(f"b{i}", llm_config=config, silent=True)) for i in range(n)]
    t = time.perf_counter()
    results = await asyncio.gather(*(u.a_initiate_chat(b, message="go", max_turns=turns,
                                    silent=True) for u, b in pairs))
    dt = time.perf_counter() - t
    return sum(len(r.chat_history) for r in results) / dt
# The server runs in its own process, so the measured process holds only the chats.
server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
try:
    rate = asyncio.run(main(server.stdout.readline().strip()))
finally:
    server.kill()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rate": rate, "peak_mb": peak}))
"""
)

AGENTS_MEMORY = """
import gc, json, os
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
import convogen
from convogen import AssistantAgent
config = {"config_list": [{"model": "gpt-4o-mini", "api_key": "x"}]}
AssistantAgent("warm", llm_config=config)
gc.collect(); before = rss()
agents = [AssistantAgent(f"a{i}", llm_config=config) for i in range(1000)]
gc.collect(); print(json.dumps({"mb": rss() - before}))
"""


def cache_hit_ms() -> float:
    from convogen.llm import OpenAIWrapper

    with tempfile.TemporaryDirectory() as root:
        wrapper = OpenAIWrapper(
            config_list=[{"model": "scripted", "api_type": "scripted", "replies": ["x"]}],
            cache_seed=7,
            cache_path_root=root,
        )
        messages = [{"role": "user", "content": "hello"}]
        wrapper.create(messages=messages)  # fills the cache
        start = time.perf_counter()
        for _ in range(200):
            wrapper.create(messages=messages)
        return (time.perf_counter() - start) / 200 * 1000


def concurrent(n: int, turns: int, reps: int) -> tuple[Figure, Figure]:
    samples = [
        json.loads(
            subprocess.run(
                [PYTHON, "-c", CONCURRENT, str(n), str(turns)],
                capture_output=True,
                text=True,
                check=True,
                cwd=HERE.parent,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        for _ in range(reps)
    ]
    return (
        Figure(f"{n} concurrent chats over HTTP", "messages/s", [s["rate"] for s in samples]),
        Figure(f"{n} concurrent chats, peak RSS", "MB", [s["peak_mb"] for s in samples]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    reps = 3 if args.quick else 5
    from convogen.llm.test_server import OpenAICompatibleTestServer

    figures = [Figure("import convogen", "ms", repeat(import_time, reps))]
    figures.append(
        Figure(
            "two-agent turn, in-process model (100 turns)", "ms", repeat(in_process_turn_ms, reps)
        )
    )
    with OpenAICompatibleTestServer(replies=lambda body: "ok") as server:
        figures.append(
            Figure(
                "two-agent turn, over HTTP (100 turns)",
                "ms",
                repeat(lambda: http_turn_ms(server.base_url), reps),
            )
        )
    for n in (3, 10, 50):
        figures.append(
            Figure(
                f"group chat message, {n} agents (round robin)",
                "ms",
                repeat(lambda n=n: group_message_ms(n), reps),
            )
        )
    for n in (100, 1000):
        figures.extend(concurrent(n, 5, max(1, reps - 2)))
    figures.append(
        Figure(
            "1,000 agents with llm_config",
            "MB",
            [run_child(AGENTS_MEMORY)["mb"] for _ in range(max(1, reps - 2))],
        )
    )
    figures.append(Figure("cache hit (SQLite disk cache)", "ms", repeat(cache_hit_ms, reps)))
    show(f"convogen benchmarks ({os.cpu_count()} CPUs)", figures)


if __name__ == "__main__":
    main()
