"""Shared helpers of the studio tests: scripted teams and waiting for runs."""

from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI
from starlette.testclient import TestClient

PLOT_REPLY = """I will plot the squares.

```python
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
xs = list(range(10))
plt.plot(xs, [x * x for x in xs], marker="o")
plt.title("Squares")
plt.savefig("plot.png")
print("saved plot.png")
```"""
DONE_REPLY = "The plot is in plot.png. Anything else? TERMINATE"


LOCAL = "127.0.0.1"


def local_client(app: FastAPI) -> TestClient:
    """A test client that talks to the app as a page on 127.0.0.1 would."""
    return TestClient(app, base_url=f"http://{LOCAL}")


def stream_url(run_id: str) -> str:
    """The run's WebSocket URL, on the loopback host the studio accepts."""
    return f"ws://{LOCAL}/api/runs/{run_id}/stream"


def scripted(replies: list[str]) -> dict[str, Any]:
    """An llm_config with a scripted model."""
    return {"config_list": [{"model": "scripted", "api_type": "scripted", "replies": replies}]}


def user_agent(mode: str = "TERMINATE", code: bool = True) -> dict[str, Any]:
    """A user proxy that runs code in the sandbox and asks a person on termination."""
    return {
        "name": "user",
        "kind": "user_proxy",
        "human_input_mode": mode,
        "llm_config": False,
        "code_execution": {"work_dir": "coding", "timeout": 60} if code else False,
    }


def coder_agent() -> dict[str, Any]:
    """An assistant whose scripted model writes plotting code, then ends.

    Two auto replies at most: after the person's feedback the chat ends without another
    model call (a scripted list restarts from its first reply when a run resumes).
    """
    return {
        "name": "coder",
        "kind": "assistant",
        "max_consecutive_auto_reply": 2,
        "llm_config": scripted([PLOT_REPLY, DONE_REPLY]),
    }


def plot_team(name: str = "plotters") -> dict[str, Any]:
    """A two-agent team that plots, then asks the person for feedback."""
    return {"name": name, "agents": [user_agent(), coder_agent()], "initiator": "user"}


def hello_team(name: str = "hello") -> dict[str, Any]:
    """A two-agent team that finishes at once without human input."""
    return {
        "name": name,
        "agents": [
            user_agent(mode="NEVER", code=False),
            {"name": "greeter", "llm_config": scripted(["Hello there! TERMINATE"])},
        ],
        "initiator": "user",
        "task": "Say hello",
    }


def wait_status(
    client: TestClient, run_id: str, statuses: tuple[str, ...], timeout: float = 30.0
) -> dict[str, Any]:
    """Poll the run until its status is one of ``statuses``; its detail."""
    deadline = time.monotonic() + timeout
    detail: dict[str, Any] = {}
    while time.monotonic() < deadline:
        detail = client.get(f"/api/runs/{run_id}").json()
        if detail.get("status") in statuses:
            return detail
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} never reached {statuses}; last: {detail}")
