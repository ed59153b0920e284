"""Running one command with a wall-clock timeout, a capped output and a whole-tree kill."""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

TIMEOUT_EXIT_CODE = 124
TRUNCATION_NOTE = "\n[output truncated: exceeded {limit} bytes]\n"
TIMEOUT_NOTE = "\nTimeout: execution exceeded {timeout} seconds and was killed\n"


@dataclass
class RunOutcome:
    """Exit code and decoded output of one command."""

    exit_code: int
    output: str
    timed_out: bool
    truncated: bool
    # The total ('disk', 'memory') the run was killed for exceeding, if any.
    killed_for: str | None = None


def kill_group(pgid: int) -> None:
    """SIGKILL a whole process group, ignoring one that is already gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


class Supervisor(Protocol):
    """Extra process control for commands whose tree outlives their direct child (bwrap)."""

    def started(self) -> None:
        """Called right after the child started."""

    def kill(self) -> None:
        """Called on timeout, before the child's process group is killed."""

    def settle(self) -> None:
        """Called after the child was reaped: wait until nothing of the run is left."""


def run_command(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float,
    max_output_bytes: int,
    pass_fds: Sequence[int] = (),
    supervisor: Supervisor | None = None,
) -> RunOutcome:
    """Run argv in its own session, merging stdout and stderr, killing the group on timeout."""
    # start_new_session puts the child (and everything it does not move away) in its own
    # process group, so one killpg reaches the whole tree.
    proc = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        pass_fds=tuple(pass_fds),
        close_fds=True,
    )

    def kill_all() -> None:
        if supervisor is not None:
            supervisor.kill()
        kill_group(proc.pid)

    deadline = time.monotonic() + timeout
    try:
        if supervisor is not None:
            supervisor.started()
        output, truncated, timed_out = _read_capped(proc, deadline, max_output_bytes)
        if timed_out:
            kill_all()
        try:
            exit_code = proc.wait(timeout=max(deadline - time.monotonic(), 0) + 5)
        except subprocess.TimeoutExpired:
            # The pipe closed but the process lingers past the deadline: a timeout too.
            timed_out = True
            kill_all()
            exit_code = proc.wait()
    except BaseException:
        # Interrupted (KeyboardInterrupt, a failing hook): never leave the tree running.
        kill_all()
        proc.wait()
        raise
    finally:
        # Anything left in our group (e.g. a background job of a shell) dies with the run.
        kill_group(proc.pid)
        if proc.stdout is not None:
            proc.stdout.close()
        if supervisor is not None:
            supervisor.settle()
    text = output.decode("utf-8", errors="replace")
    if truncated:
        text += TRUNCATION_NOTE.format(limit=max_output_bytes)
    if timed_out:
        text += TIMEOUT_NOTE.format(timeout=timeout)
        exit_code = TIMEOUT_EXIT_CODE
    return RunOutcome(exit_code=exit_code, output=text, timed_out=timed_out, truncated=truncated)


def _read_capped(
    proc: subprocess.Popen[bytes], deadline: float, max_output_bytes: int
) -> tuple[bytes, bool, bool]:
    """Read the merged output until EOF or the deadline: (kept bytes, truncated, timed out)."""
    assert proc.stdout is not None
    chunks: list[bytes] = []
    kept = 0
    truncated = False
    fd = proc.stdout.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return b"".join(chunks), truncated, True
            if not selector.select(timeout=min(remaining, 0.2)):
                # The main process ended but a straggler keeps the pipe open: stop reading.
                if proc.poll() is not None:
                    return b"".join(chunks), truncated, False
                continue
            data = os.read(fd, 65536)
            if not data:
                return b"".join(chunks), truncated, False  # every writer closed the pipe
            if kept < max_output_bytes:
                take = data[: max_output_bytes - kept]
                chunks.append(take)
                kept += len(take)
                truncated = truncated or len(take) < len(data)
            else:
                # Bytes past the cap are drained and dropped so the writer never blocks.
                truncated = True
