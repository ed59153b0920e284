"""Ending everything a host run started, including daemons that left its process group.

``start_new_session`` + ``killpg`` reach the run's process group, but code that calls
``setsid`` (or double-forks into a new session) escapes it. Each run therefore carries a
random marker in its environment; after the run, every process of ours whose initial
environment holds the marker is killed. Linux only (reads /proc); elsewhere a no-op.
Code that scrubs its own environment before daemonizing is not caught (no cgroup here).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
from pathlib import Path

RUN_MARKER_NAME = "CONVOGEN_RUN_ID"
_PROC = Path("/proc")
# A tree that forks while being killed is rescanned; bounded so a settle always ends.
_MAX_ROUNDS = 50


def new_run_marker() -> str:
    """A fresh random marker value for one run."""
    return secrets.token_hex(12)


def marked_pids(marker: str, keep: frozenset[int] = frozenset()) -> list[int]:
    """Pids of this user's processes whose initial environment carries the marker."""
    if not _PROC.is_dir():
        return []
    needle = f"{RUN_MARKER_NAME}={marker}".encode()
    me = os.getpid()
    found: list[int] = []
    for entry in _PROC.iterdir():
        if not entry.name.isdigit() or int(entry.name) == me or int(entry.name) in keep:
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue  # gone, or not ours
        if needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def kill_marked(marker: str, keep: frozenset[int] = frozenset()) -> int:
    """SIGKILL every process carrying the marker (but those in keep); returns how many."""
    killed = 0
    for _ in range(_MAX_ROUNDS):
        pids = marked_pids(marker, keep)
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
                killed += 1
    return killed


class MarkerReaper:
    """A run supervisor (see _process.Supervisor) that kills marked stragglers."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def started(self) -> None:
        """Nothing to do when the run starts."""

    def kill(self) -> None:
        """On timeout: kill every marked process, session leaders included."""
        kill_marked(self.marker)

    def settle(self) -> None:
        """After the run: kill what is left (daemons started with setsid)."""
        kill_marked(self.marker)
