"""A writer killed with SIGKILL at any moment leaves exactly its committed steps, never half one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from convogen.state.store import CheckpointStore, SQLiteCheckpointStore

DSN_ENV = "CONVOGEN_TEST_POSTGRES_DSN"
PER_STEP = 3

# The child commits step after step (three large messages plus the state each time) and says
# "committed N" only after commit() returned; it never stops on its own.
CHILD = textwrap.dedent(
    """
    import sys
    backend, target, schema = sys.argv[1:4]
    if backend == "sqlite":
        from convogen.state.store import SQLiteCheckpointStore
        store = SQLiteCheckpointStore(target)
    else:
        from convogen.state.store.postgres import PostgresCheckpointStore
        store = PostgresCheckpointStore(target, schema=schema)
    store.create_run("victim", "two_agent", {"why": "sigkill test"})
    payload = "p" * 50_000
    step = 0
    while True:
        base = step * 3
        batch = [(base + i, {"step": step, "i": i, "payload": payload}) for i in range(3)]
        store.commit("victim", batch, {"step": step, "messages": base + 3}, "running")
        print(f"committed {step}", flush=True)
        step += 1
    """
)


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """(backend, path or DSN, schema) for a storage nobody else uses."""
    if request.param == "sqlite":
        yield "sqlite", str(tmp_path / "killed.db"), "-"
        return
    dsn = os.environ.get(DSN_ENV)
    if not dsn:
        pytest.skip(f"{DSN_ENV} is not set (run scripts/postgres.sh to get one)")
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed (extra 'postgres')")
    try:
        psycopg.connect(dsn, connect_timeout=3).close()
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL at {DSN_ENV} is unreachable: {exc}")
    schema = f"k_{uuid.uuid4().hex[:16]}"
    yield "postgres", dsn, schema
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def reopen(backend: str, where: str, schema: str) -> CheckpointStore:
    if backend == "sqlite":
        return SQLiteCheckpointStore(where)
    from convogen.state.store.postgres import PostgresCheckpointStore

    return PostgresCheckpointStore(where, schema=schema)


def kill_after(backend: str, where: str, schema: str, steps: int, extra_delay: float) -> int:
    """Run the child until it reports ``steps`` commits, wait a moment, SIGKILL it."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, backend, where, schema],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    last = -1
    deadline = time.monotonic() + 20
    try:
        while last < steps - 1:
            line = child.stdout.readline()
            if not line:
                pytest.fail(f"child died early: {child.stderr.read() if child.stderr else ''}")
            last = int(line.split()[1])
            assert time.monotonic() < deadline, "child is too slow"
        time.sleep(extra_delay)  # lands the kill somewhere inside a later commit (or between)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    return last


@pytest.mark.parametrize("extra_delay", [0.0, 0.0031, 0.0173])
def test_sigkill_never_loses_or_tears_a_commit(
    target: tuple[str, str, str], extra_delay: float
) -> None:
    backend, where, schema = target
    reported = kill_after(backend, where, schema, steps=4, extra_delay=extra_delay)
    store = reopen(backend, where, schema)
    try:
        run = store.get_run("victim")
        assert run is not None and run.status == "running"
        step = run.state["step"]
        # Every step the child reported is there; at most the ones after it are extra.
        assert step >= reported
        messages = store.messages("victim")
        # The state and the messages come from the same commit: no torn step.
        assert run.state["messages"] == len(messages) == PER_STEP * (step + 1)
        assert [(m["step"], m["i"]) for m in messages] == [
            (s, i) for s in range(step + 1) for i in range(PER_STEP)
        ]
        # The store is usable after the crash: the next step commits normally.
        store.commit("victim", [(len(messages), {"after": "crash"})], {"step": step + 1}, "paused")
        assert len(store.messages("victim")) == len(messages) + 1
    finally:
        store.close()
