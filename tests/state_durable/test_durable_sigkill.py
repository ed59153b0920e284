"""Kill a durable chat process with SIGKILL at random points, resume, compare with a clean run."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from durable_scenario import STEPS, build

from convogen.state.store import open_store

SCENARIO = Path(__file__).with_name("durable_scenario.py")
MAX_KILLS = 12


def journaled_steps(url: str, run_id: str) -> set[int]:
    store = open_store(url)
    try:
        entries = store.messages(run_id) if store.get_run(run_id) else []
    finally:
        store.close()
    return {
        int(json.loads(e["request"]["arguments"])["step"])
        for e in entries
        if e["type"] == "effect" and e["kind"] == "tool"
    }


def started_steps(log: Path) -> Counter[int]:
    if not log.exists():
        return Counter()
    return Counter(
        int(line.split()[1]) for line in log.read_text().splitlines() if line.startswith("start")
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_sigkill_at_random_points_then_resume(backend: str, tmp_path: Path) -> None:
    if backend == "postgres":
        dsn = os.environ.get("CONVOGEN_TEST_POSTGRES_DSN")
        if not dsn:
            pytest.skip("CONVOGEN_TEST_POSTGRES_DSN is not set (scripts/postgres.sh prints it)")
        url = dsn
    else:
        url = f"sqlite:///{tmp_path / 'kill.db'}"
    run_id = f"kill-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "effects.log"
    rng = random.Random(1234)
    allowed_reruns: Counter[int] = Counter()
    seen_starts: Counter[int] = Counter()
    kills = 0
    env = {**os.environ, "PYTHONPATH": str(SCENARIO.parent)}
    while True:
        child = subprocess.Popen(
            [sys.executable, str(SCENARIO), url, run_id, str(log)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "READY"
        if kills < MAX_KILLS:
            time.sleep(rng.uniform(0.0, 0.15))
            if child.poll() is None:
                child.send_signal(signal.SIGKILL)
                child.wait()
                kills += 1
                # A step that had started but was not journaled when the process died may run
                # again on resume; a journaled (completed) step must never run again.
                journaled = journaled_steps(url, run_id)
                starts = started_steps(log)
                for step, count in starts.items():
                    if step not in journaled:
                        allowed_reruns[step] += count - seen_starts[step]
                seen_starts = starts
                continue
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        assert "DONE termination_message" in out
        break
    assert kills >= 3, "the chat finished before it could be killed often enough"

    store = open_store(url)
    record = store.get_run(run_id)
    store.close()
    assert record is not None and record.status == "finished"
    user, assistant = build(tmp_path / "reference.log")
    reference = user.initiate_chat(assistant, message="go")
    resumed = record.state["result"]["chat_history"]
    expected = [(m.get("name"), m.get("role"), m.get("content")) for m in reference.chat_history]
    assert [(m.get("name"), m.get("role"), m.get("content")) for m in resumed] == expected

    executions = started_steps(log)
    assert set(executions) == set(range(STEPS))
    for step, count in executions.items():
        assert count <= 1 + allowed_reruns[step], (step, count, allowed_reruns)
