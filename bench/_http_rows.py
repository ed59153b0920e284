"""The HTTP rows of ``run_all.py``: turn time against bare requests, and concurrent chats.

Every row talks to ``stub_server.py`` in its own process with the default ``llm_config``
(no ``max_connections`` or other tuning) unless the row's name says "tuned". Concurrent chats
run in a fresh interpreter each, so peak RSS belongs to the chats alone.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _report import Figure, Target
from stub_server import host_port, http_client_rate, pipelined_capacity

PYTHON = sys.executable
ROOT = Path(__file__).resolve().parent.parent
TURNS = 100


def convogen_chat(url: str, turns: int) -> tuple[float, list[dict[str, Any]]]:
    """Seconds of a ``turns``-turn two-agent chat over HTTP, and the request bodies it implies."""
    from convogen import AssistantAgent, UserProxyAgent

    config = {"config_list": [{"model": "bench", "base_url": url, "api_key": "x"}]}
    bot = AssistantAgent("bot", llm_config=config, silent=True)
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    start = time.perf_counter()
    result = user.initiate_chat(bot, message="go", max_turns=turns, silent=True)
    seconds = time.perf_counter() - start
    if result.error is not None or len(result.chat_history) != 2 * turns:
        raise RuntimeError(
            f"the HTTP chat failed after {len(result.chat_history)} messages: {result.error!r}"
        )
    return seconds, request_bodies(result.chat_history, bot.system_message)


def request_bodies(history: list[Any], system: str) -> list[dict[str, Any]]:
    """The body of each model request of a chat: the system message and the history so far."""
    seen_by_bot = [
        {
            "role": "assistant" if m["role"] == "user" else "user",
            "content": m["content"],
            "name": m["name"],
        }
        for m in history
    ]
    head = [{"role": "system", "content": system}]
    return [
        {"model": "bench", "messages": head + seen_by_bot[: 2 * k + 1]}
        for k in range(len(history) // 2)
    ]


async def _httpx_async(url: str, bodies: list[dict[str, Any]]) -> float:
    import httpx

    async with httpx.AsyncClient(base_url=url) as client:
        await _post_async(client, bodies[0])  # connect first: convogen's pool is warm too
        start = time.perf_counter()
        for body in bodies:
            await _post_async(client, body)
        return time.perf_counter() - start


async def _post_async(client: Any, body: dict[str, Any]) -> None:
    response = await client.post("/chat/completions", json=body)
    response.raise_for_status()
    response.json()


def bare_httpx_async(url: str, bodies: list[dict[str, Any]]) -> float:
    """Seconds to send ``bodies`` one after another with a connected ``httpx.AsyncClient``."""
    return asyncio.run(_httpx_async(url, bodies))


async def _aiohttp(url: str, bodies: list[dict[str, Any]]) -> float:
    import aiohttp

    async with aiohttp.ClientSession() as session:

        async def post(body: dict[str, Any]) -> None:
            async with session.post(f"{url}/chat/completions", json=body) as response:
                response.raise_for_status()
                await response.json()

        await post(bodies[0])
        start = time.perf_counter()
        for body in bodies:
            await post(body)
        return time.perf_counter() - start


def bare_aiohttp(url: str, bodies: list[dict[str, Any]]) -> float:
    """Seconds to send ``bodies`` one after another with a connected ``aiohttp`` session."""
    return asyncio.run(_aiohttp(url, bodies))


def bare_httpx_sync(url: str, bodies: list[dict[str, Any]]) -> float:
    """Seconds to send ``bodies`` one after another with a connected ``httpx.Client``."""
    import httpx

    def post(body: dict[str, Any]) -> None:
        response = client.post("/chat/completions", json=body)
        response.raise_for_status()
        response.json()

    with httpx.Client(base_url=url) as client:
        post(bodies[0])
        start = time.perf_counter()
        for body in bodies:
            post(body)
        return time.perf_counter() - start


def bare_http_client(url: str, bodies: list[dict[str, Any]]) -> float:
    """Seconds to send ``bodies`` one after another with a connected ``http.client``."""
    host, port = host_port(url)
    connection = http.client.HTTPConnection(host, port)

    def post(body: dict[str, Any]) -> None:
        headers = {"content-type": "application/json"}
        connection.request("POST", "/v1/chat/completions", json.dumps(body), headers)
        response = connection.getresponse()
        if response.status != 200:
            raise RuntimeError(f"the stub answered {response.status}")
        json.loads(response.read())

    post(bodies[0])
    start = time.perf_counter()
    for body in bodies:
        post(body)
    seconds = time.perf_counter() - start
    connection.close()
    return seconds


def http_turn_figures(url: str, reps: int) -> list[Figure]:
    """Turn time through convogen, bare-request baselines and their difference, interleaved."""
    rows: dict[str, list[float]] = {name: [] for name in _TURN_ROWS}
    convogen_chat(url, 5)  # warm-up: imports, SDK client, connection
    for _ in range(reps):
        seconds, bodies = convogen_chat(url, TURNS)
        bare = {name: measure(url, bodies) for name, measure in _BARE.items()}
        rows["convogen"].append(seconds / TURNS * 1000)
        for name, bare_seconds in bare.items():
            rows[name].append(bare_seconds / TURNS * 1000)
        rows["framework"].append((seconds - bare["httpx async"]) / TURNS * 1000)
        rows["framework aiohttp"].append((seconds - bare["aiohttp"]) / TURNS * 1000)
    return [Figure(title, "ms", rows[key], target) for key, (title, target) in _TURN_ROWS.items()]


_BARE = {
    "httpx async": bare_httpx_async,
    "httpx sync": bare_httpx_sync,
    "aiohttp": bare_aiohttp,
    "http.client": bare_http_client,
}
_FRAMEWORK = Target("<=", 0.35)
_TURN_ROWS: dict[str, tuple[str, Target | None]] = {
    "convogen": (f"two-agent turn over HTTP ({TURNS}-turn chat)", None),
    "httpx async": ("bare request, httpx.AsyncClient keep-alive (same payloads)", None),
    "httpx sync": ("bare request, httpx.Client keep-alive (same payloads)", None),
    "aiohttp": ("bare request, aiohttp keep-alive (same payloads)", None),
    "http.client": ("bare request, http.client keep-alive (same payloads)", None),
    "framework": ("framework time per HTTP turn (turn - bare httpx async)", _FRAMEWORK),
    "framework aiohttp": ("framework time per HTTP turn (turn - bare aiohttp)", _FRAMEWORK),
}


def stub_figures(url: str) -> list[Figure]:
    """The stub server's own capacity, measured once, so readers see it is not the bottleneck."""
    return [
        Figure("stub server capacity (64 pipelined requests)", "req/s", [pipelined_capacity(url)]),
        Figure("stub server, http.client sequential requests", "req/s", [http_client_rate(url)]),
    ]


CONCURRENT = """
import asyncio, json, resource, sys, time
from convogen import AssistantAgent, UserProxyAgent
n, turns, connections, url = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
entry = {"model": "bench", "base_url": url, "api_key": "x"}
if connections:
    entry["max_connections"] = connections
async def chats():
    config = {"config_list": [entry]}
    pairs = [(UserProxyAgent(f"u{i}", human_input_mode="NEVER", code_execution_config=False),
              AssistantAgent(f"b{i}", llm_config=config, silent=True)) for i in range(n)]
    start = time.perf_counter()
    results = await asyncio.gather(*(u.a_initiate_chat(b, message="go", max_turns=turns,
                                     silent=True) for u, b in pairs), return_exceptions=True)
    return results, time.perf_counter() - start
results, seconds = asyncio.run(chats())
errors, messages = [], 0
for r in results:
    if isinstance(r, BaseException):
        errors.append(repr(r))
        continue
    messages += len(r.chat_history)
    if r.error is not None:
        errors.append(repr(r.error))
    elif len(r.chat_history) != 2 * turns:
        errors.append(f"chat ended after {len(r.chat_history)} messages ({r.stop_reason})")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rate": messages / seconds, "peak_mb": peak, "errors": len(errors),
                  "messages": sorted(set(errors))[:3]}))
"""


def concurrent_run(
    url: str, n: int, turns: int, connections: int, timeout: float
) -> dict[str, Any]:
    """One run of ``n`` concurrent chats in a fresh interpreter: rate, peak RSS and errors."""
    args = [PYTHON, "-c", CONCURRENT, str(n), str(turns), str(connections), url]
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{n} concurrent chats failed: {done.stderr.strip()[-800:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def concurrent_figures(
    url: str, n: int, reps: int, *, turns: int = 5, connections: int = 0, timeout: float = 600
) -> list[Figure]:
    """msg/s (with errors) and peak RSS of ``n`` concurrent two-agent chats over HTTP."""
    runs = [concurrent_run(url, n, turns, connections, timeout) for _ in range(reps)]
    label = f"{n:,} concurrent chats over HTTP"
    if connections:
        label += f", tuned (max_connections={connections})"
    messages = sorted({m for run in runs for m in run["messages"]})
    rate = Figure(label, "msg/s", [r["rate"] for r in runs], _RATE_TARGETS.get((n, connections)))
    rate.errors = sum(int(r["errors"]) for r in runs)
    rate.error_messages = messages[:5]
    peak_target = Target("<", 1024) if n >= 10_000 else None
    peak = Figure(f"{label}, peak RSS", "MB", [r["peak_mb"] for r in runs], peak_target)
    return [rate, peak]


_RATE_TARGETS = {(1000, 0): Target(">=", 2500)}
